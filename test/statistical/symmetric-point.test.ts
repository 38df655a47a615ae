/**
 * Spec README fact 2: w* solves Δ⁺(w*) = Δ⁻(w*). (a) Under alternating up/down pulses every
 * device ends within a few steps of its own w*. (b) Under random ±1 pulses the drift of a
 * linear-response device is linear in w and vanishes at w*, so the mean over devices and late
 * time steps equals the mean w* up to sampling error.
 */
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../../src/devices/index.js';
import { Rng } from '../../src/rng/index.js';
import { AnalogTile } from '../../src/tile/index.js';
import { summarize } from '../helpers.js';

interface SpCase {
  kind: string;
  overrides: Record<string, unknown>;
  pairs: number;
}

/**
 * Noise-free variants (dwMinStd 0) so the end state is a deterministic limit cycle around w*.
 * The slowest device sets the time to converge (its rate per pair is ≈ |d(Δ⁺ − Δ⁻)/dw| at w*), so
 * the gain spread is narrowed to dwMinDtod 0.1 and every case gets 12 000 pairs: ≥ 15 e-folds for
 * the slowest device of these configurations.
 */
const narrow = { dwMinDtod: 0.1, dwMinStd: 0 };
const alternatingCases: SpCase[] = [
  { kind: 'constant-step', overrides: { ...narrow, upDown: 0.2 }, pairs: 12000 },
  { kind: 'linear-step', overrides: { ...narrow, gammaUp: 0.5, gammaDown: 0.5, upDown: 0.2 }, pairs: 12000 },
  { kind: 'soft-bounds', overrides: { ...narrow, upDown: 0.2 }, pairs: 12000 },
  { kind: 'soft-bounds-pmax', overrides: { ...narrow }, pairs: 12000 },
  { kind: 'soft-bounds-reference', overrides: { ...narrow, upDown: -0.2 }, pairs: 12000 },
  // exp-step's default response is nearly symmetric over a wide band (flat drift): a 4× larger
  // step gives it the e-folds of 48 000 pairs.
  { kind: 'exp-step', overrides: { ...narrow, dwMin: 0.004 }, pairs: 12000 },
  { kind: 'pow-step', overrides: { ...narrow, powGamma: 2, upDown: 0.2, dwMin: 0.004 }, pairs: 12000 },
  { kind: 'pow-step-reference', overrides: { ...narrow, powGamma: 0.5, powUpDownDtod: 0.1 }, pairs: 12000 },
  { kind: 'piecewise-step', overrides: { ...narrow, piecewiseUp: [1.5, 1, 0.4], piecewiseDown: [0.3, 1, 1.6] }, pairs: 12000 },
  { kind: 'reram-es', overrides: { ...narrow, writeNoiseStd: 0 }, pairs: 12000 },
  { kind: 'ecram', overrides: { ...narrow }, pairs: 12000 },
];

function alternate(tile: AnalogTile, pairs: number): void {
  const up = new Int8Array(tile.size).fill(1);
  const down = new Int8Array(tile.size).fill(-1);
  for (let n = 0; n < pairs; n++) {
    tile.pulseDevices(up, 'characterization');
    tile.pulseDevices(down, 'characterization');
  }
}

describe('symmetric point under alternating pulses (spec README fact 2)', () => {
  for (const c of alternatingCases) {
    it(`${c.kind}: the limit cycle of every device brackets its own w*`, () => {
      const tile = new AnalogTile({ rows: 8, cols: 8, device: resolveDevice(c.kind, c.overrides), seed: 21 });
      const device = tile.device;
      const sp = tile.conductanceSymmetricPoints();
      alternate(tile, c.pairs);
      // At the cycle a → b = a + Δ⁺(a) → a we have Δ⁺(a) = Δ⁻(b). For monotone responses (Δ⁺
      // falling, Δ⁻ rising in w) that gives D(a) = Δ⁻(b) − Δ⁻(a) > 0 and D(b) = Δ⁺(b) − Δ⁺(a) < 0,
      // so a < w* < b: every device ends within one of its own steps of w*. The slack (5 % of a
      // step) covers the geometric approach to the cycle, ≥ 15 e-folds here.
      let spread = 0;
      for (let k = 0; k < tile.size; k++) {
        const a = tile.conductance[k]!;
        const b = Math.min(a + device.expectedUp(k, a), device.hidden.bmax[k]!);
        const slack = 0.05 * Math.max(b - a, device.expectedDown(k, b));
        expect(sp[k]!).toBeGreaterThanOrEqual(a - slack);
        expect(sp[k]!).toBeLessThanOrEqual(b + slack);
        spread += Math.abs(sp[k]! - sp[0]!);
      }
      // Device-to-device variation gives each device its own SP, so the test is not trivial.
      expect(spread).toBeGreaterThan(0);
      expect(tile.counters.totalPulses('characterization')).toBe(2 * c.pairs * tile.size);
    });
  }

  it('limited-state: the time average under alternating pulses is within one level of w*', () => {
    // The switching is random even without step noise, so the device wanders over levels; its
    // late-time average settles near w* (binomial-like stationary law around w*).
    const tile = new AnalogTile({ rows: 8, cols: 8, device: resolveDevice('limited-state', { nStates: 10, upDown: 0.3, dwMinDtod: 0.1 }), seed: 5 });
    const sp = tile.conductanceSymmetricPoints();
    alternate(tile, 200);
    const average = new Float64Array(tile.size);
    const pairs = 4000;
    const up = new Int8Array(tile.size).fill(1);
    const down = new Int8Array(tile.size).fill(-1);
    for (let n = 0; n < pairs; n++) {
      tile.pulseDevices(up, 'characterization');
      for (let k = 0; k < tile.size; k++) average[k] = average[k]! + tile.conductance[k]! / (2 * pairs);
      tile.pulseDevices(down, 'characterization');
      for (let k = 0; k < tile.size; k++) average[k] = average[k]! + tile.conductance[k]! / (2 * pairs);
    }
    for (let k = 0; k < tile.size; k++) {
      const level = (tile.device.hidden.bmax[k]! - tile.device.hidden.bmin[k]!) / 10;
      expect(Math.abs(average[k]! - sp[k]!)).toBeLessThanOrEqual(level);
    }
  });

  it('ideal: every weight is symmetric, so alternating pulses return exactly to the start', () => {
    const tile = new AnalogTile({ rows: 2, cols: 3, device: resolveDevice('ideal', { dwMin: 0.125 }), seed: 1 });
    tile.setWeights([0.5, -0.25, 0, 1, 2, -3]);
    alternate(tile, 100);
    expect(Array.from(tile.conductance)).toEqual([0.5, -0.25, 0, 1, 2, -3]);
  });
});

/** Linear-drift devices: the late-time mean under random pulses is w* (with default c2c noise). */
const randomCases: SpCase[] = [
  { kind: 'soft-bounds', overrides: { upDown: 0.2 }, pairs: 0 },
  { kind: 'soft-bounds-reference', overrides: { upDown: -0.3 }, pairs: 0 },
  { kind: 'linear-step', overrides: { gammaUp: 0.6, gammaDown: 0.6, upDown: 0.2, dwMin: 0.004 }, pairs: 0 },
  { kind: 'limited-state', overrides: { nStates: 10, upDown: 0.3, dwMinDtod: 0.1 }, pairs: 0 },
];

describe('symmetric point under random ±1 pulses (spec README fact 2)', () => {
  for (const c of randomCases) {
    it(`${c.kind}: the mean over devices and late steps equals the mean w* within 4 standard errors`, () => {
      const tile = new AnalogTile({ rows: 16, cols: 16, device: resolveDevice(c.kind, c.overrides), seed: 33 });
      const sp = tile.conductanceSymmetricPoints();
      const rng = Rng.stream(4, 'random-pulses', c.kind);
      const direction = new Int8Array(tile.size);
      const burnIn = 8000;
      const steps = 24000;
      const timeMean = new Float64Array(tile.size);
      for (let t = 0; t < burnIn + steps; t++) {
        for (let k = 0; k < tile.size; k++) direction[k] = rng.uniform() < 0.5 ? 1 : -1;
        tile.pulseDevices(direction, 'characterization');
        if (t >= burnIn) for (let k = 0; k < tile.size; k++) timeMean[k] = timeMean[k]! + tile.conductance[k]! / steps;
      }
      const gap = summarize(timeMean.map((v, k) => v - sp[k]!));
      const target = summarize(sp);
      // Devices are independent, so the standard error of the mean gap is sd(gap)/√n.
      expect(Math.abs(gap.mean)).toBeLessThanOrEqual((4 * gap.std) / Math.sqrt(tile.size));
      // Power: the SP is well away from 0 compared with that error.
      expect(Math.abs(target.mean)).toBeGreaterThan(10 * (gap.std / Math.sqrt(tile.size)));
    });
  }
});
