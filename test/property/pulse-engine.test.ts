/**
 * Issue 14, property tests (fast-check) of the pulse engine over random small tiles, devices and
 * update settings: the counters add up, conductances stay within every device's bounds, no NaN.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalogTile, resolveDevice } from '../../src/index.js';

const devices = ['constant-step', 'linear-step', 'soft-bounds', 'soft-bounds-reference', 'exp-step', 'pow-step', 'piecewise-step', 'limited-state', 'reram-es', 'ecram', 'pcm'];
const pulseTypes = ['stochastic-compressed', 'mean-count', 'deterministic-implicit'] as const;
const entry = fc.double({ min: -3, max: 3, noNaN: true });

const setup = fc.record({
  rows: fc.integer({ min: 1, max: 6 }),
  cols: fc.integer({ min: 1, max: 6 }),
  batch: fc.integer({ min: 1, max: 4 }),
  steps: fc.integer({ min: 1, max: 6 }),
  device: fc.constantFrom(...devices),
  dwMin: fc.double({ min: 1e-4, max: 0.2, noNaN: true }),
  lr: fc.double({ min: 1e-4, max: 5, noNaN: true }),
  desiredBl: fc.integer({ min: 1, max: 64 }),
  pulseType: fc.constantFrom(...pulseTypes),
  updateBlManagement: fc.boolean(),
  updateManagement: fc.boolean(),
  seed: fc.nat(1000),
});

describe('the pulse engine (property tests)', () => {
  it('random tiles and settings: counts are whole and bounded by BL, conductances within bounds, no NaN', () => {
    fc.assert(
      fc.property(setup, fc.array(entry, { minLength: 4 * 6 * 6, maxLength: 4 * 6 * 6 }), (s, values) => {
        // Kinds take the generated step size; presets keep their fitted one.
        const overrides = devices.indexOf(s.device) < 8 && 'dwMin' in resolveDevice(s.device) ? { dwMin: s.dwMin } : {};
        const tile = new AnalogTile({
          rows: s.rows,
          cols: s.cols,
          device: resolveDevice(s.device, overrides),
          seed: s.seed,
          update: { desiredBl: s.desiredBl, pulseType: s.pulseType, updateBlManagement: s.updateBlManagement, updateManagement: s.updateManagement },
        });
        const x = Float64Array.from({ length: s.batch * s.cols }, (_, i) => values[i]!);
        const d = Float64Array.from({ length: s.batch * s.rows }, (_, i) => values[100 + i]!);
        for (let t = 0; t < s.steps; t++) tile.update(x, d, s.batch, s.lr);
        const { up, down } = tile.counters.snapshot().pulses['update'] ?? { up: 0, down: 0 };
        expect(Number.isInteger(up) && Number.isInteger(down) && up >= 0 && down >= 0).toBe(true);
        // At most one pulse per slot of each device's train, per sample. With BL management the
        // length may exceed desiredBl only up to ⌈lr·max|x|·max|d|/dwMin⌉ when fixedBl is off (it is on).
        expect(up + down).toBeLessThanOrEqual(s.steps * s.batch * s.rows * s.cols * s.desiredBl);
        expect(tile.counters.totalPulses()).toBe(up + down);
        const { bmax, bmin } = tile.device.hidden;
        for (let k = 0; k < tile.size; k++) {
          const g = tile.conductance[k]!;
          expect(Number.isFinite(g)).toBe(true);
          expect(g).toBeLessThanOrEqual(Math.max(bmax[k]!, bmin[k]!) + 1e-12);
          expect(g).toBeGreaterThanOrEqual(Math.min(bmax[k]!, bmin[k]!) - 1e-12);
        }
        for (const w of tile.weights()) expect(Number.isFinite(w)).toBe(true);
      }),
      { numRuns: 400, seed: 21 },
    );
  });

  it('noise-free constant steps far from the bounds: ΣΔG = dwMin·(up − down) and Σ|ΔG| ≤ dwMin·(up + down)', () => {
    fc.assert(
      fc.property(setup, fc.array(entry, { minLength: 200, maxLength: 200 }), (s, values) => {
        const dwMin = 1e-3;
        const device = resolveDevice('constant-step', { dwMin, dwMinDtod: 0, dwMinStd: 0, upDown: 0, upDownDtod: 0, wMax: 100, wMin: -100, wMaxDtod: 0, wMinDtod: 0 });
        const tile = new AnalogTile({ rows: s.rows, cols: s.cols, device, seed: s.seed, update: { desiredBl: s.desiredBl, pulseType: s.pulseType, updateBlManagement: s.updateBlManagement, updateManagement: s.updateManagement } });
        const before = Float64Array.from(tile.conductance);
        const x = Float64Array.from({ length: s.batch * s.cols }, (_, i) => values[i]!);
        const d = Float64Array.from({ length: s.batch * s.rows }, (_, i) => values[100 + i]!);
        for (let t = 0; t < s.steps; t++) tile.update(x, d, s.batch, s.lr);
        const { up, down } = tile.counters.snapshot().pulses['update'] ?? { up: 0, down: 0 };
        let net = 0;
        let moved = 0;
        for (let k = 0; k < tile.size; k++) {
          net += tile.conductance[k]! - before[k]!;
          moved += Math.abs(tile.conductance[k]! - before[k]!);
        }
        expect(net).toBeCloseTo(dwMin * (up - down), 9);
        expect(moved).toBeLessThanOrEqual(dwMin * (up + down) + 1e-9);
      }),
      { numRuns: 400, seed: 22 },
    );
  });
});
