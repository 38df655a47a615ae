import { z } from 'zod';
import { SingleArrayAlgorithm } from './single-array.js';
import { postUpdateStep } from './types.js';

export const analogSgdSchema = z.object({ kind: z.literal('analog-sgd') }).strict();
export type AnalogSgdConfig = z.output<typeof analogSgdSchema>;

/**
 * Analog SGD (papers.md §2.2; aihwkit SingleRPUConfig): the gradient is applied to one tile by
 * stochastic pulse trains, sample by sample: W ← AU(W, −lr·d·xᵀ).
 */
export class AnalogSgd extends SingleArrayAlgorithm {
  readonly kind = 'analog-sgd';

  update(x: ArrayLike<number>, d: ArrayLike<number>, batch: number, lr: number): void {
    this.array.update(x, d, batch, lr);
    postUpdateStep(this.array);
  }
}
