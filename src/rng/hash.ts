/**
 * Key hashing for keyed random streams: a stream is named by a seed and a path of keys
 * (tile name, purpose, row, ...), and its 128-bit state is a hash of that name. Streams
 * therefore do not depend on how much any other stream has drawn (architecture.md,
 * decision 2), which is what makes results independent of the thread count.
 */

/** splitmix32 finaliser (a bijective 32-bit mixer). */
export function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a over the UTF-16 code units of a string. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

export type StreamKey = string | number;

function hashKey(key: StreamKey): number {
  if (typeof key === 'string') return mix32(hashString(key) ^ 0x5bd1e995);
  if (!Number.isInteger(key)) throw new Error(`aimsim internal error: stream keys must be integers or strings, got ${key}`);
  // Integers may exceed 32 bits (seeds); fold the high part in.
  const low = key >>> 0;
  const high = Math.floor(key / 4294967296) >>> 0;
  return mix32(low ^ mix32(high + 0x9e3779b9));
}

const LANE_SALTS = [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344] as const;

/** Four independent 32-bit lanes hashed from the key path: the initial xoshiro128 state. */
export function stateFromKeys(path: readonly StreamKey[], out: Uint32Array, offset = 0): void {
  for (let lane = 0; lane < 4; lane++) {
    let h = LANE_SALTS[lane] as number;
    for (const key of path) {
      h = mix32((h ^ hashKey(key)) + 0x9e3779b9 + lane);
    }
    out[offset + lane] = h;
  }
  // xoshiro must never start from the all-zero state.
  if ((out[offset]! | out[offset + 1]! | out[offset + 2]! | out[offset + 3]!) === 0) out[offset] = 1;
}
