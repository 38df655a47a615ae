import type { TrainingAlgorithm } from '../algorithms/index.js';
import { UserError } from '../core/errors.js';
import { sized } from './buffers.js';
import type { Layer, Shape } from './layer.js';
import { WeightSlot } from './weight-slot.js';
import type { AlgorithmFactory, BiasMode } from './linear.js';
import { OutScaling, type OutScalingMode } from './out-scaling.js';

export interface Conv2dOptions {
  kernel: number;
  stride?: number;
  padding?: number;
  bias?: BiasMode;
  name?: string;
  outScaling?: OutScalingMode;
}

/**
 * 2-D convolution by im2col (aihwkit-model.md §1.2): every output position's input patch (C·k·k
 * values, order c, ki, kj) is one vector of the analog MVM, and one pulsed update in order. The
 * kernel matrix is out-channels × C·k·k (+1 column for an analog bias).
 */
export class Conv2d extends WeightSlot implements Layer {
  readonly name: string;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly bias: Float64Array | null;
  /** Learnable digital output scales per layer or channel (aihwkit learn_out_scaling), or null. */
  readonly outScaling: OutScaling | null;
  private readonly k: number;
  private readonly stride: number;
  private readonly padding: number;
  private readonly biasMode: BiasMode;
  private readonly patchSize: number;
  private readonly positions: number;
  /** For entry p of output position pos: the input offset within a sample, or −1 in the padding. */
  private readonly gatherIndex: Int32Array;
  /** Kept for `update`, and reused from batch to batch (rows × patchSize, rows × outC). */
  private patches: Float64Array = new Float64Array(0);
  private dyPatches: Float64Array = new Float64Array(0);
  /** The error the array sees: dyPatches, or α ⊙ dyPatches with output scales. */
  private arrayDy: Float64Array = new Float64Array(0);
  private output: Float64Array = new Float64Array(0);
  private inputGradient: Float64Array = new Float64Array(0);
  private rowsUsed = 0;

  constructor(inputShape: Shape, outChannels: number, factory: AlgorithmFactory, options: Conv2dOptions) {
    super();
    const [c, h, w] = inputShape as [number, number, number];
    if (inputShape.length !== 3) throw new UserError('conv2d.input', inputShape, 'must be [channels, height, width]');
    this.k = options.kernel;
    this.stride = options.stride ?? 1;
    this.padding = options.padding ?? 0;
    const outH = Math.floor((h + 2 * this.padding - this.k) / this.stride) + 1;
    const outW = Math.floor((w + 2 * this.padding - this.k) / this.stride) + 1;
    if (!(outH >= 1 && outW >= 1)) throw new UserError('conv2d.kernel', this.k, `must fit the ${h}×${w} input (with padding ${this.padding})`);
    this.name = options.name ?? 'conv2d';
    this.inputShape = inputShape;
    this.outputShape = [outChannels, outH, outW];
    this.biasMode = options.bias ?? 'digital';
    this.patchSize = c * this.k * this.k + (this.biasMode === 'analog' ? 1 : 0);
    this.positions = outH * outW;
    this.algorithm = factory(outChannels, this.patchSize, this.name);
    this.bias = this.biasMode === 'digital' ? new Float64Array(outChannels) : null;
    this.outScaling = options.outScaling && options.outScaling !== 'none' ? new OutScaling(options.outScaling, outChannels) : null;
    // im2col's gather pattern is the same for every sample: computed once, not per element and call.
    this.gatherIndex = new Int32Array(this.positions * this.patchSize).fill(-1);
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        const base = (oh * outW + ow) * this.patchSize;
        let p = 0;
        for (let ch = 0; ch < c; ch++) for (let ki = 0; ki < this.k; ki++) for (let kj = 0; kj < this.k; kj++, p++) this.gatherIndex[base + p] = this.inputIndex(ch, ki, kj, oh, ow);
      }
    }
  }

  /** For each patch entry p of output position (oh, ow): the input index, or −1 in the padding. */

  private inputIndex(channel: number, ki: number, kj: number, oh: number, ow: number): number {
    const [, h, w] = this.inputShape as [number, number, number];
    const ih = oh * this.stride - this.padding + ki;
    const iw = ow * this.stride - this.padding + kj;
    return ih < 0 || iw < 0 || ih >= h || iw >= w ? -1 : (channel * h + ih) * w + iw;
  }

  forward(x: Float64Array, batch: number): Float64Array {
    const [outC] = this.outputShape as [number];
    const inSize = this.inputShape.reduce((a, b) => a * b, 1);
    const rows = batch * this.positions;
    const size = rows * this.patchSize;
    const patches = (this.patches = sized(this.patches, size));
    const gather = this.gatherIndex;
    const perSample = this.positions * this.patchSize;
    for (let b = 0; b < batch; b++) {
      const offset = b * inSize;
      const out = b * perSample;
      for (let q = 0; q < perSample; q++) {
        const index = gather[q]!;
        patches[out + q] = index < 0 ? 0 : x[offset + index]!;
      }
    }
    if (this.biasMode === 'analog') for (let r = 0; r < rows; r++) patches[r * this.patchSize + this.patchSize - 1] = 1;
    this.rowsUsed = rows;
    const y = this.weights.forward(patches, rows); // rows × outC
    this.outScaling?.forward(y, rows);
    const positions = this.positions;
    const out = (this.output = sized(this.output, batch * outC * positions));
    const bias = this.bias;
    // Channel-major output (b, o, pos) from the patch-major product (b, pos, o): written in order.
    for (let b = 0; b < batch; b++) {
      for (let o = 0; o < outC; o++) {
        const shift = bias ? bias[o]! : 0;
        const to = (b * outC + o) * positions;
        let from = b * positions * outC + o;
        for (let pos = 0; pos < positions; pos++, from += outC) out[to + pos] = y[from]! + shift;
      }
    }
    return out;
  }

  backward(dy: Float64Array, batch: number, needInputGradient = true): Float64Array {
    const [outC] = this.outputShape as [number];
    const rows = batch * this.positions;
    const dyPatches = (this.dyPatches = sized(this.dyPatches, rows * outC));
    const positions = this.positions;
    for (let b = 0; b < batch; b++) {
      for (let o = 0; o < outC; o++) {
        const from = (b * outC + o) * positions;
        let to = b * positions * outC + o;
        for (let pos = 0; pos < positions; pos++, to += outC) dyPatches[to] = dy[from + pos]!;
      }
    }
    this.arrayDy = this.outScaling ? this.outScaling.backward(dyPatches, rows) : dyPatches;
    if (!needInputGradient) return new Float64Array(0);
    const dPatches = this.weights.backward(this.arrayDy, rows);
    const inSize = this.inputShape.reduce((a, b) => a * b, 1);
    const dx = (this.inputGradient = sized(this.inputGradient, batch * inSize));
    dx.fill(0);
    const gather = this.gatherIndex;
    const perSample = this.positions * this.patchSize;
    for (let b = 0; b < batch; b++) {
      const offset = b * inSize;
      const from = b * perSample;
      for (let q = 0; q < perSample; q++) {
        const index = gather[q]!;
        if (index >= 0) dx[offset + index] = dx[offset + index]! + dPatches[from + q]!;
      }
    }
    return dx;
  }

  update(lr: number): void {
    this.weights.update(this.patches, this.arrayDy, this.rowsUsed, lr);
    this.outScaling?.update(lr);
    if (this.bias) {
      const outC = this.outputShape[0]!;
      for (let r = 0; r < this.rowsUsed; r++) for (let o = 0; o < outC; o++) this.bias[o] = this.bias[o]! - lr * this.dyPatches[r * outC + o]!;
    }
  }

  algorithms(): Record<string, TrainingAlgorithm> {
    return { [this.name]: this.weights };
  }
}
