import { UserError } from '../core/errors.js';
import type { Split } from './dataset.js';

export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;
const RECORD = 1 + 3 * 32 * 32;

/** Parses CIFAR-10 binary batches: records of one label byte and 3072 pixel bytes (R, G, B planes). */
export function parseCifar10(files: { name: string; bytes: Uint8Array }[]): Split {
  let count = 0;
  for (const { name, bytes } of files) {
    if (bytes.length === 0 || bytes.length % RECORD !== 0) throw new UserError(name, bytes.length, `must be a multiple of ${RECORD} bytes (CIFAR-10 binary records)`, 'data error');
    count += bytes.length / RECORD;
  }
  const pixels = new Uint8Array(count * (RECORD - 1));
  const labels = new Uint8Array(count);
  let n = 0;
  for (const { name, bytes } of files) {
    for (let r = 0; r < bytes.length; r += RECORD, n++) {
      const label = bytes[r]!;
      if (label > 9) throw new UserError(name, label, 'labels must be 0–9', 'data error');
      labels[n] = label;
      pixels.set(bytes.subarray(r + 1, r + RECORD), n * (RECORD - 1));
    }
  }
  return { count, pixels, labels };
}
