import type { AlgorithmReport } from '../algorithms/index.js';
import type { ExperimentConfig } from '../config/experiment.js';
import type { InferenceResult } from '../inference/evaluate.js';
import type { Cost, CostReport, HardwareConstants } from '../hardware/cost.js';

export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  /** Mean cross-entropy over the test set (absent in results written before it was recorded). */
  testLoss?: number;
  testAccuracy: number;
  /** Pulses of the epoch, summed over layers, by purpose. */
  pulsesByPurpose: Record<string, number>;
  /** Pulses of the epoch by layer and tile (e.g. `1:linear/fast`), over all purposes. */
  pulsesByTile: Record<string, number>;
  seconds: number;
  /**
   * The hardware estimate of the epoch (a `hardware` section): its training, apart from the test
   * reads; per training sample; and the training by purpose (with `digital`).
   */
  hardware?: { training: Cost; test: Cost; perSample: Cost; byPurpose: Record<string, Cost> };
}

export interface Histogram {
  /** Left edges of the bins, then the right edge of the last one. */
  edges: number[];
  counts: number[];
}

/** Final state of an analog layer, recorded for reports. */
export interface LayerSnapshot {
  weights: Histogram;
  /** Effective symmetric points (SP − reference) of the array that takes the gradient. */
  symmetricPoints: Histogram | null;
}

export interface ExperimentResult {
  /** `partial` when the run was stopped (signal) before its last epoch ended. */
  status: 'completed' | 'partial';
  name: string;
  config: ExperimentConfig;
  dataset: string;
  /** The layers in one line, e.g. `flatten 196 → linear 196→64 (analog) → …`. */
  network?: string;
  epochs: EpochMetrics[];
  /** Final counters of every analog layer. */
  layers: Record<string, AlgorithmReport>;
  /** Weight and SP histograms of every layer at the end. */
  snapshots: Record<string, LayerSnapshot>;
  /** The hardware estimate of the whole run by purpose and tile (test reads under `test`). */
  hardware?: { constants: HardwareConstants; run: CostReport };
  /** Test accuracy over time after programming, when the config has an `inference` section. */
  inference?: InferenceResult;
}

/** 40-bin histogram over the finite values. */
export function histogram(values: ArrayLike<number>, bins = 40): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) {
    lo = Number.isFinite(lo) ? lo - 0.5 : 0;
    hi = lo + 1;
  }
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (Number.isFinite(v)) counts[Math.min(Math.floor((v - lo) / width), bins - 1)]!++;
  }
  return { edges: Array.from({ length: bins + 1 }, (_, i) => lo + i * width), counts };
}
