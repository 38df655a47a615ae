import type { TrainingAlgorithm } from '../algorithms/index.js';

/** Shape of one sample: [features] for vectors, [channels, height, width] for images. */
export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * A network layer. `forward` caches what `backward` needs; `backward` takes ∂L/∂y of the
 * batch and returns ∂L/∂x, keeping what `update` needs; `update(lr)` applies the step (pulsed for
 * an analog layer). Tensors are row-major Float64Arrays of `batch` samples.
 */
export interface Layer {
  readonly name: string;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  forward(x: Float64Array, batch: number): Float64Array;
  /**
   * With `needInputGradient` false (the first trainable layer, whose input is data) a layer may
   * skip the product for ∂L/∂x and return an empty array, as torch does for inputs that need no
   * gradient; it still keeps what `update` needs.
   */
  backward(dy: Float64Array, batch: number, needInputGradient?: boolean): Float64Array;
  update(lr: number): void;
  /** The training algorithms (analog or digital) of the layer, for counters and reports. */
  algorithms(): Record<string, TrainingAlgorithm>;
}
