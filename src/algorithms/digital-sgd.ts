import { z } from 'zod';
import { UserError } from '../core/errors.js';
import { multiply } from '../tile/io.js';
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

  constructor(setup: AlgorithmSetup) {
    this.rows = setup.rows;
    this.cols = setup.cols;
    this.w = new Float64Array(setup.rows * setup.cols);
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
    const inSize = transposed ? this.rows : this.cols;
    const outSize = transposed ? this.cols : this.rows;
    const out = new Float64Array(batch * outSize);
    const v = new Float64Array(inSize);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < inSize; j++) v[j] = input[b * inSize + j]!;
      multiply(this.w, this.rows, this.cols, transposed, v, out.subarray(b * outSize, (b + 1) * outSize));
    }
    return out;
  }

  update(x: ArrayLike<number>, d: ArrayLike<number>, batch: number, lr: number): void {
    const { rows, cols, w } = this;
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < rows; i++) {
        const scale = lr * d[b * rows + i]!;
        if (scale === 0) continue;
        for (let j = 0; j < cols; j++) w[i * cols + j] = w[i * cols + j]! - scale * x[b * cols + j]!;
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
