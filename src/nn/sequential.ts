import type { TrainingAlgorithm } from '../algorithms/index.js';
import { UserError } from '../core/errors.js';
import type { Layer, Shape } from './layer.js';

/** Layers in order: forward through all, backward in reverse, then every layer updates. */
export class Sequential implements Layer {
  readonly name = 'sequential';
  readonly layers: readonly Layer[];
  readonly inputShape: Shape;
  readonly outputShape: Shape;

  constructor(layers: readonly Layer[]) {
    if (layers.length === 0) throw new UserError('network.layers', layers.length, 'must have at least one layer');
    for (let i = 1; i < layers.length; i++) {
      const prev = layers[i - 1]!.outputShape.reduce((a, b) => a * b, 1);
      const next = layers[i]!.inputShape.reduce((a, b) => a * b, 1);
      if (prev !== next) throw new UserError(`network.layers[${i}]`, layers[i]!.inputShape, `must take the ${prev} outputs of ${layers[i - 1]!.name}`);
    }
    this.layers = layers;
    this.inputShape = layers[0]!.inputShape;
    this.outputShape = layers[layers.length - 1]!.outputShape;
  }

  forward(x: Float64Array, batch: number): Float64Array {
    return this.layers.reduce((h, layer) => layer.forward(h, batch), x);
  }

  /**
   * Backward through every layer. With `needInputGradient` false (training on data) the layers
   * below the first trainable one are skipped and that layer computes no ∂L/∂x (one MVM fewer
   * per batch, as aihwkit under torch autograd); the result is then an empty array.
   */
  backward(dy: Float64Array, batch: number, needInputGradient = true): Float64Array {
    const first = needInputGradient ? -1 : this.layers.findIndex((layer) => Object.keys(layer.algorithms()).length > 0);
    let g = dy;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      if (i < first) return new Float64Array(0);
      g = this.layers[i]!.backward(g, batch, i !== first);
    }
    return g;
  }

  update(lr: number): void {
    for (const layer of this.layers) layer.update(lr);
  }

  algorithms(): Record<string, TrainingAlgorithm> {
    const all: Record<string, TrainingAlgorithm> = {};
    this.layers.forEach((layer, i) => {
      // Layer names are keys; the index is prepended only where two layers share a name.
      for (const [name, algorithm] of Object.entries(layer.algorithms())) all[name in all ? `${i}:${name}` : name] = algorithm;
    });
    return all;
  }
}
