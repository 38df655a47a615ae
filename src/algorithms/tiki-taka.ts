import { z } from 'zod';
import { flag, num } from '../devices/fields.js';
import { transferFields } from './transfer-fields.js';
import { TransferAlgorithm, type SampleRun } from './transfer-base.js';
import type { AlgorithmSetup } from './types.js';

/** Tiki-Taka v1, aihwkit TransferCompound (aihwkit-model.md §5.4; papers.md §2.3). */
export const tikiTakaSchema = z
  .object({
    kind: z.literal('tiki-taka'),
    ...transferFields,
    nReadsPerTransfer: z.number().int().min(1).default(1).describe('columns read and transferred per transfer event'),
    withResetProb: num(0, 'probability of resetting a column of A after it is read', { min: 0, max: 1 }),
    randomSelection: flag(false, 'pick the transferred column at random instead of cyclically'),
  })
  .strict();
export type TikiTakaConfig = z.output<typeof tikiTakaSchema>;

/**
 * Per sample: pulse the gradient onto A with lr_A = fastLr (× lr); every `transferEvery` vector
 * updates read `nReadsPerTransfer` columns of A (noisy MVM with one-hot inputs) and pulse them
 * onto C with lr_t = transferLr (× lr): C_·j += lr_t·A_·j. A decays only through its own
 * asymmetry, toward its symmetric point, which is why that SP must sit at zero weight.
 */
export class TikiTaka extends TransferAlgorithm {
  readonly kind = 'tiki-taka';
  private readonly config: TikiTakaConfig;

  constructor(setup: AlgorithmSetup, config: TikiTakaConfig) {
    super(setup, config);
    this.config = config;
  }

  protected override sampleRun(lr: number, batch: number): SampleRun {
    return this.fixedLrRun(this.config, lr, batch, () => this.transfer(lr));
  }

  private transfer(lr: number): void {
    const c = this.config;
    const transferLr = c.scaleTransferLr ? c.transferLr * lr : c.transferLr;
    for (let r = 0; r < c.nReadsPerTransfer; r++) {
      const j = this.nextColumn(c.randomSelection);
      const a = this.readColumn(j);
      if (c.withResetProb > 0 && this.algorithmRng.uniform() < c.withResetProb) {
        this.fast.reset((k) => k % this.cols === j);
      }
      this.writeColumn(j, a, transferLr);
    }
  }
}
