import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../../src/devices/index.js';
import { AnalogTile, pulseScaling, popcount32, updateSchema } from '../../src/tile/index.js';

const exactStep = resolveDevice('constant-step', {
  dwMin: 0.001, dwMinDtod: 0, dwMinStd: 0, upDownDtod: 0, wMax: 1000, wMin: -1000, wMaxDtod: 0, wMinDtod: 0,
});
const x = [0.9, -0.35, 0.05, -1.0];
const d = [0.6, -0.2, 0.45];

describe('pulse scaling (aihwkit-model.md §3.2)', () => {
  const config = updateSchema.parse({});
  it('BL management shortens the train to ceil(k) and keeps A·B·BL·g = lr', () => {
    const s = pulseScaling(0.01, 0.001, config, 1, 0.6)!;
    expect(s.bl).toBe(6); // k = 0.01·1·0.6/0.001 = 6
    expect(s.a * s.b * s.bl * 0.001).toBeCloseTo(0.01, 15);
    expect(s.b * 1).toBeCloseTo(1, 12); // p at max|x| = √(k/BL) = 1
    expect(s.a * 0.6).toBeCloseTo(1, 12);
  });
  it('update management clips d, not x, when k exceeds the desired BL', () => {
    const s = pulseScaling(1, 0.001, config, 1, 1)!; // k = 1000 > 31
    expect(s.bl).toBe(31);
    expect(s.b * 1).toBeCloseTo(1, 12); // x side exactly at 1
    expect(s.a * 1).toBeGreaterThan(1); // d side clipped
  });
  it('no update when an input or error is all zero', () => {
    expect(pulseScaling(0.01, 0.001, config, 0, 1)).toBeNull();
    expect(pulseScaling(0.01, 0.001, config, 1, 0)).toBeNull();
  });
  it('popcount counts set bits', () => {
    expect(popcount32(0)).toBe(0);
    expect(popcount32(0xffffffff | 0)).toBe(32);
    expect(popcount32(0b1011001)).toBe(4);
  });
});

describe('deterministic pulse types (aihwkit-model.md §3.3)', () => {
  // Fixed BL 10, no management: A = B = √(lr/(g·BL)) = 1 at lr = 0.01, so p = |x|, q = |d|.
  const plain = { updateBlManagement: false, updateManagement: false, desiredBl: 10 } as const;

  it('mean-count: c_ij = round(round(BL·q_i)·round(BL·p_j)/BL) pulses, direction −sign(x·d)', () => {
    const tile = new AnalogTile({ rows: 3, cols: 4, device: exactStep, update: { ...plain, pulseType: 'mean-count' }, seed: 1 });
    tile.update(x, d, 1, 0.01);
    const w = tile.weights();
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 4; j++) {
        const c = Math.round((Math.round(10 * Math.abs(d[i]!)) * Math.round(10 * Math.abs(x[j]!))) / 10);
        expect(w[i * 4 + j]).toBeCloseTo(-Math.sign(x[j]! * d[i]!) * c * 0.001, 12);
      }
    }
  });

  it('deterministic-implicit: c_ij = round(BL·q̃_i·p̃_j) with quantised probabilities', () => {
    const tile = new AnalogTile({
      rows: 3, cols: 4, device: exactStep,
      update: { ...plain, pulseType: 'deterministic-implicit', xResImplicit: 0.25, dResImplicit: 0.5 },
      seed: 1,
    });
    tile.update(x, d, 1, 0.01);
    const w = tile.weights();
    const quant = (p: number, s: number) => Math.min(Math.max(Math.round(p / s) * s, 0), 1);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 4; j++) {
        const c = Math.round(10 * quant(Math.abs(d[i]!), 0.5) * quant(Math.abs(x[j]!), 0.25));
        expect(w[i * 4 + j]).toBeCloseTo(-Math.sign(x[j]! * d[i]!) * c * 0.001, 12);
      }
    }
  });

  it('pulse type none: exact W −= lr·d·xᵀ, no pulses counted', () => {
    const tile = new AnalogTile({ rows: 3, cols: 4, device: resolveDevice('soft-bounds'), update: { pulseType: 'none' }, seed: 1 });
    tile.update(x, d, 1, 0.1);
    const w = tile.weights();
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) expect(w[i * 4 + j]).toBeCloseTo(-0.1 * d[i]! * x[j]!, 14);
    expect(tile.counters.totalPulses()).toBe(0);
  });

  it('pulse type none-with-device: the exact update, then clipped to each device’s bounds', () => {
    const tile = new AnalogTile({ rows: 3, cols: 4, device: resolveDevice('soft-bounds'), update: { pulseType: 'none-with-device' }, seed: 1 });
    tile.update(x, d, 1, 10);
    const w = tile.weights();
    for (let k = 0; k < 12; k++) {
      expect(w[k]).toBeLessThanOrEqual(tile.device.hidden.bmax[k]!);
      expect(w[k]).toBeGreaterThanOrEqual(tile.device.hidden.bmin[k]!);
    }
    expect(w[0]).toBe(tile.device.hidden.bmin[0]); // −10·0.6·0.9 = −5.4 clipped
  });

  it('the ideal device always updates exactly, whatever the pulse type', () => {
    const tile = new AnalogTile({ rows: 3, cols: 4, device: resolveDevice('ideal'), seed: 1 });
    tile.update(x, d, 1, 10);
    expect(tile.weights()[0]).toBeCloseTo(-10 * 0.6 * 0.9, 12);
  });

  it('an x·d product that underflows expects no pulse under BL management (found by the property tests: NaN counters)', () => {
    for (const pulseType of ['mean-count', 'stochastic-compressed', 'deterministic-implicit'] as const) {
      const tile = new AnalogTile({ rows: 1, cols: 1, device: resolveDevice('constant-step', { dwMin: 1e-4 }), update: { desiredBl: 1, pulseType, updateManagement: false }, seed: 0 });
      tile.update([-5e-324], [5e-324], 1, 1e-4);
      expect(tile.counters.snapshot().pulses['update']).toEqual({ up: 0, down: 0 });
    }
    expect(pulseScaling(1e-4, 1e-4, updateSchema.parse({}), 5e-324, 5e-324)).toBeNull();
  });
});
