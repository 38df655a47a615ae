/**
 * Kernel threads on browser Web Workers (issue 8), the same protocol as Node's (src/kernels/pool.ts).
 * Two browser rules shape the API:
 * - Atomics.wait is not allowed on a page's main thread, so the engine (and this pool) must run
 *   inside a dedicated Web Worker; the kernel workers are created from there.
 * - SharedArrayBuffer and shared WebAssembly memory need a cross-origin-isolated page (served with
 *   `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`).
 * A new worker only starts once its creator's event loop runs, so creating the pool is async: it
 * resolves when every worker has compiled the kernels and answered.
 */
import { installKernelThreads, kernelWorkerBody, SharedMemoryKernelThreads } from './pool.js';
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

const workerSource = `
const onMessage = (handler) => { self.onmessage = (event) => handler(event.data); };
const reply = (message) => self.postMessage(message);
const exit = () => self.close();
${kernelWorkerBody}`;

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
  private readonly workers: WebWorker[];

  private constructor(size: number, minWork: number | undefined, spin: number | undefined, workers: WebWorker[]) {
    super(size, minWork, spin);
    this.workers = workers;
  }

  /** Starts `size` − 1 workers and resolves once each has the kernels compiled. */
  static async create(size: number, options: { minWork?: number; spin?: number } = {}): Promise<WebKernelThreads> {
    const why = webThreadsUnavailable();
    if (why) throw new Error(`aimsim: kernel threads are unavailable: ${why}`);
    const g = globalThis as unknown as Required<Pick<WebGlobals, 'Worker' | 'Blob' | 'URL'>>;
    const url = g.URL.createObjectURL(new g.Blob([workerSource], { type: 'text/javascript' }));
    const workers: WebWorker[] = [];
    try {
      const pool = new WebKernelThreads(size, options.minWork, options.spin, workers);
      const moduleBytes = sharedModuleBytes();
      const ready: Promise<void>[] = [];
      for (let index = 0; index < size - 1; index++) {
        const worker = new g.Worker(url);
        workers.push(worker);
        ready.push(
          new Promise<void>((resolve, reject) => {
            worker.onmessage = (event) => (event.data === 'ready' ? resolve() : undefined);
            worker.onerror = (event) => reject(new Error(`aimsim: a kernel worker failed to start: ${event.message ?? 'unknown error'}`));
          }),
        );
        worker.postMessage(pool.initMessage(index, moduleBytes));
      }
      await Promise.all(ready);
      return pool;
    } catch (error) {
      for (const worker of workers) worker.terminate();
      throw error;
    } finally {
      g.URL.revokeObjectURL(url);
    }
  }

  protected post(index: number, message: unknown): void {
    this.workers[index]!.postMessage(message);
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
