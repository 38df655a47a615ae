import type { Rng } from '../rng/index.js';

/**
 * Mini-batches of sample indices for one epoch: a Fisher–Yates shuffle from a keyed stream (or
 * in order), cut into batches; the last batch may be smaller.
 */
export function epochBatches(count: number, batchSize: number, rng: Rng | null): Int32Array[] {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  if (rng) {
    for (let i = count - 1; i > 0; i--) {
      const j = Math.min(Math.floor(rng.uniform() * (i + 1)), i);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
  }
  const batches: Int32Array[] = [];
  for (let start = 0; start < count; start += batchSize) batches.push(order.subarray(start, Math.min(start + batchSize, count)));
  return batches;
}
