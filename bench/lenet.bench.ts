import { existsSync } from 'node:fs';
import { DEBIAN_FASHION_MNIST } from '../src/node/datasets.js';
import { timedEpoch } from './fmnist.bench.js';
import { loadConfigFile } from '../src/node/config-file.js';

/**
 * The papers' LeNet-5 (examples/03, 28×28 Fashion-MNIST, batch 16; issue 21): training time per
 * image on the first `batches`·16 images, for the algorithms of the seed papers' tables. The
 * loss is printed so that a speed change can be seen to leave the numbers alone.
 */
export interface LenetBenchRow {
  name: string;
  images: number;
  msPerImage: number;
  /** ms per image × 60 000 / 1000: one Fashion-MNIST epoch. */
  epochSeconds: number;
  trainLoss: number;
}

export async function benchLenet(batches: number): Promise<LenetBenchRow[]> {
  if (!existsSync(DEBIAN_FASHION_MNIST)) {
    console.warn(`skipping the LeNet-5 benchmark: ${DEBIAN_FASHION_MNIST} is missing (apt-get install dataset-fashion-mnist)`);
    return [];
  }
  const lenet = loadConfigFile('examples/03-lenet5.yaml') as Record<string, any>;
  const fourStates = loadConfigFile('examples/16-lenet5-fmnist-4-states.yaml') as Record<string, any>;
  const cases: Record<string, Record<string, any>> = {
    'analog SGD, soft bounds': { ...lenet, device: 'soft-bounds', algorithm: 'sgd' },
    'c-TTv2 (example 03)': lenet,
    'MP, 4 states (example 16)': { ...fourStates, algorithm: 'mp', training: { ...fourStates['training'], lr: 0.1 } },
    'multi-tile 6, 4 states (example 16)': fourStates,
  };
  const rows: LenetBenchRow[] = [];
  for (const [name, config] of Object.entries(cases)) {
    const images = batches * 16;
    const { result, trainSeconds: seconds } = await timedEpoch({ ...config, data: { dataset: 'fashion-mnist', trainLimit: images, testLimit: 16 }, training: { ...config['training'], epochs: 1, batch: 16 } });
    rows.push({ name, images, msPerImage: (1000 * seconds) / images, epochSeconds: (seconds * 60_000) / images, trainLoss: result.epochs[0]!.trainLoss });
  }
  return rows;
}
