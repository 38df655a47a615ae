import { z } from 'zod';
import { cLinField, flag, num, pulsedFields, referenceFields, writeNoiseFields } from './fields.js';
import type { DeviceModel } from './model.js';
import { drawNormals, populateCommonHidden } from './common-hidden.js';
import { applyCLin, linearResponseOf, softBoundsSteps } from './linear-response.js';
import { checkBounds } from './refinements.js';

/**
 * SoftBoundsReferenceDevice (aihwkit-model.md §2.2, §2.4): soft bounds on the conductance
 * v = w + ref, with additive c2c noise by default, optional d2d of the slopes, and a reference
 * conductance set (free of pulses) to mean + std·ξ (+ the device's SP when subtractSymmetryPoint).
 */
export const softBoundsReferenceSchema = z
  .object({
    kind: z.literal('soft-bounds-reference'),
    ...pulsedFields,
    ...writeNoiseFields,
    ...cLinField,
    ...referenceFields,
    multNoise: flag(false, 'multiplicative c2c noise; the default is additive Δw(1 − v/b + σξ)'),
    slopeUpDtod: num(0, 'device-to-device spread of the up slope Δw⁺/b^max (relative); the bound follows', { min: 0 }),
    slopeDownDtod: num(0, 'device-to-device spread of the down slope Δw⁻/|b^min| (relative)', { min: 0 }),
  })
  .strict()
  .superRefine((c, ctx) => checkBounds(c, ctx, { bracketZero: true }));
export type SoftBoundsReferenceConfig = z.output<typeof softBoundsReferenceSchema>;

export const softBoundsReference: DeviceModel<SoftBoundsReferenceConfig> = {
  kind: 'soft-bounds-reference',
  schema: softBoundsReferenceSchema,
  equation: 'on v = w + ref:  Δ⁺ = Δw⁺(1 − v/b^max + σξ),  Δ⁻ = Δw⁻(1 − v/b^min + σξ)',
  symmetricPointMethod: 'closed-form',
  build(config, size, rng) {
    const hidden = populateCommonHidden(config, size, rng);
    applyCLin(hidden, config.cLin);
    if (config.slopeUpDtod > 0 || config.slopeDownDtod > 0) {
      // Slope d2d: the slope is varied and the bound recomputed from it (aihwkit-model.md §2.2).
      const xiUp = drawNormals(rng.split('slope-up'), size);
      const xiDown = drawNormals(rng.split('slope-down'), size);
      for (let k = 0; k < size; k++) {
        const up = hidden.scaleUp[k]!;
        const down = hidden.scaleDown[k]!;
        if (up > 0) hidden.bmax[k] = up / ((up / hidden.bmax[k]!) * Math.abs(1 + config.slopeUpDtod * xiUp[k]!));
        if (down > 0) hidden.bmin[k] = -down / ((down / -hidden.bmin[k]!) * Math.abs(1 + config.slopeDownDtod * xiDown[k]!));
      }
    }
    const device = linearResponseOf('soft-bounds-reference', config, hidden, softBoundsSteps(hidden));
    const offsets = drawNormals(rng.split('reference'), size);
    const reference = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      // aihwkit's closed form, unclipped, and only for a device whose bounds bracket 0
      // (rpu_softbounds_reference_device.cpp); a stuck device keeps its plain reference.
      const up = hidden.scaleUp[k]!;
      const down = hidden.scaleDown[k]!;
      const bracketsZero = hidden.bmax[k]! > 0 && hidden.bmin[k]! < 0;
      const sp = config.subtractSymmetryPoint && bracketsZero ? (up - down) / (up / hidden.bmax[k]! - down / hidden.bmin[k]!) : 0;
      reference[k] = config.referenceMean + config.referenceStd * offsets[k]! + sp;
      // The reset target includes the SP when it is subtracted (aihwkit-model.md §2.4 item 4).
      hidden.resetBias[k] = hidden.resetBias[k]! + sp;
    }
    device.idealReference = (k) => reference[k]!;
    return device;
  },
};
