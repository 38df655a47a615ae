/**
 * JSON with typed arrays kept exact: a typed array becomes { $typed: name, base64 } (its raw
 * little-endian bytes), so checkpoints restore bit-identically. Platform-neutral (btoa/atob).
 */
const constructors = { Float64Array, Float32Array, Uint32Array, Int32Array, Uint8Array, Int8Array } as const;
type TypedName = keyof typeof constructors;

function toBase64(bytes: Uint8Array): string {
  // Node's Buffer encodes natively (checkpoints are written every epoch); browsers use btoa.
  const nodeBuffer = (globalThis as { Buffer?: { from(b: Uint8Array): { toString(encoding: string): string } } }).Buffer;
  if (nodeBuffer) return nodeBuffer.from(bytes).toString('base64');
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function stringifyWithTypedArrays(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const name = v.constructor.name as TypedName;
      if (!(name in constructors)) throw new Error(`aimsim internal error: cannot serialise ${name}`);
      return { $typed: name, base64: toBase64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
    }
    return v;
  });
}

export function parseWithTypedArrays(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && '$typed' in v && 'base64' in v) {
      const { $typed, base64 } = v as { $typed: TypedName; base64: string };
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const Ctor = constructors[$typed];
      return new Ctor(bytes.buffer, 0, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
    }
    return v;
  });
}
