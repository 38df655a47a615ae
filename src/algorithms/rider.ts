import { z } from 'zod';
import { flag, num } from '../devices/fields.js';
import { AnalogTile, type TileState } from '../tile/index.js';
import { transferFields } from './transfer-fields.js';
import { BufferedTransfer } from './transfer-base.js';
import { tileOptions } from './single-array.js';
import type { AlgorithmSetup, AlgorithmState } from './types.js';

/** RIDER / E-RIDER: residual learning with dynamic symmetric-point tracking (papers.md §2.8–§2.9; P-SP26 Alg. 2–3). */
export const riderSchema = z
  .object({
    kind: z.literal('rider'),
    ...transferFields,
    gamma: num(0.1, 'mixing weight γ: W̄ = W + γ·c·(P − Q̃) (P-SP26 uses 0.1)', { gt: 0 }),
    scaleFastLr: flag(false, 'multiply fastLr (α) by the global learning rate'),
    transferLr: num(0.05, 'β: W += β·c·(P − Q̃) per transfer', { gt: 0 }),
    scaleTransferLr: flag(false, 'multiply transferLr (β) by the global learning rate'),
    nReadsPerTransfer: z.number().int().min(1).default(1).describe('columns read (tracked and transferred) per transfer event'),
    trackingRate: num(0.01, 'η of the digital tracker Q ← (1 − η)Q + η·P (not reported in P-SP26; tune in [1e−3, 1e−1])', { gt: 0, max: 1 }),
    chopProb: num(0.05, 'p: flip probability of the chopper per step (0 = RIDER)', { min: 0, max: 1 }),
    chopScope: z
      .enum(['global', 'column'])
      .default('global')
      .describe('one chopper c_k for the array, flipped once per step (the paper), or one per input column flipped at its read (aihwkit)'),
    residualReference: z
      .enum(['tracker', 'synced-copy'])
      .default('tracker')
      .describe('what P is compared with in W̄ and in the transfer: the digital tracker Q (Alg. 2–3 as written), or the analog copy Q̃ re-programmed from Q at each chopper flip (the hardware form of Alg. 3)'),
    transferBuffer: flag(false, 'accumulate β·c·(P − Q) in a digital buffer H and send n = trunc(H/θ) whole pulses (≤ transferUpdate.desiredBl) where |H| ≥ θ = thresScale·Δw_min(W), the AGAD-style transfer P-SP26 ran; off: write β·c·(P − Q) by a pulse train every transfer (Alg. 3 as written)'),
    thresScale: num(1, 'buffer threshold in units of Δw_min of W (with transferBuffer)', { gt: 0 }),
    trackerProgramming: z
      .enum(['pulsed', 'ideal'])
      .default('pulsed')
      .describe('how Q̃ is re-programmed from Q at a chopper flip: counted program-and-verify pulses, or ideally (free)'),
  })
  .strict();
export type RiderConfig = z.output<typeof riderSchema>;

/** Q ← (1 − η)·Q + η·p: the tracker's first-order low-pass step (eq. 12; Lemma 3.10). */
export function trackerStep(q: number, p: number, eta: number): number {
  return (1 - eta) * q + eta * p;
}

/**
 * E-RIDER (RIDER when chopProb = 0). P is the fast analog array (effective weight G − R as its
 * device config sets it, so a reference offset shows up as an SP ≠ 0), Q a digital tracker of P,
 * Q̃ an analog copy of Q (a third array of the same device, programmed by counted pulses when a
 * chopper flips), W the slow analog array. Per sample:
 *   flip c (global scope), re-program Q̃ ← Q where c flipped;
 *   W̄ = W + γ·c⊙(P − Q̃);  P ← AU(P, −α·c⊙g)  (input chopper, eq. 18a);
 * every transferEvery, for each read column j: a = read(P)_·j, Q_·j ← (1 − η)Q_·j + η·a,
 * W_·j ← AU(W_·j, β·c_j·(a − Q̃_·j))  (eq. 18b); in column scope c_j may flip after the read.
 * Reading all columns every step (`nReadsPerTransfer` = inputs, `transferEvery` 1) is Alg. 3
 * exactly; fewer reads per step is the column-wise practice of aihwkit.
 */
export class Rider extends BufferedTransfer {
  readonly kind = 'rider';
  /** Digital tracker Q (rows × cols). */
  readonly tracker: Float64Array;
  /** Q̃: the analog copy of Q used in W̄ and in the transfer. */
  readonly trackerCopy: AnalogTile;
  /** Chopper sign per input column (all equal in global scope). */
  readonly choppers: Int8Array;
  private readonly config: RiderConfig;
  private started = false;
  private readonly riderComposite: Float64Array;
  private pulseGrid: Float64Array | null = null;

  constructor(setup: AlgorithmSetup, config: RiderConfig) {
    super(setup, config);
    this.config = config;
    this.tracker = new Float64Array(setup.rows * setup.cols);
    this.trackerCopy = new AnalogTile({ ...tileOptions(setup), name: `${setup.name ?? 'layer'}/tracker-copy` });
    this.choppers = new Int8Array(setup.cols).fill(1);
    this.riderComposite = new Float64Array(setup.rows * setup.cols);
  }

  /** The array P is compared with: Q (digital) or its analog copy Q̃. */
  private residualReference(): Float64Array {
    return this.config.residualReference === 'tracker' ? this.tracker : this.trackerCopy.weights();
  }

  override weights(): Float64Array {
    const p = this.fast.weights();
    const q = this.residualReference();
    const w = this.slow.weights();
    const gamma = this.config.gamma;
    for (let i = 0; i < this.rows; i++) {
      for (let j = 0; j < this.cols; j++) {
        const k = i * this.cols + j;
        this.riderComposite[k] = w[k]! + gamma * this.choppers[j]! * (p[k]! - q[k]!);
      }
    }
    return this.riderComposite;
  }

  /** Re-programs Q̃ ← Q on the given columns (all when omitted). */
  private syncCopy(columns?: readonly number[]): void {
    if (this.config.residualReference === 'tracker') return;
    const target = Float64Array.from(this.trackerCopy.weights());
    for (let i = 0; i < this.rows; i++) {
      for (const j of columns ?? Array.from({ length: this.cols }, (_, q) => q)) target[i * this.cols + j] = this.tracker[i * this.cols + j]!;
    }
    this.trackerCopy.programWeights(target, this.config.trackerProgramming, 'tracker');
  }

  protected override updateSample(x: ArrayLike<number>, d: ArrayLike<number>, lr: number, batch: number): void {
    const c = this.config;
    if (!this.started) {
      this.started = true;
      this.syncCopy();
    }
    if (c.chopScope === 'global' && c.chopProb > 0 && this.algorithmRng.uniform() < c.chopProb) {
      this.choppers.fill(-this.choppers[0]! as 1 | -1);
      this.syncCopy();
    }
    const xc = this.scratchX;
    for (let j = 0; j < this.cols; j++) xc[j] = x[j]! * this.choppers[j]!;
    this.fast.update(xc, d, 1, c.scaleFastLr ? c.fastLr * lr : c.fastLr);
    if (this.vectorUpdates % this.transferPeriod(c.transferEvery, c.unitsInMbatch, batch) !== 0) return;
    const beta = c.scaleTransferLr ? c.transferLr * lr : c.transferLr;
    // Q_k (or Q̃_k): element k of Q is read for the residual before its own tracker step below.
    const reference = this.residualReference();
    for (let r = 0; r < c.nReadsPerTransfer; r++) {
      const j = this.nextColumn();
      const a = this.readColumn(j);
      const residual = this.scratchColumn;
      for (let i = 0; i < this.rows; i++) {
        const k = i * this.cols + j;
        residual[i] = this.choppers[j]! * (a[i]! - reference[k]!);
        this.tracker[k] = trackerStep(this.tracker[k]!, a[i]!, c.trackingRate);
      }
      this.transferColumn(j, residual, beta);
      if (c.chopScope === 'column' && c.chopProb > 0 && this.algorithmRng.uniform() < c.chopProb) {
        this.choppers[j] = -this.choppers[j]! as 1 | -1;
        this.syncCopy([j]);
      }
    }
  }

  /** ‖Q − W⋄‖ (RMS over elements): how far the tracker is from P's symmetric points (Thm 3.7). */
  diagnostics(): Record<string, number> {
    const sp = this.fast.symmetricPoints();
    let s = 0;
    for (let k = 0; k < sp.length; k++) s += (this.tracker[k]! - sp[k]!) ** 2;
    return { trackerSpError: Math.sqrt(s / sp.length) };
  }

  /** W_·j ← AU(W_·j, β·residual), directly or through the threshold buffer. */
  private transferColumn(j: number, residual: Float64Array, beta: number): void {
    if (!this.config.transferBuffer) {
      this.writeColumn(j, residual, beta);
      return;
    }
    const granularity = this.slow.device.granularity;
    const threshold = this.config.thresScale * granularity;
    const maxPulses = this.transferUpdate.desiredBl;
    // Pulse counts for the whole array with only column j set (scratch; column j is zeroed again below).
    this.pulseGrid ??= new Float64Array(this.rows * this.cols);
    const n = this.pulseGrid;
    let any = false;
    for (let i = 0; i < this.rows; i++) {
      const k = i * this.cols + j;
      const h = this.buffer[k]! + beta * residual[i]!;
      const count = Math.max(-maxPulses, Math.min(maxPulses, Math.trunc(h / threshold)));
      this.buffer[k] = h - count * threshold;
      n[k] = count;
      if (count !== 0) any = true;
    }
    // whole pulses, applied directly (each ≈ ±granularity·q±(w)), counted as transfer pulses
    if (any) {
      this.slow.pulseDevices(n, 'transfer');
      this.transferCount++;
    }
    for (let i = 0; i < this.rows; i++) n[i * this.cols + j] = 0;
  }

  override tiles(): Record<string, AnalogTile> {
    return { ...super.tiles(), 'tracker-copy': this.trackerCopy };
  }

  override saveState(): AlgorithmState {
    return {
      ...super.saveState(),
      tracker: Float64Array.from(this.tracker),
      trackerCopy: this.trackerCopy.saveState(),
      choppers: Int8Array.from(this.choppers),
      started: this.started ? 1 : 0,
    };
  }

  override restoreState(state: AlgorithmState): void {
    super.restoreState(state);
    this.tracker.set(state['tracker'] as Float64Array);
    this.trackerCopy.restoreState(state['trackerCopy'] as TileState);
    this.choppers.set(state['choppers'] as Int8Array);
    this.started = state['started'] === 1;
  }
}
