/** Issue 4: each algorithm lowers the least-squares loss on an ideal device. */
import { describe, expect, it } from 'vitest';
import { runLeastSquares } from '../../src/experiment/least-squares.js';

// The transfer family needs γ > 0 on a symmetric device: A never decays there, and γ·A in the
// forward pass is the damping of the A–C oscillator (papers.md §2.4, residual learning).
const cases: [string, unknown][] = [
  ['digital SGD', { kind: 'digital-sgd' }],
  ['analog SGD', 'sgd'],
  ['Tiki-Taka v1', { preset: 'ttv1', gamma: 0.4, fastLr: 0.05 }],
  ['Tiki-Taka v2', { kind: 'buffered-tiki-taka', gamma: 0.4, fastLr: 0.05 }],
  ['chopped TTv2', { kind: 'chopped-tiki-taka', gamma: 0.4, fastLr: 0.05 }],
  ['AGAD', { kind: 'agad', fastLr: 0.05 }],
  ['mixed precision', 'mp'],
];

describe('every algorithm lowers the least-squares loss on an ideal device', () => {
  for (const [name, algorithm] of cases) {
    it(name, () => {
      const r = runLeastSquares({ device: { preset: 'ideal', dwMin: 0.01 }, algorithm, steps: 3000, lr: 0.05, task: { inputs: 10, outputs: 5 } });
      // Initial distance ≈ 0.3·√50 ≈ 2; the IO noise alone leaves ≈ 0.15.
      expect(r.loss[r.loss.length - 1]!).toBeLessThan(0.1 * r.loss[0]!);
      expect(r.tailDistance).toBeLessThan(0.3 * r.distance[0]!);
    });
  }
});

describe('the scalar toy task (x ≡ 1)', () => {
  it('feeds x = 1 and y = b, so digital SGD converges to b', () => {
    const r = runLeastSquares({ algorithm: { kind: 'digital-sgd' }, device: 'ideal', task: { inputs: 1, outputs: 1, noise: 0, inputDistribution: 'ones' }, steps: 200, lr: 0.1 });
    expect(r.finalDistance).toBeLessThan(1e-6);
    expect(r.distance[0]!).toBeGreaterThan(0.01);
  });
});
