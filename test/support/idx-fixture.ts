/**
 * Small IDX datasets written by the tests themselves (issue 14: a fresh machine has no Debian
 * dataset package). The images are 28 × 28 like MNIST and Fashion-MNIST, with a pattern per
 * class so a network can learn something from them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One IDX file of unsigned bytes: magic 0x00 0x00 0x08 ndims, big-endian sizes, then the data. */
export function idxBytes(dims: number[], data: ArrayLike<number>): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  header[2] = 8;
  header[3] = dims.length;
  const view = new DataView(header.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const bytes = new Uint8Array(header.length + data.length);
  bytes.set(header);
  bytes.set(Array.from(data), header.length);
  return bytes;
}

/** `count` images whose class k lights up rows 2k..2k+2 (with a little texture), labels cycling 0..9. */
function split(count: number): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % 10;
    labels[n] = label;
    for (let r = 2 * label + 2; r < 2 * label + 5; r++) for (let c = 4; c < 24; c++) images[n * 784 + r * 28 + c] = 120 + ((n * 7 + c * 13) % 136);
  }
  return { images, labels };
}

/** Writes a gzipped MNIST-layout IDX dataset (train and t10k) into a new temp folder; returns it. */
export function writeIdxDataset(trainCount = 60, testCount = 20): string {
  const dir = mkdtempSync(join(tmpdir(), 'aimsim-idx-fixture-'));
  for (const [prefix, count] of [['train', trainCount], ['t10k', testCount]] as const) {
    const { images, labels } = split(count);
    writeFileSync(join(dir, `${prefix}-images-idx3-ubyte.gz`), gzipSync(idxBytes([count, 28, 28], images)));
    writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte.gz`), gzipSync(idxBytes([count], labels)));
  }
  return dir;
}
