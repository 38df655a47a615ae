/**
 * Claim 6 (papers.md §5; P-SP26 Tables 1–2, Thm 3.7) on the least-squares toy of
 * examples/07-sp-offset-study.json and examples/15-rider-tracking-rate.json
 * (docs/reproductions/sp-offset.md, rider-invariant.md):
 * - a reference offset ruins TT-v2, E-RIDER keeps its offset-free result;
 * - RIDER (p = 0) converges at zero offset, to E-RIDER's error or better, once η/β is small;
 * - RIDER does not track an offset at any η/β: its W and Q are tied by W − (β/η)·Q = const.
 * Not asserted, because it does not hold here: "E-RIDER beats AGAD" (AGAD is better on this toy).
 */
import { describe, expect, it } from 'vitest';
import { claimSeeds, fraction, median, ratios, row, runExampleStudy } from './claim-seeds.js';

const seeds = claimSeeds([0, 1, 2, 3, 4]);
const clean = 'refMean 0, refStd 0';
const offset = 'refMean 0.4, refStd 0.4';
const etas = ['2', '0.4', '0.1', '0.02'];
const rider = (eta: string) => `RIDER (p = 0), η/β = ${eta}`;
const erider = 'E-RIDER (p = 0.01), η/β = 2';
const sweep = runExampleStudy('15-rider-tracking-rate.json', (r) => r.condition === clean || r.condition === offset, seeds);
const offsetStudy = runExampleStudy('07-sp-offset-study.json', (r) => r.name === 'TT-v2' && (r.condition === clean || r.condition === offset), seeds);
const tail = (result: typeof sweep, name: string, condition: string) => row(result, name, condition).tailDistance.perSeed;

describe(`claim 6 on the least-squares toy (seeds ${seeds.join(', ')})`, () => {
  it('TT-v2 degrades with the offset (> 5× in at least 4 of 5 seeds); E-RIDER keeps its offset-free error (median ratio < 1.75)', () => {
    const tt = [tail(offsetStudy, 'TT-v2', clean), tail(offsetStudy, 'TT-v2', offset)];
    expect(fraction(seeds.length, (i) => tt[1]![i]! > 5 * tt[0]![i]!)).toBeGreaterThanOrEqual(0.8);
    expect(median(ratios(tail(sweep, erider, offset), tail(sweep, erider, clean)))).toBeLessThan(1.75);
  });

  it('RIDER at zero offset: within 1.25× of E-RIDER at η/β = 0.02 and 1.5× at η/β = 0.1 (median, and in at least 4 of 5 seeds)', () => {
    // η/β → 0 freezes Q at Q₀ = 0, the right reference here: residual learning with a perfect
    // reference, which E-RIDER's chopper can only match (1.25 leaves its ±10 % seed spread).
    // At η/β = 0.1 the invariant moves Q by 0.1·|W* − W₀| ≈ 0.03 ≈ 12 Δw_min off the SP, and
    // the ideal-device model of the page puts that at +15 % error; 1.5 covers it and the spread.
    const reference = tail(sweep, erider, clean);
    for (const [eta, factor] of [['0.02', 1.25], ['0.1', 1.5]] as const) {
      const r = ratios(tail(sweep, rider(eta), clean), reference);
      expect(median(r)).toBeLessThan(factor);
      expect(fraction(seeds.length, (i) => r[i]! < factor)).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('RIDER at zero offset gets worse as η/β grows (each step, in at least 4 of 5 seeds; > 5× from 0.02 to 2 in the median)', () => {
    const errors = etas.map((eta) => tail(sweep, rider(eta), clean));
    for (let k = 0; k + 1 < errors.length; k++) expect(fraction(seeds.length, (i) => errors[k]![i]! > errors[k + 1]![i]!)).toBeGreaterThanOrEqual(0.8);
    expect(median(ratios(errors[0]!, errors[3]!))).toBeGreaterThan(5);
  });

  it('with the offset 0.4/0.4, RIDER fails at every η/β: its best median error is > 5× E-RIDER’s', () => {
    const best = Math.min(...etas.map((eta) => median(tail(sweep, rider(eta), offset))));
    expect(best).toBeGreaterThan(5 * median(tail(sweep, erider, offset)));
  });
});
