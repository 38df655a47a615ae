import { z } from 'zod';
import { flag, num } from '../devices/fields.js';
import { ioSchema } from '../tile/io-config.js';

const coefficients = (values: number[], doc: string) => z.array(z.number()).min(1).max(8).default(values).describe(doc);
const timing = {
  t0: num(20, 't₀ of the drift law g(t) = g_prog·((t + t₀)/t₀)^−ν, seconds (first read after programming)', { gt: 0 }),
  tRead: num(250e-9, 't_read of the 1/f read-noise law σ ∝ sqrt(ln((t + t₀ + t_read)/(2 t_read))), seconds', { gt: 0 }),
  gMax: num(25, 'g_max (µS) that the largest |w| of a tile maps to (single-pair converter: w → g⁺ − g⁻)', { gt: 0 }),
  progNoiseScale: num(1, 'scale of the programming noise', { min: 0 }),
  readNoiseScale: num(1, 'scale of the accumulated read (1/f) noise', { min: 0 }),
  driftScale: num(1, 'scale of the drift coefficients ν', { min: 0 }),
};

/**
 * aihwkit's PCMLikeNoiseModel (aihwkit-model.md §7; Nandakumar et al., ICECS 2019): programming
 * noise polynomial in g/g_max, state-dependent drift ν, state-dependent 1/f read noise.
 */
export const pcmNoiseSchema = z
  .object({
    kind: z.literal('pcm'),
    progCoeff: coefficients([0.26348, 1.965, -1.1731], 'programming-noise polynomial σ = Σ c_k (g/g_max)^k in µS at the fit’s g_max (Nandakumar 2019 via aihwkit)'),
    progCoeffGMax: num(25, 'g_max (µS) at which progCoeff was fitted; σ is scaled by gMax/progCoeffGMax', { gt: 0 }),
    ...timing,
  })
  .strict();

/**
 * aihwkit's StateIndependentNoiseModel: constant programming noise, ν ~ |N(νmean, νstd)| for every
 * device, 1/f read noise proportional to g/g_max.
 */
export const genericNoiseSchema = z
  .object({
    kind: z.literal('generic'),
    progCoeff: coefficients([0.2, 0, 0], 'programming-noise polynomial σ = Σ c_k (g/g_max)^k in µS (aihwkit StateIndependentNoiseModel: constant 0.2 µS)'),
    nuMean: num(0.1, 'mean drift coefficient ν (aihwkit default 0.1)', { min: 0 }),
    nuStd: num(0.05, 'device-to-device spread of ν (aihwkit default 0.05)', { min: 0 }),
    readNoiseAdditive: num(0, 'additive read noise σ (µS) per read-out time, independent of g, on top of aihwkit’s g-proportional 1/f term (per-MVM noise: the IO’s wNoise)', { min: 0 }),
    ...timing,
  })
  .strict();

export const noiseModelSchema = z.discriminatedUnion('kind', [pcmNoiseSchema, genericNoiseSchema]);
export type NoiseModelConfig = z.output<typeof noiseModelSchema>;

/** The `inference` section of a run (docs/inference.md). */
export const inferenceSchema = z
  .object({
    times: z
      .array(z.number().min(0).max(1e10))
      .min(1)
      .max(64)
      .default([1, 3600, 86400, 2592000, 31536000])
      .describe('read-out times after programming, seconds (default: 1 s, 1 h, 1 day, 30 days, 1 year)'),
    repeats: z.number().int().min(1).max(1000).default(5).describe('independent draws of programming noise, drift coefficients and read noise (accuracy as mean ± std over them)'),
    noise: noiseModelSchema.prefault({ kind: 'pcm' }).describe('the device statistics of the read-out: pcm (aihwkit PCMLikeNoiseModel) or generic (aihwkit StateIndependentNoiseModel)'),
    source: z
      .enum(['program', 'trained'])
      .default('program')
      .describe('program: the trained weights are programmed onto fresh conductance pairs (aihwkit program_analog_weights); trained: the conductances training left on the devices drift as they are, no programming noise (aihwkit issue #727)'),
    referenceDrifts: flag(true, 'source trained: the reference arrays drift too (else they hold their values)'),
    driftCompensation: z.enum(['none', 'global']).default('global').describe('global: multiply each tile’s outputs by r₀/r(t), r the mean |output| of its one-hot reads, r₀ right after programming (aihwkit GlobalDriftCompensation)'),
    forward: ioSchema.partial().optional().describe('the IO of the read-out MVMs (default: the run’s forward IO)'),
  })
  .strict();
export type InferenceConfig = z.output<typeof inferenceSchema>;
