import type { TrainingAlgorithm } from '../algorithms/index.js';
import { checkTileShape } from '../core/limits.js';
import type { Layer, Shape } from './layer.js';
import { WeightSlot } from './weight-slot.js';
import { OutScaling, type OutScalingMode } from './out-scaling.js';

export type BiasMode = 'none' | 'digital' | 'analog';

/** Builds the algorithm of a weight matrix of `rows` outputs × `cols` inputs. */
export type AlgorithmFactory = (rows: number, cols: number, name: string) => TrainingAlgorithm;

/**
 * Fully connected layer y = W·x + b. W lives on a training algorithm (analog tiles, or exact for
 * digital SGD); an analog bias is an extra input column fixed at 1 (aihwkit's analog bias), a
 * digital bias is an exact vector.
 */
export class Linear extends WeightSlot implements Layer {
  readonly name: string;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly bias: Float64Array | null;
  /** Learnable digital output scales (aihwkit learn_out_scaling), or null. */
  readonly outScaling: OutScaling | null;
  private readonly bias_: BiasMode;
  private readonly inputs: number;
  private readonly outputs: number;
  private x: Float64Array = new Float64Array(0);
  private dy: Float64Array = new Float64Array(0);
  /** The error the array sees: dy, or α ⊙ dy with output scales. */
  private arrayDy: Float64Array = new Float64Array(0);
  private batch = 0;

  constructor(inputs: number, outputs: number, factory: AlgorithmFactory, options: { bias?: BiasMode; name?: string; outScaling?: OutScalingMode } = {}) {
    super();
    checkTileShape('linear', outputs, inputs);
    this.name = options.name ?? 'linear';
    this.inputs = inputs;
    this.outputs = outputs;
    this.bias_ = options.bias ?? 'digital';
    this.inputShape = [inputs];
    this.outputShape = [outputs];
    this.algorithm = factory(outputs, inputs + (this.bias_ === 'analog' ? 1 : 0), this.name);
    this.bias = this.bias_ === 'digital' ? new Float64Array(outputs) : null;
    this.outScaling = options.outScaling && options.outScaling !== 'none' ? new OutScaling(options.outScaling, outputs) : null;
  }

  /** The input as the array sees it (with the constant 1 of an analog bias). */
  private arrayInput(x: Float64Array, batch: number): Float64Array {
    if (this.bias_ !== 'analog') return x;
    const cols = this.inputs + 1;
    const out = new Float64Array(batch * cols);
    for (let b = 0; b < batch; b++) {
      out.set(x.subarray(b * this.inputs, (b + 1) * this.inputs), b * cols);
      out[b * cols + this.inputs] = 1;
    }
    return out;
  }

  forward(x: Float64Array, batch: number): Float64Array {
    this.x = this.arrayInput(x, batch);
    this.batch = batch;
    const y = this.weights.forward(this.x, batch);
    this.outScaling?.forward(y, batch);
    if (this.bias) for (let b = 0; b < batch; b++) for (let i = 0; i < this.outputs; i++) y[b * this.outputs + i] = y[b * this.outputs + i]! + this.bias[i]!;
    return y;
  }

  backward(dy: Float64Array, batch: number, needInputGradient = true): Float64Array {
    this.dy = dy;
    this.arrayDy = this.outScaling ? this.outScaling.backward(dy, batch) : dy;
    if (!needInputGradient) return new Float64Array(0);
    const dx = this.weights.backward(this.arrayDy, batch);
    if (this.bias_ !== 'analog') return dx;
    const cols = this.inputs + 1;
    const out = new Float64Array(batch * this.inputs);
    for (let b = 0; b < batch; b++) out.set(dx.subarray(b * cols, b * cols + this.inputs), b * this.inputs);
    return out;
  }

  update(lr: number): void {
    this.weights.update(this.x, this.arrayDy, this.batch, lr);
    if (this.bias) {
      for (let b = 0; b < this.batch; b++) for (let i = 0; i < this.outputs; i++) this.bias[i] = this.bias[i]! - lr * this.dy[b * this.outputs + i]!;
    }
    this.outScaling?.update(lr);
  }

  algorithms(): Record<string, TrainingAlgorithm> {
    return { [this.name]: this.weights };
  }
}
