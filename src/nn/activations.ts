import type { TrainingAlgorithm } from '../algorithms/index.js';
import type { Layer, Shape } from './layer.js';
import { exp, tanh } from '../core/math.js';
import { sized } from './buffers.js';
import { activationWasm, kernelBackend } from '../kernels/index.js';

type Kind = 'relu' | 'sigmoid' | 'tanh';

/** Arrays from this length are computed in Wasm (below it the copy costs more than it saves). */
const WASM_MIN_ELEMENTS = 256;

/** Element-wise activation; the derivative is taken from the cached output (or input for ReLU). */
export class Activation implements Layer {
  readonly name: string;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  private readonly kind: Kind;
  private output: Float64Array = new Float64Array(0);
  private inputGradient: Float64Array = new Float64Array(0);

  constructor(kind: Kind, shape: Shape) {
    this.kind = kind;
    this.name = kind;
    this.inputShape = shape;
    this.outputShape = shape;
  }

  forward(x: Float64Array): Float64Array {
    const y = sized(this.output, x.length);
    this.output = y;
    // Large arrays in Wasm: the same fdlibm functions and arithmetic, faster.
    if (x.length >= WASM_MIN_ELEMENTS && kernelBackend() === 'wasm' && activationWasm(this.kind, x, y)) return y;
    for (let k = 0; k < x.length; k++) {
      const v = x[k]!;
      y[k] = this.kind === 'relu' ? (v > 0 ? v : 0) : this.kind === 'sigmoid' ? 1 / (1 + exp(-v)) : tanh(v);
    }
    return y;
  }

  backward(dy: Float64Array): Float64Array {
    const y = this.output;
    const dx = (this.inputGradient = sized(this.inputGradient, dy.length));
    const n = dy.length;
    // One loop per kind (a branch per element cost more than the product).
    if (this.kind === 'relu') for (let k = 0; k < n; k++) dx[k] = dy[k]! * (y[k]! > 0 ? 1 : 0);
    else if (this.kind === 'sigmoid') for (let k = 0; k < n; k++) dx[k] = dy[k]! * (y[k]! * (1 - y[k]!));
    else for (let k = 0; k < n; k++) dx[k] = dy[k]! * (1 - y[k]! * y[k]!);
    return dx;
  }

  update(): void {}

  algorithms(): Record<string, TrainingAlgorithm> {
    return {};
  }
}

/** Flatten [C, H, W] to [C·H·W]: the memory layout is already flat, so only the shape changes. */
export class Flatten implements Layer {
  readonly name = 'flatten';
  readonly inputShape: Shape;
  readonly outputShape: Shape;

  constructor(shape: Shape) {
    this.inputShape = shape;
    this.outputShape = [shape.reduce((a, b) => a * b, 1)];
  }

  forward(x: Float64Array): Float64Array {
    return x;
  }

  backward(dy: Float64Array): Float64Array {
    return dy;
  }

  update(): void {}

  algorithms(): Record<string, TrainingAlgorithm> {
    return {};
  }
}
