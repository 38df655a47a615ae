import type { TrainingAlgorithm } from '../algorithms/index.js';
import { UserError } from '../core/errors.js';
import type { Layer, Shape } from './layer.js';
import { sized } from './buffers.js';

/** Max or average pooling over k × k windows with stride k (digital, as in aihwkit networks). */
export class Pool2d implements Layer {
  readonly name: string;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  private readonly mode: 'max' | 'avg';
  private readonly k: number;
  private argmax = new Int32Array(0);
  private output: Float64Array = new Float64Array(0);
  private inputGradient: Float64Array = new Float64Array(0);

  constructor(mode: 'max' | 'avg', inputShape: Shape, kernel: number) {
    if (inputShape.length !== 3) throw new UserError('pool2d.input', inputShape, 'must be [channels, height, width]');
    const [c, h, w] = inputShape as [number, number, number];
    if (!(kernel >= 1 && kernel <= h && kernel <= w)) throw new UserError('pool2d.kernel', kernel, `must be in [1, ${Math.min(h, w)}]`);
    this.mode = mode;
    this.name = `${mode}pool`;
    this.k = kernel;
    this.inputShape = inputShape;
    this.outputShape = [c, Math.floor(h / kernel), Math.floor(w / kernel)];
  }

  forward(x: Float64Array, batch: number): Float64Array {
    const [c, h, w] = this.inputShape as [number, number, number];
    const [, oh, ow] = this.outputShape as [number, number, number];
    const k = this.k;
    const planes = batch * c;
    const y = (this.output = sized(this.output, planes * oh * ow));
    if (this.argmax.length !== y.length) this.argmax = new Int32Array(y.length);
    const argmax = this.argmax;
    const max = this.mode === 'max';
    const area = k * k;
    // Planes (sample, channel) one after another: plane p's input starts at p·h·w, its output at
    // p·oh·ow. Each window in row-major order: the first largest value wins, the sum in that order.
    for (let p = 0; p < planes; p++) {
      const inPlane = p * h * w;
      let o = p * oh * ow;
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++, o++) {
          let best = -Infinity;
          let at = 0;
          let sum = 0;
          for (let di = 0; di < k; di++) {
            let index = inPlane + (i * k + di) * w + j * k;
            for (let dj = 0; dj < k; dj++, index++) {
              const v = x[index]!;
              sum += v;
              if (v > best) {
                best = v;
                at = index;
              }
            }
          }
          y[o] = max ? best : sum / area;
          argmax[o] = at;
        }
      }
    }
    return y;
  }

  backward(dy: Float64Array, batch: number): Float64Array {
    const [c, h, w] = this.inputShape as [number, number, number];
    const [, oh, ow] = this.outputShape as [number, number, number];
    const k = this.k;
    const planes = batch * c;
    const dx = (this.inputGradient = sized(this.inputGradient, planes * h * w));
    dx.fill(0);
    const argmax = this.argmax;
    if (this.mode === 'max') {
      for (let o = 0; o < planes * oh * ow; o++) dx[argmax[o]!] = dx[argmax[o]!]! + dy[o]!;
      return dx;
    }
    const area = k * k;
    for (let p = 0; p < planes; p++) {
      const inPlane = p * h * w;
      let o = p * oh * ow;
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++, o++) {
          const share = dy[o]! / area;
          for (let di = 0; di < k; di++) {
            let index = inPlane + (i * k + di) * w + j * k;
            for (let dj = 0; dj < k; dj++, index++) dx[index] = dx[index]! + share;
          }
        }
      }
    }
    return dx;
  }

  update(): void {}

  algorithms(): Record<string, TrainingAlgorithm> {
    return {};
  }
}
