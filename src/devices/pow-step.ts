import { z } from 'zod';
import { num, pulsedFields, writeNoiseFields } from './fields.js';
import type { DeviceModel } from './model.js';
import { populateCommonHidden } from './common-hidden.js';
import { powResponse } from './pow-step-core.js';
import { checkBounds } from './refinements.js';

export const powFields = {
  powGamma: num(1, 'exponent γ of the power response (1 = soft bounds)', { gt: 0 }),
  powGammaDtod: num(0.1, 'device-to-device spread of the exponent (relative)', { min: 0 }),
  powUpDown: num(0, 'systematic up/down asymmetry of the exponents'),
  powUpDownDtod: num(0, 'device-to-device spread of the exponent asymmetry', { min: 0 }),
};

/** PowStepDevice (aihwkit-model.md §2.2). */
export const powStepSchema = z
  .object({ kind: z.literal('pow-step'), ...pulsedFields, ...writeNoiseFields, ...powFields })
  .strict()
  .superRefine((c, ctx) => checkBounds(c, ctx, { bracketZero: false }));
export type PowStepConfig = z.output<typeof powStepSchema>;

export const powStep: DeviceModel<PowStepConfig> = {
  kind: 'pow-step',
  schema: powStepSchema,
  equation: 'Δ⁺ = Δw⁺((b^max − w)/R)^{γ⁺}(1 + σξ),  Δ⁻ = Δw⁻((w − b^min)/R)^{γ⁻}(1 + σξ),  R = b^max − b^min',
  symmetricPointMethod: 'closed-form',
  build(config, size, rng) {
    const hidden = populateCommonHidden(config, size, rng);
    return powResponse('pow-step', config, hidden, rng, config.writeNoiseStd * config.dwMin, config.applyWriteNoiseOnSet);
  },
};
