/**
 * Kernel threads on Node's worker_threads (issue 8): each worker instantiates the shared-memory
 * build of the kernels on every arena's memory and runs its share of a call (a range of rows).
 * The protocol (shared control words, Atomics.wait/notify, arenas posted then `Yield`) is the
 * platform-neutral one of src/kernels/pool.ts; this file only creates the workers.
 *
 * The kernel workers are children of a supervisor thread, whose event loop never blocks: the
 * caller sleeps in Atomics.wait during a call and could not hear a worker's `exit` or `error`
 * event itself. When a kernel worker dies (out of memory, a crash) the supervisor sets the DEAD
 * word and wakes the caller, which fails the call with one line instead of waiting for ever
 * (issue 21).
 */
import { Worker } from 'node:worker_threads';
import { DEAD, PENDING, installKernelThreads, kernelWorkerBody, SharedMemoryKernelThreads } from '../kernels/pool.js';
import { sharedModuleBytes } from '../kernels/wasm-gemm.js';

// The worker: CommonJS, self-contained (no project imports), so it runs the same under tsx,
// vitest and the built package.
const workerSource = `
const { parentPort } = require('node:worker_threads');
const onMessage = (handler) => parentPort.on('message', handler);
const reply = (message) => parentPort.postMessage(message);
const exit = () => process.exit(0);
${kernelWorkerBody}`;

// The supervisor: starts the kernel workers, relays the caller's messages to them, and reports a
// death. A worker that exits with code 0 was told to (Op.Exit); any other exit, or an error, is a
// death.
const supervisorSource = `
const { parentPort, Worker } = require('node:worker_threads');
const workers = [];
let control = null;
function died() {
  Atomics.store(control, ${DEAD}, 1);
  // Change PENDING as well as notifying it: a caller between reading PENDING and Atomics.wait
  // would sleep through a bare notify; with the value changed its wait returns at once.
  Atomics.add(control, ${PENDING}, 1 << 20);
  Atomics.notify(control, ${PENDING});
}
parentPort.on('message', (m) => {
  if (m.type === 'start') {
    control = new Int32Array(m.control);
    for (const init of m.inits) {
      const worker = new Worker(m.source, { eval: true });
      worker.on('error', died);
      worker.on('exit', (code) => { if (code !== 0) died(); });
      worker.postMessage(init);
      workers.push(worker);
    }
  } else if (m.type === 'post') {
    workers[m.index].postMessage(m.message);
  } else if (m.type === 'terminate') {
    for (const [index, worker] of workers.entries()) if (m.index === undefined || m.index === index) worker.terminate();
  }
});`;

export class NodeKernelThreads extends SharedMemoryKernelThreads {
  private readonly supervisor: Worker;

  /**
   * `size` threads in all: the calling thread and size − 1 workers; calls below `minWork` stay on
   * the caller; each thread polls `spin` times (default 2¹⁶) before it sleeps in Atomics.wait.
   */
  constructor(size: number, minWork?: number, spin?: number) {
    super(size, minWork, spin);
    const moduleBytes = sharedModuleBytes();
    this.supervisor = new Worker(supervisorSource, { eval: true });
    this.supervisor.unref();
    const inits = Array.from({ length: size - 1 }, (_, index) => this.initMessage(index, moduleBytes));
    this.supervisor.postMessage({ type: 'start', control: this.control.buffer, source: workerSource, inits });
  }

  protected post(index: number, message: unknown): void {
    this.supervisor.postMessage({ type: 'post', index, message });
  }

  protected override stopWorkers(): void {
    this.supervisor.postMessage({ type: 'terminate' });
    void this.supervisor.terminate();
  }

  /**
   * Ends kernel worker `index` as a crash would (Worker.terminate, exit code 1): for tests of the
   * death path only.
   */
  killWorkerForTest(index: number): void {
    this.supervisor.postMessage({ type: 'terminate', index });
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
