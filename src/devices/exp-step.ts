import { z } from 'zod';
import { num, pulsedFields, writeNoiseFields } from './fields.js';
import type { DeviceModel } from './model.js';
import type { DeviceResponse } from './response.js';
import { multiplicativePulse } from './pulse-loop.js';
import { populateCommonHidden } from './common-hidden.js';
import { solveSymmetricPoint } from './symmetric-point.js';
import { checkBounds } from './refinements.js';
import { exp } from '../core/math.js';

/** ExpStepDevice (aihwkit-model.md §2.2): exponential saturation of the steps. */
export const expStepSchema = z
  .object({
    kind: z.literal('exp-step'),
    ...pulsedFields,
    ...writeNoiseFields,
    aUp: num(0.00081, 'A_up: prefactor of the up-step saturation'),
    aDown: num(0.36833, 'A_down: prefactor of the down-step saturation'),
    gammaUp: num(12.44625, 'γ_up: exponent of the up-step saturation'),
    gammaDown: num(12.78785, 'γ_down: exponent of the down-step saturation'),
    a: num(0.244, 'a in z = 2a·w/(b^max − b^min) + b'),
    b: num(0.2425, 'b in z = 2a·w/(b^max − b^min) + b'),
    dwMinStdAdd: num(0, 'additive part of the "complex" c2c noise'),
    dwMinStdSlope: num(0, 'weight-proportional part of the "complex" c2c noise'),
  })
  .strict()
  .superRefine((c, ctx) => checkBounds(c, ctx, { bracketZero: false }));
export type ExpStepConfig = z.output<typeof expStepSchema>;

export const expStep: DeviceModel<ExpStepConfig> = {
  kind: 'exp-step',
  schema: expStepSchema,
  equation: 'Δ⁺ = max(1 − A_up·e^{γ_up·z}, 0)·Δw⁺(1 + σξ),  Δ⁻ = max(1 − A_down·e^{−γ_down·z}, 0)·Δw⁻(1 + σξ),  z = 2a·w/(b^max − b^min) + b',
  symmetricPointMethod: 'numeric',
  build(config, size, rng) {
    const hidden = populateCommonHidden(config, size, rng);
    const { scaleUp, scaleDown, bmax, bmin } = hidden;
    const { aUp, aDown, gammaUp, gammaDown, a, b, dwMinStd: sigma, dwMinStdAdd, dwMinStdSlope } = config;
    const complexNoise = sigma > 0 && (dwMinStdAdd !== 0 || dwMinStdSlope !== 0);
    const z = (k: number, g: number) => (2 * a * g) / (bmax[k]! - bmin[k]!) + b;
    const expectedUp = (k: number, g: number) => Math.max(1 - aUp * exp(gammaUp * z(k, g)), 0) * scaleUp[k]!;
    const expectedDown = (k: number, g: number) => Math.max(1 - aDown * exp(-gammaDown * z(k, g)), 0) * scaleDown[k]!;
    const plain = multiplicativePulse(expectedUp, expectedDown, sigma);
    // Granularity: the down step at w = 0, else dwMin (aihwkit-model.md §2.1).
    const yDownAtZero = Math.max(1 - aDown * exp(-gammaDown * b), 0);
    const device: DeviceResponse = {
      kind: 'exp-step',
      size,
      hidden,
      granularity: yDownAtZero > 0 ? config.dwMin * yDownAtZero : config.dwMin,
      writeNoise: config.writeNoiseStd * config.dwMin,
      applyWriteNoiseOnSet: config.applyWriteNoiseOnSet,
      resetStd: config.resetStd,
      isIdeal: false,
      symmetricPointMethod: 'numeric',
      expectedUp,
      expectedDown,
      pulseOnce(k, g, up, rng) {
        if (!complexNoise) return plain(k, g, up, rng);
        // "Complex noise": w += Δ + σ(|Δ| + σ_add + σ_slope·|w|)ξ (aihwkit-model.md §2.2).
        const step = up ? expectedUp(k, g) : -expectedDown(k, g);
        return g + step + sigma * (Math.abs(step) + dwMinStdAdd + dwMinStdSlope * Math.abs(g)) * rng.normal();
      },
      symmetricPoint: (k) => solveSymmetricPoint(device, k),
    };
    return device;
  },
};
