/**
 * Claim 5 (papers.md §5; P-SP26 Thm 2.2, Fig. 1): zero-shifting's SP error falls with the pulse
 * budget N to a floor of order Δw_min, and the budget for a 1 % error of the SP mean grows like
 * 1/Δw_min (N·Δw_min ≈ const); at Δw_min = 1e−3 (2000 states) it takes more than 2000 pulses.
 * examples/09-zero-shifting.json on a 16 × 16 array (the page: 32 × 32 for the sweep, 512 × 512
 * for Fig. 1a), four of its Δw_min values, each seed on its own.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runZsStudy } from '../../src/experiment/zs-study.js';
import { claimSeeds, fraction, median } from './claim-seeds.js';

const seeds = claimSeeds([0, 1, 2, 3, 4]);
const example = JSON.parse(readFileSync(new URL('../../examples/09-zero-shifting.json', import.meta.url), 'utf8'));
const dwMins = [0.004, 0.002, 0.001, 0.0005];
const budgets = Array.from({ length: 10 }, (_, k) => 100 * 2 ** k); // 100 … 51 200
const result = runZsStudy({ ...example, rows: 16, cols: 16, dwMins, budgets, seeds });

describe(`claim 5: zero-shifting needs N ∝ 1/Δw_min pulses (seeds ${seeds.join(', ')})`, () => {
  const perSeed = (dwMin: number) => result.minimalBudget.find((m) => m.dwMin === dwMin)!.perSeed;

  it('every seed reaches 1 % within the budgets, and N_min·Δw_min stays within a factor 3 over an 8× range of Δw_min (median over seeds; the page: 6–16)', () => {
    const spread = seeds.map((_, s) => {
      const products = dwMins.map((d) => perSeed(d)[s]! * d);
      return Math.max(...products) / Math.min(...products);
    });
    for (const d of dwMins) expect(perSeed(d).every((n) => n !== null)).toBe(true);
    expect(median(spread)).toBeLessThan(3);
  });

  it('at Δw_min = 1e−3 a 1 % error of the SP mean takes more than 2000 pulses, in at least 4 of 5 seeds (P-SP26 Fig. 1: “more than 2000”)', () => {
    expect(fraction(seeds.length, (s) => perSeed(0.001)[s]! > 2000)).toBeGreaterThanOrEqual(0.8);
  });

  it('the error falls with N to a floor of order Δw_min: at the largest budget the RMS per-device error is below 5·Δw_min', () => {
    for (const dwMin of dwMins) {
      const points = result.points.filter((p) => p.dwMin === dwMin);
      expect(points[points.length - 1]!.meanError.mean).toBeLessThan(points[0]!.meanError.mean / 10);
      expect(points[points.length - 1]!.rmsError).toBeLessThan(5 * dwMin);
    }
  });
});
