import { z } from 'zod';
import { num, pulsedFields } from './fields.js';
import type { DeviceModel } from './model.js';
import type { DeviceResponse } from './response.js';
import { drawNormals } from './common-hidden.js';

/** IdealDevice (aihwkit-model.md §2.2): no bounds, no noise; training updates are exact FP. */
export const idealSchema = z
  .object({
    kind: z.literal('ideal'),
    dwMin: num(0.001, 'step of one pulse when the device is pulsed directly (aimsim device, calibration); training updates are exact', { gt: 0 }),
    reset: pulsedFields.reset,
    resetDtod: pulsedFields.resetDtod,
    resetStd: pulsedFields.resetStd,
    lifetime: pulsedFields.lifetime,
    lifetimeDtod: pulsedFields.lifetimeDtod,
    diffusion: pulsedFields.diffusion,
    diffusionDtod: pulsedFields.diffusionDtod,
  })
  .strict();
export type IdealConfig = z.output<typeof idealSchema>;

export const ideal: DeviceModel<IdealConfig> = {
  kind: 'ideal',
  schema: idealSchema,
  equation: 'exact update W −= lr·d·xᵀ; a direct pulse moves w by ±dwMin; unbounded',
  symmetricPointMethod: 'anywhere',
  build(config, size, rng) {
    const bmax = new Float64Array(size).fill(Infinity);
    const bmin = new Float64Array(size).fill(-Infinity);
    const scaleUp = new Float64Array(size).fill(config.dwMin);
    const scaleDown = new Float64Array(size).fill(config.dwMin);
    const xiReset = drawNormals(rng.split('reset'), size);
    const xiLifetime = drawNormals(rng.split('lifetime'), size);
    const xiDiffusion = drawNormals(rng.split('diffusion'), size);
    const resetBias = new Float64Array(size);
    const decayScale = new Float64Array(size);
    const diffusionRate = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      resetBias[k] = config.reset + config.resetDtod * xiReset[k]!;
      diffusionRate[k] = Math.abs(config.diffusion * (1 + config.diffusionDtod * xiDiffusion[k]!));
      const life = config.lifetime * (1 + config.lifetimeDtod * xiLifetime[k]!);
      decayScale[k] = config.lifetime === 0 ? 1 : life > 1 ? 1 - 1 / life : 0;
    }
    const step = config.dwMin;
    const device: DeviceResponse = {
      kind: 'ideal',
      size,
      hidden: { bmax, bmin, scaleUp, scaleDown, resetBias, decayScale, diffusionRate },
      granularity: step,
      writeNoise: 0,
      applyWriteNoiseOnSet: false,
      resetStd: config.resetStd,
      isIdeal: true,
      symmetricPointMethod: 'anywhere',
      expectedUp: () => step,
      expectedDown: () => step,
      pulseOnce: (_k, g, up) => (up ? g + step : g - step),
      // Every weight is symmetric (G ≡ 0); report the point a device starts from, 0.
      symmetricPoint: () => 0,
    };
    return device;
  },
};
