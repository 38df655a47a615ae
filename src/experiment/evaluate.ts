import { epochBatches } from '../data/batches.js';
import { gather, type Split } from '../data/dataset.js';
import { accuracy, softmaxCrossEntropy, type Sequential } from '../nn/index.js';

/** Test accuracy and mean cross-entropy over a split, in batches of 100. */
export function evaluate(network: Sequential, split: Split, size: number, classes: number): { accuracy: number; loss: number } {
  let correct = 0;
  let lossSum = 0;
  for (const indices of epochBatches(split.count, 100, null)) {
    const { x, labels } = gather(split, size, indices);
    const logits = network.forward(x, indices.length);
    correct += accuracy(logits, labels, indices.length, classes) * indices.length;
    lossSum += softmaxCrossEntropy(logits, labels, indices.length, classes).loss * indices.length;
  }
  return { accuracy: correct / split.count, loss: lossSum / split.count };
}
