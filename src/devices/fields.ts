import { z } from 'zod';

/**
 * Zod field builders shared by the device schemas. Each field carries its default, range and
 * one-line doc in one place (style.md: the schema is the single source of truth).
 */
export function num(defaultValue: number, doc: string, range: { min?: number; gt?: number; max?: number } = {}) {
  let schema = z.number();
  if (range.gt !== undefined) schema = schema.gt(range.gt);
  if (range.min !== undefined) schema = schema.min(range.min);
  if (range.max !== undefined) schema = schema.max(range.max);
  return schema.default(defaultValue).describe(doc);
}

export function flag(defaultValue: boolean, doc: string) {
  return z.boolean().default(defaultValue).describe(doc);
}

/** Device-to-device and cycle-to-cycle fields of every pulsed device (aihwkit-model.md §2.1). */
export const pulsedFields = {
  dwMin: num(0.001, 'mean step size Δw_min of one pulse (response granularity)', { gt: 0 }),
  dwMinDtod: num(0.3, 'device-to-device spread of the step size (relative)', { min: 0 }),
  dwMinDtodLogNormal: flag(false, 'draw the step gain log-normally, exp(dwMinDtod·ξ), instead of 1 + dwMinDtod·ξ'),
  dwMinStd: num(0.3, 'cycle-to-cycle noise of each step (relative, multiplicative unless stated)', { min: 0 }),
  wMax: num(0.6, 'mean upper hard bound b^max of the conductance'),
  wMin: num(-0.6, 'mean lower hard bound b^min of the conductance'),
  wMaxDtod: num(0.3, 'device-to-device spread of the upper bound (relative)', { min: 0 }),
  wMinDtod: num(0.3, 'device-to-device spread of the lower bound (relative)', { min: 0 }),
  upDown: num(0, 'systematic up/down asymmetry: > 0 shrinks down steps, < 0 shrinks up steps'),
  upDownDtod: num(0.01, 'device-to-device spread of the up/down asymmetry', { min: 0 }),
  enforceConsistency: flag(true, 'take |Δw±| and order the bounds so b^min ≤ 0 ≤ b^max; otherwise crossed bounds make a dead device'),
  corruptDevicesProb: num(0, 'probability that a device is stuck (no response, fixed random conductance)', { min: 0, max: 1 }),
  corruptDevicesRange: num(0.1, 'range of the stuck conductance of a corrupt device', { min: 0 }),
  reset: num(0, 'mean reset target conductance'),
  resetDtod: num(0, 'device-to-device spread of the reset target (absolute)', { min: 0 }),
  resetStd: num(0.01, 'cycle-to-cycle noise of a reset (absolute)', { min: 0 }),
  lifetime: num(0, 'decay lifetime in mini-batches (0 = no decay)', { min: 0 }),
  lifetimeDtod: num(0, 'device-to-device spread of the lifetime (relative)', { min: 0 }),
  diffusion: num(0, 'random-walk standard deviation per mini-batch (absolute)', { min: 0 }),
  diffusionDtod: num(0, 'device-to-device spread of the diffusion rate (relative)', { min: 0 }),
};

/**
 * The papers' symmetric asymmetry (papers.md §1.5(c)): q⁺ = (1 + cLin)(1 − w/τ), q⁻ = (1 − cLin)(1 + w/τ),
 * so the SP of symmetric bounds ±τ is cLin·τ. aihwkit's `upDown` lowers one side only instead.
 */
export const cLinField = {
  cLin: num(0, 'paper asymmetry c_Lin: up steps × (1 + cLin), down steps × (1 − cLin); SP = cLin·τ for bounds ±τ', { min: -1, max: 1 }),
};

/** Write noise (aihwkit-model.md §2.3), for the models that support it. */
export const writeNoiseFields = {
  writeNoiseStd: num(0, 'write noise on the apparent weight after each update, in units of dwMin', { min: 0 }),
  applyWriteNoiseOnSet: flag(true, 'redraw the write noise when weights are set'),
};

/** The reference-array fields of the *-reference models (aihwkit-model.md §2.2, §2.4; papers.md §1.6). */
export const referenceFields = {
  referenceMean: num(0, 'mean residual offset μ_r of the reference conductance'),
  referenceStd: num(0, 'device-to-device spread σ_r of the reference offset', { min: 0 }),
  subtractSymmetryPoint: flag(false, 'set the reference to each device’s symmetric point (ideally, no pulses) so that the effective SP is at −offset'),
};
