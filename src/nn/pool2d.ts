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
    const outSize = c * oh * ow;
    const y = (this.output = sized(this.output, batch * outSize));
    if (this.argmax.length !== batch * outSize) this.argmax = new Int32Array(batch * outSize);
    for (let b = 0; b < batch; b++) {
      for (let ch = 0; ch < c; ch++) {
        for (let i = 0; i < oh; i++) {
          for (let j = 0; j < ow; j++) {
            let best = -Infinity;
            let at = 0;
            let sum = 0;
            for (let di = 0; di < this.k; di++) {
              for (let dj = 0; dj < this.k; dj++) {
                const index = b * c * h * w + (ch * h + i * this.k + di) * w + j * this.k + dj;
                const v = x[index]!;
                sum += v;
                if (v > best) {
                  best = v;
                  at = index;
                }
              }
            }
            const o = b * outSize + (ch * oh + i) * ow + j;
            y[o] = this.mode === 'max' ? best : sum / (this.k * this.k);
            this.argmax[o] = at;
          }
        }
      }
    }
    return y;
  }

  backward(dy: Float64Array, batch: number): Float64Array {
    const [c, h, w] = this.inputShape as [number, number, number];
    const [, oh, ow] = this.outputShape as [number, number, number];
    const dx = (this.inputGradient = sized(this.inputGradient, batch * c * h * w));
    dx.fill(0);
    const outSize = c * oh * ow;
    for (let b = 0; b < batch; b++) {
      for (let ch = 0; ch < c; ch++) {
        for (let i = 0; i < oh; i++) {
          for (let j = 0; j < ow; j++) {
            const o = b * outSize + (ch * oh + i) * ow + j;
            if (this.mode === 'max') {
              dx[this.argmax[o]!] = dx[this.argmax[o]!]! + dy[o]!;
              continue;
            }
            const share = dy[o]! / (this.k * this.k);
            for (let di = 0; di < this.k; di++) {
              for (let dj = 0; dj < this.k; dj++) {
                const index = b * c * h * w + (ch * h + i * this.k + di) * w + j * this.k + dj;
                dx[index] = dx[index]! + share;
              }
            }
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
