import { describe, expect, it } from 'vitest';
import { Rng, RNG_STATE_VERSION } from '../../src/rng/index.js';
import { summarize } from '../helpers.js';

function standardNormalCdf(x: number): number {
  // Abramowitz–Stegun 7.1.26 for erf (|error| < 1.5e-7), enough for a KS test at n = 10⁵.
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

describe('xoshiro128** streams', () => {
  it('reproduces the reference output sequence of xoshiro128** from state (1, 2, 3, 4)', () => {
    const rng = Rng.stream(0);
    rng.restoreState([RNG_STATE_VERSION, 1, 2, 3, 4]);
    expect([rng.nextU32(), rng.nextU32(), rng.nextU32(), rng.nextU32()]).toEqual([11520, 0, 5927040, 70819200]);
  });

  it('the same seed and key path give the same stream; another key gives another', () => {
    const a = Rng.stream(42, 'tile', 'update');
    const b = Rng.stream(42, 'tile', 'update');
    const c = Rng.stream(42, 'tile', 'forward');
    const seqA = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(seqA);
  });

  it('a split stream does not depend on how much the parent has drawn', () => {
    const parent = Rng.stream(1, 'p');
    const early = parent.split('child', 3).nextU32();
    for (let i = 0; i < 100; i++) parent.nextU32();
    expect(parent.split('child', 3).nextU32()).toBe(early);
  });

  it('saves and restores its state exactly, and rejects a foreign state', () => {
    const rng = Rng.stream(9);
    rng.normal();
    const saved = rng.saveState();
    const next = [rng.uniform(), rng.normal(), rng.nextU32()];
    rng.restoreState(saved);
    expect([rng.uniform(), rng.normal(), rng.nextU32()]).toEqual(next);
    expect(() => rng.restoreState([1, 2, 3, 4, 5])).toThrow(/cannot restore random state/);
  });

  it('uniform draws lie in [0, 1) with mean ½ and variance 1/12', () => {
    const n = 100000;
    const rng = Rng.stream(3, 'uniform');
    const u = Float64Array.from({ length: n }, () => rng.uniform());
    const s = summarize(u);
    expect(s.min).toBeGreaterThanOrEqual(0);
    expect(s.max).toBeLessThan(1);
    expect(Math.abs(s.mean - 0.5)).toBeLessThan((4 * Math.sqrt(1 / 12)) / Math.sqrt(n));
    expect(Math.abs(s.std ** 2 * 12 - 1)).toBeLessThan(0.02);
  });

  it('ziggurat normals pass a Kolmogorov–Smirnov test and have the right moments and tails', () => {
    const n = 100000;
    const rng = Rng.stream(4, 'normal');
    const z = Float64Array.from({ length: n }, () => rng.normal()).sort();
    let ks = 0;
    for (let i = 0; i < n; i++) {
      const f = standardNormalCdf(z[i]!);
      ks = Math.max(ks, Math.abs(f - i / n), Math.abs(f - (i + 1) / n));
    }
    // Critical value at the 0.1 % level: 1.95/√n.
    expect(ks).toBeLessThan(1.95 / Math.sqrt(n));
    const s = summarize(z);
    expect(Math.abs(s.mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(s.std - 1)).toBeLessThan(0.01);
    // Tail beyond the base strip edge R = 3.4426: P = 2(1 − Φ(R)) ≈ 5.76e-4 (≈ 58 of 10⁵; sd ≈ 7.6).
    const tail = z.filter((v) => Math.abs(v) > 3.442619855899).length;
    expect(Math.abs(tail - 57.6)).toBeLessThan(4 * 7.6);
  });
});
