import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../../src/devices/index.js';
import { Agad, ChoppedTikiTaka, MixedPrecision, TikiTaka, parseAlgorithmConfig, createAlgorithm } from '../../src/algorithms/index.js';
import { agadSchema } from '../../src/algorithms/agad.js';
import { choppedTikiTakaSchema } from '../../src/algorithms/chopped-tiki-taka.js';
import { mixedPrecisionSchema } from '../../src/algorithms/mixed-precision.js';
import { tikiTakaSchema } from '../../src/algorithms/tiki-taka.js';
import { Rng } from '../../src/rng/index.js';
import { summarize } from '../helpers.js';

const exactStep = resolveDevice('constant-step', {
  dwMin: 0.001, dwMinDtod: 0, dwMinStd: 0, upDownDtod: 0, wMax: 1000, wMin: -1000, wMaxDtod: 0, wMinDtod: 0,
});

describe('mixed precision', () => {
  it('sends exactly trunc(χ/ε) pulses per element at a transfer and keeps the remainder in χ', () => {
    const mp = new MixedPrecision({ rows: 2, cols: 3, device: exactStep, seed: 1 }, mixedPrecisionSchema.parse({ kind: 'mixed-precision' }));
    const x = [0.8, -0.31, 0.05];
    const d = [0.5, -0.9];
    mp.update(x, d, 1, 0.02);
    // χ = lr·d·xᵀ; ε = 0.001
    let expectedPulses = 0;
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) {
        const chi = 0.02 * d[i]! * x[j]!;
        const n = Math.trunc(chi / 0.001 + 1e-9 * Math.sign(chi));
        expectedPulses += Math.abs(n);
        expect(mp.weights()[i * 3 + j]).toBeCloseTo(-n * 0.001, 12);
        expect(mp.accumulator[i * 3 + j]).toBeCloseTo(chi - n * 0.001, 12);
      }
    }
    expect(mp.report().pulsesByPurpose['transfer']).toBe(expectedPulses);
    expect(mp.report().transfers).toBe(1);
  });
});

describe('chopper', () => {
  it('de-chopping cancels a constant offset of A in the buffer (random choppers), which TTv2 without choppers accumulates', () => {
    // A holds a constant offset o and receives no gradient (d = 0); every read adds lr_scale·o·c to
    // H. Without choppers H grows as N·lr_scale·o; with random choppers E[H] = 0.
    const reads = 400;
    const run = (inChopProb: number) => {
      const algo = new ChoppedTikiTaka(
        { rows: 16, cols: 16, device: exactStep, seed: 3 },
        choppedTikiTakaSchema.parse({ kind: 'chopped-tiki-taka', inChopProb, transferForward: { isPerfect: true }, autoGranularity: 1e7 }),
      );
      algo.fast.setWeights(new Float64Array(256).fill(0.2));
      const x = Float64Array.from({ length: 16 }, (_, j) => (j % 2 ? 1 : -1));
      for (let t = 0; t < reads * 16; t++) algo.update(x, new Float64Array(16), 1, 0.01);
      return { buffer: algo.buffer, pulses: algo.report().totalPulses };
    };
    const plain = run(0);
    const chopped = run(0.5);
    // lr_scale = lr·transferLr / (granularity·1e7/16) ⇒ each read adds 0.01·0.2/(0.001·625000) = 3.2e-6.
    const perRead = (0.01 * 0.2) / (0.001 * (1e7 / 16));
    expect(summarize(plain.buffer).mean).toBeCloseTo(reads * perRead, 12);
    const s = summarize(chopped.buffer);
    // With p = ½ the chopper signs are independent fair coins: Σc over N reads has sd √N. One
    // chopper serves a whole column, so the 16 columns are the independent samples.
    expect(Math.abs(s.mean)).toBeLessThan((4 * Math.sqrt(reads) * perRead) / Math.sqrt(16));
    expect(s.std).toBeGreaterThan(0.5 * Math.sqrt(reads) * perRead);
    expect(s.std).toBeLessThan(1.5 * Math.sqrt(reads) * perRead);
    expect(chopped.pulses).toBe(0);
  });

  it('AGAD subtracts its running reference: after the first chopper period a constant offset no longer enters the buffer', () => {
    const algo = new Agad(
      { rows: 8, cols: 8, device: exactStep, seed: 4 },
      agadSchema.parse({ kind: 'agad', inChopProb: 0.25, transferForward: { isPerfect: true }, tailWeightening: 4, autoGranularity: 1e6 }),
    );
    algo.fast.setWeights(new Float64Array(64).fill(0.3));
    const x = new Float64Array(8).fill(1);
    const zero = new Float64Array(8);
    // P = 4 reads per phase and β = 1: the reference is the last read, so δ = 0 from phase 2 on.
    for (let t = 0; t < 8 * 4; t++) algo.update(x, zero, 1, 0.01);
    const afterFirstPhase = Float64Array.from(algo.buffer);
    for (let t = 0; t < 8 * 40; t++) algo.update(x, zero, 1, 0.01);
    expect(Array.from(algo.buffer)).toEqual(Array.from(afterFirstPhase));
  });
});

describe('counters and transfers', () => {
  it('Tiki-Taka: gradient pulses on A, transfer pulses on C, one transfer read per transfer, totals add up', () => {
    const tt = new TikiTaka({ rows: 4, cols: 5, device: resolveDevice('soft-bounds'), seed: 5 }, tikiTakaSchema.parse({ kind: 'tiki-taka' }));
    const rng = Rng.stream(1, 'data');
    for (let step = 0; step < 20; step++) {
      const x = Float64Array.from({ length: 3 * 5 }, () => rng.normal());
      const d = Float64Array.from({ length: 3 * 4 }, () => rng.normal());
      tt.update(x, d, 3, 0.1);
    }
    const report = tt.report();
    // unitsInMbatch: one transfer per mini-batch of 3.
    expect(report.transfers).toBe(20);
    expect(report.tiles['fast']!.reads['transfer-read']).toBe(20);
    expect(report.tiles['fast']!.updates['update']).toBe(60);
    expect(report.pulsesByTile['fast']).toBe(report.tiles['fast']!.pulses['update']!.up + report.tiles['fast']!.pulses['update']!.down);
    expect(report.pulsesByTile['slow']).toBe(report.tiles['slow']!.pulses['transfer']!.up + report.tiles['slow']!.pulses['transfer']!.down);
    expect(report.totalPulses).toBe(report.pulsesByPurpose['update']! + report.pulsesByPurpose['transfer']!);
    expect(report.totalPulses).toBe(tt.fast.counters.totalPulses() + tt.slow.counters.totalPulses());
  });

  it('the composite weight is γ·A + C', () => {
    const tt = new TikiTaka({ rows: 2, cols: 2, device: resolveDevice('ideal'), seed: 1 }, tikiTakaSchema.parse({ kind: 'tiki-taka', gamma: 0.25 }));
    tt.fast.setWeights([1, 2, 3, 4]);
    tt.slow.setWeights([10, 20, 30, 40]);
    expect(Array.from(tt.weights())).toEqual([10.25, 20.5, 30.75, 41]);
  });

  it('the same seed gives the same run, for every algorithm', () => {
    for (const name of ['sgd', 'ttv1', 'ttv2', 'c-ttv2', 'agad', 'mp']) {
      const { config, update } = parseAlgorithmConfig(name);
      const make = () => createAlgorithm({ rows: 3, cols: 4, device: resolveDevice('reram-sb'), seed: 9, ...(update ? { update } : {}) }, config);
      const a = make();
      const b = make();
      for (const algo of [a, b]) {
        const rng = Rng.stream(2, 'data');
        for (let t = 0; t < 30; t++) algo.update(Float64Array.from({ length: 8 }, () => rng.normal()), Float64Array.from({ length: 6 }, () => rng.normal()), 2, 0.05);
      }
      expect(Array.from(a.weights()), name).toEqual(Array.from(b.weights()));
      expect(a.report(), name).toEqual(b.report());
    }
  });

  it('an unknown algorithm or field is a one-line config error', () => {
    expect(() => parseAlgorithmConfig('ttv9')).toThrow(/config error at algorithm\.preset: must be one of: sgd, ttv1, ttv2, c-ttv2, agad, mp/);
    expect(() => parseAlgorithmConfig({ kind: 'tiki-taka', gama: 1 })).toThrow(/config error at algorithm\.gama: unknown key; allowed keys: kind, gamma/);
    expect(() => parseAlgorithmConfig({ kind: 'agad', inChopProb: 2 })).toThrow('config error at algorithm.inChopProb: must be <= 1, got 2');
  });
});
