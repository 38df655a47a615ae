import { flag, num } from '../devices/fields.js';
import { ioSchema } from '../tile/io-config.js';
import { updateSchema } from '../tile/update-config.js';

/** Fields every transfer compound has (aihwkit-model.md §5.4 defaults). */
export const transferFields = {
  gamma: num(0, 'weight γ of the fast array in W = γ·A + C (0 hides A)', { min: 0 }),
  transferEvery: num(1, 'transfer period in vector updates (× batch size when unitsInMbatch); < 0 = auto (chopped/AGAD)'),
  unitsInMbatch: flag(true, 'count transferEvery in mini-batches instead of vector updates'),
  fastLr: num(1, 'learning rate of the gradient update on the fast array A', { gt: 0 }),
  // aihwkit ≤ 1.1 and the seed papers' code: fast_lr is absolute (aihwkit-model.md §5.4); the
  // scaled form is aihwkit master's scale_fast_lr (June 2026).
  scaleFastLr: flag(false, 'multiply fastLr by the global learning rate (aihwkit master ≥ 2026-06); off: absolute, as aihwkit ≤ 1.1 and the papers'),
  transferLr: num(1, 'learning rate of the transfer onto the slow array C', { gt: 0 }),
  scaleTransferLr: flag(true, 'multiply transferLr by the global learning rate'),
  transferForward: ioSchema.default(ioSchema.parse({})).describe('IO of the transfer reads (one-hot columns of A)'),
  transferUpdate: updateSchema.default(updateSchema.parse({})).describe('pulse-train settings of the writes onto C'),
};
