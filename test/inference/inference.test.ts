/** Issue 20: the read-out after training (docs/inference.md, aihwkit-model.md §7). */
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiment/run.js';
import { NoiseModel, ReadoutTile, noiseModelSchema, toConductances, toWeights } from '../../src/inference/index.js';
import { Rng } from '../../src/rng/index.js';
import { ioSchema } from '../../src/tile/index.js';
import { summarize } from '../helpers.js';

const perfect = { isPerfect: true };
const silent = { kind: 'generic', progCoeff: [0], nuMean: 0, nuStd: 0, readNoiseScale: 0 };
const base = {
  data: { trainLimit: 300, testLimit: 300 },
  network: { layers: [{ type: 'flatten' }, { type: 'linear', outputs: 16 }, { type: 'sigmoid' }, { type: 'linear', outputs: 10 }] },
  forward: perfect,
  training: { epochs: 1, batch: 10, lr: 0.1 },
};

const constant = (n: number, value: number) => new Float64Array(n).fill(value);

describe('noise model statistics (seeded, n = 20 000 devices; tolerances 5 standard errors)', () => {
  const n = 20000;
  const pcm = new NoiseModel(noiseModelSchema.parse({ kind: 'pcm' }));

  it('programming noise: mean g, std (c₀ + c₁ĝ + c₂ĝ²) at g_max 25', () => {
    const g = 10;
    const sigma = 0.26348 + 1.965 * 0.4 - 1.1731 * 0.16;
    expect(pcm.programmingSigma(g)).toBeCloseTo(sigma, 12);
    const s = summarize(pcm.program(constant(n, g), Rng.stream(1, 'prog')));
    expect(Math.abs(s.mean - g)).toBeLessThan((5 * sigma) / Math.sqrt(n));
    expect(Math.abs(s.std - sigma)).toBeLessThan((5 * sigma) / Math.sqrt(2 * n));
  });

  it('drift coefficients: |N(μ_ν(ĝ), σ_ν(ĝ))| with the clipped log laws', () => {
    // ĝ = 0.4: μ = max(−0.0155·ln 0.4 + 0.0244, 0.049) = 0.049, σ = max(−0.0125·ln 0.4 − 0.0059, 0.008) = 0.008
    const s = summarize(pcm.driftCoefficients(constant(n, 10), Rng.stream(2, 'nu')));
    expect(Math.abs(s.mean - 0.049)).toBeLessThan((5 * 0.008) / Math.sqrt(n));
    expect(Math.abs(s.std - 0.008)).toBeLessThan((5 * 0.008) / Math.sqrt(2 * n));
    // ĝ = 0.01: μ = −0.0155·ln 0.01 + 0.0244 = 0.0958, σ = −0.0125·ln 0.01 − 0.0059 = 0.0517 → 0.045
    const low = summarize(pcm.driftCoefficients(constant(n, 0.25), Rng.stream(3, 'nu')));
    // The fold |·| of N(0.0958, 0.045) moves the mean up by 2σφ(μ/σ) − 2μΦ(−μ/σ) ≈ 0.0004.
    expect(Math.abs(low.std - 0.045)).toBeLessThan(0.002);
    expect(Math.abs(low.mean - 0.0962)).toBeLessThan(0.0015);
  });

  it('drift and read noise: mean g·((t + t₀)/t₀)^−ν, std |g(t)|·Q_s·sqrt(ln((t + t₀ + t_read)/2t_read))', () => {
    const g = 10;
    const t = 86400;
    const expected = g * ((t + 20) / 20) ** -0.05;
    const qs = 0.0088 / 0.4 ** 0.65;
    const sigma = expected * qs * Math.sqrt(Math.log((t + 20 + 250e-9) / (2 * 250e-9)));
    const s = summarize(pcm.drift(constant(n, g), constant(n, 0.05), t, Rng.stream(4, 'read')));
    expect(Math.abs(s.mean - expected)).toBeLessThan((5 * sigma) / Math.sqrt(n));
    expect(Math.abs(s.std - sigma)).toBeLessThan((5 * sigma) / Math.sqrt(2 * n));
  });

  it('generic model: ν ~ |N(ν_mean, ν_std)| and an additive read noise of σ_a', () => {
    const generic = new NoiseModel(noiseModelSchema.parse({ kind: 'generic', nuMean: 0.1, nuStd: 0.01, readNoiseScale: 0, readNoiseAdditive: 0.5 }));
    const nu = summarize(generic.driftCoefficients(constant(n, 3), Rng.stream(6, 'nu')));
    expect(Math.abs(nu.mean - 0.1)).toBeLessThan((5 * 0.01) / Math.sqrt(n));
    const read = summarize(generic.drift(constant(n, 10), constant(n, 0), 3600, Rng.stream(7, 'read')));
    expect(Math.abs(read.mean - 10)).toBeLessThan((5 * 0.5) / Math.sqrt(n));
    expect(Math.abs(read.std - 0.5)).toBeLessThan((5 * 0.5) / Math.sqrt(2 * n));
  });

  it('the single-pair converter maps max |w| to g_max and back', () => {
    const w = [0.5, -0.25, 0, 0.125];
    const pair = toConductances(w, 25);
    expect(Array.from(pair.plus)).toEqual([25, 0, 0, 6.25]);
    expect(Array.from(pair.minus)).toEqual([0, 12.5, 0, 0]);
    expect(Array.from(toWeights(pair))).toEqual(w);
  });
});

describe('drift compensation', () => {
  it('restores the mean output scale of a uniformly drifted tile', () => {
    const io = ioSchema.parse(perfect);
    const w = Float64Array.from({ length: 12 }, (_, k) => Math.sin(k + 1));
    const drifted = w.map((v) => 0.4 * v);
    const baseline = new ReadoutTile(3, 4, w, io, Rng.stream(5, 'io')).oneHotReadout();
    const tile = new ReadoutTile(3, 4, drifted, io, Rng.stream(5, 'io'));
    tile.alpha = baseline / tile.oneHotReadout();
    expect(tile.alpha).toBeCloseTo(2.5, 12);
    const x = [0.3, -1, 0.2, 0.7];
    const y = tile.forward(x, 1);
    for (let i = 0; i < 3; i++) expect(y[i]).toBeCloseTo(w[i * 4]! * 0.3 - w[i * 4 + 1]! + w[i * 4 + 2]! * 0.2 + w[i * 4 + 3]! * 0.7, 12);
  });
});

describe('inference after a run', () => {
  it('with ν = 0 and no noise the accuracy is the trained one, programmed or as trained, on mapped layers too', async () => {
    for (const source of ['program', 'trained']) {
      const run = await runExperiment({ ...base, mapping: { maxInputSize: 100 }, inference: { times: [0, 3600, 31536000], repeats: 2, noise: silent, source } });
      const trained = run.epochs[0]!.testAccuracy;
      for (const point of run.inference!.points) expect(point.accuracies).toEqual([trained, trained]);
    }
  });

  it('stuck devices (b^max = b^min) keep their value when the trained conductances drift', async () => {
    const device = { preset: 'soft-bounds-reference', subtractSymmetryPoint: true, dwMin: 0.002, corruptDevicesProb: 0.05 };
    const run = await runExperiment({ ...base, device, inference: { times: [3600], repeats: 1, noise: silent, source: 'trained' } });
    expect(run.inference!.points[0]!.accuracies).toEqual([run.epochs[0]!.testAccuracy]);
  });

  it('global compensation undoes a uniform drift; without it the accuracy changes', async () => {
    const drift = { ...silent, nuMean: 0.1 };
    const on = await runExperiment({ ...base, inference: { times: [31536000], repeats: 1, noise: drift } });
    const off = await runExperiment({ ...base, inference: { times: [31536000], repeats: 1, noise: drift, driftCompensation: 'none' } });
    const trained = on.epochs[0]!.testAccuracy;
    expect(on.inference!.points[0]!.mean).toBeCloseTo(trained, 12);
    expect(off.inference!.points[0]!.mean).not.toBeCloseTo(trained, 3);
  });

  it('with PCM statistics the accuracy falls with time, and the trained weights are left as they were', async () => {
    const config = { ...base, algorithm: 'sgd', device: 'ideal', data: { trainLimit: 1000, testLimit: 500 }, training: { epochs: 3, batch: 10, lr: 0.5 }, inference: { times: [1, 31536000], repeats: 4, driftCompensation: 'none' } };
    const run = await runExperiment(config);
    const [early, late] = run.inference!.points;
    // Trained to 70 %: programming and 1/f noise cost little at 1 s; a year of drift costs more.
    expect(early!.mean).toBeGreaterThan(run.epochs[2]!.testAccuracy - 0.05);
    expect(late!.mean + 2 * late!.std).toBeLessThan(early!.mean);
    // The snapshots are taken before the read-out; a second run without it has the same weights.
    const plain = await runExperiment({ ...config, inference: undefined });
    expect(run.snapshots).toEqual(plain.snapshots);
    expect(run.epochs).toEqual(plain.epochs.map((e, k) => ({ ...e, seconds: run.epochs[k]!.seconds })));
  });
});
