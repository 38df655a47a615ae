import { z } from 'zod';
import { flag, num } from '../devices/fields.js';
import { updateSchema } from '../tile/update-config.js';
import { transferFields } from './transfer-fields.js';
import { absMax, BufferedTransfer, type SampleRun } from './transfer-base.js';
import type { AlgorithmSetup, AlgorithmState } from './types.js';

const transferUpdateBl1 = updateSchema
  .default(updateSchema.parse({ desiredBl: 1, updateBlManagement: false, updateManagement: false }))
  .describe('pulse-train settings of the writes onto C (BL 1: at most one pulse per element)');

/** Fields of the chopped compound (aihwkit-model.md §5.6 defaults); AGAD changes some defaults. */
export const choppedFields = {
  ...transferFields,
  unitsInMbatch: flag(false, 'count transferEvery in mini-batches instead of vector updates'),
  scaleFastLr: flag(false, 'multiply fastLr by the global learning rate'),
  transferUpdate: transferUpdateBl1,
  inChopProb: num(0.1, 'probability (random) or 1/period (regular) of flipping the input choppers', { min: 0, max: 1 }),
  inChopRandom: flag(true, 'flip each column’s chopper at random after its read; otherwise each column right after its read in every P-th pass (P = max(⌈1/inChopProb⌉, 2)), as aihwkit'),
  outChopProb: num(0, 'probability of flipping each output chopper after a full pass', { min: 0, max: 1 }),
  bufferGranularity: num(1, 'buffer granularity in units of granularity(A)', { gt: 0 }),
  autoGranularity: num(0, 'if > 0: buffer granularity ×= autoGranularity/(inputs·|transferEvery|)', { min: 0 }),
  step: num(1, 'writes onto C use lr = step·granularity(C)', { gt: 0 }),
  momentum: num(0, 'fraction of the buffer kept after a write (forgetBuffer) or not subtracted', { min: 0, max: 1 }),
  forgetBuffer: flag(true, 'after a write keep momentum·H instead of subtracting what was written'),
  noBuffer: flag(false, 'write the de-chopped read directly onto C (TTv1 with choppers)'),
  autoScale: flag(false, 'lr_A = fastLr·BL·granularity(A)/(EMA max|x|·EMA max|d|)'),
  autoMomentum: num(0.99, 'momentum of the auto-scale averages (per mini-batch)', { min: 0, max: 1 }),
  correctGradientMagnitudes: flag(false, 'rescale the buffer by granularity(C)/granularity(A) and 1/lr_A'),
};

/** Chopped TTv2 (c-TTv2), aihwkit ChoppedTransferCompound (aihwkit-model.md §5.6). */
export const choppedTikiTakaSchema = z.object({ kind: z.literal('chopped-tiki-taka'), ...choppedFields }).strict();
export type ChoppedTikiTakaConfig = z.output<typeof choppedTikiTakaSchema>;
type ChoppedCore = Omit<ChoppedTikiTakaConfig, 'kind'>;

/**
 * c-TTv2: the gradient is written onto A through input choppers c_in[j] and output choppers
 * c_out[i] (each coincidence sign × c_in·c_out). Reads of A are de-chopped into a digital buffer
 * H, H_ij += lr_scale·a_i·c_in[j]·c_out[i], and |H| ≥ 1 writes trunc(H) pulses to C. Any constant
 * offset of A (a wrong SP, drift) enters H with alternating sign and averages out.
 */
export class ChoppedTikiTaka extends BufferedTransfer {
  readonly kind: string = 'chopped-tiki-taka';
  readonly inChoppers: Int8Array;
  readonly outChoppers: Int8Array;
  protected readonly config: ChoppedCore;
  private fullPasses = 0;
  private meanAbsX = 0;
  private meanAbsD = 0;
  private fastLrNow = 0;
  /** The chopped samples of a run (`sampleRun`), reused. */
  private runX: Float64Array = new Float64Array(0);
  private runD: Float64Array = new Float64Array(0);

  constructor(setup: AlgorithmSetup, config: ChoppedCore) {
    super(setup, config);
    this.config = config;
    this.inChoppers = new Int8Array(setup.cols).fill(1);
    this.outChoppers = new Int8Array(setup.rows).fill(1);
  }

  override saveState(): AlgorithmState {
    return {
      ...super.saveState(),
      inChoppers: Int8Array.from(this.inChoppers),
      outChoppers: Int8Array.from(this.outChoppers),
      chopped: [this.fullPasses, this.meanAbsX, this.meanAbsD, this.fastLrNow],
    };
  }

  override restoreState(state: AlgorithmState): void {
    super.restoreState(state);
    this.inChoppers.set(state['inChoppers'] as Int8Array);
    this.outChoppers.set(state['outChoppers'] as Int8Array);
    [this.fullPasses, this.meanAbsX, this.meanAbsD, this.fastLrNow] = state['chopped'] as [number, number, number, number];
  }

  protected override chopSign(i: number, j: number): number {
    return this.inChoppers[j]! * this.outChoppers[i]!;
  }

  /** Transfer period in vector updates; transferEvery < 0 means n_states(A)/inputs·|transferEvery|. */
  private period(batch: number): number {
    const c = this.config;
    if (c.transferEvery >= 0) return this.transferPeriod(c.transferEvery, c.unitsInMbatch, batch);
    const h = this.fast.device.hidden;
    let range = 0;
    for (let k = 0; k < h.bmax.length; k++) range += (h.bmax[k]! - h.bmin[k]!) / h.bmax.length;
    const states = range / this.fast.device.granularity;
    return this.transferPeriod((states / this.cols) * Math.abs(c.transferEvery), c.unitsInMbatch, batch);
  }

  /** Without auto-scaling A's lr is fixed and the choppers change only at transfers: runs. */
  protected override sampleRun(lr: number, batch: number): SampleRun | null {
    const c = this.config;
    if (c.autoScale) return null;
    const lrA = c.scaleFastLr ? c.fastLr * lr : c.fastLr;
    return {
      period: this.period(batch),
      updateFast: (x, d, n) => {
        this.fastLrNow = lrA;
        if (this.runX.length < n * this.cols) this.runX = new Float64Array(n * this.cols);
        if (this.runD.length < n * this.rows) this.runD = new Float64Array(n * this.rows);
        const xc = this.runX.subarray(0, n * this.cols);
        const dc = this.runD.subarray(0, n * this.rows);
        for (let b = 0; b < n; b++) {
          for (let j = 0; j < this.cols; j++) xc[b * this.cols + j] = x[b * this.cols + j]! * this.inChoppers[j]!;
          for (let i = 0; i < this.rows; i++) dc[b * this.rows + i] = d[b * this.rows + i]! * this.outChoppers[i]!;
        }
        this.fast.update(xc, dc, n, lrA);
      },
      transfer: () => this.transfer(lr),
    };
  }

  protected override updateSample(x: ArrayLike<number>, d: ArrayLike<number>, lr: number, batch: number): void {
    const c = this.config;
    let lrA = c.fastLr;
    if (c.autoScale) {
      const tau = (1 - c.autoMomentum) / batch;
      const mx = absMax(x);
      const md = absMax(d);
      this.meanAbsX = this.meanAbsX === 0 ? mx : (1 - tau) * this.meanAbsX + tau * mx;
      this.meanAbsD = this.meanAbsD === 0 ? md : (1 - tau) * this.meanAbsD + tau * md;
      const scale = this.meanAbsX * this.meanAbsD;
      lrA = scale > 0 ? (c.fastLr * this.fast.updateConfig.desiredBl * this.fast.device.granularity) / scale : c.fastLr;
    }
    if (c.scaleFastLr) lrA *= lr;
    this.fastLrNow = lrA;
    const xc = this.scratchX;
    const dc = this.scratchD;
    for (let j = 0; j < this.cols; j++) xc[j] = x[j]! * this.inChoppers[j]!;
    for (let i = 0; i < this.rows; i++) dc[i] = d[i]! * this.outChoppers[i]!;
    this.fast.update(xc, dc, 1, lrA);
    if (this.vectorUpdates % this.period(batch) === 0) this.transfer(lr);
  }

  private transfer(lr: number): void {
    const c = this.config;
    const j = this.nextColumn();
    const a = this.readColumn(j);
    const granA = this.fast.device.granularity;
    const granC = this.slow.device.granularity;
    let bufferGranularity = c.bufferGranularity * granA;
    if (c.autoGranularity > 0) bufferGranularity *= c.autoGranularity / (this.cols * Math.abs(c.transferEvery));
    if (c.correctGradientMagnitudes) bufferGranularity *= granC / granA;
    let lrScale = Math.abs(c.transferLr * (c.scaleTransferLr ? lr : 1)) / bufferGranularity;
    if (c.correctGradientMagnitudes && this.fastLrNow > 0) lrScale /= this.fastLrNow;

    if (c.noBuffer) {
      const values = this.scratchColumn;
      for (let i = 0; i < this.rows; i++) values[i] = a[i]! * this.chopSign(i, j);
      this.writeColumn(j, values, c.transferLr * (c.scaleTransferLr ? lr : 1));
    } else {
      const n = this.accumulate(j, a, lrScale);
      if (n && this.mayWrite(j)) this.writeColumn(j, n, c.step * granC);
    }
    this.afterRead(j);
  }

  /** Threshold rule of §5.6: where |H| ≥ 1, n = clip(trunc(H), ±BL) and H forgets or keeps the rest. */
  protected threshold(k: number, h: number): number {
    const c = this.config;
    const maxPulses = c.transferUpdate.desiredBl;
    let count = 0;
    if (Math.abs(h) >= 1) {
      count = Math.max(-maxPulses, Math.min(maxPulses, Math.trunc(h)));
      h = c.forgetBuffer ? c.momentum * h : h - (1 - c.momentum) * count;
    }
    this.buffer[k] = h;
    return count;
  }

  /** De-chops the read into the buffer; returns the pulses per row (scratch), or null if none. */
  protected accumulate(j: number, a: Float64Array, lrScale: number): Float64Array | null {
    const n = this.scratchColumn;
    let any = false;
    for (let i = 0; i < this.rows; i++) {
      const k = i * this.cols + j;
      n[i] = this.threshold(k, this.buffer[k]! + lrScale * a[i]! * this.chopSign(i, j));
      if (n[i] !== 0) any = true;
    }
    return any ? n : null;
  }

  protected mayWrite(_j: number): boolean {
    return true;
  }

  /** Chopper flips after reading column j (§5.6). */
  protected afterRead(j: number): void {
    const c = this.config;
    if (c.inChopRandom) {
      if (c.inChopProb > 0 && this.algorithmRng.uniform() < c.inChopProb) this.inChoppers[j] = -this.inChoppers[j]! as 1 | -1;
    } else {
      // Each column flips right after its own read in the last pass of a period, as aihwkit's
      // ChoppedTransferDevice does (not all columns at the end of that pass).
      const period = Math.max(Math.ceil(1 / c.inChopProb), 2);
      if (c.inChopProb > 0 && this.fullPasses % period === period - 1) this.inChoppers[j] = -this.inChoppers[j]!;
      if (j === this.cols - 1) this.fullPasses++;
    }
    if (j === this.cols - 1 && c.outChopProb > 0) {
      for (let i = 0; i < this.rows; i++) if (this.algorithmRng.uniform() < c.outChopProb) this.outChoppers[i] = -this.outChoppers[i]!;
    }
  }
}
