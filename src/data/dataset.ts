import { UserError } from '../core/errors.js';

/** One split of an image-classification set: `count` samples of `shape`, pixels as bytes. */
export interface Split {
  readonly count: number;
  /** count × size bytes, sample-major. */
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
}

export interface ImageDataset {
  readonly name: string;
  /** [channels, height, width] of one sample. */
  readonly shape: readonly [number, number, number];
  readonly classes: number;
  readonly classNames?: readonly string[];
  readonly train: Split;
  readonly test: Split;
  /** Where the data came from and its licence. */
  readonly source: string;
}

export function checkSplit(name: string, split: Split, size: number, classes: number): void {
  if (split.pixels.length !== split.count * size) throw new UserError(`${name}.pixels`, split.pixels.length, `must be count·size = ${split.count * size} bytes`, 'data error');
  if (split.labels.length !== split.count) throw new UserError(`${name}.labels`, split.labels.length, `must be ${split.count} labels`, 'data error');
  for (const label of split.labels) if (label >= classes) throw new UserError(`${name}.labels`, label, `must be < ${classes}`, 'data error');
}

/** Samples `indices` of a split as floats in [0, 1] (x: batch × size) and their labels. */
export function gather(split: Split, size: number, indices: ArrayLike<number>): { x: Float64Array; labels: Uint8Array } {
  const x = new Float64Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let b = 0; b < indices.length; b++) {
    const i = indices[b]!;
    const offset = i * size;
    for (let k = 0; k < size; k++) x[b * size + k] = split.pixels[offset + k]! / 255;
    labels[b] = split.labels[i]!;
  }
  return { x, labels };
}
