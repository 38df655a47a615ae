import { z } from 'zod';
import { flag, num } from '../devices/fields.js';
import { choppedFields, ChoppedTikiTaka } from './chopped-tiki-taka.js';
import type { AlgorithmSetup, AlgorithmState } from './types.js';

/** AGAD, aihwkit DynamicTransferCompound (aihwkit-model.md §5.7). */
export const agadSchema = z
  .object({
    kind: z.literal('agad'),
    ...choppedFields,
    inChopRandom: flag(false, 'switch choppers at random; by default every P = max(ceil(1/inChopProb), 2) reads of a column'),
    tailWeightening: num(5, 'weight of the tail of a chopper phase in the running mean: β = min(tailWeightening/P, 1)', { gt: 0 }),
    bufferCap: num(0, 'cap |H| ≤ bufferCap·BL when forgetBuffer is off (0 = none)', { min: 0 }),
  })
  .strict();
export type AgadConfig = z.output<typeof agadSchema>;

/**
 * AGAD: like c-TTv2, but the reference of A is estimated dynamically from A's own reads. Each
 * element keeps a running mean μ of its raw reads; when its column's chopper switches, μ is
 * frozen as the reference μ̄ of the next phase, and the buffer accumulates (a − μ̄)·c. A's offset
 * or SP need not be known. C is written only after the first P + 1 full passes.
 */
export class Agad extends ChoppedTikiTaka {
  override readonly kind = 'agad';
  private readonly agad: AgadConfig;
  private readonly runningMean: Float64Array;
  private readonly reference: Float64Array;
  private readonly switched: Uint8Array;
  private readonly columnReads: Int32Array;
  private readonly chopPeriod: number;
  private readonly tailWeight: number;

  constructor(setup: AlgorithmSetup, config: AgadConfig) {
    super(setup, config);
    this.agad = config;
    this.runningMean = new Float64Array(setup.rows * setup.cols);
    this.reference = new Float64Array(setup.rows * setup.cols);
    this.switched = new Uint8Array(setup.cols);
    this.columnReads = new Int32Array(setup.cols);
    this.chopPeriod = config.inChopProb > 0 ? Math.max(Math.ceil(1 / config.inChopProb), 2) : Infinity;
    this.tailWeight = Math.min(config.tailWeightening / (Number.isFinite(this.chopPeriod) ? this.chopPeriod : 1), 1);
  }

  override saveState(): AlgorithmState {
    return {
      ...super.saveState(),
      runningMean: Float64Array.from(this.runningMean),
      reference: Float64Array.from(this.reference),
      switched: Uint8Array.from(this.switched),
      columnReads: Int32Array.from(this.columnReads),
    };
  }

  override restoreState(state: AlgorithmState): void {
    super.restoreState(state);
    this.runningMean.set(state['runningMean'] as Float64Array);
    this.reference.set(state['reference'] as Float64Array);
    this.switched.set(state['switched'] as Uint8Array);
    this.columnReads.set(state['columnReads'] as Int32Array);
  }

  protected override accumulate(j: number, a: Float64Array, lrScale: number): Float64Array | null {
    const cols = this.cols;
    if (this.switched[j]) {
      for (let i = 0; i < this.rows; i++) this.reference[i * cols + j] = this.runningMean[i * cols + j]!;
      this.switched[j] = 0;
    }
    const n = this.scratchColumn;
    let any = false;
    const cap = !this.agad.forgetBuffer && this.agad.bufferCap > 0 ? this.agad.bufferCap * this.agad.transferUpdate.desiredBl : Infinity;
    for (let i = 0; i < this.rows; i++) {
      const k = i * cols + j;
      const delta = (a[i]! - this.reference[k]!) * this.chopSign(i, j);
      const h = Math.max(-cap, Math.min(cap, this.buffer[k]! + lrScale * delta));
      n[i] = this.threshold(k, h);
      if (n[i] !== 0) any = true;
      this.runningMean[k] = (1 - this.tailWeight) * this.runningMean[k]! + this.tailWeight * a[i]!;
    }
    return any ? n : null;
  }

  /**
   * C is written from the (P + 2)-th full pass on: aihwkit's CPU DynamicTransferDevice writes only
   * while its pass counter exceeds P (rpu_dynamic_transfer_device.cpp), one pass after the first
   * reference is frozen. (Its CUDA version starts one pass earlier.)
   */
  protected override mayWrite(j: number): boolean {
    return this.columnReads[j]! > this.chopPeriod || !Number.isFinite(this.chopPeriod);
  }

  protected override afterRead(j: number): void {
    this.columnReads[j] = this.columnReads[j]! + 1;
    const c = this.agad;
    const flip = c.inChopRandom
      ? c.inChopProb > 0 && this.algorithmRng.uniform() < c.inChopProb
      : this.columnReads[j]! % this.chopPeriod === 0;
    if (flip) {
      this.inChoppers[j] = -this.inChoppers[j]!;
      this.switched[j] = 1;
    }
    if (j === this.cols - 1 && c.outChopProb > 0) {
      for (let i = 0; i < this.rows; i++) if (this.algorithmRng.uniform() < c.outChopProb) this.outChoppers[i] = -this.outChoppers[i]!;
    }
  }
}
