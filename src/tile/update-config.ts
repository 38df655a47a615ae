import { z } from 'zod';
import { LIMITS, boundedInt } from '../core/limits.js';
import { flag, num } from '../devices/fields.js';

/** Pulse-train update parameters (aihwkit-model.md §3.1, Python defaults). */
export const updateSchema = z
  .object({
    desiredBl: boundedInt(LIMITS.bitLength, 'bit length BL of the pulse trains (the maximum under BL management)').default(31),
    fixedBl: flag(true, 'keep BL fixed; otherwise BL = ceil(lr/dwMin) when the lr is large'),
    pulseType: z
      .enum(['stochastic-compressed', 'mean-count', 'deterministic-implicit', 'none', 'none-with-device', 'expected'])
      .default('stochastic-compressed')
      .describe('how coincidences are produced (aihwkit-model.md §3.3); `expected` is the first-order shortcut w += Δ·q±(w), no pulses'),
    expectedNoise: flag(false, 'with pulseType expected: add ζ ~ N(0, |Δ|·granularity), the variance of the pulse trains (papers.md §1.3)'),
    updateBlManagement: flag(true, 'adapt BL to lr·max|x|·max|d|/dwMin per sample'),
    updateManagement: flag(true, 'balance the x and d probabilities by their magnitudes'),
    umGradScale: num(1, '< 1 biases clipping towards d', { gt: 0 }),
    res: num(0, 'discretisation of the probabilities: step res (≤ 1) or 1/res (> 1); 0 = off', { min: 0 }),
    stoRound: flag(false, 'stochastic rounding of the discretised probabilities'),
    xResImplicit: num(0, 'quantisation step of x probabilities for deterministic-implicit (0 = off)', { min: 0 }),
    dResImplicit: num(0, 'quantisation step of d probabilities for deterministic-implicit (0 = off)', { min: 0 }),
  })
  .strict();

export type UpdateConfig = z.output<typeof updateSchema>;
export type UpdateInput = z.input<typeof updateSchema>;

/**
 * The same fields with no defaults: what a run's `update` section sets on top of an algorithm
 * preset's update (e.g. BL 5 of `c-ttv2`). Defaults are filled only when the tile parses the
 * merged object, so an unset field never hides the preset's value.
 */
export const updateOverridesSchema = z
  .object(
    Object.fromEntries(
      Object.entries(updateSchema.shape).map(([key, field]) => {
        const inner = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field;
        return [key, inner.optional().describe(field.description ?? key)];
      }),
    ) as { [K in keyof typeof updateSchema.shape]: z.ZodOptional<z.ZodType<z.output<(typeof updateSchema.shape)[K]>, z.input<(typeof updateSchema.shape)[K]>>> },
  )
  .strict();
