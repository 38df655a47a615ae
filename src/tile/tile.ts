import { UserError } from '../core/errors.js';
import { checkTileShape } from '../core/limits.js';
import { zodIssueToUserError } from '../config/zod-error.js';
import { Rng } from '../rng/index.js';
import { buildDevice, type DeviceConfig } from '../devices/registry.js';
import { applyPulses, clipToBounds } from '../devices/pulse-loop.js';
import type { DeviceResponse } from '../devices/response.js';
import { TileCounters, type CounterSnapshot } from './counters.js';
import { analogMvm, type IoState } from './io.js';
import { currentForwardPurpose } from './read-purpose.js';
import { ioSchema, type IoConfig, type IoInput } from './io-config.js';
import { programByPulses, referenceSchema, type ProgramResult, type ReferenceConfig, type ReferenceInput } from './reference.js';
import { pulsedUpdate, UpdateScratch, type DeviceArrayState, type PulseKernel } from './update.js';
import { arenaFor } from '../kernels/index.js';
import { updateSchema, type UpdateConfig, type UpdateInput } from './update-config.js';
import type { z } from 'zod';

export interface TileOptions {
  /** Output size (rows of W). */
  rows: number;
  /** Input size (columns of W). */
  cols: number;
  device: DeviceConfig;
  forward?: IoInput;
  backward?: IoInput;
  update?: UpdateInput;
  reference?: ReferenceInput;
  seed: number;
  /** Stream key of this tile; tiles of one run need distinct names. */
  name?: string;
}

export interface TileState {
  conductance: Float64Array;
  apparent: Float64Array;
  reference: Float64Array;
  referenceConductance: Float64Array | null;
  rngs: Record<string, Uint32Array>;
  counters: CounterSnapshot;
  ioStates: { forward: IoState; backward: IoState; read: IoState };
}

function parseSection<S extends z.ZodType>(schema: S, input: unknown, root: string): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    const shape = (schema as unknown as z.ZodObject).shape;
    throw zodIssueToUserError(result.error, input, root, () => Object.keys(shape));
  }
  return result.data;
}

/**
 * A crossbar tile: conductances G with the hidden device state, a reference array R, the
 * effective weights W = G − R (papers.md §1.6), noisy quantised MVMs (aihwkit-model.md §4) and
 * the pulsed update engine (§3), with every pulse and read counted by purpose.
 */
export class AnalogTile {
  readonly rows: number;
  readonly cols: number;
  readonly size: number;
  readonly name: string;
  readonly deviceConfig: DeviceConfig;
  readonly device: DeviceResponse;
  readonly forwardIo: IoConfig;
  readonly backwardIo: IoConfig;
  readonly updateConfig: UpdateConfig;
  readonly referenceConfig: ReferenceConfig;
  readonly counters = new TileCounters();
  /** Persistent conductances (pulses act on these). */
  readonly conductance: Float64Array;
  /** Apparent conductances seen by MVMs (differs from `conductance` only under write noise). */
  readonly apparent: Float64Array;
  /** Reference conductance R per device. */
  readonly reference: Float64Array;

  private readonly base: Rng;
  private readonly streams: Record<'forward' | 'backward' | 'read' | 'trains' | 'process' | 'writeNoise' | 'reference', Rng>;
  private readonly rowRngs: Rng[];
  private readonly ioStates = { forward: { nmAverage: 0 }, backward: { nmAverage: 0 }, read: { nmAverage: 0 } };
  private readonly outNoiseScale: { forward: Float64Array | null; backward: Float64Array | null };
  private readonly scratch = new UpdateScratch();
  private referenceDevice: DeviceResponse | null = null;
  private programmingRng: Rng | null = null;
  private processFlags: { decay: boolean; diffusion: boolean } | null = null;
  private referenceConductance: Float64Array | null = null;
  private effective: Float64Array;
  /** The Wasm pulse kernel's resident parameters (linear-response devices on the wasm backend). */
  private pulseKernel: PulseKernel | null = null;
  private effectiveDirty = true;
  /** While the effective weights are dirty: the columns already brought up to date (weightsForInput). */
  private freshColumns: Uint8Array | null = null;

  constructor(options: TileOptions) {
    const { rows, cols } = options;
    checkTileShape('tile', rows, cols);
    this.rows = rows;
    this.cols = cols;
    this.size = rows * cols;
    this.name = options.name ?? 'tile';
    this.deviceConfig = options.device;
    this.forwardIo = parseSection(ioSchema, options.forward, 'forward');
    this.backwardIo = parseSection(ioSchema, options.backward, 'backward');
    this.updateConfig = parseSection(updateSchema, options.update, 'update');
    this.referenceConfig = parseSection(referenceSchema, options.reference, 'reference');

    this.base = Rng.stream(options.seed, this.name);
    this.device = buildDevice(options.device, this.size, this.base.split('devices'));
    this.streams = {
      forward: this.base.split('forward'),
      backward: this.base.split('backward'),
      read: this.base.split('read'),
      trains: this.base.split('trains'),
      process: this.base.split('process'),
      writeNoise: this.base.split('write-noise'),
      reference: this.base.split('reference'),
    };
    this.rowRngs = Array.from({ length: rows }, (_, i) => this.base.split('pulses', i));
    this.outNoiseScale = {
      forward: this.drawOutNoiseScale(this.forwardIo, rows, 'out-noise-forward'),
      backward: this.drawOutNoiseScale(this.backwardIo, cols, 'out-noise-backward'),
    };

    // With the wasm backend the conductances, the effective weights and (for linear-response
    // devices) copies of the pulse parameters live in the tile's Wasm memory, where the kernels
    // use them in place (src/kernels/); the numbers are the same either way.
    const lin = this.device.linear;
    const pulseKernel = lin !== undefined && this.device.writeNoise === 0;
    const arena = arenaFor(rows, cols, pulseKernel ? 11 : 2, pulseKernel && this.updateConfig.pulseType === 'stochastic-compressed');
    this.reference = arena && pulseKernel ? arena.f64(this.size) : new Float64Array(this.size);
    const idealReference = this.device.idealReference;
    if (idealReference) for (let k = 0; k < this.size; k++) this.reference[k] = idealReference(k);
    this.conductance = arena ? arena.f64(this.size) : new Float64Array(this.size);
    this.apparent = this.device.writeNoise > 0 ? new Float64Array(this.size) : this.conductance;
    this.effective = arena ? arena.f64(this.size) : new Float64Array(this.size);
    if (arena && lin && pulseKernel) {
      // One 64-byte line per device for the pulse kernel: b_max, b_min, Δ⁺ offset and slope, Δ⁻
      // offset and slope negated (assembly/gemm.ts `pulseLinear`).
      const params = arena.f64(8 * this.size);
      const hidden = this.device.hidden;
      for (let k = 0; k < this.size; k++) {
        params[8 * k] = hidden.bmax[k]!;
        params[8 * k + 1] = hidden.bmin[k]!;
        params[8 * k + 2] = lin.offsetUp[k]!;
        params[8 * k + 3] = lin.slopeUp[k]!;
        params[8 * k + 4] = -lin.offsetDown[k]!;
        params[8 * k + 5] = -lin.slopeDown[k]!;
      }
      this.pulseKernel = { arena, effective: this.effective, reference: this.reference, params };
    }
    this.setWeights(new Float64Array(this.size));
  }

  private drawOutNoiseScale(io: IoConfig, n: number, key: string): Float64Array | null {
    if (!(io.outNoiseStd > 0)) return null;
    const rng = this.base.split(key);
    const scale = new Float64Array(n);
    for (let i = 0; i < n; i++) scale[i] = Math.abs(1 + io.outNoiseStd * rng.normal());
    return scale;
  }

  private get state(): DeviceArrayState {
    return {
      device: this.device,
      rows: this.rows,
      cols: this.cols,
      conductance: this.conductance,
      apparent: this.apparent,
      rowRngs: this.rowRngs,
      kernel: this.pulseKernel,
    };
  }

  /** Effective weights W = G_apparent − R (row-major, rows × cols). Do not modify. */
  weights(): Float64Array {
    if (this.effectiveDirty) {
      for (let k = 0; k < this.size; k++) this.effective[k] = this.apparent[k]! - this.reference[k]!;
      this.effectiveDirty = false;
    }
    return this.effective;
  }

  /**
   * The effective weights for a forward product whose zero inputs read nothing (no input noise):
   * when few columns carry input (a one-hot transfer read), only those columns are brought up to
   * date, so a read after every update costs O(rows) instead of O(rows·cols). A stale column only
   * meets zero inputs, and w·0 adds ±0 to a sum that starts at +0, so the products are the same
   * bit for bit (test/kernels/fast-paths.test.ts).
   */
  private weightsForInput(input: ArrayLike<number>, batch: number, io: IoConfig): Float64Array {
    if (!this.effectiveDirty || !(io.isPerfect || io.inpNoise === 0)) return this.weights();
    const { cols, rows } = this;
    const fresh = (this.freshColumns ??= new Uint8Array(cols));
    let stale = 0;
    for (let j = 0; j < cols; j++) {
      if (fresh[j]) continue;
      let used = false;
      for (let b = 0; b < batch && !used; b++) used = input[b * cols + j] !== 0;
      if (!used) continue;
      if (++stale > cols >> 3) return this.weights();
    }
    for (let j = 0; j < cols; j++) {
      if (fresh[j]) continue;
      let used = false;
      for (let b = 0; b < batch && !used; b++) used = input[b * cols + j] !== 0;
      if (!used) continue;
      for (let k = j; k < rows * cols; k += cols) this.effective[k] = this.apparent[k]! - this.reference[k]!;
      fresh[j] = 1;
    }
    return this.effective;
  }

  /** Marks the effective weights stale after a direct change of the conductance arrays. */
  invalidate(): void {
    this.markDirty();
  }

  private markDirty(): void {
    this.effectiveDirty = true;
    this.freshColumns?.fill(0);
  }

  /**
   * Programs the effective weights directly (G = W + R, clipped to the bounds, snapped to levels),
   * as aihwkit's set_weights: no pulses are counted. Write noise is drawn if the device says so.
   */
  setWeights(weights: ArrayLike<number>): void {
    if (weights.length !== this.size) throw new UserError('weights', weights.length, `must have rows·cols = ${this.size} entries`);
    const device = this.device;
    for (let k = 0; k < this.size; k++) {
      let g = clipToBounds(device, k, weights[k]! + this.reference[k]!);
      if (device.representable) g = device.representable(k, g);
      this.conductance[k] = g;
    }
    this.refreshApparent(device.applyWriteNoiseOnSet);
  }

  /** Redraws the write noise of every element (decay, diffusion, reset and set do this, §2.3). */
  private refreshApparent(redraw: boolean): void {
    const noise = this.device.writeNoise;
    if (noise > 0) {
      const rng = this.streams.writeNoise;
      for (let k = 0; k < this.size; k++) this.apparent[k] = this.conductance[k]! + (redraw ? noise * rng.normal() : 0);
    }
    this.markDirty();
  }

  /** Analog forward MVM: y = W·x for `batch` inputs of length cols (IO pipeline of §4). */
  forward(x: ArrayLike<number>, batch = 1, out = new Float64Array(batch * this.rows), purpose = currentForwardPurpose()): Float64Array {
    return this.mvm(x, batch, out, false, this.forwardIo, this.streams.forward, this.ioStates.forward, this.outNoiseScale.forward, true, purpose);
  }

  /** Analog backward MVM: z = Wᵀ·d for `batch` errors of length rows (no bound management). */
  backward(d: ArrayLike<number>, batch = 1, out = new Float64Array(batch * this.cols), purpose = 'backward'): Float64Array {
    return this.mvm(d, batch, out, true, this.backwardIo, this.streams.backward, this.ioStates.backward, this.outNoiseScale.backward, false, purpose);
  }

  /**
   * A forward read with its own IO settings (e.g. a transfer read of one-hot columns), counted
   * under `purpose`.
   */
  read(x: ArrayLike<number>, batch: number, io: IoConfig, purpose: string, out = new Float64Array(batch * this.rows)): Float64Array {
    return this.mvm(x, batch, out, false, io, this.streams.read, this.ioStates.read, null, true, purpose);
  }

  private mvm(
    input: ArrayLike<number>,
    batch: number,
    out: Float64Array,
    transposed: boolean,
    io: IoConfig,
    rng: Rng,
    state: IoState,
    outNoiseScale: Float64Array | null,
    allowBoundManagement: boolean,
    purpose: string,
  ): Float64Array {
    const inSize = transposed ? this.rows : this.cols;
    if (input.length !== batch * inSize) {
      throw new UserError(transposed ? 'backward input' : 'forward input', input.length, `must have batch·${inSize} = ${batch * inSize} entries`);
    }
    analogMvm(
      { weights: transposed ? this.weights() : this.weightsForInput(input, batch, io), rows: this.rows, cols: this.cols, transposed, input, batch, output: out },
      { io, rng, state, outNoiseScale, allowBoundManagement },
    );
    this.counters.addReads(purpose, batch);
    return out;
  }

  /**
   * Pulsed update with a mini-batch: x is batch × cols, d is batch × rows, and the tile applies
   * ΔW ≈ −lr·Σ_b d_b·x_bᵀ by stochastic pulse trains, sample by sample (aihwkit-model.md §3).
   */
  update(x: ArrayLike<number>, d: ArrayLike<number>, batch: number, lr: number, purpose = 'update', config = this.updateConfig): void {
    if (x.length !== batch * this.cols) throw new UserError('update x', x.length, `must have batch·cols = ${batch * this.cols} entries`);
    if (d.length !== batch * this.rows) throw new UserError('update d', d.length, `must have batch·rows = ${batch * this.rows} entries`);
    const effectiveKept = pulsedUpdate(
      this.state,
      { x, d, batch, lr, config, trainRng: this.streams.trains, counters: this.counters, purpose },
      this.scratch,
    );
    if (!effectiveKept) this.markDirty();
  }

  /**
   * Sends pulses to devices directly: counts[k] > 0 sends that many up pulses to device k, < 0 that
   * many down pulses, 0 none, one after another (device characterisation, zero-shifting
   * calibration, the integer transfer of mixed precision). Counted under `purpose`.
   */
  pulseDevices(counts: ArrayLike<number>, purpose: string): void {
    if (counts.length !== this.size) throw new UserError('pulse counts', counts.length, `must have ${this.size} entries`);
    let up = 0;
    let down = 0;
    let slots = 0;
    const device = this.device;
    for (let i = 0; i < this.rows; i++) {
      const rng = this.rowRngs[i]!;
      let rowSlots = 0;
      for (let j = 0; j < this.cols; j++) {
        const k = i * this.cols + j;
        const count = Math.trunc(counts[k]!);
        if (count === 0) continue;
        rowSlots = Math.max(rowSlots, Math.abs(count));
        const g = applyPulses(device, k, this.conductance[k]!, count > 0, Math.abs(count), rng);
        this.conductance[k] = g;
        if (device.writeNoise > 0) this.apparent[k] = g + device.writeNoise * rng.normal();
        if (count > 0) up += count;
        else down -= count;
      }
      slots += rowSlots;
    }
    this.counters.addPulses(purpose, up, down);
    // A row is written in parallel, as long as its largest count; the rows one after another.
    if (slots > 0) this.counters.addSlots(purpose, slots);
    this.markDirty();
  }

  /** The devices of the reference array, once it has been programmed by pulses (else null). */
  get referenceDevices(): DeviceResponse | null {
    return this.referenceDevice;
  }

  /** Symmetric point of every device in conductance space (where Δ⁺ = Δ⁻). */
  conductanceSymmetricPoints(): Float64Array {
    const out = new Float64Array(this.size);
    for (let k = 0; k < this.size; k++) out[k] = this.device.symmetricPoint(k);
    return out;
  }

  /** Symmetric point of every device as an effective weight: SP − R. */
  symmetricPoints(): Float64Array {
    const out = this.conductanceSymmetricPoints();
    for (let k = 0; k < this.size; k++) out[k] = out[k]! - this.reference[k]!;
    return out;
  }

  /**
   * Programs the reference conductances to `target` (e.g. estimated symmetric points). By pulses
   * (the default) on a second array of devices of the same model, every pulse counted under
   * `reference`; ideally (free) only when the reference config or the call says `ideal`.
   */
  programReference(target: ArrayLike<number>, programming: ReferenceConfig['programming'] = this.referenceConfig.programming): ProgramResult {
    if (target.length !== this.size) throw new UserError('reference target', target.length, `must have ${this.size} entries`);
    if (programming === 'ideal') {
      for (let k = 0; k < this.size; k++) this.reference[k] = target[k]!;
      this.markDirty();
      return { up: 0, down: 0, unconverged: 0 };
    }
    if (!this.referenceDevice) {
      this.referenceDevice = buildDevice(this.deviceConfig, this.size, this.base.split('reference-devices'));
      this.referenceConductance = Float64Array.from(this.reference);
    }
    const result = programByPulses(this.referenceDevice, this.referenceConductance!, target, this.referenceConfig.maxPulses, this.streams.reference);
    this.reference.set(this.referenceConductance!);
    this.counters.addPulses('reference', result.up, result.down);
    this.markDirty();
    return result;
  }

  /**
   * Programs the devices themselves (not the reference) toward effective weights `target` by
   * program-and-verify pulses (the same closed loop as `programReference`), every pulse counted
   * under `purpose`; `ideal` sets them exactly and for free (as `setWeights`). Used to write a
   * digital value into an analog array, e.g. the tracker copy Q̃ of E-RIDER (papers.md §2.9).
   */
  programWeights(target: ArrayLike<number>, programming: ReferenceConfig['programming'], purpose = 'programming'): ProgramResult {
    if (target.length !== this.size) throw new UserError('program target', target.length, `must have ${this.size} entries`);
    if (programming === 'ideal') {
      this.setWeights(target);
      return { up: 0, down: 0, unconverged: 0 };
    }
    const conductanceTarget = new Float64Array(this.size);
    for (let k = 0; k < this.size; k++) conductanceTarget[k] = target[k]! + this.reference[k]!;
    this.programmingRng ??= this.base.split('programming');
    const result = programByPulses(this.device, this.conductance, conductanceTarget, this.referenceConfig.maxPulses, this.programmingRng);
    this.counters.addPulses(purpose, result.up, result.down);
    this.refreshApparent(this.device.applyWriteNoiseOnSet);
    return result;
  }

  /** Whether any device decays or diffuses (fixed at construction: the hidden parameters are drawn once). */
  get hasDecay(): boolean {
    this.processFlags ??= this.drawProcessFlags();
    return this.processFlags.decay;
  }

  get hasDiffusion(): boolean {
    this.processFlags ??= this.drawProcessFlags();
    return this.processFlags.diffusion;
  }

  private drawProcessFlags(): { decay: boolean; diffusion: boolean } {
    const { decayScale, diffusionRate } = this.device.hidden;
    return { decay: decayScale.some((v) => v !== 1), diffusion: diffusionRate.some((v) => v !== 0) };
  }

  /** Decay toward the reset target once per mini-batch: g ← (g − b)·δ + b (aihwkit-model.md §2.3). */
  decay(): void {
    const { decayScale, resetBias } = this.device.hidden;
    for (let k = 0; k < this.size; k++) {
      const delta = decayScale[k]!;
      if (delta === 1) continue;
      this.conductance[k] = this.finish(k, (this.conductance[k]! - resetBias[k]!) * delta + resetBias[k]!);
    }
    this.refreshApparent(true);
  }

  /** Diffusion once per mini-batch: g += ρ·ξ (aihwkit-model.md §2.3). */
  diffuse(): void {
    const { diffusionRate } = this.device.hidden;
    const rng = this.streams.process;
    for (let k = 0; k < this.size; k++) {
      const rate = diffusionRate[k]!;
      if (rate === 0) continue;
      this.conductance[k] = this.finish(k, this.conductance[k]! + rate * rng.normal());
    }
    this.refreshApparent(true);
  }

  /** Resets the selected devices: g = b + resetStd·ξ (aihwkit-model.md §2.3). */
  reset(select: (k: number) => boolean = () => true): void {
    const { resetBias } = this.device.hidden;
    const rng = this.streams.process;
    const std = this.device.resetStd;
    for (let k = 0; k < this.size; k++) {
      if (!select(k)) continue;
      this.conductance[k] = this.finish(k, resetBias[k]! + (std > 0 ? std * rng.normal() : 0));
    }
    this.refreshApparent(true);
  }

  private finish(k: number, g: number): number {
    g = clipToBounds(this.device, k, g);
    return this.device.representable ? this.device.representable(k, g) : g;
  }

  /** Everything needed to continue bit-identically (checkpoints). */
  saveState(): TileState {
    const rngs: Record<string, Uint32Array> = {};
    for (const [key, rng] of Object.entries(this.streams)) rngs[key] = rng.saveState();
    this.rowRngs.forEach((rng, i) => (rngs[`row:${i}`] = rng.saveState()));
    if (this.programmingRng) rngs['programming'] = this.programmingRng.saveState();
    return {
      conductance: Float64Array.from(this.conductance),
      apparent: Float64Array.from(this.apparent),
      reference: Float64Array.from(this.reference),
      referenceConductance: this.referenceConductance ? Float64Array.from(this.referenceConductance) : null,
      rngs,
      counters: this.counters.snapshot(),
      ioStates: structuredClone(this.ioStates),
    };
  }

  restoreState(state: TileState): void {
    this.conductance.set(state.conductance);
    if (this.apparent !== this.conductance) this.apparent.set(state.apparent);
    this.reference.set(state.reference);
    if (state.referenceConductance) {
      this.referenceDevice ??= buildDevice(this.deviceConfig, this.size, this.base.split('reference-devices'));
      this.referenceConductance = Float64Array.from(state.referenceConductance);
    }
    for (const [key, rng] of Object.entries(this.streams)) rng.restoreState(state.rngs[key]!);
    this.rowRngs.forEach((rng, i) => rng.restoreState(state.rngs[`row:${i}`]!));
    if (state.rngs['programming']) {
      this.programmingRng ??= this.base.split('programming');
      this.programmingRng.restoreState(state.rngs['programming']);
    }
    this.counters.restore(state.counters);
    Object.assign(this.ioStates.forward, state.ioStates.forward);
    Object.assign(this.ioStates.backward, state.ioStates.backward);
    Object.assign(this.ioStates.read, state.ioStates.read);
    this.markDirty();
  }
}
