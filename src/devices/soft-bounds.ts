import { z } from 'zod';
import { cLinField, flag, pulsedFields, writeNoiseFields } from './fields.js';
import type { DeviceModel } from './model.js';
import { populateCommonHidden } from './common-hidden.js';
import { applyCLin, linearResponseOf, softBoundsSteps } from './linear-response.js';
import { checkBounds } from './refinements.js';

/**
 * SoftBoundsDevice (aihwkit-model.md §2.2): Δ⁺ = Δw⁺(1 − w/b^max), Δ⁻ = Δw⁻(1 − w/b^min).
 * With b^max = −b^min = τ and Δw⁺ = Δw⁻ it is the asymmetric linear device (ALD) of papers.md §1.5(a).
 */
export const softBoundsSchema = z
  .object({
    kind: z.literal('soft-bounds'),
    ...pulsedFields,
    ...writeNoiseFields,
    ...cLinField,
    multNoise: flag(true, 'multiplicative c2c noise Δ(1 + σξ); otherwise additive Δw(1 − w/b + σξ)'),
  })
  .strict()
  .superRefine((c, ctx) => checkBounds(c, ctx, { bracketZero: true }));
export type SoftBoundsConfig = z.output<typeof softBoundsSchema>;

export const softBounds: DeviceModel<SoftBoundsConfig> = {
  kind: 'soft-bounds',
  schema: softBoundsSchema,
  equation: 'Δ⁺ = Δw⁺(1 − w/b^max)(1 + σξ),  Δ⁻ = Δw⁻(1 − w/b^min)(1 + σξ)',
  symmetricPointMethod: 'closed-form',
  build(config, size, rng) {
    const hidden = populateCommonHidden(config, size, rng);
    applyCLin(hidden, config.cLin);
    return linearResponseOf('soft-bounds', config, hidden, softBoundsSteps(hidden));
  },
};
