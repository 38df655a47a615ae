/**
 * Spec README fact 1: over N ≥ 10⁴ single pulses from the same w, the sample mean of the step is
 * within 4·sd/√N of the model's expected step Δ±(w), and the sample sd within 10 % of the
 * predicted sd. The expected steps below are written from the equations of aihwkit-model.md §2.2
 * and papers.md §1 using the drawn hidden parameters, not taken from the implementation.
 *
 * Tolerances: the mean bound is a 4-sigma bound (two-sided p ≈ 6·10⁻⁵ per check for a fresh
 * seed; seeds are fixed). The sd of a sample sd is ≈ sd/√(2N) = 0.5 % at N = 2·10⁴ (normal steps),
 * so 10 % is far outside chance; it fails only if the noise model is wrong.
 */
import { describe, expect, it } from 'vitest';
import type { DeviceResponse } from '../../src/devices/index.js';
import { interpolateNodes } from '../../src/devices/piecewise-step.js';
import { pmaxToSoftBounds } from '../../src/devices/soft-bounds-pmax.js';
import { applyPulses, resolveDevice } from '../../src/devices/index.js';
import { Rng } from '../../src/rng/index.js';
import { makeDevices, repeatedSteps, summarize } from '../helpers.js';

const N = 20000;
const K = 3; // the device under test (of 8 drawn)

interface Expectation {
  mean: number;
  sd: number;
}

interface StepCase {
  name: string;
  kind: string;
  overrides: Record<string, unknown>;
  /** Start conductance, inside the bounds so clipping cannot act. */
  w: number;
  expected(device: DeviceResponse, k: number, w: number, up: boolean): Expectation;
}

const mult = (mean: number, sigma: number): Expectation => ({ mean, sd: sigma * Math.abs(mean) });

const cases: StepCase[] = [
  {
    name: 'ideal: exactly ±dwMin, no noise',
    kind: 'ideal',
    overrides: { dwMin: 0.002 },
    w: 0.3,
    expected: (_d, _k, _w, up) => ({ mean: up ? 0.002 : -0.002, sd: 0 }),
  },
  {
    name: 'constant-step: Δw±(1 + σξ)',
    kind: 'constant-step',
    overrides: {},
    w: 0.1,
    expected: (d, k, _w, up) => mult(up ? d.hidden.scaleUp[k]! : -d.hidden.scaleDown[k]!, 0.3),
  },
  {
    name: 'linear-step (multiplicative): (s±w + Δw±)(1 + σξ), s± = −γ±Δw±/wMax|wMin',
    kind: 'linear-step',
    overrides: { gammaUp: 0.4, gammaDown: 0.7, gammaUpDtod: 0, gammaDownDtod: 0 },
    w: 0.2,
    expected: (d, k, w, up) =>
      mult(up ? d.hidden.scaleUp[k]! * (1 - (0.4 * w) / 0.6) : -d.hidden.scaleDown[k]! * (1 - (0.7 * w) / -0.6), 0.3),
  },
  {
    name: 'linear-step (additive): s±w + Δw±(1 + σξ)',
    kind: 'linear-step',
    overrides: { gammaUp: 0.4, gammaDown: 0.7, gammaUpDtod: 0, gammaDownDtod: 0, multNoise: false },
    w: 0.2,
    expected: (d, k, w, up) =>
      up
        ? { mean: d.hidden.scaleUp[k]! * (1 - (0.4 * w) / 0.6), sd: 0.3 * d.hidden.scaleUp[k]! }
        : { mean: -d.hidden.scaleDown[k]! * (1 - (0.7 * w) / -0.6), sd: 0.3 * d.hidden.scaleDown[k]! },
  },
  {
    name: 'soft-bounds: Δw⁺(1 − w/b^max)(1 + σξ), Δw⁻(1 − w/b^min)(1 + σξ)',
    kind: 'soft-bounds',
    overrides: {},
    w: 0.25,
    expected: (d, k, w, up) =>
      mult(up ? d.hidden.scaleUp[k]! * (1 - w / d.hidden.bmax[k]!) : -d.hidden.scaleDown[k]! * (1 - w / d.hidden.bmin[k]!), 0.3),
  },
  {
    name: 'soft-bounds-pmax: soft bounds with the derived dwMin and bounds',
    kind: 'soft-bounds-pmax',
    overrides: {},
    w: 0.5,
    expected: (d, k, w, up) =>
      mult(up ? d.hidden.scaleUp[k]! * (1 - w / d.hidden.bmax[k]!) : -d.hidden.scaleDown[k]! * (1 - w / d.hidden.bmin[k]!), 0.3),
  },
  {
    name: 'soft-bounds-reference (additive): Δw±(1 − v/b ± σξ)',
    kind: 'soft-bounds-reference',
    overrides: {},
    w: -0.2,
    expected: (d, k, w, up) =>
      up
        ? { mean: d.hidden.scaleUp[k]! * (1 - w / d.hidden.bmax[k]!), sd: 0.3 * d.hidden.scaleUp[k]! }
        : { mean: -d.hidden.scaleDown[k]! * (1 - w / d.hidden.bmin[k]!), sd: 0.3 * d.hidden.scaleDown[k]! },
  },
  {
    name: 'exp-step: max(1 − A·e^{±γz}, 0)·Δw±(1 + σξ)',
    kind: 'exp-step',
    overrides: {},
    w: 0.1,
    expected: (d, k, w, up) => {
      const z = (2 * 0.244 * w) / (d.hidden.bmax[k]! - d.hidden.bmin[k]!) + 0.2425;
      return up
        ? mult(Math.max(1 - 0.00081 * Math.exp(12.44625 * z), 0) * d.hidden.scaleUp[k]!, 0.3)
        : mult(-Math.max(1 - 0.36833 * Math.exp(-12.78785 * z), 0) * d.hidden.scaleDown[k]!, 0.3);
    },
  },
  {
    name: 'exp-step with complex noise (pcm preset): Δ + σ(|Δ| + σ_add + σ_slope|w|)ξ',
    kind: 'pcm',
    overrides: {},
    w: 1.0,
    expected: (d, k, w, up) => {
      const z = (2 * -1 * w) / (d.hidden.bmax[k]! - d.hidden.bmin[k]!) + 0;
      const step = up
        ? Math.max(1 - -27.235 * Math.exp(2.5 * z), 0) * d.hidden.scaleUp[k]!
        : -Math.max(1 - -2.235 * Math.exp(-2.5 * z), 0) * d.hidden.scaleDown[k]!;
      return { mean: step, sd: 0.6 * (Math.abs(step) + 0.042 + 0.108 * Math.abs(w)) };
    },
  },
  {
    name: 'pow-step: Δw⁺((b^max − w)/R)^γ(1 + σξ)',
    kind: 'pow-step',
    overrides: { powGamma: 2, powGammaDtod: 0 },
    w: 0.1,
    expected: (d, k, w, up) => {
      const R = d.hidden.bmax[k]! - d.hidden.bmin[k]!;
      return up
        ? mult(d.hidden.scaleUp[k]! * ((d.hidden.bmax[k]! - w) / R) ** 2, 0.3)
        : mult(-d.hidden.scaleDown[k]! * ((w - d.hidden.bmin[k]!) / R) ** 2, 0.3);
    },
  },
  {
    name: 'pow-step-reference: pow-step on v',
    kind: 'pow-step-reference',
    overrides: { powGamma: 0.5, powGammaDtod: 0 },
    w: -0.1,
    expected: (d, k, w, up) => {
      const R = d.hidden.bmax[k]! - d.hidden.bmin[k]!;
      return up
        ? mult(d.hidden.scaleUp[k]! * ((d.hidden.bmax[k]! - w) / R) ** 0.5, 0.3)
        : mult(-d.hidden.scaleDown[k]! * ((w - d.hidden.bmin[k]!) / R) ** 0.5, 0.3);
    },
  },
  {
    name: 'piecewise-step: Δw±·lerp(v±, w)(1 + σξ)',
    kind: 'piecewise-step',
    overrides: { piecewiseUp: [1.5, 1, 0.4], piecewiseDown: [0.3, 1, 1.6] },
    w: 0.15,
    expected: (d, k, w, up) => {
      const lo = d.hidden.bmin[k]!;
      const hi = d.hidden.bmax[k]!;
      // Two segments: ŵ = (w − lo)/R·2, segment ⌊ŵ⌋, linear inside it.
      const pos = ((w - lo) / (hi - lo)) * 2;
      const seg = Math.min(Math.floor(pos), 1);
      const t = pos - seg;
      const nodes = up ? [1.5, 1, 0.4] : [0.3, 1, 1.6];
      const v = (1 - t) * nodes[seg]! + t * nodes[seg + 1]!;
      return up ? mult(d.hidden.scaleUp[k]! * v, 0.3) : mult(-d.hidden.scaleDown[k]! * v, 0.3);
    },
  },
  {
    name: 'limited-state: one level with probability p±(w) (Bernoulli)',
    kind: 'limited-state',
    overrides: { nStates: 10 },
    w: NaN, // set to a level of device K below
    expected: (d, k, w, up) => {
      const lo = d.hidden.bmin[k]!;
      const hi = d.hidden.bmax[k]!;
      const level = (hi - lo) / 10;
      const meanLevel = 2 / 10;
      const p = up ? ((d.hidden.scaleUp[k]! / meanLevel) * (hi - w)) / (hi - lo) : ((d.hidden.scaleDown[k]! / meanLevel) * (w - lo)) / (hi - lo);
      return { mean: (up ? 1 : -1) * level * p, sd: level * Math.sqrt(p * (1 - p)) };
    },
  },
];

describe('single pulse: mean and spread of the step (spec README fact 1)', () => {
  for (const c of cases) {
    for (const up of [true, false]) {
      it(`${c.name} — ${up ? 'up' : 'down'}`, () => {
        const { device } = makeDevices(c.kind, c.overrides, 8);
        const w = Number.isNaN(c.w) ? device.hidden.bmin[K]! + 4 * ((device.hidden.bmax[K]! - device.hidden.bmin[K]!) / 10) : c.w;
        const expected = c.expected(device, K, w, up);
        const steps = repeatedSteps(device, K, w, up, N, Rng.stream(11, c.kind, up ? 'up' : 'down'));
        const stats = summarize(steps);
        expect(Math.abs(stats.mean - expected.mean)).toBeLessThanOrEqual((4 * expected.sd) / Math.sqrt(N) + 1e-15);
        if (expected.sd === 0) expect(stats.std).toBeLessThan(1e-15);
        else expect(Math.abs(stats.std / expected.sd - 1)).toBeLessThan(0.1);
        // The expected step the model reports (used by the SP solver) is the same formula.
        const reported = up ? device.expectedUp(K, w) : -device.expectedDown(K, w);
        expect(reported).toBeCloseTo(expected.mean, 12);
      });
    }
  }
});

describe('device parameter derivations', () => {
  it('soft-bounds-pmax derives B = (rangeMax − rangeMin)/(1 − e^{−pMax·α}) and the rest (aihwkit-model.md §2.2)', () => {
    const config = resolveDevice('soft-bounds-pmax', { pMax: 1000, alpha: 0.0005, rangeMin: -1, rangeMax: 1 });
    if (config.kind !== 'soft-bounds-pmax') throw new Error('wrong kind');
    const sb = pmaxToSoftBounds(config);
    const B = 2 / (1 - Math.exp(-0.5)); // = 5.0829...
    expect(sb.wMin).toBe(-1);
    expect(sb.wMax).toBeCloseTo(-1 + B, 12);
    expect(sb.dwMin).toBeCloseTo(B * 0.0005, 12);
    expect(sb.upDown).toBeCloseTo(1 - 2 / B, 12);
  });

  it('the up/down bias lowers only one side: Δw⁺ = dwMin·(1 + min(upDown, 0)), Δw⁻ = dwMin·(1 − max(upDown, 0))', () => {
    const { device: pos } = makeDevices('soft-bounds', { upDown: 0.3, dwMinDtod: 0, upDownDtod: 0 }, 2);
    expect(pos.hidden.scaleUp[0]).toBeCloseTo(0.001, 15);
    expect(pos.hidden.scaleDown[0]).toBeCloseTo(0.0007, 15);
    const { device: neg } = makeDevices('soft-bounds', { upDown: -0.3, dwMinDtod: 0, upDownDtod: 0 }, 2);
    expect(neg.hidden.scaleUp[0]).toBeCloseTo(0.0007, 15);
    expect(neg.hidden.scaleDown[0]).toBeCloseTo(0.001, 15);
  });

  it('device-to-device draws have the configured relative spread (bounds, gain)', () => {
    const { device } = makeDevices('soft-bounds', { wMaxDtod: 0.2, dwMinDtod: 0.1, upDownDtod: 0, enforceConsistency: false }, 20000);
    const bmax = summarize(device.hidden.bmax);
    const up = summarize(device.hidden.scaleUp);
    // Mean within 4·sd/√n; sd within 5 % (sd of a sample sd ≈ 0.5 % at n = 2·10⁴).
    expect(Math.abs(bmax.mean - 0.6)).toBeLessThan((4 * 0.12) / Math.sqrt(20000));
    expect(Math.abs(bmax.std / 0.12 - 1)).toBeLessThan(0.05);
    expect(Math.abs(up.mean - 0.001)).toBeLessThan((4 * 1e-4) / Math.sqrt(20000));
    expect(Math.abs(up.std / 1e-4 - 1)).toBeLessThan(0.05);
  });

  it('corrupt devices are stuck: zero steps and a fixed conductance within ±corruptDevicesRange', () => {
    const { device } = makeDevices('soft-bounds', { corruptDevicesProb: 0.25, corruptDevicesRange: 0.05 }, 4000);
    let stuck = 0;
    for (let k = 0; k < device.size; k++) {
      if (device.hidden.scaleUp[k] === 0) {
        stuck++;
        expect(device.hidden.bmax[k]).toBe(device.hidden.bmin[k]);
        expect(Math.abs(device.hidden.bmax[k]!)).toBeLessThanOrEqual(0.05);
      }
    }
    // Binomial(4000, 0.25): mean 1000, sd 27.4; 4 sd = 110.
    expect(Math.abs(stuck - 1000)).toBeLessThan(110);
  });

  it('pulses never leave the hard bounds, whatever the step size', () => {
    const { device } = makeDevices('constant-step', { dwMin: 0.3, dwMinStd: 1.0 }, 50);
    const rng = Rng.stream(3, 'bounds');
    for (let k = 0; k < device.size; k++) {
      let g = 0;
      for (let t = 0; t < 200; t++) {
        g = applyPulses(device, k, g, rng.uniform() < 0.5, 1, rng);
        expect(g).toBeLessThanOrEqual(device.hidden.bmax[k]!);
        expect(g).toBeGreaterThanOrEqual(device.hidden.bmin[k]!);
      }
    }
  });

  it('piecewise nodes interpolate linearly and clamp at the ends', () => {
    expect(interpolateNodes([1, 3], -1, -1, 1)).toBe(1);
    expect(interpolateNodes([1, 3], 0, -1, 1)).toBe(2);
    expect(interpolateNodes([1, 3], 1, -1, 1)).toBe(3);
    expect(interpolateNodes([1, 3, 5], 0.5, -1, 1)).toBe(4);
    expect(interpolateNodes([2], 0.3, -1, 1)).toBe(2);
  });
});
