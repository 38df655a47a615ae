import { z } from 'zod';
import { UserError } from '../core/errors.js';
import { Rng } from '../rng/index.js';
import type { AnalogTile } from '../tile/index.js';
import type { ProgramResult } from '../tile/reference.js';

/** Zero-shifting SP calibration under a pulse budget (papers.md §2.6; P-SP26 Alg. 1, Kim et al. 2019). */
export const zeroShiftingSchema = z
  .object({
    variant: z.enum(['cyclic', 'stochastic']).default('cyclic').describe('cyclic: up, down, up, … (the original ZS); stochastic: a fair random sign per pulse and element'),
    pulses: z.number().int().min(1).default(1000).describe('pulse budget N per element (all elements are pulsed in parallel)'),
    estimate: z
      .enum(['last', 'last-pair'])
      .default('last')
      .describe('Ŵ⋄ = W_N (the paper), or the mean of the last two states (removes the ±½ step dither; not in the paper)'),
    programming: z
      .enum(['pulsed', 'ideal', 'none'])
      .default('pulsed')
      .describe('program the reference R := Ŵ⋄ by counted pulses, set it ideally (free), or leave R alone'),
  })
  .strict();
export type ZeroShiftingConfig = z.output<typeof zeroShiftingSchema>;

export interface ZeroShiftingResult {
  /** Per-device SP estimate Ŵ⋄ in conductance space. */
  estimate: Float64Array;
  /** Calibration pulses sent (N per element). */
  pulses: number;
  /** Reference programming result (null when `programming` is none). */
  reference: ProgramResult | null;
  /** W_n after n pulses, for each n asked for in `snapshotsAt` (a longer run has every shorter one as its prefix). */
  snapshots: Map<number, Float64Array>;
}

/**
 * Runs ZS on the tile's own devices: N pulses per element, ε_n = ±Δw_min in turn (cyclic) or
 * with a random sign (stochastic), every pulse counted under `calibration`. Each pulse is the
 * device's real pulse (noise included); in expectation W ← W + ε⊙F(W) − |ε|⊙G(W) (eq. 7). The
 * state W_N is read exactly (a device-level verify read) as the estimate, and the reference is
 * then programmed to it so that the effective SP sits near 0.
 */
export function zeroShift(tile: AnalogTile, config: ZeroShiftingConfig, seed: number, snapshotsAt: readonly number[] = []): ZeroShiftingResult {
  const snapshots = new Map<number, Float64Array>();
  const wanted = new Set(snapshotsAt);
  const size = tile.rows * tile.cols;
  const counts = new Int8Array(size);
  const rng = Rng.stream(seed, tile.name, 'zero-shifting');
  const pair = config.estimate === 'last-pair' && config.pulses >= 2;
  const previous = new Float64Array(pair ? size : 0);
  for (let n = 0; n < config.pulses; n++) {
    if (pair && n === config.pulses - 1) previous.set(tile.conductance);
    if (config.variant === 'cyclic') counts.fill(n % 2 === 0 ? 1 : -1);
    else for (let k = 0; k < size; k++) counts[k] = rng.uniform() < 0.5 ? 1 : -1;
    tile.pulseDevices(counts, 'calibration');
    if (wanted.has(n + 1)) snapshots.set(n + 1, Float64Array.from(tile.conductance));
  }
  const estimate = Float64Array.from(tile.conductance);
  if (pair) for (let k = 0; k < size; k++) estimate[k] = 0.5 * (estimate[k]! + previous[k]!);
  const reference = config.programming === 'none' ? null : tile.programReference(estimate, config.programming);
  return { estimate, pulses: config.pulses * size, reference, snapshots };
}

/** Config section: which arrays of each analog layer are zero-shifted before training. */
export const calibrationSchema = zeroShiftingSchema
  .extend({
    arrays: z
      .array(z.string())
      .min(1)
      .default(['fast'])
      .describe('the arrays to calibrate, by their names in the algorithm (fast, slow, tile-0, …; analog-sgd has one array, "array")'),
  })
  .strict();
export type CalibrationConfig = z.output<typeof calibrationSchema>;

/**
 * The first stage of the two-stage baseline (papers.md §2.7): zero-shift the named arrays of an
 * algorithm and program their references; the pulses are counted on those tiles (`calibration`,
 * `reference`), so the algorithm's report includes them.
 */
export function calibrateAlgorithm(tiles: Record<string, AnalogTile>, config: CalibrationConfig, seed: number, field = 'calibration.arrays'): void {
  checkCalibrationArrays(tiles, config.arrays, field);
  for (const name of config.arrays) zeroShift(tiles[name]!, config, seed);
}

/** Every named array must exist in the algorithm (checked before any training). */
export function checkCalibrationArrays(tiles: Record<string, AnalogTile>, arrays: readonly string[], field: string): void {
  for (const name of arrays) if (!tiles[name]) throw new UserError(field, name, `must name arrays of the algorithm: ${Object.keys(tiles).join(', ')}`);
}
