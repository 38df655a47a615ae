import type { Rng } from '../rng/index.js';
import { applyPulses, clipToBounds } from '../devices/pulse-loop.js';
import type { DeviceResponse, LinearPulseParams } from '../devices/response.js';
import type { TileCounters } from './counters.js';
import { discretizeProbability, fillPulseTrain, popcount32, pulseScaling } from './pulse-scaling.js';
import type { UpdateConfig } from './update-config.js';
import { ARENA_CHUNK, gainsFromWasm, kernelBackend, type WasmArena } from '../kernels/index.js';

/** A tile's Wasm arena with resident copies of its linear pulse parameters (src/kernels/). */
export interface PulseKernel {
  readonly arena: WasmArena;
  /** The tile's effective weights and reference (resident), kept as eff = g − ref by the kernel. */
  readonly effective: Float64Array;
  readonly reference: Float64Array;
  /** Per device, 8 f64: b_max, b_min, Δ⁺ offset, Δ⁺ slope, −Δ⁻ offset, −Δ⁻ slope, (2 unused). */
  readonly params: Float64Array;
}

/** The device state an update writes: conductances in device order (row-major, rows × cols). */
export interface DeviceArrayState {
  readonly device: DeviceResponse;
  readonly rows: number;
  readonly cols: number;
  /** Persistent conductance the pulses act on. */
  readonly conductance: Float64Array;
  /** Apparent conductance the MVMs see (the same array unless write noise is on). */
  readonly apparent: Float64Array;
  /** One cycle-to-cycle noise stream per row, so rows can be split across threads. */
  readonly rowRngs: readonly Rng[];
  /** Set when the Wasm pulse kernel can serve this array (conductance resident in its arena). */
  readonly kernel?: PulseKernel | null;
}

export interface UpdateRequest {
  /** Inputs, `batch` × cols, row-major. */
  x: ArrayLike<number>;
  /** Errors, `batch` × rows, row-major. */
  d: ArrayLike<number>;
  batch: number;
  lr: number;
  config: UpdateConfig;
  /** Stream of the pulse trains (bit lines). */
  trainRng: Rng;
  counters: TileCounters;
  purpose: string;
}

/** Per-tile scratch, reused across calls (no allocation per sample). */
export class UpdateScratch {
  p = new Float64Array(0);
  q = new Float64Array(0);
  xBits = new Uint32Array(0);
  dBits = new Uint32Array(0);
  active = new Int32Array(0);

  ensure(rows: number, cols: number, words: number): void {
    if (this.p.length < cols) {
      this.p = new Float64Array(cols);
      this.active = new Int32Array(cols);
    }
    if (this.q.length < rows) this.q = new Float64Array(rows);
    if (this.xBits.length < cols * words) this.xBits = new Uint32Array(cols * words);
    if (this.dBits.length < rows * words) this.dBits = new Uint32Array(rows * words);
  }
}

function absMax(values: ArrayLike<number>, offset: number, n: number): number {
  let m = 0;
  for (let k = 0; k < n; k++) {
    const a = Math.abs(values[offset + k]!);
    if (a > m) m = a;
  }
  return m;
}

/**
 * Applies `count` pulses of one direction to element (i, j) in time order, then redraws its
 * write noise (aihwkit-model.md §2.3: the apparent weight is redrawn for every touched element).
 */
function pulseElement(state: DeviceArrayState, k: number, up: boolean, count: number, rng: Rng): void {
  const device = state.device;
  const g = applyPulses(device, k, state.conductance[k]!, up, count, rng);
  state.conductance[k] = g;
  if (device.writeNoise > 0) state.apparent[k] = g + device.writeNoise * rng.normal();
}

/**
 * `applyPulses` + `pulseElement` for a linear-response device, inlined: the same arithmetic in
 * the same order (noise draw, step, clip to the hard bounds after every pulse), hence the same
 * result, without the closure calls per pulse.
 */
function pulseLinearElement(state: DeviceArrayState, lin: LinearPulseParams, k: number, up: boolean, count: number, rng: Rng): void {
  const hidden = state.device.hidden;
  const hi = hidden.bmax[k]!;
  const lo = hidden.bmin[k]!;
  const sigma = lin.sigma;
  const offset = up ? lin.offsetUp[k]! : lin.offsetDown[k]!;
  const slope = up ? lin.slopeUp[k]! : lin.slopeDown[k]!;
  let g = state.conductance[k]!;
  for (let p = 0; p < count; p++) {
    const noise = sigma > 0 ? sigma * rng.normal() : 0;
    if (up) g = lin.multNoise ? g + (offset + slope * g) * (1 + noise) : g + slope * g + offset * (1 + noise);
    else g = lin.multNoise ? g - (offset + slope * g) * (1 + noise) : g - slope * g - offset * (1 + noise);
    if (g > hi) g = hi;
    else if (g < lo) g = lo;
  }
  state.conductance[k] = g;
  const writeNoise = state.device.writeNoise;
  if (writeNoise > 0) state.apparent[k] = g + writeNoise * rng.normal();
}

/** One element's `count` pulses: the inlined loop for linear-response devices, else the generic one. */
function pulseAt(state: DeviceArrayState, lin: LinearPulseParams | undefined, k: number, up: boolean, count: number, rng: Rng): void {
  if (lin) pulseLinearElement(state, lin, k, up, count, rng);
  else pulseElement(state, k, up, count, rng);
}

const rowPulses = { up: 0, down: 0 };
let compactScratch = new Int32Array(0);

/** One row's coincidences for BL ≤ 32 (one word per train): m = x-train & d-train, |m| pulses. */
function coincidencesOneWord(
  state: DeviceArrayState,
  lin: LinearPulseParams | undefined,
  xBits: Uint32Array,
  dWord: number,
  active: Int32Array,
  activeCount: number,
  x: ArrayLike<number>,
  xOffset: number,
  di: number,
  rowBase: number,
  rng: Rng,
): { up: number; down: number } {
  let up = 0;
  let down = 0;
  // Compact first, branch-free (numerics-measured.md, `pulsed_rows2`), then pulse: the same
  // elements in the same order, so the same random draws and the same result.
  const hits = compactScratch.length >= activeCount ? compactScratch : (compactScratch = new Int32Array(activeCount));
  let n = 0;
  for (let a = 0; a < activeCount; a++) {
    const j = active[a]!;
    hits[n] = j;
    n += ((xBits[j]! & dWord) | -(xBits[j]! & dWord)) >>> 31;
  }
  for (let h = 0; h < n; h++) {
    const j = hits[h]!;
    const count = popcount32(xBits[j]! & dWord);
    const isUp = x[xOffset + j]! * di < 0;
    pulseAt(state, lin, rowBase + j, isUp, count, rng);
    if (isUp) up += count;
    else down += count;
  }
  rowPulses.up = up;
  rowPulses.down = down;
  return rowPulses;
}

/**
 * The update engine of aihwkit-model.md §3: for each sample in order, BL/A/B management, pulse
 * probabilities, coincidences by the configured pulse type, and every coincidence applied as one
 * pulse. Pulse direction follows SGD, ΔW = −lr·d·xᵀ: up when x_j·d_i < 0. Returns true when the
 * Wasm kernel made every change and kept the effective weights current (no refresh needed).
 */
export function pulsedUpdate(state: DeviceArrayState, request: UpdateRequest, scratch: UpdateScratch): boolean {
  const { rows, cols, device } = state;
  const { x, d, batch, lr, config, trainRng, counters, purpose } = request;
  counters.addUpdates(purpose, batch);
  if (device.isIdeal || config.pulseType === 'none' || config.pulseType === 'none-with-device') {
    floatingPointUpdate(state, request);
    return false;
  }
  if (config.pulseType === 'expected') {
    expectedUpdate(state, request);
    return false;
  }
  const maxWords = Math.ceil(config.desiredBl / 32) + 1;
  scratch.ensure(rows, cols, maxWords);
  const { p, q, xBits, dBits, active } = scratch;
  let upPulses = 0;
  let downPulses = 0;
  // A small array (it has an arena only for its pulse kernel, src/kernels/index.ts `arenaFor`)
  // takes the kernel for large batches; its single-vector updates (transfers) cost less in the TS
  // loop than the kernel's per-call set-up. The numbers are the same either way.
  const kernelPays = gainsFromWasm(rows, cols, batch);
  const wasmBatch =
    state.kernel && device.linear && config.pulseType === 'stochastic-compressed' && kernelBackend() === 'wasm' && kernelPays
      ? new WasmPulseBatch(state, state.kernel, device.linear)
      : null;
  // Whether every pulse went through the Wasm kernel, which keeps the effective weights current.
  let effectiveKept = wasmBatch !== null;

  // Without discretisation the per-sample set-up (maxima, scaling, probabilities, trains) of whole
  // chunks runs in Wasm too (`WasmPulseBatch.addSamples`); a sample it cannot take (BL > 32)
  // comes back to the loop below. The same draws in the same order either way.
  const batchedSetUp = wasmBatch !== null && !(config.res > 0);
  // A small call on an array with an arena (a transfer, a chopped compound's sample) keeps its
  // pulses in the TS loop but takes the set-up from the same Wasm kernel: its trains cost a
  // fraction of the TS draws.
  const setUpInWasm =
    wasmBatch === null && state.kernel && config.pulseType === 'stochastic-compressed' && !(config.res > 0) && kernelBackend() === 'wasm' ? state.kernel : null;
  for (let b = 0; b < batch; b++) {
    if (batchedSetUp && wasmBatch) {
      b = wasmBatch.addSamples(x, d, b, batch, lr, device.granularity, config, trainRng);
      if (b === batch) break;
    }
    if (setUpInWasm) {
      const taken = wasmSetUpThenTsPulses(state, setUpInWasm, x, d, b, lr, config, trainRng);
      if (taken) {
        upPulses += taken.up;
        downPulses += taken.down;
        continue;
      }
    }
    const xOffset = b * cols;
    const dOffset = b * rows;
    const scaling = pulseScaling(lr, device.granularity, config, absMax(x, xOffset, cols), absMax(d, dOffset, rows));
    if (!scaling) continue;
    const { bl } = scaling;
    for (let j = 0; j < cols; j++) p[j] = discretizeProbability(scaling.b * Math.abs(x[xOffset + j]!), config, trainRng);
    for (let i = 0; i < rows; i++) q[i] = discretizeProbability(scaling.a * Math.abs(d[dOffset + i]!), config, trainRng);

    if (config.pulseType === 'stochastic-compressed') {
      const words = Math.ceil(bl / 32);
      if (wasmBatch && words === 1) {
        // Queue the sample's trains (same trainRng draws in the same order); the device loop runs
        // in Wasm per chunk, each row replaying its own stream.
        wasmBatch.add(p, q, bl, x, xOffset, d, dOffset, trainRng);
        continue;
      }
      wasmBatch?.flush();
      effectiveKept = false;
      let activeCount = 0;
      for (let j = 0; j < cols; j++) {
        if (fillPulseTrain(p[j]!, bl, xBits, j * words, words, trainRng)) active[activeCount++] = j;
      }
      const lin = device.linear;
      for (let i = 0; i < rows; i++) {
        if (!fillPulseTrain(q[i]!, bl, dBits, i * words, words, trainRng)) continue;
        const di = d[dOffset + i]!;
        const rng = state.rowRngs[i]!;
        const rowBase = i * cols;
        if (words === 1) {
          // BL ≤ 32: one word per train, one AND per element (the common case)
          const pulses = coincidencesOneWord(state, lin, xBits, dBits[i]!, active, activeCount, x, xOffset, di, rowBase, rng);
          upPulses += pulses.up;
          downPulses += pulses.down;
          continue;
        }
        for (let a = 0; a < activeCount; a++) {
          const j = active[a]!;
          let count = 0;
          for (let w = 0; w < words; w++) count += popcount32(xBits[j * words + w]! & dBits[i * words + w]!);
          if (count === 0) continue;
          const up = x[xOffset + j]! * di < 0;
          pulseAt(state, lin, rowBase + j, up, count, rng);
          if (up) upPulses += count;
          else downPulses += count;
        }
      }
      continue;
    }

    // Deterministic pulse types: coincidence counts per element (aihwkit-model.md §3.3).
    const meanCount = config.pulseType === 'mean-count';
    for (let i = 0; i < rows; i++) {
      const qi = Math.min(q[i]!, 1);
      if (qi === 0) continue;
      const di = d[dOffset + i]!;
      const rng = state.rowRngs[i]!;
      // mean-count: n_d = round(BL·q); deterministic-implicit: the quantised probability itself.
      const dLevel = meanCount ? Math.round(bl * qi) : quantizeImplicit(qi, config.dResImplicit);
      for (let j = 0; j < cols; j++) {
        const pj = Math.min(p[j]!, 1);
        if (pj === 0) continue;
        const count = meanCount
          ? Math.round((dLevel * Math.round(bl * pj)) / bl)
          : Math.round(bl * dLevel * quantizeImplicit(pj, config.xResImplicit));
        if (count === 0) continue;
        const up = x[xOffset + j]! * di < 0;
        pulseElement(state, i * cols + j, up, count, rng);
        if (up) upPulses += count;
        else downPulses += count;
      }
    }
  }
  if (wasmBatch) {
    wasmBatch.flush();
    upPulses += wasmBatch.up;
    downPulses += wasmBatch.down;
  }
  counters.addPulses(purpose, upPulses, downPulses);
  return effectiveKept;
}

/**
 * Samples of one-word (BL ≤ 32) stochastic-compressed updates queued for the Wasm kernel
 * `pulseLinear` (assembly/gemm.ts): the trains are drawn here exactly as in the TS path, the
 * coincidences and pulses there, per row in sample order with the row's stream, so every pulse,
 * draw and weight is the same as `coincidencesOneWord` + `pulseLinearElement`
 * (test/kernels/fast-paths.test.ts).
 */
class WasmPulseBatch {
  up = 0;
  down = 0;
  private pending = 0;
  private readonly totals = new Float64Array(2);
  private readonly state: DeviceArrayState;
  private readonly kernel: PulseKernel;
  private readonly lin: LinearPulseParams;

  constructor(state: DeviceArrayState, kernel: PulseKernel, lin: LinearPulseParams) {
    this.state = state;
    this.kernel = kernel;
    this.lin = lin;
  }

  /**
   * Queues samples [from, to) of x and d with their set-up done by the kernel `pulsePrepare`
   * (no discretisation of the probabilities). Returns the first sample it did not take: one whose
   * BL needs more than one word (nothing of it drawn), or `to`.
   */
  addSamples(x: ArrayLike<number>, d: ArrayLike<number>, from: number, to: number, lr: number, granularity: number, config: UpdateConfig, trainRng: Rng): number {
    while (from < to) {
      const first = this.pending;
      const n = Math.min(ARENA_CHUNK - first, to - from);
      const taken = prepareInWasm(this.state, this.kernel, x, d, from, first, n, lr, granularity, config, trainRng);
      this.pending += taken;
      from += taken;
      if (this.pending === ARENA_CHUNK) this.flush();
      if (taken < n) return from;
    }
    return from;
  }

  add(p: Float64Array, q: Float64Array, bl: number, x: ArrayLike<number>, xOffset: number, d: ArrayLike<number>, dOffset: number, trainRng: Rng): void {
    const { rows, cols } = this.state;
    const { arena } = this.kernel;
    const { xBits, dBits, active, activeCount, xv, dv, probs, trainRng: rngWords } = arena.scratch;
    const s = this.pending;
    const xAt = s * cols;
    const dAt = s * rows;
    // The trains, drawn in Wasm from trainRng in the TS order (x side, then d side).
    trainRng.writeState(rngWords, 0);
    probs.set(p.subarray(0, cols));
    activeCount[s] = arena.kernels.pulseTrains(probs.byteOffset, cols, bl, xBits.byteOffset + 4 * xAt, active.byteOffset + 4 * xAt, rngWords.byteOffset);
    probs.set(q.subarray(0, rows));
    arena.kernels.pulseTrains(probs.byteOffset, rows, bl, dBits.byteOffset + 4 * dAt, 0, rngWords.byteOffset);
    trainRng.readState(rngWords, 0);
    for (let j = 0; j < cols; j++) xv[xAt + j] = x[xOffset + j]!;
    for (let i = 0; i < rows; i++) dv[dAt + i] = d[dOffset + i]!;
    if (++this.pending === ARENA_CHUNK) this.flush();
  }

  flush(): void {
    if (this.pending === 0) return;
    const { rows, cols, rowRngs, conductance } = this.state;
    const k = this.kernel;
    const sc = k.arena.scratch;
    for (let i = 0; i < rows; i++) rowRngs[i]!.writeState(sc.rng, 4 * i);
    k.arena.kernels.columnMasks(this.pending, cols, sc.xBits.byteOffset, sc.active.byteOffset, sc.activeCount.byteOffset, sc.masks.byteOffset);
    const head = [
      this.pending, rows, cols,
      sc.xBits.byteOffset, sc.dBits.byteOffset, sc.active.byteOffset, sc.activeCount.byteOffset, sc.masks.byteOffset, sc.xv.byteOffset, sc.dv.byteOffset,
      conductance.byteOffset, k.params.byteOffset,
      this.lin.sigma, this.lin.multNoise ? 1 : 0, sc.rng.byteOffset,
    ];
    this.totals[0] = 0;
    this.totals[1] = 0;
    k.arena.pulseLinear(head, [k.effective.byteOffset, k.reference.byteOffset], rows, this.pending * rows * cols, this.totals);
    for (let i = 0; i < rows; i++) rowRngs[i]!.readState(sc.rng, 4 * i);
    this.up += this.totals[0]!;
    this.down += this.totals[1]!;
    this.pending = 0;
  }
}

/**
 * Sample b's set-up by the kernel `pulsePrepare` (slot 0 of the arena's scratch), then its
 * coincidences and pulses in the TS loop (`coincidencesOneWord`, each row with its own stream):
 * the same draws and pulses as the TS path. Returns the pulse totals, or null when BL needs more
 * than one word (nothing drawn: the caller's TS path takes the sample).
 */
function wasmSetUpThenTsPulses(
  state: DeviceArrayState, kernel: PulseKernel, x: ArrayLike<number>, d: ArrayLike<number>, b: number,
  lr: number, config: UpdateConfig, trainRng: Rng,
): { up: number; down: number } | null {
  const { rows, cols, device } = state;
  const sc = kernel.arena.scratch;
  if (prepareInWasm(state, kernel, x, d, b, 0, 1, lr, device.granularity, config, trainRng) === 0) return null;
  let up = 0;
  let down = 0;
  const activeCount = sc.activeCount[0]!;
  if (activeCount > 0) {
    for (let i = 0; i < rows; i++) {
      const dWord = sc.dBits[i]!;
      if (dWord === 0) continue;
      const pulses = coincidencesOneWord(state, device.linear, sc.xBits, dWord, sc.active, activeCount, x, b * cols, d[b * rows + i]!, i * cols, state.rowRngs[i]!);
      up += pulses.up;
      down += pulses.down;
    }
  }
  return { up, down };
}

/**
 * Stages samples [from, from + n) of x and d in slots [first, first + n) of the arena's scratch and
 * runs `pulsePrepare` on them with the train stream; returns how many it took.
 */
function prepareInWasm(
  state: DeviceArrayState, kernel: PulseKernel, x: ArrayLike<number>, d: ArrayLike<number>, from: number, first: number, n: number,
  lr: number, granularity: number, config: UpdateConfig, trainRng: Rng,
): number {
  const { rows, cols } = state;
  const { arena } = kernel;
  const sc = arena.scratch;
  stage(sc.xv, first * cols, x, from * cols, n * cols);
  stage(sc.dv, first * rows, d, from * rows, n * rows);
  const flags = (config.fixedBl ? 1 : 0) | (config.updateBlManagement ? 2 : 0) | (config.updateManagement ? 4 : 0);
  trainRng.writeState(sc.trainRng, 0);
  const taken = arena.kernels.pulsePrepare(
    first, n, rows, cols, sc.xv.byteOffset, sc.dv.byteOffset,
    lr, granularity, config.desiredBl, flags, config.umGradScale,
    sc.xBits.byteOffset, sc.dBits.byteOffset, sc.active.byteOffset, sc.activeCount.byteOffset, sc.probs.byteOffset, sc.trainRng.byteOffset,
  );
  trainRng.readState(sc.trainRng, 0);
  return taken;
}

/** dst[at..at+n) = src[from..from+n), with one block copy where src is a typed array. */
function stage(dst: Float64Array, at: number, src: ArrayLike<number>, from: number, n: number): void {
  if (src instanceof Float64Array) dst.set(src.subarray(from, from + n), at);
  else for (let k = 0; k < n; k++) dst[at + k] = src[from + k]!;
}

function quantizeImplicit(p: number, step: number): number {
  const v = step > 0 ? Math.round(p / step) * step : p;
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * The named fast mode (papers.md §1.2, §6): the first-order expected update of the pulse trains,
 * w ← w + Δ·q⁺(w) for Δ > 0 and w + Δ·q⁻(w) for Δ < 0 (= w + Δ·F − |Δ|·G), with
 * Δ = −lr·d_i·x_j, optionally plus ζ ~ N(0, |Δ|·granularity); clipped to the bounds. No pulses.
 */
function expectedUpdate(state: DeviceArrayState, request: UpdateRequest): void {
  const { rows, cols, device, conductance, apparent } = state;
  const { x, d, batch, lr, config } = request;
  const g = device.granularity;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < rows; i++) {
      const di = d[b * rows + i]!;
      if (di === 0) continue;
      const rng = state.rowRngs[i]!;
      for (let j = 0; j < cols; j++) {
        const delta = -lr * di * x[b * cols + j]!;
        if (delta === 0) continue;
        const k = i * cols + j;
        const w = conductance[k]!;
        let next = delta > 0 ? w + (delta / g) * device.expectedUp(k, w) : w + (delta / g) * device.expectedDown(k, w);
        if (config.expectedNoise) next += Math.sqrt(Math.abs(delta) * g) * rng.normal();
        next = clipToBounds(device, k, next);
        conductance[k] = next;
        if (device.writeNoise > 0) apparent[k] = next + device.writeNoise * rng.normal();
      }
    }
  }
}

/** Exact update W −= lr·d·xᵀ (pulse types none / none-with-device, and the ideal device). */
function floatingPointUpdate(state: DeviceArrayState, request: UpdateRequest): void {
  const { rows, cols, device, conductance, apparent } = state;
  const { x, d, batch, lr, config } = request;
  const clip = config.pulseType === 'none-with-device' && !device.isIdeal;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < rows; i++) {
      const di = d[b * rows + i]!;
      if (di === 0) continue;
      const scale = lr * di;
      const base = i * cols;
      for (let j = 0; j < cols; j++) {
        const k = base + j;
        let g = conductance[k]! - scale * x[b * cols + j]!;
        if (clip) g = clipToBounds(device, k, g);
        conductance[k] = g;
      }
    }
  }
  if (apparent !== conductance) apparent.set(conductance);
}
