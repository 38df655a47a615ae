import { z } from 'zod';
import { flag, num, pulsedFields, writeNoiseFields } from './fields.js';
import type { DeviceModel } from './model.js';
import { drawNormals, populateCommonHidden } from './common-hidden.js';
import { linearResponseOf } from './linear-response.js';
import { checkBounds } from './refinements.js';

/** LinearStepDevice (aihwkit-model.md §2.2): steps linear in w with slopes γ±. */
export const linearStepSchema = z
  .object({
    kind: z.literal('linear-step'),
    ...pulsedFields,
    ...writeNoiseFields,
    gammaUp: num(0, 'relative decrease γ⁺ of the up step at w = wMax: Δ⁺(wMax) = (1 − γ⁺)Δw⁺'),
    gammaDown: num(0, 'relative decrease γ⁻ of the down step at w = wMin'),
    gammaUpDtod: num(0.05, 'device-to-device spread of γ⁺ (absolute)', { min: 0 }),
    gammaDownDtod: num(0.05, 'device-to-device spread of γ⁻ (absolute)', { min: 0 }),
    allowIncreasing: flag(false, 'allow negative γ (steps that grow toward the bound); off: each device takes |γ + γ_dtod·ξ|, as aihwkit'),
    meanBoundReference: flag(true, 'slopes refer to the mean bounds wMax/wMin instead of each device’s bounds'),
    multNoise: flag(true, 'multiplicative c2c noise (s·w + Δw)(1 + σξ); otherwise s·w + Δw(1 + σξ)'),
    reverseUp: flag(false, 'make the up step grow with w (reference w_ref⁺ = wMin − reverseOffset)'),
    reverseDown: flag(false, 'make the down step grow as w falls (reference w_ref⁻ = wMax + reverseOffset)'),
    reverseOffset: num(0.01, 'offset of the reversed reference bound', { min: 0 }),
  })
  .strict()
  .superRefine((c, ctx) => checkBounds(c, ctx, { bracketZero: true }));
export type LinearStepConfig = z.output<typeof linearStepSchema>;

export const linearStep: DeviceModel<LinearStepConfig> = {
  kind: 'linear-step',
  schema: linearStepSchema,
  equation: 'Δ⁺ = (s⁺w + Δw⁺)(1 + σξ),  Δ⁻ = (s⁻w + Δw⁻)(1 + σξ),  s± = −γ±Δw±/w_ref±',
  symmetricPointMethod: 'closed-form',
  build(config, size, rng) {
    const hidden = populateCommonHidden(config, size, rng);
    const xiUp = drawNormals(rng.split('gamma-up'), size);
    const xiDown = drawNormals(rng.split('gamma-down'), size);
    const slopeUp = new Float64Array(size);
    const slopeDown = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      let gammaUp = config.gammaUp + config.gammaUpDtod * xiUp[k]!;
      let gammaDown = config.gammaDown + config.gammaDownDtod * xiDown[k]!;
      if (!config.allowIncreasing) {
        // aihwkit reflects a negative draw (fabs in rpu_linearstep_device.cpp), it does not clip it.
        gammaUp = Math.abs(gammaUp);
        gammaDown = Math.abs(gammaDown);
      }
      const upperRef = config.meanBoundReference ? config.wMax : hidden.bmax[k]!;
      const lowerRef = config.meanBoundReference ? config.wMin : hidden.bmin[k]!;
      const refUp = config.reverseUp ? lowerRef - config.reverseOffset : upperRef;
      const refDown = config.reverseDown ? upperRef + config.reverseOffset : lowerRef;
      const up = hidden.scaleUp[k]!;
      const down = hidden.scaleDown[k]!;
      // A reference bound of exactly 0 gives no slope (aihwkit's guard).
      slopeUp[k] = refUp === 0 ? 0 : (-gammaUp * up) / refUp;
      slopeDown[k] = refDown === 0 ? 0 : (-gammaDown * down) / refDown;
    }
    return linearResponseOf('linear-step', config, hidden, { offsetUp: hidden.scaleUp, slopeUp, offsetDown: hidden.scaleDown, slopeDown });
  },
};
