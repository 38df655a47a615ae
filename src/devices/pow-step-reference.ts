import { z } from 'zod';
import { num, pulsedFields, referenceFields } from './fields.js';
import type { DeviceModel } from './model.js';
import { drawNormals, populateCommonHidden } from './common-hidden.js';
import { powResponse } from './pow-step-core.js';
import { powFields } from './pow-step.js';
import { estimateSymmetricPointByPulsing } from './symmetric-point.js';
import { checkBounds } from './refinements.js';

/**
 * PowStepReferenceDevice (aihwkit-model.md §2.2, §2.4 item 2): pow-step on v = w + ref, whose
 * reference SP is *estimated* by noise-free alternating pulses, as aihwkit does; no write noise.
 */
export const powStepReferenceSchema = z
  .object({
    kind: z.literal('pow-step-reference'),
    ...pulsedFields,
    ...powFields,
    ...referenceFields,
    nEstimationSteps: num(-1, 'alternating steps of the SP estimate; ≤ 0 means min(round(10·R/min|Δw|), 10000)'),
  })
  .strict()
  .superRefine((c, ctx) => checkBounds(c, ctx, { bracketZero: false }));
export type PowStepReferenceConfig = z.output<typeof powStepReferenceSchema>;

export const powStepReference: DeviceModel<PowStepReferenceConfig> = {
  kind: 'pow-step-reference',
  schema: powStepReferenceSchema,
  equation: 'pow-step on v = w + ref; ref = mean + std·ξ (+ SP estimated by alternating pulses)',
  symmetricPointMethod: 'closed-form',
  build(config, size, rng) {
    const hidden = populateCommonHidden(config, size, rng);
    const device = powResponse('pow-step-reference', config, hidden, rng, 0, false);
    const offsets = drawNormals(rng.split('reference'), size);
    const reference = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      let sp = 0;
      // Only for a device whose bounds bracket 0, as aihwkit (rpu_powstep_reference_device.cpp).
      if (config.subtractSymmetryPoint && hidden.bmax[k]! > 0 && hidden.bmin[k]! < 0) {
        const minStep = Math.min(Math.abs(hidden.scaleUp[k]!), Math.abs(hidden.scaleDown[k]!));
        const span = hidden.bmax[k]! - hidden.bmin[k]!;
        const steps =
          config.nEstimationSteps > 0
            ? Math.round(config.nEstimationSteps)
            : minStep > 0
              ? Math.min(Math.round((10 * span) / minStep), 10000)
              : 0;
        sp = estimateSymmetricPointByPulsing(device, k, steps);
      }
      reference[k] = config.referenceMean + config.referenceStd * offsets[k]! + sp;
      hidden.resetBias[k] = hidden.resetBias[k]! + sp;
    }
    device.idealReference = (k) => reference[k]!;
    return device;
  },
};
