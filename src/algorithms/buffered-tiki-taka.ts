import { z } from 'zod';
import { flag, num } from '../devices/fields.js';
import { updateSchema } from '../tile/update-config.js';
import { transferFields } from './transfer-fields.js';
import { BufferedTransfer, type SampleRun } from './transfer-base.js';
import type { AlgorithmSetup } from './types.js';

/** Tiki-Taka v2, aihwkit BufferedTransferCompound (aihwkit-model.md §5.5; papers.md §2.5). */
export const bufferedTikiTakaSchema = z
  .object({
    kind: z.literal('buffered-tiki-taka'),
    ...transferFields,
    transferUpdate: updateSchema
      .default(updateSchema.parse({ desiredBl: 1, updateBlManagement: false, updateManagement: false }))
      .describe('pulse-train settings of the writes onto C (BL 1: at most one pulse per element)'),
    thresScale: num(1, 'threshold θ = thresScale·granularity(C) of the digital buffer', { gt: 0 }),
    step: num(1, 'pulses per threshold crossing are written with lr = step·granularity(C)', { gt: 0 }),
    momentum: num(0.1, 'fraction of the buffer kept after a write (forgetBuffer) or not subtracted', { min: 0, max: 1 }),
    forgetBuffer: flag(true, 'after a write keep momentum·H instead of subtracting what was written'),
  })
  .strict();
export type BufferedTikiTakaConfig = z.output<typeof bufferedTikiTakaSchema>;

/**
 * TTv2: reads of A accumulate in a digital buffer H (H_ij += |lr_t|·a_i); where |H| crosses
 * θ = thresScale·granularity(C), n = trunc(H/θ) (clipped to ±BL of the transfer update) pulses go
 * to C and the buffer forgets or keeps the rest.
 */
export class BufferedTikiTaka extends BufferedTransfer {
  readonly kind = 'buffered-tiki-taka';
  private readonly config: BufferedTikiTakaConfig;

  constructor(setup: AlgorithmSetup, config: BufferedTikiTakaConfig) {
    super(setup, config);
    this.config = config;
  }

  protected override sampleRun(lr: number, batch: number): SampleRun {
    return this.fixedLrRun(this.config, lr, batch, () => this.transfer(lr));
  }

  private transfer(lr: number): void {
    const c = this.config;
    const j = this.nextColumn();
    const a = this.readColumn(j);
    const transferLr = Math.abs(c.scaleTransferLr ? c.transferLr * lr : c.transferLr);
    const threshold = c.thresScale * this.slow.device.granularity;
    const maxPulses = c.transferUpdate.desiredBl;
    const n = this.scratchColumn;
    let any = false;
    for (let i = 0; i < this.rows; i++) {
      const k = i * this.cols + j;
      let h = this.buffer[k]! + transferLr * a[i]!;
      const count = Math.max(-maxPulses, Math.min(maxPulses, Math.trunc(h / threshold)));
      n[i] = count;
      if (count !== 0) {
        h = c.forgetBuffer ? c.momentum * h : h - (1 - c.momentum) * count * threshold;
        any = true;
      }
      this.buffer[k] = h;
    }
    if (any) this.writeColumn(j, n, c.step * this.slow.device.granularity);
  }
}
