/**
 * Kernel threads on browser Web Workers (issue 8), the same protocol as Node's (src/kernels/pool.ts).
 * Two browser rules shape the API:
 * - Atomics.wait is not allowed on a page's main thread, so the engine (and this pool) must run
 *   inside a dedicated Web Worker; the kernel workers are created from there.
 * - SharedArrayBuffer and shared WebAssembly memory need a cross-origin-isolated page (served with
 *   `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`).
 * A new worker only starts once its creator's event loop runs, so creating the pool is async: it
 * resolves when every worker has compiled the kernels and answered.
 *
 * As on Node, the kernel workers are children of a supervisor worker whose event loop never
 * blocks: the engine sleeps in Atomics.wait during a call and could not hear a worker's `error`
 * event. When a kernel worker fails (an uncaught error; a worker the browser stopped for lack of
 * memory reports one too) the supervisor sets the DEAD word and wakes the engine, which fails the
 * call with `KernelThreadDied` instead of waiting for ever (issue 21).
 */
import { DEAD, installKernelThreads, kernelWorkerBody, PENDING, SharedMemoryKernelThreads } from './pool.js';
import { sharedModuleBytes, wasmAvailable } from './wasm-gemm.js';

/** The parts of the Worker API used here (the project's TS lib has no DOM types). */
interface WebWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { message?: string }) => void) | null;
}
interface WebGlobals {
  Worker?: new (url: string) => WebWorker;
  Blob?: new (parts: string[], options: { type: string }) => unknown;
  URL?: { createObjectURL(blob: unknown): string; revokeObjectURL(url: string): void };
  crossOriginIsolated?: boolean;
  WorkerGlobalScope?: unknown;
}

/** How long the kernel workers may take to compile the kernels and answer. */
const START_TIMEOUT_S = 60;

const workerSource = `
const onMessage = (handler) => { self.onmessage = (event) => handler(event.data); };
const reply = (message) => self.postMessage(message);
const exit = () => self.close();
${kernelWorkerBody}`;

// The supervisor: starts the kernel workers from their source, relays the engine's messages to
// them, answers 'ready' once all have, and reports a failure: before 'ready' as a failed start,
// after it as a death (DEAD set, PENDING changed and notified, so a caller about to wait returns).
const supervisorSource = `
let control = null;
let ready = 0;
let started = false;
const workers = [];
function died() {
  Atomics.store(control, ${DEAD}, 1);
  Atomics.add(control, ${PENDING}, 1 << 20);
  Atomics.notify(control, ${PENDING});
}
self.onmessage = (event) => {
  const m = event.data;
  if (m.type === 'start') {
    control = new Int32Array(m.control);
    const url = URL.createObjectURL(new Blob([m.source], { type: 'text/javascript' }));
    for (const init of m.inits) {
      const worker = new Worker(url);
      worker.onmessage = (e) => {
        if (e.data === 'ready' && ++ready === m.inits.length) {
          started = true;
          URL.revokeObjectURL(url);
          self.postMessage({ type: 'ready' });
        }
      };
      const failed = (why) => {
        if (started) died();
        else self.postMessage({ type: 'failed', message: why });
      };
      worker.onerror = (e) => {
        e.preventDefault();
        failed(e.message || 'unknown error');
      };
      worker.onmessageerror = () => failed('a message could not be read');
      worker.postMessage(init);
      workers.push(worker);
    }
  } else if (m.type === 'post') {
    workers[m.index].postMessage(m.message);
  } else if (m.type === 'crash') {
    // Tests only: a message the kernel worker cannot read, so it throws, as a crash would.
    workers[m.index].postMessage(null);
  }
};`;

/** Why Web Worker kernel threads cannot run here, or null when they can. */
export function webThreadsUnavailable(): string | null {
  const g = globalThis as WebGlobals;
  if (!g.Worker || !g.Blob || !g.URL) return 'this environment has no Web Workers';
  if (typeof SharedArrayBuffer === 'undefined' || g.crossOriginIsolated === false) {
    return 'SharedArrayBuffer needs a cross-origin-isolated page (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  }
  if (g.WorkerGlobalScope === undefined) return 'Atomics.wait is not allowed on the page’s main thread: run the engine in a Web Worker and create the threads there';
  if (!wasmAvailable()) return 'WebAssembly SIMD is not available';
  return null;
}

export class WebKernelThreads extends SharedMemoryKernelThreads {
  private readonly supervisor: WebWorker;

  private constructor(size: number, minWork: number | undefined, spin: number | undefined, supervisor: WebWorker) {
    super(size, minWork, spin);
    this.supervisor = supervisor;
  }

  /** Starts the supervisor and `size` − 1 kernel workers; resolves once each has the kernels compiled. */
  static async create(size: number, options: { minWork?: number; spin?: number } = {}): Promise<WebKernelThreads> {
    const why = webThreadsUnavailable();
    if (why) throw new Error(`aimsim: kernel threads are unavailable: ${why}`);
    const g = globalThis as unknown as Required<Pick<WebGlobals, 'Worker' | 'Blob' | 'URL'>>;
    const url = g.URL.createObjectURL(new g.Blob([supervisorSource], { type: 'text/javascript' }));
    const supervisor = new g.Worker(url);
    try {
      const pool = new WebKernelThreads(size, options.minWork, options.spin, supervisor);
      const moduleBytes = sharedModuleBytes();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve, reject) => {
        supervisor.onmessage = (event) => {
          const message = event.data as { type: string; message?: string };
          if (message.type === 'ready') resolve();
          else if (message.type === 'failed') reject(new Error(`aimsim: a kernel worker failed to start: ${message.message}`));
        };
        supervisor.onerror = (event) => reject(new Error(`aimsim: the kernel thread supervisor failed to start: ${event.message || 'unknown error'}`));
        // A worker that neither answers nor fails (a blocked script, say) must not hang the engine.
        timer = setTimeout(() => reject(new Error(`aimsim: the kernel workers did not start within ${START_TIMEOUT_S} s`)), START_TIMEOUT_S * 1000);
        const inits = Array.from({ length: size - 1 }, (_, index) => pool.initMessage(index, moduleBytes));
        supervisor.postMessage({ type: 'start', control: pool.control.buffer, source: workerSource, inits });
      }).finally(() => clearTimeout(timer));
      return pool;
    } catch (error) {
      supervisor.terminate(); // its kernel workers end with it
      throw error;
    } finally {
      g.URL.revokeObjectURL(url);
    }
  }

  protected post(index: number, message: unknown): void {
    this.supervisor.postMessage({ type: 'post', index, message });
  }

  protected override stopWorkers(): void {
    // A worker's own workers end with it: the kernel workers go with the supervisor.
    this.supervisor.terminate();
  }

  /**
   * Makes kernel worker `index` throw, as a crash would, when its event loop next runs (a call
   * that yields, such as a new tile's registration): for tests of the death path only.
   */
  crashWorkerForTest(index: number): void {
    this.supervisor.postMessage({ type: 'crash', index });
  }
}

/**
 * The browser counterpart of `useKernelThreads` (aimsim/node): uses `threads` Web Worker threads
 * for the kernels of tiles made from now on (1: none). Call it from inside a dedicated worker on
 * a cross-origin-isolated page. Resolves to a function that stops them. Results are the same for
 * every thread count.
 */
export function useWebKernelThreads(threads: number, options: { minWork?: number; spin?: number } = {}): Promise<() => void> {
  return Promise.resolve().then(() => installKernelThreads(threads, (n) => WebKernelThreads.create(n, options)));
}
