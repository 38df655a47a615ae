import { existsSync } from 'node:fs';
import { loadConfigDataset } from '../src/node/datasets.js';
import { DEBIAN_FASHION_MNIST } from '../src/node/datasets.js';
import { runExperiment, type ExperimentResult } from '../src/experiment/run.js';

/**
 * The issue-8 reference workload (aihwkit 1.0.0 CPU figures in BENCHMARKS.md): Fashion-MNIST
 * 784-256-128-10 sigmoid MLP, batch 10, lr 0.05, soft-bounds devices, each algorithm at its preset
 * defaults. One epoch is 6000 mini-batches; `batches` < 6000 trains on the first batches·10
 * images and the epoch time is extrapolated (×6000/batches). Accuracy is on the full test set.
 */
export const fmnistAlgorithms: Record<string, unknown> = {
  digital: { kind: 'digital-sgd' },
  'analog-sgd': 'sgd',
  ttv1: 'ttv1',
  'c-ttv2': 'c-ttv2',
  agad: 'agad',
};

export interface FmnistBenchRow {
  algorithm: string;
  batches: number;
  trainSeconds: number;
  /** trainSeconds × 6000 / batches. */
  epochSeconds: number;
  testAccuracy: number;
  pulses: number;
}

export function fmnistConfig(algorithm: unknown, batches: number): unknown {
  return {
    name: 'bench-fmnist',
    seed: 0,
    data: { dataset: 'fashion-mnist', trainLimit: batches * 10 },
    network: {
      layers: [{ type: 'flatten' }, { type: 'linear', outputs: 256 }, { type: 'sigmoid' }, { type: 'linear', outputs: 128 }, { type: 'sigmoid' }, { type: 'linear', outputs: 10 }],
    },
    device: 'soft-bounds',
    algorithm,
    training: { epochs: 1, batch: 10, lr: 0.05 },
  };
}

/**
 * Runs a one-epoch config on the Debian Fashion-MNIST files; `trainSeconds` is the training time
 * only (the last batch event comes before the test-set evaluation).
 */
export async function timedEpoch(config: unknown): Promise<{ result: ExperimentResult; trainSeconds: number }> {
  let started = 0;
  let trainSeconds = 0;
  const result = await runExperiment(config, {
    loadDataset: loadConfigDataset,
    onEvent: (event) => {
      if (event.type === 'start') started = performance.now();
      if (event.type === 'batch' && event.batch === event.batchesPerEpoch) trainSeconds = (performance.now() - started) / 1000;
    },
  });
  return { result, trainSeconds };
}

export async function benchFmnist(batches: number, only?: string[]): Promise<FmnistBenchRow[]> {
  if (!existsSync(DEBIAN_FASHION_MNIST)) {
    console.warn(`skipping the Fashion-MNIST epoch: ${DEBIAN_FASHION_MNIST} is missing (apt-get install dataset-fashion-mnist)`);
    return [];
  }
  const rows: FmnistBenchRow[] = [];
  for (const [name, algorithm] of Object.entries(fmnistAlgorithms)) {
    if (only && !only.includes(name)) continue;
    const { result, trainSeconds } = await timedEpoch(fmnistConfig(algorithm, batches));
    const metrics = result.epochs[0]!;
    const pulses = Object.values(metrics.pulsesByPurpose).reduce((a, b) => a + b, 0);
    rows.push({ algorithm: name, batches, trainSeconds, epochSeconds: (trainSeconds * 6000) / batches, testAccuracy: metrics.testAccuracy, pulses });
  }
  return rows;
}
