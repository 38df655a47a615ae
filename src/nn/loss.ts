/** Losses: the mean over the batch, and its gradient with respect to the network output. */
import { exp, log } from '../core/math.js';
export interface LossResult {
  loss: number;
  grad: Float64Array;
}

/** Softmax + cross-entropy over `classes` logits per sample; labels are class indices. */
export function softmaxCrossEntropy(logits: Float64Array, labels: ArrayLike<number>, batch: number, classes: number): LossResult {
  const grad = new Float64Array(batch * classes);
  let loss = 0;
  for (let b = 0; b < batch; b++) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[b * classes + c]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += exp(logits[b * classes + c]! - max);
    const label = labels[b]!;
    loss += -(logits[b * classes + label]! - max - log(sum));
    for (let c = 0; c < classes; c++) {
      const p = exp(logits[b * classes + c]! - max) / sum;
      grad[b * classes + c] = (p - (c === label ? 1 : 0)) / batch;
    }
  }
  return { loss: loss / batch, grad };
}

/** Mean squared error ½Σ(y − t)² averaged over the batch. */
export function meanSquaredError(output: Float64Array, target: ArrayLike<number>, batch: number): LossResult {
  const grad = new Float64Array(output.length);
  let loss = 0;
  for (let k = 0; k < output.length; k++) {
    const e = output[k]! - target[k]!;
    loss += 0.5 * e * e;
    grad[k] = e / batch;
  }
  return { loss: loss / batch, grad };
}

/** Fraction of samples whose largest logit is the label. */
export function accuracy(logits: Float64Array, labels: ArrayLike<number>, batch: number, classes: number): number {
  let correct = 0;
  for (let b = 0; b < batch; b++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[b * classes + c]! > logits[b * classes + best]!) best = c;
    if (best === labels[b]) correct++;
  }
  return correct / batch;
}
