import type { DeviceConfig } from '../devices/registry.js';
import type { AnalogTile, CounterSnapshot, TileOptions } from '../tile/index.js';

/**
 * What every algorithm is built from: the options of its tiles (sizes, the device of the
 * gradient array, IO, update and reference settings, seed, stream name), plus the device of the
 * slow arrays of the transfer algorithms.
 */
export interface AlgorithmSetup extends TileOptions {
  /** Device of the slow / main arrays of the transfer algorithms (default: `device`). */
  slowDevice?: DeviceConfig;
}

export interface AlgorithmReport {
  kind: string;
  /** Counters of every analog tile, by tile role (`array`, `fast`, `slow`). */
  tiles: Record<string, CounterSnapshot>;
  /** Transfer events (column reads written on) of the transfer algorithms, row transfers of MP. */
  transfers: number;
  /** Pulses summed over tiles, by purpose. */
  pulsesByPurpose: Record<string, number>;
  /** Pulses summed over purposes, by tile. */
  pulsesByTile: Record<string, number>;
  totalPulses: number;
}

/**
 * One interface for every training algorithm (architecture.md `src/algorithms/`): given the
 * inputs x (batch × cols) and errors d (batch × rows) of a mini-batch and a learning rate, update
 * the tile(s); expose the effective weights used by forward and backward; report the counters.
 * Gradient descent convention: W ← W − lr·Σ_b d_b·x_bᵀ.
 */
export interface TrainingAlgorithm {
  readonly kind: string;
  readonly rows: number;
  readonly cols: number;
  /** The effective (composite) weights the forward and backward passes use. Do not modify. */
  weights(): Float64Array;
  /** Analog (or exact, for digital SGD) y = W·x for `batch` inputs. */
  forward(x: ArrayLike<number>, batch: number): Float64Array;
  /** z = Wᵀ·d for `batch` errors. */
  backward(d: ArrayLike<number>, batch: number): Float64Array;
  /** One mini-batch update, sample by sample in order; decay and diffusion once at the end. */
  update(x: ArrayLike<number>, d: ArrayLike<number>, batch: number, lr: number): void;
  /** Programs the effective weights directly (no pulses), e.g. an initialisation. */
  setWeights(weights: ArrayLike<number>): void;
  /** The analog tiles by role. */
  tiles(): Record<string, AnalogTile>;
  report(): AlgorithmReport;
  /** Everything needed to continue bit-identically (checkpoints); typed arrays are copied. */
  saveState(): AlgorithmState;
  /** Called once at the end of every epoch with its mean training loss (warm-start schedules). */
  endEpoch?(trainLoss: number): void;
  /** Algorithm-specific scalars worth tracking in studies (e.g. the tracker's SP error). */
  diagnostics?(): Record<string, number>;
  restoreState(state: AlgorithmState): void;
}

/** A checkpointable state: plain values, typed arrays and nested states. */
export type AlgorithmState = { [key: string]: unknown };

/** Sums the counters of tiles into a report. */
export function buildReport(kind: string, tiles: Record<string, AnalogTile>, transfers: number): AlgorithmReport {
  const snapshots: Record<string, CounterSnapshot> = {};
  const pulsesByPurpose: Record<string, number> = {};
  const pulsesByTile: Record<string, number> = {};
  let totalPulses = 0;
  for (const [role, tile] of Object.entries(tiles)) {
    const snapshot = tile.counters.snapshot();
    snapshots[role] = snapshot;
    let tileTotal = 0;
    for (const [purpose, count] of Object.entries(snapshot.pulses)) {
      const n = count.up + count.down;
      pulsesByPurpose[purpose] = (pulsesByPurpose[purpose] ?? 0) + n;
      tileTotal += n;
    }
    pulsesByTile[role] = tileTotal;
    totalPulses += tileTotal;
  }
  return { kind, tiles: snapshots, transfers, pulsesByPurpose, pulsesByTile, totalPulses };
}

/** Sample b of a row-major batch. */
export function sample(values: ArrayLike<number>, b: number, size: number): ArrayLike<number> {
  return samples(values, b, 1, size);
}

/** Samples [b, b + n) of a batch of vectors of `size`, without a copy where possible. */
export function samples(values: ArrayLike<number>, b: number, n: number, size: number): ArrayLike<number> {
  if (values instanceof Float64Array || values instanceof Float32Array) return values.subarray(b * size, (b + n) * size);
  return Array.prototype.slice.call(values, b * size, (b + n) * size) as number[];
}

/** Decay and diffusion once per mini-batch (aihwkit-model.md §2.3 `post_update_step`). */
export function postUpdateStep(tile: AnalogTile): void {
  if (tile.hasDecay) tile.decay();
  if (tile.hasDiffusion) tile.diffuse();
}
