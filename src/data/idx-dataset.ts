import { UserError } from '../core/errors.js';
import { checkSplit, type ImageDataset, type Split } from './dataset.js';
import { readIdx } from './idx.js';

/** One file's bytes and the name its errors should use (a path, or a dropped file's name). */
export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

/** The four files of an MNIST-style IDX set, by their standard base names (without `.gz`). */
export const IDX_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'] as const;
export type IdxFileName = (typeof IDX_FILES)[number];

async function idxSplit(images: NamedBytes, labels: NamedBytes): Promise<Split> {
  const pixels = await readIdx(images.bytes, images.name);
  const classes = await readIdx(labels.bytes, labels.name);
  if (pixels.dims.length !== 3) throw new UserError(images.name, pixels.dims, 'must be a 3-dimensional IDX (count × rows × cols)', 'data error');
  if (classes.dims[0] !== pixels.dims[0]) throw new UserError(labels.name, classes.dims[0], `must hold ${pixels.dims[0]} labels, one per image`, 'data error');
  return { count: pixels.dims[0]!, pixels: pixels.data, labels: classes.data };
}

/**
 * MNIST or Fashion-MNIST (28 × 28, 10 classes) from the bytes of its four IDX files, gzipped or
 * not, each asked of `file` when it is needed (platform-neutral: the Node entry reads them from a
 * folder, the playground takes dropped files).
 */
export async function idxDataset(file: (base: IdxFileName) => NamedBytes, name: string, source: string): Promise<ImageDataset> {
  const train = await idxSplit(file('train-images-idx3-ubyte'), file('train-labels-idx1-ubyte'));
  const test = await idxSplit(file('t10k-images-idx3-ubyte'), file('t10k-labels-idx1-ubyte'));
  const [rows, cols] = [28, 28];
  checkSplit(`${source} train`, train, rows * cols, 10);
  checkSplit(`${source} test`, test, rows * cols, 10);
  return { name, shape: [1, rows, cols], classes: 10, train, test, source };
}

/** Which of the four IDX files a file name is (`train-images-idx3-ubyte.gz` etc.), or undefined. */
export function idxFileOf(fileName: string): IdxFileName | undefined {
  const base = fileName.replace(/\.gz$/, '');
  return IDX_FILES.find((name) => base === name);
}
