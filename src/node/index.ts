/**
 * Node-only entry point (architecture.md decision 5): file IO lives here, never in the core.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export * from '../index.js';
export { loadIdxDataset, loadCifar10, DEBIAN_FASHION_MNIST } from './datasets.js';

let temporaryCounter = 0;

/**
 * Writes a file atomically: to a temporary file beside it, then rename. A reader never sees a
 * half-written result, and a failed write leaves no partial file behind.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${Date.now()}.${temporaryCounter++}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
export { NodeKernelThreads, useKernelThreads } from './threads.js';
