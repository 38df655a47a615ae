/** Issue 7 item 1/5: zero-shifting calibration (papers.md §2.6, §3.4). */
import { describe, expect, it } from 'vitest';
import { zeroShift, zeroShiftingSchema } from '../../src/calibration/zero-shifting.js';
import { resolveDevice } from '../../src/devices/index.js';
import { AnalogTile } from '../../src/tile/index.js';

// Soft bounds with device-to-device spread of bounds and asymmetry: every device has its own SP
// (closed form), spread over about ±0.2; c2c noise 0.2 on each step.
const dwMin = 0.01;
const device = resolveDevice('soft-bounds', { dwMin, dwMinDtod: 0.1, dwMinStd: 0.2, upDown: 0.1, upDownDtod: 0.1, wMaxDtod: 0.2, wMinDtod: 0.2 });
const tile = (seed: number) => new AnalogTile({ rows: 16, cols: 16, device, seed, name: 'zs' });

describe('zero-shifting calibration', () => {
  for (const variant of ['cyclic', 'stochastic'] as const) {
    it(`${variant}: drives every device of a seeded array to its own analytic SP (within a few dwMin, or the Thm C.2 floor)`, () => {
      const t = tile(5);
      const sp = t.conductanceSymmetricPoints();
      const result = zeroShift(t, zeroShiftingSchema.parse({ variant, pulses: 2000, programming: 'none' }), 5);
      let worst = 0;
      let meanError = 0;
      let meanSquare = 0;
      for (let k = 0; k < sp.length; k++) {
        const e = result.estimate[k]! - sp[k]!;
        worst = Math.max(worst, Math.abs(e));
        meanError += e / sp.length;
        meanSquare += (e * e) / sp.length;
      }
      // The SPs really differ (else the test could not fail by returning one value for all).
      expect(Math.max(...sp) - Math.min(...sp)).toBeGreaterThan(20 * dwMin);
      if (variant === 'cyclic') {
        // The limit cycle brackets w⋄ within one step; the c2c random walk is bounded by the
        // restoring drift 2·dwMin·G' of each up/down pair: a few steps.
        expect(worst).toBeLessThan(4 * dwMin);
        expect(Math.abs(meanError)).toBeLessThan(dwMin);
      } else {
        // Thm C.2 floor: E‖W_N − W⋄‖² ≤ dwMin·q_max²/μ_q per element; here q_max ≤ 1.5 and
        // μ_q = 1/τ ≥ 0.7 (bounds ±1 with 20 % spread). A random walk, so only in the mean square;
        // the bias is zero within 4 standard errors (sd ≤ √floor, 256 devices).
        const floor = (dwMin * 1.5 ** 2) / 0.7;
        expect(meanSquare).toBeLessThan(floor);
        expect(Math.abs(meanError)).toBeLessThan((4 * Math.sqrt(floor)) / 16);
      }
    });
  }

  it('counts exactly N calibration pulses per element, cyclic: ⌈N/2⌉ up and ⌊N/2⌋ down', () => {
    const t = tile(1);
    const n = 301;
    zeroShift(t, zeroShiftingSchema.parse({ pulses: n, programming: 'none' }), 1);
    const c = t.counters.snapshot();
    expect(c.pulses['calibration']).toEqual({ up: 151 * 256, down: 150 * 256 });
    const s = tile(1);
    const r = zeroShift(s, zeroShiftingSchema.parse({ variant: 'stochastic', pulses: n, programming: 'none' }), 1);
    const p = s.counters.snapshot().pulses['calibration']!;
    expect(p.up + p.down).toBe(n * 256);
    expect(r.pulses).toBe(n * 256);
    // a fair sign: the up count is Binomial(N·256, ½), within 4 sd
    expect(Math.abs(p.up - (n * 256) / 2)).toBeLessThan(4 * Math.sqrt(n * 256 * 0.25));
  });

  it('programming the reference from the estimate moves every effective SP to ≈ 0 (pulses counted under reference)', () => {
    const t = tile(2);
    const before = t.symmetricPoints();
    const result = zeroShift(t, zeroShiftingSchema.parse({ pulses: 2000 }), 2);
    const after = t.symmetricPoints();
    expect(Math.max(...before.map(Math.abs))).toBeGreaterThan(10 * dwMin);
    expect(Math.max(...after.map(Math.abs))).toBeLessThan(5 * dwMin);
    expect(result.reference!.up + result.reference!.down).toBeGreaterThan(0);
    const ref = t.counters.snapshot().pulses['reference']!;
    expect(ref.up + ref.down).toBe(result.reference!.up + result.reference!.down);
  });

  it('the error falls with the budget N until it reaches a floor of order dwMin (claim 5 in small)', () => {
    const error = (n: number) => {
      const t = tile(9);
      const sp = t.conductanceSymmetricPoints();
      const r = zeroShift(t, zeroShiftingSchema.parse({ pulses: n, programming: 'none' }), 9);
      let s = 0;
      for (let k = 0; k < sp.length; k++) s += Math.abs(r.estimate[k]! - sp[k]!) / sp.length;
      return s;
    };
    const [e10, e100, e3000] = [10, 100, 3000].map(error);
    expect(e100).toBeLessThan(e10!);
    expect(e3000).toBeLessThan(e100!);
    expect(e3000).toBeLessThan(2 * dwMin);
  });
});
