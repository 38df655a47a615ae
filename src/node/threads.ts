/**
 * Kernel threads on Node's worker_threads (issue 8): each worker instantiates the shared-memory
 * build of the kernels on every arena's memory and runs its share of a call (a range of rows).
 * The protocol (shared control words, Atomics.wait/notify, arenas posted then `Yield`) is the
 * platform-neutral one of src/kernels/pool.ts; this file only creates the workers.
 */
import { Worker } from 'node:worker_threads';
import { installKernelThreads, kernelWorkerBody, SharedMemoryKernelThreads } from '../kernels/pool.js';
import { sharedModuleBytes } from '../kernels/wasm-gemm.js';

// The worker: CommonJS, self-contained (no project imports), so it runs the same under tsx,
// vitest and the built package.
const workerSource = `
const { parentPort } = require('node:worker_threads');
const onMessage = (handler) => parentPort.on('message', handler);
const reply = (message) => parentPort.postMessage(message);
const exit = () => process.exit(0);
${kernelWorkerBody}`;

export class NodeKernelThreads extends SharedMemoryKernelThreads {
  private readonly workers: Worker[];

  /**
   * `size` threads in all: the calling thread and size − 1 workers; calls below `minWork` stay on
   * the caller; each thread polls `spin` times (default 2¹⁶) before it sleeps in Atomics.wait.
   */
  constructor(size: number, minWork?: number, spin?: number) {
    super(size, minWork, spin);
    const moduleBytes = sharedModuleBytes();
    this.workers = Array.from({ length: size - 1 }, (_, index) => {
      const worker = new Worker(workerSource, { eval: true });
      worker.unref();
      worker.postMessage(this.initMessage(index, moduleBytes));
      return worker;
    });
  }

  protected post(index: number, message: unknown): void {
    this.workers[index]!.postMessage(message);
  }
}

/**
 * Uses `threads` threads for the kernels of tiles made from now on (1: none). Returns a function
 * that stops them. Results are the same for every thread count and every option. `spin: 0` makes
 * idle threads sleep at once (less CPU when cores are shared, slower hand-overs); `minWork` is the
 * smallest call that is split (default 2¹⁴ work units with the spin, 2²⁰ without).
 */
export function useKernelThreads(threads: number, options: { minWork?: number; spin?: number } = {}): () => void {
  return installKernelThreads(threads, (n) => new NodeKernelThreads(n, options.minWork, options.spin));
}
