/**
 * Spec README facts 3 and 4. Fact 3: with stochastic pulse trains (p_j = B|x_j|, q_i = A|d_i|,
 * all ≤ 1) and A·B·BL·g = lr, a noise-free constant-step device far from its bounds gets
 * E[ΔW] = −lr·d·xᵀ exactly; every element's mean over N updates is within 4·sd/√N. Fact 4: the
 * pulse counter equals the sum of the coincidences applied, and other purposes add their own.
 */
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../../src/devices/index.js';
import { AnalogTile, type UpdateInput } from '../../src/tile/index.js';
import { summarize } from '../helpers.js';

/** Exact steps of size g = dwMin, no d2d or c2c variation, bounds far away. */
const exactStep = resolveDevice('constant-step', {
  dwMin: 0.001,
  dwMinDtod: 0,
  dwMinStd: 0,
  upDownDtod: 0,
  wMax: 1000,
  wMin: -1000,
  wMaxDtod: 0,
  wMinDtod: 0,
});

const x = [0.9, -0.35, 0.05, -1.0];
const d = [0.6, -0.2, 0.45];
const rows = d.length;
const cols = x.length;

function meanUpdate(update: UpdateInput, lr: number, n: number): { mean: Float64Array; sd: Float64Array } {
  const tile = new AnalogTile({ rows, cols, device: exactStep, update, seed: 99 });
  const deltas = Array.from({ length: rows * cols }, () => new Float64Array(n));
  const before = new Float64Array(rows * cols);
  for (let t = 0; t < n; t++) {
    before.set(tile.weights());
    tile.update(x, d, 1, lr);
    const after = tile.weights();
    for (let k = 0; k < rows * cols; k++) deltas[k]![t] = after[k]! - before[k]!;
  }
  const mean = new Float64Array(rows * cols);
  const sd = new Float64Array(rows * cols);
  deltas.forEach((series, k) => {
    const s = summarize(series);
    mean[k] = s.mean;
    sd[k] = s.std;
  });
  return { mean, sd };
}

const N = 4000;
const managementCases: { name: string; update: UpdateInput; lr: number }[] = [
  { name: 'BL management + update management (default)', update: {}, lr: 0.01 },
  { name: 'update management only (fixed BL 31)', update: { updateBlManagement: false }, lr: 0.01 },
  { name: 'no management: A = B = √(lr/(g·BL))', update: { updateBlManagement: false, updateManagement: false }, lr: 0.01 },
  { name: 'large lr without fixed BL: BL = ceil(lr/g), A = B = 1', update: { updateBlManagement: false, updateManagement: false, fixedBl: false, desiredBl: 10 }, lr: 0.05 },
];

describe('unbiased pulse-train update (spec README fact 3)', () => {
  for (const c of managementCases) {
    it(`E[ΔW] = −lr·d·xᵀ: ${c.name}`, () => {
      const { mean, sd } = meanUpdate(c.update, c.lr, N);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          const k = i * cols + j;
          const expected = -c.lr * d[i]! * x[j]!;
          // An element whose train fires in every slot is deterministic (sd 0): then exact.
          expect(Math.abs(mean[k]! - expected)).toBeLessThanOrEqual((4 * sd[k]!) / Math.sqrt(N) + 1e-12);
        }
      }
    });
  }

  it('the largest element fires in every slot under BL management: p(max|x|) = q(max|d|) = √(k/BL) = 1', () => {
    // k = lr·max|x|·max|d|/g = 0.01·1·0.6/0.001 = 6 ⇒ BL = 6 and exactly 6 pulses at (0, 3).
    const tile = new AnalogTile({ rows, cols, device: exactStep, seed: 1 });
    tile.update(x, d, 1, 0.01);
    expect(tile.weights()[0 * cols + 3]).toBeCloseTo(6 * 0.001, 12);
  });
});

describe('pulse counters (spec README fact 4)', () => {
  it('the counter equals the coincidences applied, by direction; other purposes add to the same counters', () => {
    const tile = new AnalogTile({ rows, cols, device: exactStep, seed: 5, reference: { programming: 'pulsed' } });
    let expectedUp = 0;
    let expectedDown = 0;
    for (let t = 0; t < 50; t++) {
      const before = Float64Array.from(tile.weights());
      tile.update(x, d, 1, 0.02);
      const after = tile.weights();
      // One sample: every element gets pulses of a single direction, each exactly ±g.
      for (let k = 0; k < rows * cols; k++) {
        const pulses = Math.round((after[k]! - before[k]!) / 0.001);
        expect(Math.abs((after[k]! - before[k]!) / 0.001 - pulses)).toBeLessThan(1e-6);
        if (pulses > 0) expectedUp += pulses;
        else expectedDown -= pulses;
      }
    }
    const snapshot = tile.counters.snapshot();
    expect(snapshot.pulses['update']).toEqual({ up: expectedUp, down: expectedDown });
    expect(snapshot.updates['update']).toBe(50);
    expect(expectedUp + expectedDown).toBeGreaterThan(0);

    // Programming the reference by pulses: |target − R|/g pulses per device, under 'reference'.
    const target = new Float64Array(rows * cols).fill(0.005);
    const result = tile.programReference(target);
    expect(result.up).toBe(5 * rows * cols);
    expect(tile.counters.snapshot().pulses['reference']).toEqual({ up: 5 * rows * cols, down: 0 });

    // Direct pulses under their own purpose.
    tile.pulseDevices(new Int8Array(rows * cols).fill(-1), 'calibration');
    expect(tile.counters.totalPulses('calibration')).toBe(rows * cols);
    expect(tile.counters.totalPulses()).toBe(expectedUp + expectedDown + 5 * rows * cols + rows * cols);
  });

  it('a batch update counts every sample and all of its pulses', () => {
    const tile = new AnalogTile({ rows, cols, device: exactStep, seed: 6 });
    const batch = 8;
    const xb = Array.from({ length: batch * cols }, (_, k) => x[k % cols]! * (1 + (k % 3) * 0.1));
    const db = Array.from({ length: batch * rows }, (_, k) => d[k % rows]!);
    tile.update(xb, db, batch, 0.01);
    // Every sample pushes every element the same way here (same signs), so net = total pulses.
    let net = 0;
    for (const w of tile.weights()) net += Math.abs(w) / 0.001;
    expect(tile.counters.totalPulses('update')).toBe(Math.round(net));
    expect(tile.counters.snapshot().updates['update']).toBe(batch);
  });
});
