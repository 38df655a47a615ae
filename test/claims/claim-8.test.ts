/**
 * Claim 8 (papers.md §5; P-SP26 Fig. 5) on the least-squares toy of
 * examples/08-chopper-sweep.json (docs/reproductions/chopper-sweep.md): with a reference offset
 * (0.4/0.4), a small chopper flip probability p > 0 beats p = 0, and the error rises again at a
 * large p (the peak sits at a small p). p = 0 is RIDER, which cannot track an offset at all
 * (docs/reproductions/rider-invariant.md), so the first inequality holds by a wide margin. The
 * best p here (0.001–0.01) is below the paper's 0.05: the paper flips per mini-batch of an MNIST
 * epoch, this toy per sample over 20 000 steps.
 */
import { describe, expect, it } from 'vitest';
import { claimSeeds, fraction, median, row, runExampleStudy } from './claim-seeds.js';

const seeds = claimSeeds([0, 1, 2, 3, 4]);
const form = 'Q digital (Alg. 3 as written)';
const ps = ['0', '0.001', '0.003', '0.01', '0.3'];
const result = runExampleStudy('08-chopper-sweep.json', (r) => r.condition === form && ps.some((p) => r.name === `p = ${p}`), seeds);
const tail = (p: string) => row(result, `p = ${p}`, form).tailDistance.perSeed;

describe(`claim 8: the chopper, p > 0 against p = 0 (seeds ${seeds.join(', ')})`, () => {
  const best = seeds.map((_, i) => Math.min(...['0.001', '0.003', '0.01'].map((p) => tail(p)[i]!)));

  it('the best small p (0.001–0.01) is > 5× better than p = 0, in at least 4 of 5 seeds', () => {
    expect(fraction(seeds.length, (i) => best[i]! * 5 < tail('0')[i]!)).toBeGreaterThanOrEqual(0.8);
  });

  it('a large p (0.3) is > 3× worse than the best small p in the median: the optimum is a small p', () => {
    expect(median(tail('0.3'))).toBeGreaterThan(3 * median(best));
  });
});
