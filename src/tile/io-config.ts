import { z } from 'zod';
import { flag, num } from '../devices/fields.js';

/**
 * Forward/backward IO parameters (aihwkit-model.md §4.1, Python defaults). Not modelled (and so
 * rejected as unknown keys): IR drop, PosNeg MVM modes, output nonlinearity, voltage offsets.
 */
export const ioSchema = z
  .object({
    isPerfect: flag(false, 'exact floating-point MVM (only outScale applied)'),
    inpBound: num(1, 'DAC input range ±inpBound', { gt: 0 }),
    inpRes: num(1 / 126, 'DAC resolution: step = inpRes·2·inpBound if ≤ 1, or 2·inpBound/inpRes steps if > 1; ≤ 0 = off'),
    inpStoRound: flag(false, 'stochastic rounding in the DAC'),
    inpNoise: num(0, 'additive Gaussian noise on each quantised input', { min: 0 }),
    inpAsymmetry: num(0, 'negative inputs are scaled by (1 − inpAsymmetry)'),
    outBound: num(12, 'ADC output range ±outBound (≤ 0 = unbounded)'),
    outRes: num(1 / 510, 'ADC resolution: step = outRes·2·outBound if ≤ 1, or 2·outBound/outRes steps if > 1; ≤ 0 = off'),
    outStoRound: flag(false, 'stochastic rounding in the ADC'),
    outNoise: num(0.06, 'additive Gaussian noise at each output', { min: 0 }),
    outNoiseStd: num(0, 'fixed per-output relative variation of outNoise', { min: 0 }),
    outScale: num(1, 'digital output scale'),
    outAsymmetry: num(0, 'negative outputs are scaled by (1 − outAsymmetry)'),
    noiseManagement: z
      .enum(['none', 'abs-max', 'max', 'constant', 'average-abs-max', 'abs-max-np-sum'])
      .default('abs-max')
      .describe('input scaling before the DAC (NM)'),
    nmThres: num(0, 'cap of abs-max NM, or the constant of constant NM (0 = none / 1)', { min: 0 }),
    nmAssumedWmax: num(0.6, 'assumed max weight of abs-max-np-sum NM', { gt: 0 }),
    nmDecay: num(1e-3, 'EMA rate of average-abs-max NM', { gt: 0, max: 1 }),
    boundManagement: z
      .enum(['none', 'iterative', 'iterative-worst-case'])
      .default('iterative')
      .describe('repeat the MVM with halved inputs while outputs hit the ADC bound (forward only)'),
    maxBmFactor: num(1000, 'largest input reduction of bound management', { gt: 0 }),
    maxBmRes: num(0.25, 'bound management stops once reduction > maxBmRes / input step', { gt: 0 }),
    bmTestNegativeBound: flag(true, 'negative outputs at the bound also trigger bound management'),
    wNoise: num(0, 'output-referred weight noise, redrawn every MVM', { min: 0 }),
    wNoiseType: z.enum(['additive-constant', 'pcm-read']).default('additive-constant').describe('weight-noise model: wNoise·‖x‖₂·ξ or wNoise·√(Σ|w|x²)·ξ'),
  })
  .strict();

export type IoConfig = z.output<typeof ioSchema>;
export type IoInput = z.input<typeof ioSchema>;

/** Named IO settings (aihwkit-model.md §4.2 "Preset IO", §6.2). */
export const ioPresets = {
  /** aihwkit IOParameters() defaults. */
  default: {},
  /** PresetIOParameters: 7-bit DAC, 9-bit ADC, outBound 20, outNoise 0.1. */
  preset: { inpRes: 1 / 126, outRes: 1 / 510, outBound: 20, outNoise: 0.1, boundManagement: 'iterative', noiseManagement: 'abs-max' },
  /** StandardIOParameters: 8-bit DAC and ADC, outBound 10, outNoise 0.04. */
  standard: { inpRes: 1 / 254, outRes: 1 / 254, outBound: 10, outNoise: 0.04 },
  /** Exact MVM. */
  perfect: { isPerfect: true },
} satisfies Record<string, IoInput>;

export type IoPresetName = keyof typeof ioPresets;
