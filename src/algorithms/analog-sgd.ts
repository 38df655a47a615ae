import { z } from 'zod';
import { AnalogTile } from '../tile/index.js';
import { buildReport, postUpdateStep, type AlgorithmReport, type AlgorithmSetup, type TrainingAlgorithm } from './types.js';

export const analogSgdSchema = z.object({ kind: z.literal('analog-sgd') }).strict();
export type AnalogSgdConfig = z.output<typeof analogSgdSchema>;

/**
 * Analog SGD (papers.md §2.2; aihwkit SingleRPUConfig): the gradient is applied to one tile by
 * stochastic pulse trains, sample by sample: W ← AU(W, −lr·d·xᵀ).
 */
export class AnalogSgd implements TrainingAlgorithm {
  readonly kind = 'analog-sgd';
  readonly rows: number;
  readonly cols: number;
  readonly array: AnalogTile;

  constructor(setup: AlgorithmSetup) {
    this.rows = setup.rows;
    this.cols = setup.cols;
    this.array = new AnalogTile({ ...tileOptions(setup), name: `${setup.name ?? 'layer'}/array` });
  }

  weights(): Float64Array {
    return this.array.weights();
  }

  forward(x: ArrayLike<number>, batch: number): Float64Array {
    return this.array.forward(x, batch);
  }

  backward(d: ArrayLike<number>, batch: number): Float64Array {
    return this.array.backward(d, batch);
  }

  update(x: ArrayLike<number>, d: ArrayLike<number>, batch: number, lr: number): void {
    this.array.update(x, d, batch, lr);
    postUpdateStep(this.array);
  }

  setWeights(weights: ArrayLike<number>): void {
    this.array.setWeights(weights);
  }

  tiles(): Record<string, AnalogTile> {
    return { array: this.array };
  }

  report(): AlgorithmReport {
    return buildReport(this.kind, this.tiles(), 0);
  }
}

/** The tile options shared by the algorithms' arrays. */
export function tileOptions(setup: AlgorithmSetup, device = setup.device) {
  return {
    rows: setup.rows,
    cols: setup.cols,
    device,
    seed: setup.seed,
    ...(setup.forward ? { forward: setup.forward } : {}),
    ...(setup.backward ? { backward: setup.backward } : {}),
    ...(setup.update ? { update: setup.update } : {}),
    ...(setup.reference ? { reference: setup.reference } : {}),
  };
}
