import { z } from 'zod';
import { flag, num } from '../devices/fields.js';
import { arenaFor, gainsFromWasm, kernelBackend, type WasmArena } from '../kernels/index.js';
import { sized } from '../nn/buffers.js';
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

  /** Where χ lives when the Wasm rank update serves it (as digital SGD's W); null: a plain array. */
  private readonly arena: WasmArena | null;
  private xQuantized: Float64Array = new Float64Array(0);
  private dQuantized: Float64Array = new Float64Array(0);

  constructor(setup: AlgorithmSetup, config: MixedPrecisionConfig) {
    super(setup);
    this.config = config;
    this.arena = arenaFor(setup.rows, setup.cols, 1, true);
    this.accumulator = this.arena ? this.arena.f64(setup.rows * setup.cols) : new Float64Array(setup.rows * setup.cols);
    this.rng = Rng.stream(setup.seed, setup.name ?? 'layer', 'mixed-precision');
  }

  /** ε: the pulse step the transfer assumes. */
  get epsilon(): number {
    return (this.config.granularity > 0 ? this.config.granularity : this.array.device.granularity) * this.config.transferLr;
  }

  /**
   * Quantises v[from, from + n) to `bins` levels of width max|v|/(bins/2), stochastically if asked
   * (§5.8), into out[from, from + n); bins ≤ 0 or an all-zero vector copy it unchanged.
   */
  private quantize(v: Float64Array, from: number, n: number, bins: number, stochastic: boolean, out: Float64Array): void {
    const part = v.subarray(from, from + n);
    const m = bins > 0 ? absMax(part) : 0;
    if (m === 0) {
      out.set(part, from);
      return;
    }
    const width = m / (bins / 2);
    for (let k = 0; k < n; k++) {
      const q = stochastic ? Math.floor(part[k]! / width + this.rng.uniform()) : Math.round(part[k]! / width);
      out[from + k] = Math.max(-bins / 2, Math.min(bins / 2, q)) * width;
    }
  }

  update(x: ArrayLike<number>, d: ArrayLike<number>, batch: number, lr: number): void {
    const { rows, cols, accumulator, config } = this;
    let xs: Float64Array = x instanceof Float64Array ? x : Float64Array.from(x);
    let ds: Float64Array = d instanceof Float64Array ? d : Float64Array.from(d);
    // The quantisations first, sample by sample (x then d: the draws of the order before); the
    // accumulation draws nothing, so it may then run over the whole batch.
    if (config.nXBins > 0 || config.nDBins > 0) {
      const xq = (this.xQuantized = sized(this.xQuantized, batch * cols));
      const dq = (this.dQuantized = sized(this.dQuantized, batch * rows));
      for (let b = 0; b < batch; b++) {
        this.quantize(xs, b * cols, cols, config.nXBins, config.stocRoundX, xq);
        this.quantize(ds, b * rows, rows, config.nDBins, config.stocRoundD, dq);
      }
      xs = xq;
      ds = dq;
    }
    if (this.arena && kernelBackend() === 'wasm' && gainsFromWasm(rows, cols, batch)) {
      // χ − (−lr·d)·x = χ + (lr·d)·x exactly: digital SGD's kernel with the sign of lr flipped.
      this.arena.rankUpdate(accumulator, rows, cols, xs, ds, batch, -lr);
    } else {
      for (let b = 0; b < batch; b++) {
        for (let i = 0; i < rows; i++) {
          const scale = lr * ds[b * rows + i]!;
          if (scale === 0) continue;
          const base = i * cols;
          const xb = b * cols;
          for (let j = 0; j < cols; j++) accumulator[base + j] = accumulator[base + j]! + scale * xs[xb + j]!;
        }
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
