import { z } from 'zod';
import { pulsedFields, writeNoiseFields } from './fields.js';
import type { DeviceModel } from './model.js';
import type { DeviceResponse } from './response.js';
import { multiplicativePulse } from './pulse-loop.js';
import { populateCommonHidden } from './common-hidden.js';
import { solveSymmetricPoint } from './symmetric-point.js';
import { checkBounds } from './refinements.js';

const nodes = (doc: string) => z.array(z.number().min(0)).min(1).default([1]).describe(doc);

/** PiecewiseStepDevice (aihwkit-model.md §2.2): a measured response as equally spaced nodes. */
export const piecewiseStepSchema = z
  .object({
    kind: z.literal('piecewise-step'),
    ...pulsedFields,
    ...writeNoiseFields,
    piecewiseUp: nodes('relative up-step nodes, equally spaced on [b^min, b^max]'),
    piecewiseDown: nodes('relative down-step nodes, equally spaced on [b^min, b^max]'),
  })
  .strict()
  .superRefine((c, ctx) => checkBounds(c, ctx, { bracketZero: false }));
export type PiecewiseStepConfig = z.output<typeof piecewiseStepSchema>;

/**
 * Linear interpolation of node values at conductance g (aihwkit-model.md §2.2):
 * segment k = min(⌊ŵ⌋, n − 1) with ŵ = max((g − b^min)/R·n, 0), t = min(ŵ − k, 1).
 */
export function interpolateNodes(values: readonly number[], g: number, lo: number, hi: number): number {
  const segments = values.length - 1;
  if (segments <= 0) return values[0]!;
  const span = hi - lo;
  const pos = span > 0 ? Math.max(((g - lo) / span) * segments, 0) : 0;
  const k = Math.min(Math.floor(pos), segments - 1);
  const t = Math.min(pos - k, 1);
  return (1 - t) * values[k]! + t * values[k + 1]!;
}

export const piecewiseStep: DeviceModel<PiecewiseStepConfig> = {
  kind: 'piecewise-step',
  schema: piecewiseStepSchema,
  equation: 'Δ⁺ = Δw⁺·lerp(v⁺, w)(1 + σξ),  Δ⁻ = Δw⁻·lerp(v⁻, w)(1 + σξ)',
  symmetricPointMethod: 'numeric',
  build(config, size, rng) {
    const hidden = populateCommonHidden(config, size, rng);
    const { scaleUp, scaleDown, bmax, bmin } = hidden;
    const { piecewiseUp, piecewiseDown, dwMinStd: sigma } = config;
    const expectedUp = (k: number, g: number) => scaleUp[k]! * interpolateNodes(piecewiseUp, g, bmin[k]!, bmax[k]!);
    const expectedDown = (k: number, g: number) => scaleDown[k]! * interpolateNodes(piecewiseDown, g, bmin[k]!, bmax[k]!);
    const device: DeviceResponse = {
      kind: 'piecewise-step',
      size,
      hidden,
      // aihwkit uses dw_min·v_up[mid] as the granularity.
      granularity: config.dwMin * piecewiseUp[Math.floor(piecewiseUp.length / 2)]!,
      writeNoise: config.writeNoiseStd * config.dwMin,
      applyWriteNoiseOnSet: config.applyWriteNoiseOnSet,
      resetStd: config.resetStd,
      isIdeal: false,
      symmetricPointMethod: 'numeric',
      expectedUp,
      expectedDown,
      pulseOnce: multiplicativePulse(expectedUp, expectedDown, sigma),
      symmetricPoint: (k) => solveSymmetricPoint(device, k),
    };
    return device;
  },
};
