/**
 * Claim 2 (papers.md §5; P-TT24 Fig. 4 left and middle), in the authors' set-up
 * (examples/13-asgd-floor-tau-sigma.json, docs/reproductions/asgd-floor-tau-sigma.md): Analog
 * SGD's error floor grows with the gradient-noise variance σ² and shrinks as the dynamic range τ
 * grows. CI runs three values of each and 200 of the page's 400 steps (the floor is reached by then).
 */
import { describe, expect, it } from 'vitest';
import { claimSeeds, fraction, median, ratios, row, runExampleStudy } from './claim-seeds.js';

const seeds = claimSeeds([0, 1, 2, 3, 4]);
const sigmas = ['σ² = 0.001', 'σ² = 0.01', 'σ² = 0.1'];
const taus = ['τ = 2', 'τ = 5', 'τ = 20'];
const result = runExampleStudy('13-asgd-floor-tau-sigma.json', (r) => sigmas.includes(r.name) || taus.includes(r.name), seeds, { steps: 200 });
const floors = (names: string[], condition: string) => names.map((name) => row(result, name, condition).tailExcessLoss.perSeed);

describe(`claim 2: the floor grows with σ² and vanishes as τ grows (seeds ${seeds.join(', ')})`, () => {
  it('each 10× step of σ² raises the floor, in at least 4 of 5 seeds, and by > 1.5× in the median (the page: 2–3×)', () => {
    const f = floors(sigmas, 'noise σ² (τ = 2)');
    for (let k = 0; k + 1 < f.length; k++) {
      expect(fraction(seeds.length, (i) => f[k + 1]![i]! > f[k]![i]!)).toBeGreaterThanOrEqual(0.8);
      expect(median(ratios(f[k + 1]!, f[k]!))).toBeGreaterThan(1.5);
    }
  });

  it('each step of τ (2 → 5 → 20) lowers the floor, in at least 4 of 5 seeds, by > 10× from 2 to 20 in the median (the page: ≈ 25×)', () => {
    const f = floors(taus, 'dynamic range τ (σ² = 0.01)');
    for (let k = 0; k + 1 < f.length; k++) expect(fraction(seeds.length, (i) => f[k + 1]![i]! < f[k]![i]!)).toBeGreaterThanOrEqual(0.8);
    expect(median(ratios(f[0]!, f[2]!))).toBeGreaterThan(10);
  });
});
