import { describe, expect, it } from 'vitest';
import { plainProgress } from '../../src/cli/progress.js';

describe('plain progress (no TTY)', () => {
  it('prints a batch line at most every interval, and one line per epoch', () => {
    const lines: string[] = [];
    let clock = 0;
    const sink = plainProgress({ stdout: (l) => lines.push(l), stderr: () => {} }, 10_000, () => clock);
    sink.start(1, 100, 'toy');
    for (let b = 1; b <= 100; b++) {
      clock += 450; // 45 s over the epoch: lines at 10, 20, 30 and 40 s
      sink.batch(1, b, 2 - b / 100);
    }
    sink.epoch({ epoch: 1, trainLoss: 1.5, testAccuracy: 0.5, pulsesByPurpose: { update: 2e6 }, pulsesByTile: { '1:linear/array': 2e6 }, seconds: 45 });
    expect(lines[0]).toBe('aimsim run: 1 epochs × 100 batches on toy');
    expect(lines.filter((l) => /batch \d+\/100/.test(l))).toHaveLength(4);
    expect(lines[1]).toBe('  epoch 1: batch 23/100, loss 1.7700');
    expect(lines.at(-1)).toBe('  epoch 1: train loss 1.5000, test accuracy 50.00 %, 2.00 M pulses, 45.0 s (0.0 M pulses/s)');
  });
});
