import { UserError } from '../core/errors.js';

/** Decompresses gzip bytes with the web-standard DecompressionStream (Node ≥ 18 and browsers). */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parses an IDX file of unsigned bytes (MNIST, Fashion-MNIST): magic 0x00 0x00 0x08 ndims, then
 * ndims big-endian uint32 sizes, then the data. `name` is used in error messages (the path).
 */
export function parseIdx(bytes: Uint8Array, name: string): { dims: number[]; data: Uint8Array } {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw new UserError(name, bytes.length, 'must be an IDX file (magic 0x0000)', 'data error');
  if (bytes[2] !== 0x08) throw new UserError(name, bytes[2], 'must hold unsigned bytes (IDX type 0x08)', 'data error');
  const ndims = bytes[3]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 + 4 * ndims) throw new UserError(name, bytes.length, `must hold ${ndims} dimension sizes`, 'data error');
  const dims = Array.from({ length: ndims }, (_, d) => view.getUint32(4 + 4 * d, false));
  const size = dims.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * ndims;
  if (bytes.length !== start + size) throw new UserError(name, bytes.length, `must be ${start + size} bytes for dimensions ${dims.join('×')} (truncated or corrupt)`, 'data error');
  return { dims, data: bytes.subarray(start) };
}

/** Parses IDX bytes, gunzipping first when needed. */
export async function readIdx(bytes: Uint8Array, name: string): Promise<{ dims: number[]; data: Uint8Array }> {
  if (!isGzip(bytes)) return parseIdx(bytes, name);
  let inflated: Uint8Array;
  try {
    inflated = await gunzip(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(name, bytes.length, `must be a complete gzip file (${reason}: truncated or corrupt; download it again)`, 'data error');
  }
  return parseIdx(inflated, name);
}
