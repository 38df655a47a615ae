import type { Rng } from '../rng/index.js';
import { ARENA_CHUNK, gainsFromWasm, kernelBackend, multiply, multiplyBatch, WasmArena } from '../kernels/index.js';
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

/**
 * Whether a vector reads as exact zeros, with no draws: aihwkit returns zeros when noise
 * management is on and its scale is ≤ 0 (an all-zero input under abs-max; any input with no
 * positive entry under max), in the forward pass unless input noise is on, in the backward pass
 * always (rpucuda/rpu_forward_backward_pass.cpp, forwardVector and backwardVector). `forward` is
 * the pass that allows bound management.
 */
function readsZero(alpha: number, io: IoConfig, forward: boolean): boolean {
  return io.noiseManagement !== 'none' && alpha <= 0 && (!forward || io.inpNoise <= 0);
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
  // Without draws a zero input converts to what the steps below give it, at once: +0 after a
  // quantiser (⌊0/Δ + ½⌋·Δ), else scale·x (±0). Sparse inputs (one-hot transfer reads) skip the rest.
  const zerosExact = inputRng === null && !(io.inpNoise > 0) && Number.isFinite(scale);
  for (let j = 0; j < inSize; j++) {
    if (zerosExact && x[j] === 0) {
      xq[j] = inputStep === 0 ? scale * x[j]! : 0;
      continue;
    }
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
  const inputStep = converterStep(io.inpRes, io.inpBound);
  const outputStep = converterStep(io.outRes, io.outBound);
  const outBounded = io.outBound > 0;
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
  // Weights resident in a Wasm arena: the input and output stages of the first pass run there.
  const arena = batched && kernelBackend() === 'wasm' && gainsFromWasm(rows, cols, batch) ? WasmArena.holding(weights) : undefined;
  if (batched) {
    ensureBatchScratch(batch * inSize, batch * outSize, batch);
    if (arena && arena.fits(inSize)) {
      inputStageWasm(arena, input, inSize, batch, io, state, inputStep);
    } else {
      for (let b = 0; b < batch; b++) {
        for (let j = 0; j < inSize; j++) x[j] = input[b * inSize + j]!;
        let alpha = noiseManagementScale(x, inSize, io, state, inputStep);
        const xq = batchScratch.xq.subarray(b * inSize, (b + 1) * inSize);
        // α = 0 marks a vector that reads as zeros (the batched pass has no input noise).
        if (readsZero(alpha, io, ctx.allowBoundManagement)) {
          batchScratch.alpha[b] = 0;
          xq.fill(0);
          continue;
        }
        if (!(alpha > 0) || !Number.isFinite(alpha)) alpha = 1;
        batchScratch.alpha[b] = alpha;
        convertInput(x, inSize, 1 / alpha, inputStep, io, null, rng, xq);
      }
    }
    multiplyBatch(weights, rows, cols, transposed, batchScratch.xq, batchScratch.y, batch);
  }

  if (arena && !io.outStoRound && arena.fits(outSize)) {
    // The first-pass output stage in Wasm, chunk by chunk, in sample order; a sample that
    // saturates under bound management is finished above (same draws, same order).
    const sc = arena.scratch;
    if (ctx.outNoiseScale) sc.ioScale.set(ctx.outNoiseScale.subarray(0, outSize));
    const bmActive = bm !== 'none' && !(1 > maxReduction) ? 1 : 0;
    for (let start = 0; start < batch; start += ARENA_CHUNK) {
      const n = Math.min(ARENA_CHUNK, batch - start);
      sc.ioY.set(batchScratch.y.subarray(start * outSize, (start + n) * outSize));
      sc.ioAlpha.set(batchScratch.alpha.subarray(start, start + n));
      let b = 0;
      while (b < n) {
        rng.writeState(sc.ioRng, 0);
        const stop = arena.kernels.ioOutput(
          sc.ioY.byteOffset, sc.ioOut.byteOffset, sc.ioAlpha.byteOffset, outSize, b, n,
          io.outAsymmetry, io.outNoise, ctx.outNoiseScale ? sc.ioScale.byteOffset : 0, outputStep, outBounded ? io.outBound : 0,
          io.bmTestNegativeBound ? 1 : 0, bmActive, io.outScale, sc.ioRng.byteOffset, sc.ioZ.byteOffset,
        );
        rng.readState(sc.ioRng, 0);
        output.set(sc.ioOut.subarray(b * outSize, stop * outSize), (start + b) * outSize);
        passes += stop - b;
        if (stop === n) break;
        passes += vectorPipeline(op, ctx, start + stop, true, batched);
        b = stop + 1;
      }
    }
    return passes;
  }

  for (let b = 0; b < batch; b++) passes += vectorPipeline(op, ctx, b, false, batched);
  return passes;
}

const noiseManagementModes: Record<IoConfig['noiseManagement'], number> = {
  none: 0,
  'abs-max': 1,
  max: 2,
  constant: 3,
  'average-abs-max': 4,
  'abs-max-np-sum': 5,
};

/**
 * The batched first pass's noise management and DAC in Wasm (assembly/gemm.ts `ioInput`), chunk
 * by chunk in sample order: α into batchScratch.alpha, x' into batchScratch.xq, the running
 * average-abs-max value carried through `state`. The same numbers as the TS loop above.
 */
function inputStageWasm(arena: WasmArena, input: ArrayLike<number>, inSize: number, batch: number, io: IoConfig, state: IoState, inputStep: number): void {
  const sc = arena.scratch;
  sc.ioState[0] = state.nmAverage;
  for (let start = 0; start < batch; start += ARENA_CHUNK) {
    const n = Math.min(ARENA_CHUNK, batch - start);
    const from = start * inSize;
    if (input instanceof Float64Array) sc.ioY.set(input.subarray(from, from + n * inSize));
    else for (let k = 0; k < n * inSize; k++) sc.ioY[k] = input[from + k]!;
    arena.kernels.ioInput(
      sc.ioY.byteOffset, sc.ioOut.byteOffset, sc.ioAlpha.byteOffset, n, inSize,
      noiseManagementModes[io.noiseManagement], io.nmThres, io.nmDecay, sc.ioState.byteOffset, io.nmAssumedWmax, io.outBound, io.maxBmRes,
      inputStep, io.inpBound, io.inpAsymmetry,
    );
    batchScratch.xq.set(sc.ioOut.subarray(0, n * inSize), from);
    batchScratch.alpha.set(sc.ioAlpha.subarray(0, n), start);
  }
  state.nmAverage = sc.ioState[0]!;
}

/**
 * One vector of the pipeline: noise management, DAC, product, output stage, bound management
 * (repeat while outputs saturate). `resume` continues a vector whose batched first pass saturated
 * in the Wasm output stage (its draws already made there). Returns the passes made.
 */
function vectorPipeline(op: MvmOperands, ctx: MvmContext, b: number, resume: boolean, batched: boolean): number {
  const { weights, rows, cols, transposed, input, output } = op;
  const { io, rng, state } = ctx;
  const inSize = transposed ? rows : cols;
  const outSize = transposed ? cols : rows;
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
  if (input instanceof Float64Array) x.set(input.subarray(b * inSize, (b + 1) * inSize));
  else for (let j = 0; j < inSize; j++) x[j] = input[b * inSize + j]!;
  const out = output.subarray(b * outSize, (b + 1) * outSize);
  let alpha = batched ? batchScratch.alpha[b]! : noiseManagementScale(x, inSize, io, state, inputStep);
  if (batched ? alpha === 0 : readsZero(alpha, io, ctx.allowBoundManagement)) {
    out.fill(0);
    return 1;
  }
  // Without noise management (or a non-finite scale) the input is converted unscaled.
  if (!(alpha > 0) || !Number.isFinite(alpha)) alpha = 1;
  let reduction = 1;
  let worstCaseUsed = false;
  let firstPass = !resume;
  let hit = resume;
  if (resume) passes++;
  for (;;) {
    if (!resume) {
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
      hit = false;
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
    }
    resume = false;
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
  return passes;
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

export { multiply, multiplyBatch };
