/** The MVM pipeline of aihwkit-model.md §4.2 against hand computations. */
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../../src/devices/index.js';
import { AnalogTile, ioSchema, quantize, converterStep, type IoInput } from '../../src/tile/index.js';
import { summarize } from '../helpers.js';

const W = [1, 2, 3, 4, 5, 6]; // 2 × 3
const device = resolveDevice('ideal');

function tileWith(forward: IoInput, backward: IoInput = { isPerfect: true }): AnalogTile {
  const tile = new AnalogTile({ rows: 2, cols: 3, device, forward, backward, seed: 1 });
  tile.setWeights(W);
  return tile;
}

const noiseless: IoInput = { outNoise: 0, boundManagement: 'none', noiseManagement: 'abs-max' };

describe('converters', () => {
  it('steps follow the resolution convention: r ≤ 1 is a fraction of the range, r > 1 a count', () => {
    expect(converterStep(1 / 126, 1)).toBeCloseTo(2 / 126, 15);
    expect(converterStep(254, 1)).toBeCloseTo(2 / 254, 15);
    expect(converterStep(0, 1)).toBe(0);
  });
  it('deterministic rounding is half away from zero; stochastic rounding is unbiased', () => {
    expect(quantize(0.25, 0.1, null)).toBeCloseTo(0.3, 15);
    expect(quantize(-0.25, 0.1, null)).toBeCloseTo(-0.3, 15);
    const tile = tileWith({ ...noiseless, inpRes: 0.1, inpStoRound: true, outRes: 0 });
    // x = [0.5, 0.37, -0.2] / α(=0.5) = [1, 0.74, −0.4]; 0.74 rounds to 0.6 or 0.8 with mean 0.74.
    const n = 20000;
    const y0 = new Float64Array(n);
    for (let t = 0; t < n; t++) y0[t] = tile.forward([0.5, 0.37, -0.2])[0]!;
    // y0 = α·(1·1 + 2·x'₁ + 3·(−0.4)) with x'₁ ∈ {0.6, 0.8}: mean α·(1 + 1.48 − 1.2) = 0.64.
    const s = summarize(y0);
    expect(Math.abs(s.mean - 0.64)).toBeLessThan((4 * s.std) / Math.sqrt(n));
  });
});

describe('vectors whose noise-management scale is ≤ 0 (aihwkit rpu_forward_backward_pass.cpp short-cuts)', () => {
  const zero = [0, 0, 0];
  const v = [0.5, -0.2, 0.1];
  const noisy: IoInput = { outNoise: 0.06 }; // aihwkit's defaults otherwise: abs-max, 7/9 bits

  it('an all-zero input reads as exact zeros and draws nothing: the next vector sees the stream a fresh tile sees', () => {
    const a = tileWith(noisy);
    const b = tileWith(noisy);
    expect(Array.from(a.forward(zero))).toEqual([0, 0]);
    expect(Array.from(a.forward(v))).toEqual(Array.from(b.forward(v)));
    // In a batch too (the batched first pass): the zero row is zeros, the next row as if alone.
    const c = tileWith(noisy);
    const batch = c.forward([...zero, ...v], 2);
    expect(Array.from(batch.subarray(0, 2))).toEqual([0, 0]);
    expect(Array.from(batch.subarray(2))).toEqual(Array.from(tileWith(noisy).forward(v)));
  });

  it('the backward pass short-cuts an all-zero error the same way', () => {
    const a = tileWith({ isPerfect: true }, noisy);
    const b = tileWith({ isPerfect: true }, noisy);
    expect(Array.from(a.backward([0, 0]))).toEqual([0, 0, 0]);
    expect(Array.from(a.backward([0.3, -0.1]))).toEqual(Array.from(b.backward([0.3, -0.1])));
    expect(Array.from(b.backward([0, 0, 0.3, -0.1], 2).subarray(0, 3))).toEqual([0, 0, 0]);
  });

  it('not in the forward pass with input noise, nor without noise management: there the zero input reads as noise', () => {
    expect(Array.from(tileWith({ ...noisy, inpNoise: 0.05 }).forward(zero)).some((y) => y !== 0)).toBe(true);
    expect(Array.from(tileWith({ ...noisy, noiseManagement: 'none' }).forward(zero)).some((y) => y !== 0)).toBe(true);
  });

  it('max noise management short-cuts any input with no positive entry, as aihwkit does', () => {
    expect(Array.from(tileWith({ ...noisy, noiseManagement: 'max' }).forward([-0.5, -0.2, 0]))).toEqual([0, 0]);
  });
});

describe('forward MVM (hand computations)', () => {
  it('a perfect MVM is W·x times outScale', () => {
    const tile = tileWith({ isPerfect: true, outScale: 2 });
    expect(Array.from(tile.forward([1, 0.5, -1]))).toEqual([-2, 1]);
  });

  it('abs-max noise management, DAC and ADC quantisation, rescale by α', () => {
    // α = 0.5; x/α = [1, 0.52, −0.2] → DAC step 0.2 → [1, 0.6, −0.2]; W·x' = [1.6, 5.8]
    // → ADC step 0.2 (outRes 1/100 of ±10) → [1.6, 5.8]; × α → [0.8, 2.9].
    const tile = tileWith({ ...noiseless, inpRes: 0.1, outRes: 0.01, outBound: 10 });
    const y = tile.forward([0.5, 0.26, -0.1]);
    expect(y[0]).toBeCloseTo(0.8, 12);
    expect(y[1]).toBeCloseTo(2.9, 12);
  });

  it('the ADC clips at ±outBound without bound management', () => {
    const tile = tileWith({ ...noiseless, inpRes: 0.1, outRes: 0.01, outBound: 2 });
    const y = tile.forward([0.5, 0.26, -0.1]);
    expect(y[0]).toBeCloseTo(0.8, 12);
    expect(y[1]).toBeCloseTo(1.0, 12); // 2 × α
  });

  it('iterative bound management halves the input until no output saturates', () => {
    // ρ = 1: y = [1.6, 5.8] hits 2. ρ = 2: x' = q([0.5, 0.26, −0.1]) = [0.6, 0.2, −0.2], y = [0.4, 2.2] hits.
    // ρ = 4: x' = q([0.25, 0.13, −0.05]) = [0.2, 0.2, 0], y = [0.6, 1.8] → out = y·α·ρ = [1.2, 3.6].
    const tile = tileWith({ ...noiseless, boundManagement: 'iterative', inpRes: 0.1, outRes: 0.01, outBound: 2, maxBmRes: 1 });
    const y = tile.forward([0.5, 0.26, -0.1]);
    expect(y[0]).toBeCloseTo(1.2, 12);
    expect(y[1]).toBeCloseTo(3.6, 12);
  });

  it('bound management stops once ρ exceeds maxBmRes / input step', () => {
    // maxBmRes / Δin = 0.25 / 0.2 = 1.25: the pass at ρ = 2 is the last → [0.4, 2]·α·2.
    const tile = tileWith({ ...noiseless, boundManagement: 'iterative', inpRes: 0.1, outRes: 0.01, outBound: 2, maxBmRes: 0.25 });
    const y = tile.forward([0.5, 0.26, -0.1]);
    expect(y[0]).toBeCloseTo(0.4, 12);
    expect(y[1]).toBeCloseTo(2.0, 12);
  });

  it('constant and no noise management scale the input by nmThres and 1', () => {
    const constant = tileWith({ ...noiseless, noiseManagement: 'constant', nmThres: 2, inpRes: 0, outRes: 0 });
    const y = constant.forward([1, 0.5, -1]);
    expect(y[0]).toBeCloseTo(-1, 12);
    // Without NM, inputs beyond ±inpBound are clipped by the DAC: x' = [1, 1, −1] for x = [3, 1, −2].
    const none = tileWith({ ...noiseless, noiseManagement: 'none', inpRes: 0, outRes: 0, outBound: 100 });
    expect(none.forward([3, 1, -2])[0]).toBeCloseTo(1 + 2 - 3, 12);
  });

  it('negative inputs and outputs are scaled by the asymmetry factors', () => {
    const tile = tileWith({ ...noiseless, noiseManagement: 'none', inpRes: 0, outRes: 0, inpAsymmetry: 0.5, outAsymmetry: 0.1 });
    // x' = [1, 0, −0.5]: y = [1 − 1.5, 4 − 3] = [−0.5, 1] → negative × 0.9 → [−0.45, 1]
    const y = tile.forward([1, 0, -1]);
    expect(y[0]).toBeCloseTo(-0.45, 12);
    expect(y[1]).toBeCloseTo(1, 12);
  });
});

describe('noise statistics', () => {
  const n = 20000;
  function outputs(tile: AnalogTile, x: number[]): { y0: Float64Array; y1: Float64Array } {
    const y0 = new Float64Array(n);
    const y1 = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const y = tile.forward(x);
      y0[t] = y[0]!;
      y1[t] = y[1]!;
    }
    return { y0, y1 };
  }
  // sd checks within 5 %: the sd of a sample sd is ≈ 0.5 % at n = 2·10⁴.
  it('output noise is σ·α after rescaling, and unbiased', () => {
    const tile = tileWith({ inpRes: 0, outRes: 0, outNoise: 0.1, boundManagement: 'none' });
    const { y0 } = outputs(tile, [0.5, 0.25, -0.5]); // α = 0.5
    const s = summarize(y0);
    expect(Math.abs(s.mean - (0.5 + 0.5 - 1.5))).toBeLessThan((4 * 0.05) / Math.sqrt(n));
    expect(Math.abs(s.std / 0.05 - 1)).toBeLessThan(0.05);
  });

  it('additive weight noise is wNoise·‖x′‖₂ per output', () => {
    const tile = tileWith({ inpRes: 0, outRes: 0, outNoise: 0, wNoise: 0.02, boundManagement: 'none' });
    const { y1 } = outputs(tile, [1, -1, 0.5]); // α = 1, ‖x′‖₂ = 1.5
    expect(Math.abs(summarize(y1).std / 0.03 - 1)).toBeLessThan(0.05);
  });

  it('pcm-read weight noise is wNoise·√(Σ|w|x′²) per output', () => {
    const tile = tileWith({ inpRes: 0, outRes: 0, outNoise: 0, wNoise: 0.02, wNoiseType: 'pcm-read', boundManagement: 'none' });
    const { y0, y1 } = outputs(tile, [1, -1, 0.5]);
    expect(Math.abs(summarize(y0).std / (0.02 * Math.sqrt(1 + 2 + 3 * 0.25)) - 1)).toBeLessThan(0.05);
    expect(Math.abs(summarize(y1).std / (0.02 * Math.sqrt(4 + 5 + 6 * 0.25)) - 1)).toBeLessThan(0.05);
  });

  it('input noise propagates as inpNoise·√(Σ_j w_ij²)', () => {
    const tile = tileWith({ inpRes: 0, outRes: 0, outNoise: 0, inpNoise: 0.01, boundManagement: 'none' });
    const { y0 } = outputs(tile, [1, 0.2, 0.4]);
    expect(Math.abs(summarize(y0).std / (0.01 * Math.sqrt(1 + 4 + 9)) - 1)).toBeLessThan(0.05);
  });
});

describe('backward MVM', () => {
  it('is Wᵀ·d and never uses bound management', () => {
    const tile = tileWith({ isPerfect: true }, { ...noiseless, boundManagement: 'iterative', inpRes: 0, outRes: 0, outBound: 0.6 });
    // Wᵀ·[1, −0.5] = [−1, −0.5, 0]; α = 1; output clipped at ±0.6 (no BM) → [−0.6, −0.5, 0].
    const z = tile.backward([1, -0.5]);
    expect(Array.from(z).map((v) => +v.toFixed(12))).toEqual([-0.6, -0.5, 0]);
    expect(tile.counters.totalReads('backward')).toBe(1);
  });

  it('reads are counted per vector and purpose', () => {
    const tile = tileWith({ isPerfect: true });
    tile.forward([1, 0, 0, 0, 1, 0], 2);
    tile.read([0, 0, 1], 1, ioSchema.parse({ isPerfect: true }), 'transfer-read');
    expect(tile.counters.snapshot().reads).toEqual({ forward: 2, 'transfer-read': 1 });
  });
});

describe('config errors', () => {
  it('an unknown IO key is a one-line error naming it and the allowed keys', () => {
    expect(() => tileWith({ irDrop: 1 } as IoInput)).toThrow(/config error at forward\.irDrop: unknown key; allowed keys: isPerfect/);
    expect(() => tileWith({ outNoise: -1 })).toThrow('config error at forward.outNoise: must be >= 0, got -1');
    expect(() => tileWith({ boundManagement: 'sometimes' } as unknown as IoInput)).toThrow(/must be one of: none, iterative, iterative-worst-case/);
  });
});
