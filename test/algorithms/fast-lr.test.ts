/**
 * Issue 15: `fastLr` is absolute by default, as in every aihwkit release up to 1.1 and in the seed
 * papers' code (aihwkit-model.md §5.4): a learning-rate schedule changes the transfer lr (β = transferLr·lr)
 * but not the lr of the gradient pulses onto the fast array.
 */
import { describe, expect, it } from 'vitest';
import { createAlgorithm, parseAlgorithmConfig } from '../../src/algorithms/index.js';
import { resolveDevice } from '../../src/devices/index.js';
import { Rng } from '../../src/rng/index.js';

const device = resolveDevice('soft-bounds', { dwMin: 0.01, dwMinStd: 0.1 });

/** Trains two copies with the same data at lr 0.1 and 0.02; returns their fast and slow arrays. */
function twoSchedules(algorithm: unknown) {
  const runs = [0.1, 0.02].map((lr) => {
    const { config, update } = parseAlgorithmConfig(algorithm);
    const layer = createAlgorithm({ rows: 4, cols: 5, device, seed: 3, ...(update ? { update } : {}) }, config);
    const data = Rng.stream(9, 'fast-lr-test');
    for (let step = 0; step < 60; step++) {
      const x = Float64Array.from({ length: 2 * 5 }, () => data.normal());
      const d = Float64Array.from({ length: 2 * 4 }, () => data.normal());
      layer.update(x, d, 2, lr);
    }
    const tiles = layer.tiles();
    const fastName = tiles['fast'] ? 'fast' : 'tile-0';
    const slowName = Object.keys(tiles).find((k) => k !== fastName)!;
    return { fast: Float64Array.from(tiles[fastName]!.conductance), slow: Float64Array.from(tiles[slowName]!.conductance), transfer: layer.report().pulsesByPurpose['transfer'] ?? 0 };
  });
  return { a: runs[0]!, b: runs[1]! };
}

describe('fastLr is absolute by default (aihwkit ≤ 1.1, the seed papers)', () => {
  for (const algorithm of [
    { kind: 'tiki-taka', fastLr: 0.05, transferEvery: 1, unitsInMbatch: false },
    { kind: 'buffered-tiki-taka', fastLr: 0.05, transferEvery: 1, unitsInMbatch: false },
    { kind: 'residual-learning-v2', fastLr: 0.05, transferEvery: 1, unitsInMbatch: false, transferLr: 0.5, scaleTransferLr: true },
    { kind: 'multi-tile-residual', tiles: 3, fastLr: 0.05, transferEvery: 1, transferLr: 0.5, scaleTransferLr: true },
    { kind: 'chopped-tiki-taka', fastLr: 0.05, inChopProb: 0 },
  ]) {
    it(`${algorithm.kind}: a 5× smaller lr gives the same fast array, and different transfers`, () => {
      const { a, b } = twoSchedules(algorithm);
      expect(Array.from(b.fast)).toEqual(Array.from(a.fast));
      expect(a.transfer).toBeGreaterThan(0);
      expect(Array.from(b.slow)).not.toEqual(Array.from(a.slow));
    });
  }

  it('scaleFastLr: true (aihwkit master’s scale_fast_lr) makes the fast lr follow the schedule', () => {
    const { a, b } = twoSchedules({ kind: 'tiki-taka', fastLr: 0.5, scaleFastLr: true, transferEvery: 1, unitsInMbatch: false });
    expect(Array.from(b.fast)).not.toEqual(Array.from(a.fast));
  });

  it('the default is off for every compound that has the field', () => {
    for (const kind of ['tiki-taka', 'buffered-tiki-taka', 'residual-learning-v2', 'multi-tile-residual', 'chopped-tiki-taka', 'agad', 'rider']) {
      expect((parseAlgorithmConfig({ kind }).config as { scaleFastLr: boolean }).scaleFastLr, kind).toBe(false);
    }
  });
});
