import { z } from 'zod';
import { cLinField, flag, num, pulsedFields, writeNoiseFields } from './fields.js';
import type { DeviceModel } from './model.js';
import { softBounds, type SoftBoundsConfig } from './soft-bounds.js';
import { exp } from '../core/math.js';

const { dwMin: _dwMin, wMax: _wMax, wMin: _wMin, upDown: _upDown, ...variationFields } = pulsedFields;

/**
 * SoftBoundsPmaxDevice (aihwkit-model.md §2.2): soft bounds parametrised by the number of pulses
 * `pMax` that saturate the device and the step `alpha`; dwMin, wMin, wMax and upDown are derived.
 */
export const softBoundsPmaxSchema = z
  .object({
    kind: z.literal('soft-bounds-pmax'),
    ...variationFields,
    ...writeNoiseFields,
    ...cLinField,
    pMax: num(1000, 'number of pulses that drive the device from rangeMin to saturation', { gt: 0 }),
    alpha: num(0.0005, 'relative step α of one pulse', { gt: 0 }),
    rangeMin: num(-1, 'lower end of the used conductance range'),
    rangeMax: num(1, 'upper end of the used conductance range'),
    multNoise: flag(true, 'multiplicative c2c noise'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!(c.rangeMin < 0 && c.rangeMax > c.rangeMin)) {
      ctx.addIssue({ code: 'custom', path: ['rangeMin'], message: `must be < 0 and < rangeMax (${c.rangeMax})`, input: c.rangeMin });
    }
  });
export type SoftBoundsPmaxConfig = z.output<typeof softBoundsPmaxSchema>;

/** The reparametrisation B = (range_max − range_min)/(1 − e^{−p_max·α}) of aihwkit-model.md §2.2. */
export function pmaxToSoftBounds(config: SoftBoundsPmaxConfig): SoftBoundsConfig {
  const { kind: _kind, pMax, alpha, rangeMin, rangeMax, ...rest } = config;
  const b = (rangeMax - rangeMin) / (1 - exp(-pMax * alpha));
  return {
    ...rest,
    kind: 'soft-bounds',
    wMin: rangeMin,
    wMax: rangeMin + b,
    dwMin: b * alpha,
    upDown: 1 + (2 * rangeMin) / b,
  };
}

export const softBoundsPmax: DeviceModel<SoftBoundsPmaxConfig> = {
  kind: 'soft-bounds-pmax',
  schema: softBoundsPmaxSchema,
  equation: 'soft bounds with B = (rangeMax − rangeMin)/(1 − e^{−pMax·α}), wMax = rangeMin + B, dwMin = Bα, upDown = 1 + 2·rangeMin/B',
  symmetricPointMethod: 'closed-form',
  build(config, size, rng) {
    return { ...softBounds.build(pmaxToSoftBounds(config), size, rng), kind: 'soft-bounds-pmax' };
  },
};
