import { z } from 'zod';
import { LIMITS, boundedInt } from '../core/limits.js';
import { num } from '../devices/fields.js';
import { Rng } from '../rng/index.js';

/** The synthetic least-squares task (papers.md §5 testbed; issue 4). */
export const leastSquaresSchema = z
  .object({
    inputs: boundedInt(LIMITS.dimension, 'input size n (columns of W)').default(20),
    outputs: boundedInt(LIMITS.dimension, 'output size m (rows of W)').default(10),
    optimumScale: num(0.3, 'W_opt entries are optimumScale·N(0, 1)', { min: 0 }),
    optimumOffset: num(0, 'constant added to every entry of W_opt (moves the optimum away from 0)'),
    noise: num(0.01, 'standard deviation of the label noise: y = W_opt·x + noise·ξ', { min: 0 }),
    inputDistribution: z.enum(['normal', 'ones']).default('normal').describe('x ~ N(0, I), or x ≡ 1 (the scalar toy (w − b)² of papers.md §5 claim 9)'),
    seed: z.number().int().min(0).default(0).describe('seed of W_opt and of the data stream'),
  })
  .strict();
export type LeastSquaresConfig = z.output<typeof leastSquaresSchema>;

/**
 * min_W E‖W·x − y‖²/2 with x ~ N(0, I) and y = W_opt·x + σξ: the optimum is W_opt, and the
 * expected loss is exactly ½‖W − W_opt‖²_F + ½·m·σ², so both metrics are computed without
 * sampling error. Samples come from an infinite seeded stream.
 */
export class LeastSquaresTask {
  readonly config: LeastSquaresConfig;
  readonly optimum: Float64Array;
  private readonly data: Rng;

  constructor(config: LeastSquaresConfig) {
    this.config = config;
    const rng = Rng.stream(config.seed, 'least-squares', 'optimum');
    this.optimum = Float64Array.from({ length: config.outputs * config.inputs }, () => config.optimumOffset + config.optimumScale * rng.normal());
    this.data = Rng.stream(config.seed, 'least-squares', 'data');
  }

  /** A mini-batch: x (batch × inputs) and the labels y (batch × outputs). */
  batch(size: number): { x: Float64Array; y: Float64Array } {
    const { inputs, outputs, noise } = this.config;
    const x = Float64Array.from({ length: size * inputs }, () => (this.config.inputDistribution === 'ones' ? 1 : this.data.normal()));
    const y = new Float64Array(size * outputs);
    for (let b = 0; b < size; b++) {
      for (let i = 0; i < outputs; i++) {
        let s = 0;
        for (let j = 0; j < inputs; j++) s += this.optimum[i * inputs + j]! * x[b * inputs + j]!;
        y[b * outputs + i] = s + (noise > 0 ? noise * this.data.normal() : 0);
      }
    }
    return { x, y };
  }

  /** ‖W − W_opt‖_F (for x ≡ 1 the loss below is exact only for one input, as in the toy). */
  distance(weights: ArrayLike<number>): number {
    let s = 0;
    for (let k = 0; k < this.optimum.length; k++) s += (weights[k]! - this.optimum[k]!) ** 2;
    return Math.sqrt(s);
  }

  /** Expected loss E‖W·x − y‖²/2 = ½‖W − W_opt‖²_F + ½·m·σ². */
  loss(weights: ArrayLike<number>): number {
    return 0.5 * this.distance(weights) ** 2 + 0.5 * this.config.outputs * this.config.noise ** 2;
  }
}
