import type { AlgorithmState } from '../algorithms/index.js';
import type { ExperimentConfig } from '../config/experiment.js';
import { UserError, formatValue } from '../core/errors.js';
import type { TileCounters } from '../hardware/cost.js';
import type { EpochMetrics } from './result.js';

/** The checkpoint format this version writes and reads. */
// 3: layers' outScaling and multi-tile unitsInMbatch (a changed default) joined the config.
// 4: the mapping section joined the config; tile counters count the slots of direct writes.
export const CHECKPOINT_VERSION = 4;

/**
 * Everything needed to continue a run bit-identically: written after every epoch, and after the
 * current batch when a run is interrupted (then `batch` > 0 and the partial epoch's sums ride along).
 */
export interface Checkpoint {
  version: typeof CHECKPOINT_VERSION;
  /** The resolved config without training.epochs (which a resume may extend). */
  config: unknown;
  /** Completed epochs. */
  epoch: number;
  /** Batches already done of epoch `epoch + 1` (0 at an epoch boundary). */
  batch: number;
  /** The partial epoch's loss sum, samples and seconds so far (zeros at a boundary). */
  partial: { lossSum: number; seen: number; seconds: number };
  /**
   * Mid-epoch only: the tiles' counters at the start of the interrupted epoch, so that the resumed
   * epoch's hardware estimate covers the whole epoch (absent in older checkpoints: then it covers
   * the part after the resume).
   */
  epochStartCounters?: TileCounters;
  history: EpochMetrics[];
  pulseTotals: Record<string, number>;
  /** The shuffle stream at the start of epoch `epoch + 1`, before its permutation is drawn. */
  shuffle: Uint32Array;
  algorithms: Record<string, AlgorithmState>;
  biases: Record<string, Float64Array>;
}

/** The part of a config a checkpoint must match: everything but training.epochs. */
export function comparableConfig(config: ExperimentConfig): unknown {
  // The read-out after training and the hardware estimate do not change the training: they may be
  // added or changed on --resume.
  return JSON.parse(JSON.stringify({ ...config, training: { ...config.training, epochs: undefined }, inference: undefined, hardware: undefined }));
}

/** The first dotted path where two JSON values differ, with both values; null when equal. */
export function firstDifference(a: unknown, b: unknown, path = ''): { path: string; a: unknown; b: unknown } | null {
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
  if (isObject(a) && isObject(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) {
      const found = firstDifference(a[key], b[key], path ? `${path}.${key}` : key);
      if (found) return found;
    }
    return null;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? null : { path, a, b };
}

/**
 * Checks that `value` is a checkpoint of this format written by this config; one error naming
 * the file and what does not match otherwise.
 */
export function checkCheckpoint(value: unknown, config: ExperimentConfig, file: string): Checkpoint {
  const cp = value as Partial<Checkpoint> | null;
  if (cp === null || typeof cp !== 'object' || Array.isArray(cp)) throw new UserError(file, typeof value, 'must hold a checkpoint object written by aimsim run', 'usage error');
  if (cp.version !== CHECKPOINT_VERSION) {
    throw new UserError(file, cp.version, `must be checkpoint format ${CHECKPOINT_VERSION}, the one this aimsim writes (it was written by another aimsim version; start the run again)`, 'usage error');
  }
  const missing = (['epoch', 'batch', 'partial', 'history', 'pulseTotals', 'shuffle', 'algorithms', 'biases', 'config'] as const).find((key) => cp[key] === undefined);
  if (missing) throw new UserError(`${file}: ${missing}`, undefined, 'must be present (the checkpoint is incomplete or corrupt)', 'usage error');
  const difference = firstDifference(cp.config, comparableConfig(config));
  if (difference) {
    throw new UserError(
      `${file}: config.${difference.path}`,
      difference.b,
      `must equal the checkpoint's ${formatValue(difference.a)} (only training.epochs, inference and hardware may change on --resume)`,
      'usage error',
    );
  }
  return cp as Checkpoint;
}
