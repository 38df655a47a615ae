import { z } from 'zod';
import { flag, num } from '../devices/fields.js';
import { Rng } from '../rng/index.js';
import { SingleArrayAlgorithm } from './single-array.js';
import { absMax } from './transfer-base.js';
import { postUpdateStep, type AlgorithmSetup, type AlgorithmState } from './types.js';

/** Mixed precision, aihwkit MixedPrecisionCompound (aihwkit-model.md §5.8; papers.md §2.11). */
export const mixedPrecisionSchema = z
  .object({
    kind: z.literal('mixed-precision'),
    transferEvery: z.number().int().min(1).default(1).describe('transfer after every transferEvery mini-batches'),
    nRowsPerTransfer: z.number().int().min(-1).default(-1).describe('rows transferred per transfer (-1 = all)'),
    randomRow: flag(false, 'pick the transferred rows at random instead of cyclically'),
    granularity: num(0, 'step ε of one transferred pulse (0 = the device granularity)', { min: 0 }),
    transferLr: num(1, 'scale of the transferred step (pulses of ε·transferLr worth)', { gt: 0 }),
    nXBins: z.number().int().min(0).default(0).describe('quantise x to this many bins before accumulating (0 = off)'),
    nDBins: z.number().int().min(0).default(0).describe('quantise d to this many bins before accumulating (0 = off)'),
    stocRoundX: flag(true, 'stochastic rounding of the x quantisation'),
    stocRoundD: flag(true, 'stochastic rounding of the d quantisation'),
  })
  .strict();
export type MixedPrecisionConfig = z.output<typeof mixedPrecisionSchema>;

/**
 * The gradient is computed digitally and accumulated in χ (χ += lr·d̃·x̃ᵀ). At a transfer, every
 * selected element gets exactly n = trunc(χ/ε) pulses (down for n > 0, since W −= lr·d·xᵀ) and
 * χ −= n·ε. The transfer is deterministic pulse counts, as the MP papers describe; aihwkit sends
 * them as a UM/UBLM pulse train, which realises the same counts only in expectation.
 */
export class MixedPrecision extends SingleArrayAlgorithm {
  readonly kind = 'mixed-precision';
  readonly accumulator: Float64Array;
  private readonly config: MixedPrecisionConfig;
  private readonly rng: Rng;
  private miniBatches = 0;
  private nextRow = 0;
  private transferCount = 0;

  constructor(setup: AlgorithmSetup, config: MixedPrecisionConfig) {
    super(setup);
    this.config = config;
    this.accumulator = new Float64Array(setup.rows * setup.cols);
    this.rng = Rng.stream(setup.seed, setup.name ?? 'layer', 'mixed-precision');
  }

  /** ε: the pulse step the transfer assumes. */
  get epsilon(): number {
    return (this.config.granularity > 0 ? this.config.granularity : this.array.device.granularity) * this.config.transferLr;
  }

  /** Quantises v to `bins` levels of width max|v|/(bins/2), stochastically if asked (§5.8). */
  private quantize(v: ArrayLike<number>, bins: number, stochastic: boolean): ArrayLike<number> {
    if (bins <= 0) return v;
    const m = absMax(v);
    if (m === 0) return v;
    const width = m / (bins / 2);
    const out = new Float64Array(v.length);
    for (let k = 0; k < v.length; k++) {
      const q = stochastic ? Math.floor(v[k]! / width + this.rng.uniform()) : Math.round(v[k]! / width);
      out[k] = Math.max(-bins / 2, Math.min(bins / 2, q)) * width;
    }
    return out;
  }

  update(x: ArrayLike<number>, d: ArrayLike<number>, batch: number, lr: number): void {
    const { rows, cols, accumulator } = this;
    for (let b = 0; b < batch; b++) {
      const xb = this.quantize(Array.prototype.slice.call(x, b * cols, (b + 1) * cols) as number[], this.config.nXBins, this.config.stocRoundX);
      const db = this.quantize(Array.prototype.slice.call(d, b * rows, (b + 1) * rows) as number[], this.config.nDBins, this.config.stocRoundD);
      for (let i = 0; i < rows; i++) {
        const scale = lr * db[i]!;
        if (scale === 0) continue;
        for (let j = 0; j < cols; j++) accumulator[i * cols + j] = accumulator[i * cols + j]! + scale * xb[j]!;
      }
    }
    this.array.counters.addUpdates('update', batch);
    this.miniBatches++;
    if (this.miniBatches % this.config.transferEvery === 0) this.transfer();
    postUpdateStep(this.array);
  }

  /** Integer transfer of the selected rows: exactly trunc(χ/ε) pulses per element. */
  private transfer(): void {
    const { rows, cols, accumulator } = this;
    const eps = this.epsilon;
    const n = this.config.nRowsPerTransfer < 0 ? rows : Math.min(this.config.nRowsPerTransfer, rows);
    const counts = new Float64Array(rows * cols);
    for (let r = 0; r < n; r++) {
      const i = this.config.randomRow ? Math.min(Math.floor(this.rng.uniform() * rows), rows - 1) : (this.nextRow + r) % rows;
      for (let j = 0; j < cols; j++) {
        const k = i * cols + j;
        const pulses = Math.trunc(accumulator[k]! / eps);
        if (pulses === 0) continue;
        accumulator[k] = accumulator[k]! - pulses * eps;
        counts[k] = -pulses; // χ holds +lr·d·xᵀ, and W moves by −χ
      }
    }
    if (!this.config.randomRow) this.nextRow = (this.nextRow + n) % rows;
    this.array.pulseDevices(counts, 'transfer');
    this.transferCount++;
  }

  protected override transfers(): number {
    return this.transferCount;
  }

  override saveState(): AlgorithmState {
    return {
      ...super.saveState(),
      accumulator: Float64Array.from(this.accumulator),
      counters: [this.miniBatches, this.nextRow, this.transferCount],
      rng: this.rng.saveState(),
    };
  }

  override restoreState(state: AlgorithmState): void {
    super.restoreState(state);
    this.accumulator.set(state['accumulator'] as Float64Array);
    [this.miniBatches, this.nextRow, this.transferCount] = state['counters'] as [number, number, number];
    this.rng.restoreState(state['rng'] as Uint32Array);
  }
}
