import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentConfig } from '../config/experiment.js';
import { UserError } from '../core/errors.js';
import { parseCifar10, CIFAR10_CLASSES } from '../data/cifar10.js';
import type { ImageDataset } from '../data/dataset.js';
import { idxDataset } from '../data/idx-dataset.js';

/** Where Debian's `dataset-fashion-mnist` package puts the files. */
export const DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

function findFile(dir: string, base: string): string {
  for (const name of [base, `${base}.gz`]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new UserError('data.path', join(dir, base), 'missing file (also tried .gz); install Debian’s dataset-fashion-mnist or give the folder of the IDX files', 'data error');
}

/**
 * MNIST or Fashion-MNIST from a folder of IDX files (`train-images-idx3-ubyte[.gz]`, …), by
 * default the one of Debian's `dataset-fashion-mnist`. Missing or corrupt files are errors naming
 * the path.
 */
export async function loadIdxDataset(dir = DEBIAN_FASHION_MNIST, name = 'fashion-mnist'): Promise<ImageDataset> {
  return idxDataset((base) => {
    const path = findFile(dir, base);
    return { name: path, bytes: readFileSync(path) };
  }, name, dir);
}

/** CIFAR-10 from its binary version: data_batch_1..5.bin and test_batch.bin. */
export async function loadCifar10(dir: string): Promise<ImageDataset> {
  const read = (file: string) => {
    const path = join(dir, file);
    if (!existsSync(path)) throw new UserError('data.path', path, 'missing CIFAR-10 binary file', 'data error');
    return { name: path, bytes: readFileSync(path) };
  };
  const train = parseCifar10([1, 2, 3, 4, 5].map((i) => read(`data_batch_${i}.bin`)));
  const test = parseCifar10([read('test_batch.bin')]);
  return { name: 'cifar-10', shape: [3, 32, 32], classes: 10, classNames: CIFAR10_CLASSES, train, test, source: dir };
}

/** The dataset files a config names (`data.dataset`, `data.path`): pass it as runExperiment's `loadDataset`. */
export async function loadConfigDataset(data: ExperimentConfig['data']): Promise<ImageDataset> {
  switch (data.dataset) {
    case 'fashion-mnist':
      return loadIdxDataset(data.path ?? DEBIAN_FASHION_MNIST, 'fashion-mnist');
    case 'mnist':
      if (!data.path) throw new UserError('config.data.path', data.path, 'must name the folder of the MNIST IDX files');
      return loadIdxDataset(data.path, 'mnist');
    case 'cifar10':
      if (!data.path) throw new UserError('config.data.path', data.path, 'must name the folder of the CIFAR-10 binary files');
      return loadCifar10(data.path);
    default:
      throw new UserError('config.data.dataset', data.dataset, 'is embedded and needs no files');
  }
}
