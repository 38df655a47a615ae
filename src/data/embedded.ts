import type { ImageDataset } from './dataset.js';
import { gunzip } from './idx.js';
import { fashionMnist14 } from './embedded/fashion-mnist-14.js';

export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

let cache: Promise<ImageDataset> | null = null;

/**
 * The embedded default dataset: a balanced Fashion-MNIST subset at 14 × 14 (2000 training and
 * 500 test images), shipped inside the package so the main job needs no download.
 */
export function loadEmbeddedFashionMnist(): Promise<ImageDataset> {
  cache ??= (async () => {
    const binary = atob(fashionMnist14.gzipBase64);
    const packed = await gunzip(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
    const size = 14 * 14;
    const { trainCount, testCount } = fashionMnist14;
    let offset = 0;
    const take = (n: number) => packed.subarray(offset, (offset += n));
    const train = { count: trainCount, pixels: take(trainCount * size), labels: take(trainCount) };
    const test = { count: testCount, pixels: take(testCount * size), labels: take(testCount) };
    return {
      name: 'fashion-mnist-14',
      shape: [1, 14, 14] as const,
      classes: 10,
      classNames: FASHION_MNIST_CLASSES,
      train,
      test,
      source: 'Fashion-MNIST (Zalando, MIT licence), embedded balanced subset downsampled to 14×14',
    };
  })();
  return cache;
}
