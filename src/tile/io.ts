import type { Rng } from '../rng/index.js';
import type { IoConfig } from './io-config.js';

/** Absolute quantisation step of a converter with range ±bound (aihwkit-model.md §4.1). */
export function converterStep(resolution: number, bound: number): number {
  if (!(resolution > 0)) return 0;
  return resolution > 1 ? (2 * bound) / resolution : resolution * 2 * bound;
}

/** Round to the step (half away from zero), or stochastically when `rng` is given. */
export function quantize(value: number, step: number, rng: Rng | null): number {
  if (step === 0) return value;
  if (rng) return Math.floor(value / step + rng.uniform()) * step;
  const q = Math.floor(Math.abs(value) / step + 0.5) * step;
  return value < 0 ? -q : q;
}

/** Mutable state an MVM pipeline keeps between calls (average-abs-max noise management). */
export interface IoState {
  nmAverage: number;
}

/** The operands of one batched MVM on the effective weights W (rows × cols, row-major). */
export interface MvmOperands {
  weights: Float64Array;
  rows: number;
  cols: number;
  /** false: y = W·x (x has `cols` entries per sample); true: y = Wᵀ·x (x has `rows`). */
  transposed: boolean;
  input: ArrayLike<number>;
  batch: number;
  /** Written: `batch` samples of the output size. */
  output: Float64Array;
}

export interface MvmContext {
  io: IoConfig;
  rng: Rng;
  state: IoState;
  /** Fixed per-output noise scale (outNoiseStd), or null. */
  outNoiseScale: Float64Array | null;
  /** Bound management is a forward-only feature (aihwkit-model.md §4.1). */
  allowBoundManagement: boolean;
}

/** Noise-management scale α of one input vector (aihwkit-model.md §4.2). */
function noiseManagementScale(x: Float64Array, n: number, io: IoConfig, state: IoState, inputStep: number): number {
  let absMax = 0;
  let max = -Infinity;
  let positiveSum = 0;
  let negativeSum = 0;
  for (let j = 0; j < n; j++) {
    const v = x[j]!;
    const a = Math.abs(v);
    if (a > absMax) absMax = a;
    if (v > max) max = v;
    if (v > 0) positiveSum += v;
    else negativeSum -= v;
  }
  switch (io.noiseManagement) {
    case 'none':
      return 1;
    case 'abs-max':
      return io.nmThres > 0 ? Math.min(absMax, io.nmThres) : absMax;
    case 'max':
      return max;
    case 'constant':
      return io.nmThres > 0 ? io.nmThres : 1;
    case 'average-abs-max':
      state.nmAverage = state.nmAverage === 0 ? absMax : (1 - io.nmDecay) * state.nmAverage + io.nmDecay * absMax;
      return state.nmAverage;
    case 'abs-max-np-sum':
      return absMaxNpSum(absMax, positiveSum, negativeSum, io, inputStep);
    default: {
      const unknown: never = io.noiseManagement;
      throw new Error(`aimsim internal error: noise management ${String(unknown)}`);
    }
  }
}

function absMaxNpSum(absMax: number, positiveSum: number, negativeSum: number, io: IoConfig, inputStep: number): number {
  const resolutionCap = inputStep > 0 ? (absMax * io.maxBmRes) / inputStep : Infinity;
  const sumScale = (Math.max(positiveSum, negativeSum) * io.nmAssumedWmax) / io.outBound;
  return Math.max(absMax, Math.min(resolutionCap, sumScale));
}

const scratch = { x: new Float64Array(0), xq: new Float64Array(0), y: new Float64Array(0) };
function ensureScratch(inSize: number, outSize: number): void {
  if (scratch.x.length < inSize) {
    scratch.x = new Float64Array(inSize);
    scratch.xq = new Float64Array(inSize);
  }
  if (scratch.y.length < outSize) scratch.y = new Float64Array(outSize);
}

const batchScratch = { xq: new Float64Array(0), y: new Float64Array(0), alpha: new Float64Array(0) };
function ensureBatchScratch(inTotal: number, outTotal: number, batch: number): void {
  if (batchScratch.xq.length < inTotal) batchScratch.xq = new Float64Array(inTotal);
  if (batchScratch.y.length < outTotal) batchScratch.y = new Float64Array(outTotal);
  if (batchScratch.alpha.length < batch) batchScratch.alpha = new Float64Array(batch);
}

/** DAC: x' = clip(quantize(scale·x)) + input noise, with input asymmetry; returns ‖x'‖². */
function convertInput(x: Float64Array, inSize: number, scale: number, inputStep: number, io: IoConfig, inputRng: Rng | null, rng: Rng, xq: Float64Array): number {
  let normSquared = 0;
  for (let j = 0; j < inSize; j++) {
    let v = quantize(scale * x[j]!, inputStep, inputRng);
    if (v > io.inpBound) v = io.inpBound;
    else if (v < -io.inpBound) v = -io.inpBound;
    if (io.inpNoise > 0) v += io.inpNoise * rng.normal();
    if (v < 0 && io.inpAsymmetry !== 0) v *= 1 - io.inpAsymmetry;
    xq[j] = v;
    normSquared += v * v;
  }
  return normSquared;
}

/**
 * The analog MVM pipeline of aihwkit-model.md §4.2 for a batch of input vectors:
 * noise management → DAC (quantise, clip, input noise) → W·x' → weight noise → output noise →
 * ADC (quantise, clip) → bound management (repeat with the input halved while outputs saturate)
 * → rescale by α·ρ·outScale. Returns the number of passes made (≥ batch).
 */
export function analogMvm(op: MvmOperands, ctx: MvmContext): number {
  const { weights, rows, cols, transposed, input, batch, output } = op;
  const { io, rng, state } = ctx;
  const inSize = transposed ? rows : cols;
  const outSize = transposed ? cols : rows;
  ensureScratch(inSize, outSize);
  const x = scratch.x;
  const xq = scratch.xq;
  const y = scratch.y;
  const inputStep = converterStep(io.inpRes, io.inpBound);
  const outputStep = converterStep(io.outRes, io.outBound);
  const outBounded = io.outBound > 0;
  const inputRng = io.inpStoRound ? rng : null;
  const outputRng = io.outStoRound ? rng : null;
  const bm = ctx.allowBoundManagement ? io.boundManagement : 'none';
  const maxReduction = Math.min(io.maxBmFactor, inputStep > 0 ? io.maxBmRes / inputStep : Infinity);
  let passes = 0;

  if (io.isPerfect) {
    const xs = input instanceof Float64Array ? input : Float64Array.from(input);
    multiplyBatch(weights, rows, cols, transposed, xs, output, batch);
    for (let k = 0; k < batch * outSize; k++) output[k] = output[k]! * io.outScale;
    return batch;
  }

  // Batched first pass: when the DAC draws no random numbers (no input noise, no stochastic
  // rounding) and there is no weight noise, every vector's first-pass W·x' is computed up front
  // by one batched product. The output stage below then draws its noise in the same order as
  // the per-vector loop, so the result is bit-identical to it.
  const batched = batch > 1 && io.inpNoise === 0 && !io.inpStoRound && io.wNoise === 0;
  if (batched) {
    ensureBatchScratch(batch * inSize, batch * outSize, batch);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < inSize; j++) x[j] = input[b * inSize + j]!;
      let alpha = noiseManagementScale(x, inSize, io, state, inputStep);
      if (!(alpha > 0) || !Number.isFinite(alpha)) alpha = 1;
      batchScratch.alpha[b] = alpha;
      convertInput(x, inSize, 1 / alpha, inputStep, io, null, rng, batchScratch.xq.subarray(b * inSize, (b + 1) * inSize));
    }
    multiplyBatch(weights, rows, cols, transposed, batchScratch.xq, batchScratch.y, batch);
  }

  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < inSize; j++) x[j] = input[b * inSize + j]!;
    const out = output.subarray(b * outSize, (b + 1) * outSize);
    let alpha: number;
    if (batched) alpha = batchScratch.alpha[b]!;
    else {
      alpha = noiseManagementScale(x, inSize, io, state, inputStep);
      // An all-zero input (α = 0) is converted unscaled: it reads as output noise only.
      if (!(alpha > 0) || !Number.isFinite(alpha)) alpha = 1;
    }
    let reduction = 1;
    let worstCaseUsed = false;
    let firstPass = true;
    for (;;) {
      passes++;
      let normSquared = 0;
      if (batched && firstPass) {
        y.set(batchScratch.y.subarray(b * outSize, (b + 1) * outSize));
      } else {
        normSquared = convertInput(x, inSize, 1 / (alpha * reduction), inputStep, io, inputRng, rng, xq);
        multiply(weights, rows, cols, transposed, xq, y);
      }
      firstPass = false;
      if (io.wNoise > 0) addWeightNoise(weights, rows, cols, transposed, xq, y, io, rng, normSquared);
      let hit = false;
      for (let i = 0; i < outSize; i++) {
        let v = y[i]!;
        if (v < 0 && io.outAsymmetry !== 0) v *= 1 - io.outAsymmetry;
        if (io.outNoise > 0) v += io.outNoise * (ctx.outNoiseScale ? ctx.outNoiseScale[i]! : 1) * rng.normal();
        v = quantize(v, outputStep, outputRng);
        if (outBounded) {
          if (v >= io.outBound) {
            v = io.outBound;
            hit = true;
          } else if (v <= -io.outBound) {
            v = -io.outBound;
            if (io.bmTestNegativeBound) hit = true;
          }
        }
        y[i] = v;
      }
      // Redo while outputs saturate, unless the reduction already exceeds max_bm_factor or
      // max_bm_res/Δin (with the defaults: passes at ρ = 1, 2, 4, 8, 16).
      if (bm === 'none' || !hit || reduction > maxReduction) break;
      if (bm === 'iterative-worst-case' && !worstCaseUsed) {
        // Second round: switch to the abs-max-np-sum scale, reduction back to 1 (§4.2).
        worstCaseUsed = true;
        let absMax = 0;
        let positiveSum = 0;
        let negativeSum = 0;
        for (let j = 0; j < inSize; j++) {
          const v = x[j]!;
          absMax = Math.max(absMax, Math.abs(v));
          if (v > 0) positiveSum += v;
          else negativeSum -= v;
        }
        alpha = Math.max(alpha, absMaxNpSum(absMax, positiveSum, negativeSum, io, inputStep));
        reduction = 1;
      } else {
        reduction *= 2;
      }
    }
    const rescale = io.outScale * alpha * reduction;
    for (let i = 0; i < outSize; i++) out[i] = y[i]! * rescale;
  }
  return passes;
}

/** y = W·x (rows outputs) or y = Wᵀ·x (cols outputs), exact. */
let sparseIndex = new Int32Array(0);

export function multiply(weights: Float64Array, rows: number, cols: number, transposed: boolean, x: Float64Array, y: Float64Array): void {
  if (!transposed) {
    // Sparse inputs (the one-hot column reads of the transfers): sum over the non-zero inputs
    // only, in the same order. Skipped terms are exact zeros, so the sums are the same (up to the
    // sign of an all-zero sum).
    let nonZero = 0;
    for (let j = 0; j < cols; j++) if (x[j] !== 0) nonZero++;
    if (nonZero * 8 <= cols) {
      if (sparseIndex.length < nonZero) sparseIndex = new Int32Array(cols);
      let n = 0;
      for (let j = 0; j < cols; j++) if (x[j] !== 0) sparseIndex[n++] = j;
      for (let i = 0; i < rows; i++) {
        let sum = 0;
        const base = i * cols;
        for (let t = 0; t < n; t++) {
          const j = sparseIndex[t]!;
          sum += weights[base + j]! * x[j]!;
        }
        y[i] = sum;
      }
      return;
    }
    for (let i = 0; i < rows; i++) {
      let sum = 0;
      const base = i * cols;
      for (let j = 0; j < cols; j++) sum += weights[base + j]! * x[j]!;
      y[i] = sum;
    }
    return;
  }
  y.fill(0, 0, cols);
  for (let i = 0; i < rows; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const base = i * cols;
    for (let j = 0; j < cols; j++) y[j] = y[j]! + weights[base + j]! * xi;
  }
}

/**
 * Batched y_b = W·x_b (or Wᵀ·x_b) for `batch` vectors stored row-major in X (batch × in) and
 * Y (batch × out). Four vectors share each pass over W (the weights are read from memory once
 * per four vectors instead of once per vector); every output is accumulated in the same order as
 * `multiply`, so the results are bit-identical to calling it per vector.
 */
export function multiplyBatch(weights: Float64Array, rows: number, cols: number, transposed: boolean, x: Float64Array, y: Float64Array, batch: number): void {
  const inSize = transposed ? rows : cols;
  const outSize = transposed ? cols : rows;
  let b = 0;
  if (!transposed) {
    for (; b + 4 <= batch; b += 4) {
      const x0 = b * cols;
      const x1 = x0 + cols;
      const x2 = x1 + cols;
      const x3 = x2 + cols;
      let i = 0;
      // two rows × four vectors: eight independent sums, each in j order as in `multiply`
      for (; i + 2 <= rows; i += 2) {
        const r0 = i * cols;
        const r1 = r0 + cols;
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        for (let j = 0; j < cols; j++) {
          const w0 = weights[r0 + j]!;
          const w1 = weights[r1 + j]!;
          const v0 = x[x0 + j]!;
          const v1 = x[x1 + j]!;
          const v2 = x[x2 + j]!;
          const v3 = x[x3 + j]!;
          s00 += w0 * v0;
          s01 += w0 * v1;
          s02 += w0 * v2;
          s03 += w0 * v3;
          s10 += w1 * v0;
          s11 += w1 * v1;
          s12 += w1 * v2;
          s13 += w1 * v3;
        }
        y[b * rows + i] = s00;
        y[(b + 1) * rows + i] = s01;
        y[(b + 2) * rows + i] = s02;
        y[(b + 3) * rows + i] = s03;
        y[b * rows + i + 1] = s10;
        y[(b + 1) * rows + i + 1] = s11;
        y[(b + 2) * rows + i + 1] = s12;
        y[(b + 3) * rows + i + 1] = s13;
      }
      for (; i < rows; i++) {
        const base = i * cols;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let j = 0; j < cols; j++) {
          const w = weights[base + j]!;
          s0 += w * x[x0 + j]!;
          s1 += w * x[x1 + j]!;
          s2 += w * x[x2 + j]!;
          s3 += w * x[x3 + j]!;
        }
        y[b * rows + i] = s0;
        y[(b + 1) * rows + i] = s1;
        y[(b + 2) * rows + i] = s2;
        y[(b + 3) * rows + i] = s3;
      }
    }
  } else {
    for (; b + 4 <= batch; b += 4) {
      const y0 = b * cols;
      const y1 = y0 + cols;
      const y2 = y1 + cols;
      const y3 = y2 + cols;
      y.fill(0, y0, y0 + 4 * cols);
      for (let i = 0; i < rows; i++) {
        const base = i * cols;
        const a0 = x[b * rows + i]!;
        const a1 = x[(b + 1) * rows + i]!;
        const a2 = x[(b + 2) * rows + i]!;
        const a3 = x[(b + 3) * rows + i]!;
        // zero inputs are skipped, as in `multiply` (adding +0 would be the same except for −0)
        if (a0 !== 0 && a1 !== 0 && a2 !== 0 && a3 !== 0) {
          for (let j = 0; j < cols; j++) {
            const w = weights[base + j]!;
            y[y0 + j] = y[y0 + j]! + w * a0;
            y[y1 + j] = y[y1 + j]! + w * a1;
            y[y2 + j] = y[y2 + j]! + w * a2;
            y[y3 + j] = y[y3 + j]! + w * a3;
          }
        } else {
          if (a0 !== 0) for (let j = 0; j < cols; j++) y[y0 + j] = y[y0 + j]! + weights[base + j]! * a0;
          if (a1 !== 0) for (let j = 0; j < cols; j++) y[y1 + j] = y[y1 + j]! + weights[base + j]! * a1;
          if (a2 !== 0) for (let j = 0; j < cols; j++) y[y2 + j] = y[y2 + j]! + weights[base + j]! * a2;
          if (a3 !== 0) for (let j = 0; j < cols; j++) y[y3 + j] = y[y3 + j]! + weights[base + j]! * a3;
        }
      }
    }
  }
  for (; b < batch; b++) multiply(weights, rows, cols, transposed, x.subarray(b * inSize, (b + 1) * inSize), y.subarray(b * outSize, (b + 1) * outSize));
}

/** Output-referred weight noise (aihwkit-model.md §4.2), redrawn every MVM. */
function addWeightNoise(
  weights: Float64Array,
  rows: number,
  cols: number,
  transposed: boolean,
  xq: Float64Array,
  y: Float64Array,
  io: IoConfig,
  rng: Rng,
  normSquared: number,
): void {
  const outSize = transposed ? cols : rows;
  if (io.wNoiseType === 'additive-constant') {
    const sd = io.wNoise * Math.sqrt(normSquared);
    for (let i = 0; i < outSize; i++) y[i] = y[i]! + sd * rng.normal();
    return;
  }
  // pcm-read: σ_i = wNoise·sqrt(Σ_j |w_ij|·x_j²)
  for (let o = 0; o < outSize; o++) {
    let sum = 0;
    if (!transposed) {
      const base = o * cols;
      for (let j = 0; j < cols; j++) sum += Math.abs(weights[base + j]!) * xq[j]! * xq[j]!;
    } else {
      for (let i = 0; i < rows; i++) sum += Math.abs(weights[i * cols + o]!) * xq[i]! * xq[i]!;
    }
    y[o] = y[o]! + io.wNoise * Math.sqrt(sum) * rng.normal();
  }
}
