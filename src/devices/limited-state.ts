import { z } from 'zod';
import { num, pulsedFields } from './fields.js';
import type { DeviceModel } from './model.js';
import type { DeviceResponse } from './response.js';
import { populateCommonHidden } from './common-hidden.js';
import { checkBounds } from './refinements.js';

const { dwMin: _dwMin, dwMinStd: _dwMinStd, wMax: _wMax, wMin: _wMin, ...variationFields } = pulsedFields;

/**
 * A device with a finite number of equally spaced conductance levels (papers.md §1.1, §1.5(g);
 * P-MT25). Each device has nStates + 1 levels b^min + m·Δ, Δ = (b^max − b^min)/nStates, so that
 * nStates = (τ_max − τ_min)/Δw_min as in papers.md §1.1. A pulse moves the device one level in
 * its direction with probability p⁺(w) = g⁺(b^max − w)/R or p⁻(w) = g⁻(w − b^min)/R (clipped to
 * [0, 1]), else leaves it. The expected step Δ·p±(w) is a soft-bounds response, so the device
 * has a symmetric point; the switching itself is the cycle-to-cycle noise (Bernoulli, sd
 * Δ·√(p(1 − p))). g± are the gain and up/down factors of aihwkit-model.md §2.1 (≈ 1).
 */
export const limitedStateSchema = z
  .object({
    kind: z.literal('limited-state'),
    nStates: z.number().int().min(1).default(4).describe('number of level steps across the range (levels = nStates + 1)'),
    wMax: num(1, 'mean upper bound b^max (top level)'),
    wMin: num(-1, 'mean lower bound b^min (bottom level)'),
    ...variationFields,
  })
  .strict()
  .superRefine((c, ctx) => checkBounds(c, ctx, { bracketZero: false }));
export type LimitedStateConfig = z.output<typeof limitedStateSchema>;

export const limitedState: DeviceModel<LimitedStateConfig> = {
  kind: 'limited-state',
  schema: limitedStateSchema,
  equation: 'one level Δ = R/nStates per pulse with probability p⁺ = g⁺(b^max − w)/R, p⁻ = g⁻(w − b^min)/R',
  symmetricPointMethod: 'closed-form',
  build(config, size, rng) {
    const meanLevel = (config.wMax - config.wMin) / config.nStates;
    const hidden = populateCommonHidden({ ...config, dwMin: meanLevel }, size, rng);
    const { scaleUp, scaleDown, bmax, bmin } = hidden;
    const n = config.nStates;
    const span = (k: number) => bmax[k]! - bmin[k]!;
    const probUp = (k: number, g: number) => {
      const r = span(k);
      return r > 0 ? Math.min(Math.max(((scaleUp[k]! / meanLevel) * (bmax[k]! - g)) / r, 0), 1) : 0;
    };
    const probDown = (k: number, g: number) => {
      const r = span(k);
      return r > 0 ? Math.min(Math.max(((scaleDown[k]! / meanLevel) * (g - bmin[k]!)) / r, 0), 1) : 0;
    };
    const levelOf = (k: number, g: number) => {
      const r = span(k);
      return r > 0 ? Math.min(Math.max(Math.round(((g - bmin[k]!) / r) * n), 0), n) : 0;
    };
    const device: DeviceResponse = {
      kind: 'limited-state',
      size,
      hidden,
      granularity: meanLevel,
      writeNoise: 0,
      applyWriteNoiseOnSet: false,
      resetStd: config.resetStd,
      isIdeal: false,
      symmetricPointMethod: 'closed-form',
      expectedUp: (k, g) => (span(k) / n) * probUp(k, g),
      expectedDown: (k, g) => (span(k) / n) * probDown(k, g),
      pulseOnce(k, g, up, rng) {
        let level = levelOf(k, g);
        const p = up ? probUp(k, g) : probDown(k, g);
        if (rng.uniform() < p) level = up ? Math.min(level + 1, n) : Math.max(level - 1, 0);
        return bmin[k]! + (span(k) * level) / n;
      },
      symmetricPoint(k) {
        // g⁺(b^max − w) = g⁻(w − b^min) ⇒ w* = (g⁺b^max + g⁻b^min)/(g⁺ + g⁻), while p < 1 around it.
        const up = scaleUp[k]!;
        const down = scaleDown[k]!;
        if (up + down === 0) return Math.min(Math.max(0, bmin[k]!), bmax[k]!);
        return (up * bmax[k]! + down * bmin[k]!) / (up + down);
      },
      representable: (k, g) => bmin[k]! + (span(k) * levelOf(k, g)) / n,
    };
    return device;
  },
};
