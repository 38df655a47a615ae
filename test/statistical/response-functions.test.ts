/**
 * Issue 6 item 1: the response-function view of the devices (papers.md §1.1–§1.5) and the
 * first-order expected update, tested against the faithful pulsed path.
 */
import { describe, expect, it } from 'vitest';
import { responseFunctions } from '../../src/devices/index.js';
import { AnalogTile } from '../../src/tile/index.js';
import { makeDevices, summarize } from '../helpers.js';

const exactAld = { wMax: 0.8, wMin: -0.8, wMaxDtod: 0, wMinDtod: 0, dwMinDtod: 0, upDownDtod: 0, dwMinStd: 0 };

describe('response functions q±, F, G', () => {
  it('ALD (soft bounds ±τ): F ≡ 1 and G(w) = (w − w⋄)/τ, w⋄ = 0 (papers.md §1.5(a))', () => {
    const { device } = makeDevices('soft-bounds', exactAld, 1);
    const r = responseFunctions(device, 0);
    for (const w of [-0.6, -0.1, 0, 0.3, 0.7]) {
      expect(r.F(w)).toBeCloseTo(1, 12);
      expect(r.G(w)).toBeCloseTo(w / 0.8, 12);
      expect(r.qPlus(w)).toBeCloseTo(1 - w / 0.8, 12);
      expect(r.qMinus(w)).toBeCloseTo(1 + w / 0.8, 12);
    }
  });

  it('cLin is the papers’ symmetric asymmetry: q⁺ = (1 + c)(1 − w/τ), q⁻ = (1 − c)(1 + w/τ), SP = c·τ', () => {
    const { device } = makeDevices('soft-bounds', { ...exactAld, cLin: 0.3 }, 1);
    const r = responseFunctions(device, 0);
    expect(r.qPlus(0.2)).toBeCloseTo(1.3 * (1 - 0.2 / 0.8), 12);
    expect(r.qMinus(0.2)).toBeCloseTo(0.7 * (1 + 0.2 / 0.8), 12);
    expect(device.symmetricPoint(0)).toBeCloseTo(0.3 * 0.8, 12);
    expect(r.G(device.symmetricPoint(0))).toBeCloseTo(0, 12);
  });

  it('aihwkit’s upDown lowers one side only: its SP is c·τ/(2 − c), not c·τ (papers.md §1.5(c) caution)', () => {
    const { device } = makeDevices('soft-bounds', { ...exactAld, upDown: 0.3 }, 1);
    expect(device.symmetricPoint(0)).toBeCloseTo((0.3 * 0.8) / (2 - 0.3), 12);
  });
});

describe('expected update vs the pulsed path', () => {
  // One element, x = 1, d = −1 (Δ = +lr), soft bounds without noise, from w = 0.3.
  // lr = 5·g: k = 5 expected pulses with BL 31, no BL management: p = q = √(k/BL) per slot.
  const n = 20000;
  const w0 = 0.3;
  const g = 0.001;
  const lr = 5 * g;
  const run = (update: Record<string, unknown>) => {
    const tile = new AnalogTile({ rows: 1, cols: 1, device: makeDevices('soft-bounds', exactAld, 1).config, update, seed: 3 });
    const steps = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      tile.setWeights([w0]);
      tile.update([1], [-1], 1, lr);
      steps[t] = tile.weights()[0]! - w0;
    }
    return { steps, device: tile.device };
  };

  it('the pulsed mean matches Δ·q⁺(w) to first order, and the variance is the binomial k(1 − k/BL)(g·q⁺)² ≈ |Δ|·dwMin·q⁺²', () => {
    const { steps, device } = run({ updateBlManagement: false });
    const q = responseFunctions(device, 0).qPlus(w0);
    const s = summarize(steps);
    const k = lr / g;
    const pq = k / 31;
    // Second order: each pulse shrinks the next by (1 − g/τ); E[n(n−1)/2]·g·q·g/τ with n ~ Bin(31, pq).
    const secondOrder = ((31 * 30 * pq * pq) / 2) * g * q * (g / 0.8);
    expect(Math.abs(s.mean - (lr * q - secondOrder))).toBeLessThan((4 * s.std) / Math.sqrt(n));
    expect(Math.abs(s.std ** 2 / (k * (1 - pq) * (g * q) ** 2) - 1)).toBeLessThan(0.05);
  });

  it('the expected mode is exactly w + Δ·q⁺(w) without noise, and adds ζ with variance |Δ|·dwMin with expectedNoise', () => {
    const exact = run({ pulseType: 'expected' });
    const q = responseFunctions(exact.device, 0).qPlus(w0);
    expect(exact.steps.every((v) => Math.abs(v - lr * q) < 1e-15)).toBe(true);
    const noisy = summarize(run({ pulseType: 'expected', expectedNoise: true }).steps);
    expect(Math.abs(noisy.mean - lr * q)).toBeLessThan((4 * noisy.std) / Math.sqrt(n));
    expect(Math.abs(noisy.std ** 2 / (lr * g) - 1)).toBeLessThan(0.05);
  });
});
