import { z } from 'zod';
import { num } from '../devices/fields.js';
import { transferFields } from './transfer-fields.js';
import { BufferedTransfer } from './transfer-base.js';
import type { AlgorithmSetup } from './types.js';

/** Residual Learning v2 (papers.md §2.5, P-RF25 §5): RL with a low-pass digital buffer and a threshold. */
export const residualLearningV2Schema = z
  .object({
    kind: z.literal('residual-learning-v2'),
    ...transferFields,
    gamma: num(0.4, 'mixing weight γ of the residual array P in W̄ = W + γ·P (P-RF25 uses 0.4)', { gt: 0 }),
    transferLr: num(0.1, 'β: the buffer rate H ← (1 − β)H + β·read(P), and the write lr of W += β·H', { gt: 0, max: 1 }),
    scaleTransferLr: z.boolean().default(false).describe('multiply β by the global learning rate (β must stay ≤ 1)'),
    nReadsPerTransfer: z.number().int().min(1).default(1).describe('columns read (and filtered) per transfer event'),
    thresScale: num(1, 'transfer where |H| > thresScale·Δw_min of W', { gt: 0 }),
  })
  .strict();
export type ResidualLearningV2Config = z.output<typeof residualLearningV2Schema>;

/**
 * RL-v2: the gradient pulses go to P (the fast array) at W̄ = W + γP; every `transferEvery` one
 * column of P is read (noisy, through `transferForward`) into a digital low-pass filter
 * H ← (1 − β)H + β·read; where |H| exceeds Δw_min of W the element is written with
 * AU(W, β·H) (eq. 15) and, as TT-v2 does, the written amount β·H is taken off H. The paper does
 * not say what happens to H after a write; the subtraction is the spec's [INFERRED] choice.
 * Differs from TT-v2 (`buffered-tiki-taka`) by the decay (1 − β) of H and by γ > 0.
 */
export class ResidualLearningV2 extends BufferedTransfer {
  readonly kind = 'residual-learning-v2';
  private readonly config: ResidualLearningV2Config;

  constructor(setup: AlgorithmSetup, config: ResidualLearningV2Config) {
    super(setup, config);
    this.config = config;
  }

  protected override updateSample(x: ArrayLike<number>, d: ArrayLike<number>, lr: number, batch: number): void {
    const c = this.config;
    this.fast.update(x, d, 1, c.scaleFastLr ? c.fastLr * lr : c.fastLr);
    if (this.vectorUpdates % this.transferPeriod(c.transferEvery, c.unitsInMbatch, batch) !== 0) return;
    const beta = Math.min(1, c.scaleTransferLr ? c.transferLr * lr : c.transferLr);
    for (let r = 0; r < c.nReadsPerTransfer; r++) this.filterAndWrite(this.nextColumn(), beta);
  }

  private filterAndWrite(j: number, beta: number): void {
    const read = this.readColumn(j);
    const threshold = this.config.thresScale * this.slow.device.granularity;
    const write = this.scratchColumn.fill(0);
    let any = false;
    for (let i = 0; i < this.rows; i++) {
      const k = i * this.cols + j;
      let h = (1 - beta) * this.buffer[k]! + beta * read[i]!;
      if (Math.abs(h) > threshold) {
        write[i] = h;
        h -= beta * h;
        any = true;
      }
      this.buffer[k] = h;
    }
    if (any) this.writeColumn(j, write, beta);
  }
}
