import { z } from 'zod';
import { pulsedFields } from './fields.js';
import type { DeviceModel } from './model.js';
import type { DeviceResponse } from './response.js';
import { multiplicativePulse } from './pulse-loop.js';
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
    const sigma = config.dwMinStd;
    const device: DeviceResponse = {
      kind: 'constant-step',
      size,
      hidden,
      granularity: config.dwMin,
      writeNoise: 0,
      applyWriteNoiseOnSet: false,
      resetStd: config.resetStd,
      isIdeal: false,
      symmetricPointMethod: 'closed-form',
      expectedUp: (k) => scaleUp[k]!,
      expectedDown: (k) => scaleDown[k]!,
      pulseOnce: multiplicativePulse((k) => scaleUp[k]!, (k) => scaleDown[k]!, sigma),
      // Constant steps never balance unless equal: the device runs to the bound of the larger step.
      symmetricPoint(k) {
        const drift = scaleUp[k]! - scaleDown[k]!;
        if (drift > 0) return bmax[k]!;
        if (drift < 0) return bmin[k]!;
        return Math.min(Math.max(0, bmin[k]!), bmax[k]!);
      },
    };
    return device;
  },
};
