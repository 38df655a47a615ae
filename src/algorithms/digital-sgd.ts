import { z } from 'zod';
import { UserError } from '../core/errors.js';
import { checkTileShape } from '../core/limits.js';
import { arenaFor, gainsFromWasm, kernelBackend, type WasmArena } from '../kernels/index.js';
import { multiplyBatch } from '../tile/io.js';
import type { AnalogTile } from '../tile/index.js';
import { buildReport, type AlgorithmReport, type AlgorithmSetup, type AlgorithmState, type TrainingAlgorithm } from './types.js';

export const digitalSgdSchema = z.object({ kind: z.literal('digital-sgd') }).strict();
export type DigitalSgdConfig = z.output<typeof digitalSgdSchema>;

/** Digital SGD (papers.md §2.1): exact floating-point weights and MVMs, the baseline. */
export class DigitalSgd implements TrainingAlgorithm {
  readonly kind = 'digital-sgd';
  readonly rows: number;
  readonly cols: number;
  private readonly w: Float64Array;
  /** Where W lives when the wasm kernels serve this layer (src/kernels/); null: a plain array. */
  private readonly arena: WasmArena | null;

  constructor(setup: AlgorithmSetup) {
    checkTileShape('layer', setup.rows, setup.cols);
    this.rows = setup.rows;
    this.cols = setup.cols;
    this.arena = arenaFor(setup.rows, setup.cols, 1, true);
    this.w = this.arena ? this.arena.f64(setup.rows * setup.cols) : new Float64Array(setup.rows * setup.cols);
  }

  weights(): Float64Array {
    return this.w;
  }

  forward(x: ArrayLike<number>, batch: number): Float64Array {
    return this.mvm(x, batch, false);
  }

  backward(d: ArrayLike<number>, batch: number): Float64Array {
    return this.mvm(d, batch, true);
  }

  private mvm(input: ArrayLike<number>, batch: number, transposed: boolean): Float64Array {
    const outSize = transposed ? this.cols : this.rows;
    const out = new Float64Array(batch * outSize);
    multiplyBatch(this.w, this.rows, this.cols, transposed, input instanceof Float64Array ? input : Float64Array.from(input), out, batch);
    return out;
  }

  update(x: ArrayLike<number>, d: ArrayLike<number>, batch: number, lr: number): void {
    const { rows, cols, w } = this;
    const xs = x instanceof Float64Array ? x : Float64Array.from(x);
    if (this.arena && kernelBackend() === 'wasm' && gainsFromWasm(rows, cols, batch)) {
      this.arena.rankUpdate(w, rows, cols, xs, d instanceof Float64Array ? d : Float64Array.from(d), batch, lr);
      return;
    }
    // Row by row, with the samples in order within each element (w − s₀x₀ − s₁x₁ − …): the same
    // result as sample by sample, but each weight is loaded and stored once per four samples.
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      let b = 0;
      for (; b + 4 <= batch; b += 4) {
        const s0 = lr * d[b * rows + i]!;
        const s1 = lr * d[(b + 1) * rows + i]!;
        const s2 = lr * d[(b + 2) * rows + i]!;
        const s3 = lr * d[(b + 3) * rows + i]!;
        const x0 = b * cols;
        const x1 = x0 + cols;
        const x2 = x1 + cols;
        const x3 = x2 + cols;
        for (let j = 0; j < cols; j++) {
          let v = w[base + j]!;
          if (s0 !== 0) v -= s0 * xs[x0 + j]!;
          if (s1 !== 0) v -= s1 * xs[x1 + j]!;
          if (s2 !== 0) v -= s2 * xs[x2 + j]!;
          if (s3 !== 0) v -= s3 * xs[x3 + j]!;
          w[base + j] = v;
        }
      }
      for (; b < batch; b++) {
        const scale = lr * d[b * rows + i]!;
        if (scale === 0) continue;
        const xb = b * cols;
        for (let j = 0; j < cols; j++) w[base + j] = w[base + j]! - scale * xs[xb + j]!;
      }
    }
  }

  setWeights(weights: ArrayLike<number>): void {
    if (weights.length !== this.w.length) throw new UserError('weights', weights.length, `must have ${this.w.length} entries`);
    for (let k = 0; k < this.w.length; k++) this.w[k] = weights[k]!;
  }

  tiles(): Record<string, AnalogTile> {
    return {};
  }

  report(): AlgorithmReport {
    return buildReport(this.kind, {}, 0);
  }

  saveState(): AlgorithmState {
    return { weights: Float64Array.from(this.w) };
  }

  restoreState(state: AlgorithmState): void {
    this.w.set(state['weights'] as Float64Array);
  }
}
