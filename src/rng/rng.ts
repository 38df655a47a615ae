import { stateFromKeys, type StreamKey } from './hash.js';
import { ZIGGURAT_R, zigF, zigK, zigW } from './ziggurat.js';
import { exp, log } from '../core/math.js';

/** Version tag stored in word 0 of a saved state, checked on restore (anchors.md §2.10). */
export const RNG_STATE_VERSION = 0x41490001; // "AI" + v1

const U32_TO_UNIT = 2.3283064365386963e-10; // 2^-32

/**
 * xoshiro128** (Blackman & Vigna 2018) with keyed, splittable streams. All 32-bit integer
 * arithmetic, 1 G draws/s in plain TS (numerics-measured.md §3). `Math.random` is never used.
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /** The key path that names this stream (seed first). */
  readonly path: readonly StreamKey[];

  private constructor(path: readonly StreamKey[]) {
    this.path = path;
    const words = new Uint32Array(4);
    stateFromKeys(path, words);
    this.s0 = words[0]!;
    this.s1 = words[1]!;
    this.s2 = words[2]!;
    this.s3 = words[3]!;
  }

  /** The stream named by a seed and a path of keys, e.g. `Rng.stream(42, 'tile:0', 'update')`. */
  static stream(seed: number, ...path: StreamKey[]): Rng {
    return new Rng([seed, ...path]);
  }

  /** A child stream named by this stream's path plus `keys`; independent of draws made so far. */
  split(...keys: StreamKey[]): Rng {
    return new Rng([...this.path, ...keys]);
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const s1 = this.s1;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform on [0, 1) with 32-bit resolution. */
  uniform(): number {
    return this.nextU32() * U32_TO_UNIT;
  }

  /** Uniform on the open interval (0, 1): safe under `Math.log`. */
  uniformOpen(): number {
    return (this.nextU32() + 0.5) * U32_TO_UNIT;
  }

  /** Standard normal by the ziggurat (see ziggurat.ts). */
  normal(): number {
    const u = this.nextU32();
    const iz = u & 127;
    const hz = (u | 0) >> 7; // signed 25-bit magnitude, disjoint from the index bits
    if (Math.abs(hz) < zigK[iz]!) return hz * zigW[iz]!;
    return this.normalSlow(hz, iz);
  }

  private normalSlow(hz: number, iz: number): number {
    for (;;) {
      if (iz === 0) {
        // Base strip: sample the tail beyond R (Marsaglia 1964).
        let x: number;
        let y: number;
        do {
          x = -log(this.uniformOpen()) / ZIGGURAT_R;
          y = -log(this.uniformOpen());
        } while (y + y < x * x);
        return hz > 0 ? ZIGGURAT_R + x : -ZIGGURAT_R - x;
      }
      const x = hz * zigW[iz]!;
      if (zigF[iz]! + this.uniform() * (zigF[iz - 1]! - zigF[iz]!) < exp(-0.5 * x * x)) return x;
      const u = this.nextU32();
      iz = u & 127;
      hz = (u | 0) >> 7;
      if (Math.abs(hz) < zigK[iz]!) return hz * zigW[iz]!;
    }
  }

  /** Writes the four state words at `offset` (for a kernel that replays this stream; no allocation). */
  writeState(target: Uint32Array, offset: number): void {
    target[offset] = this.s0;
    target[offset + 1] = this.s1;
    target[offset + 2] = this.s2;
    target[offset + 3] = this.s3;
  }

  /** Takes back the four state words a kernel advanced (the inverse of `writeState`). */
  readState(source: Uint32Array, offset: number): void {
    this.s0 = source[offset]! | 0;
    this.s1 = source[offset + 1]! | 0;
    this.s2 = source[offset + 2]! | 0;
    this.s3 = source[offset + 3]! | 0;
  }

  /** Versioned copy of the generator state, for checkpoints. */
  saveState(): Uint32Array {
    return Uint32Array.of(RNG_STATE_VERSION, this.s0, this.s1, this.s2, this.s3);
  }

  /** Restores a state made by `saveState`; rejects other layouts. */
  restoreState(state: ArrayLike<number>): void {
    if (state.length !== 5 || state[0] !== RNG_STATE_VERSION) {
      throw new Error(`aimsim: cannot restore random state: expected version ${RNG_STATE_VERSION} with 4 words`);
    }
    this.s0 = state[1]! | 0;
    this.s1 = state[2]! | 0;
    this.s2 = state[3]! | 0;
    this.s3 = state[4]! | 0;
  }
}
