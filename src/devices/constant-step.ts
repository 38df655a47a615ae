import { z } from 'zod';
import { pulsedFields } from './fields.js';
import type { DeviceModel } from './model.js';
import { linearResponseOf } from './linear-response.js';
import { populateCommonHidden } from './common-hidden.js';
import { checkBounds } from './refinements.js';

/** ConstantStepDevice (aihwkit-model.md §2.2): Δ± = Δw±(1 + σξ), independent of w. */
export const constantStepSchema = z
  .object({ kind: z.literal('constant-step'), ...pulsedFields })
  .strict()
  .superRefine((c, ctx) => checkBounds(c, ctx, { bracketZero: false }));
export type ConstantStepConfig = z.output<typeof constantStepSchema>;

export const constantStep: DeviceModel<ConstantStepConfig> = {
  kind: 'constant-step',
  schema: constantStepSchema,
  equation: 'Δ⁺ = Δw⁺(1 + σξ),  Δ⁻ = Δw⁻(1 + σξ)',
  symmetricPointMethod: 'closed-form',
  build(config, size, rng) {
    const hidden = populateCommonHidden(config, size, rng);
    const { scaleUp, scaleDown, bmax, bmin } = hidden;
    // Steps linear in g with zero slope: the linear-response path, whose pulses (Δ + 0·g)(1 + σξ)
    // are bit for bit those of Δ(1 + σξ), and which the Wasm pulse kernel runs (issue 21).
    const zero = new Float64Array(size);
    const device = linearResponseOf(
      'constant-step',
      { dwMin: config.dwMin, dwMinStd: config.dwMinStd, multNoise: true, writeNoiseStd: 0, applyWriteNoiseOnSet: false, resetStd: config.resetStd },
      hidden,
      { offsetUp: scaleUp, slopeUp: zero, offsetDown: scaleDown, slopeDown: zero },
    );
    // Constant steps never balance unless equal: the device runs to the bound of the larger step.
    device.symmetricPoint = (k) => {
      const drift = scaleUp[k]! - scaleDown[k]!;
      if (drift > 0) return bmax[k]!;
      if (drift < 0) return bmin[k]!;
      return Math.min(Math.max(0, bmin[k]!), bmax[k]!);
    };
    return device;
  },
};
