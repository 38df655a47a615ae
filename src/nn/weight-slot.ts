import type { TrainingAlgorithm } from '../algorithms/index.js';

/**
 * What a weight layer (linear, conv) holds its matrix through: the training algorithm, which the
 * inference read-out may swap for programmed tiles and back (docs/inference.md).
 */
export abstract class WeightSlot {
  abstract readonly name: string;
  protected algorithm!: TrainingAlgorithm;

  /** The weights' training algorithm (analog tiles, or exact for digital SGD). */
  get weights(): TrainingAlgorithm {
    return this.algorithm;
  }

  /** Reads through another algorithm of the same shape until swapped back; returns the one it replaces. */
  swapWeights(algorithm: TrainingAlgorithm): TrainingAlgorithm {
    if (algorithm.rows !== this.algorithm.rows || algorithm.cols !== this.algorithm.cols) throw new Error(`aimsim internal error: ${this.name} swaps ${this.algorithm.rows}×${this.algorithm.cols} weights for ${algorithm.rows}×${algorithm.cols}`);
    const previous = this.algorithm;
    this.algorithm = algorithm;
    return previous;
  }
}
