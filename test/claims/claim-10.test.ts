/**
 * Claim 10 (papers.md §5; P-MT25 Table 1) on the small stand-in of
 * examples/06-limited-state-fmnist.yaml (docs/reproductions/limited-state-fmnist.md): on 4-state
 * devices, multi-tile residual learning (4 tiles) beats TT-v2, which beats TT-v1, and mixed
 * precision stays ahead (the order of Table 1). CI runs 15 of the page's 60 epochs; after 60 the
 * order holds with a smaller margin of the multi-tile method over TT-v2 (3 points, the page). The LeNet-5 scale is docs/reproductions/limited-state-lenet5.md.
 */
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiment/run.js';
import { loadConfigFile } from '../../src/node/config-file.js';
import { claimSeeds, fraction, median } from './claim-seeds.js';

const seeds = claimSeeds([0, 1, 2, 3, 4]);
const example = loadConfigFile(new URL('../../examples/06-limited-state-fmnist.yaml', import.meta.url).pathname) as Record<string, any>;
const epochs = 15;
// The baselines with P-MT25's settings and lr 0.1 (the example's header).
const methods: Record<string, { algorithm: unknown; lr: number }> = {
  'multi-tile 4': { algorithm: example['algorithm'], lr: 0.2 },
  'TT-v1': { algorithm: { preset: 'ttv1', fastLr: 0.01, transferLr: 0.1, scaleTransferLr: true, transferForward: { isPerfect: true } }, lr: 0.1 },
  'TT-v2': { algorithm: { kind: 'buffered-tiki-taka', fastLr: 0.05, transferLr: 1, scaleTransferLr: true, thresScale: 1, transferForward: { isPerfect: true } }, lr: 0.1 },
  MP: { algorithm: 'mp', lr: 0.1 },
};
const accuracy: Record<string, number[]> = {};
for (const [name, m] of Object.entries(methods)) {
  accuracy[name] = [];
  for (const seed of seeds) {
    const result = await runExperiment({
      ...example, seed, algorithm: m.algorithm,
      training: { ...example['training'], epochs, lr: m.lr },
    });
    accuracy[name]!.push(result.epochs[result.epochs.length - 1]!.testAccuracy);
  }
}
const at = (name: string, i: number) => accuracy[name]![i]!;

describe(`claim 10 on the MLP stand-in, ${epochs} epochs (seeds ${seeds.join(', ')})`, () => {
  it('MP > multi-tile (4 tiles) > TT-v2 > TT-v1, each in at least 4 of 5 seeds', () => {
    const order = ['MP', 'multi-tile 4', 'TT-v2', 'TT-v1'];
    for (let k = 0; k + 1 < order.length; k++) expect(fraction(seeds.length, (i) => at(order[k]!, i) > at(order[k + 1]!, i)), `${order[k]} > ${order[k + 1]}`).toBeGreaterThanOrEqual(0.8);
  });

  it('multi-tile (4 tiles) is ahead of TT-v2 by more than 2 points in the median', () => {
    expect(median(seeds.map((_, i) => at('multi-tile 4', i) - at('TT-v2', i)))).toBeGreaterThan(0.02);
  });
});
