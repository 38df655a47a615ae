/**
 * Kernel threads on Node's worker_threads (issue 8): each worker instantiates the shared-memory
 * build of the kernels on every arena's memory and runs its share of a call (a range of rows).
 * Calls are synchronous for the caller: the parameters go through a SharedArrayBuffer, the
 * workers are woken with Atomics.notify and the caller waits with Atomics.wait until all are
 * done, while it runs its own share. Arena memories reach the workers by postMessage, received
 * synchronously (receiveMessageOnPort) when the caller signals them.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { kernelNames, setKernelThreads, wasmKernelsSharedBase64, type KernelName, type KernelThreads } from '../kernels/index.js';

const GENERATION = 0;
const PENDING = 1;
const OP = 2;
const ARENA = 3;
const KERNEL = 4;
const FAILED = 5;
const ARGS = 32; // f64 slots per worker
// No busy-waiting before Atomics.wait: a version that spun ~65 k iterations first was faster on
// short calls but gave, in about one long AGAD run in three, results that differed from one
// thread (cause not found; see BENCHMARKS.md). Without the spin, 5 of 5 runs matched.
/** 2²⁰ device-samples or multiply-adds (≈ 1 ms of work): smaller calls stay on the caller. */
const DEFAULT_MIN_WORK = 1 << 20;
const Op = { Run: 0, Register: 1, Exit: 2, Unregister: 3 } as const;
type Op = (typeof Op)[keyof typeof Op];

// The worker: CommonJS, self-contained (no project imports), so it runs the same under tsx,
// vitest and the built package.
const workerSource = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { moduleBytes, control, args, index, port, names } = workerData;
const ctl = new Int32Array(control);
const a = new Float64Array(args, index * ${ARGS} * 8, ${ARGS});
const mod = new WebAssembly.Module(moduleBytes);
const instances = new Map();
let generation = 0;
for (;;) {
  Atomics.wait(ctl, ${GENERATION}, generation);
  generation = Atomics.load(ctl, ${GENERATION});
  const op = ctl[${OP}];
  if (op === ${Op.Exit}) {
    if (Atomics.sub(ctl, ${PENDING}, 1) === 1) Atomics.notify(ctl, ${PENDING});
    break;
  }
  try {
    if (op === ${Op.Register}) {
      const m = receiveMessageOnPort(port).message;
      const env = { memory: m.memory, log: Math.log, exp: Math.exp, abort() { throw new Error('wasm abort'); } };
      const e = new WebAssembly.Instance(mod, { env }).exports;
      e.setZigguratTables(m.tables, m.tables + 1024, m.tables + 2048, m.tables + 3072);
      instances.set(m.id, e);
    } else if (op === ${Op.Unregister}) {
      instances.delete(ctl[${ARENA}]);
    } else {
      const e = instances.get(ctl[${ARENA}]);
      const n = a[0];
      const list = new Array(n);
      for (let k = 0; k < n; k++) list[k] = a[1 + k];
      e[names[ctl[${KERNEL}]]](...list);
    }
  } catch (error) {
    Atomics.store(ctl, ${FAILED}, 1);
  }
  if (Atomics.sub(ctl, ${PENDING}, 1) === 1) Atomics.notify(ctl, ${PENDING});
}
`;

function decodeBase64(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'base64'));
}

export class NodeKernelThreads implements KernelThreads {
  readonly size: number;
  readonly minWork: number;
  /** Kernel calls run on the workers so far. */
  calls = 0;
  private readonly workers: { worker: Worker; port: MessagePort }[];
  private readonly control = new Int32Array(new SharedArrayBuffer(64));
  private readonly args: Float64Array;
  private closed = false;

  /** `size` threads in all: the calling thread and size − 1 workers; calls below `minWork` stay on the caller. */
  constructor(size: number, minWork = DEFAULT_MIN_WORK) {
    this.size = size;
    this.minWork = minWork;
    this.args = new Float64Array(new SharedArrayBuffer(8 * ARGS * Math.max(1, size - 1)));
    const moduleBytes = decodeBase64(wasmKernelsSharedBase64);
    this.workers = Array.from({ length: size - 1 }, (_, index) => {
      const channel = new MessageChannel();
      const worker = new Worker(workerSource, {
        eval: true,
        workerData: { moduleBytes, control: this.control.buffer, args: this.args.buffer, index, port: channel.port2, names: [...kernelNames] },
        transferList: [channel.port2],
      });
      worker.unref();
      return { worker, port: channel.port1 };
    });
  }

  /** Wakes every worker with `op` and waits until all have answered; `own` runs meanwhile. */
  private signal(op: Op, own?: () => void): void {
    if (this.closed) throw new Error('aimsim: the kernel threads are closed');
    const c = this.control;
    c[OP] = op;
    Atomics.store(c, PENDING, this.workers.length);
    Atomics.add(c, GENERATION, 1);
    Atomics.notify(c, GENERATION);
    let ownError: unknown = null;
    try {
      own?.();
    } catch (error) {
      ownError = error;
    }
    for (;;) {
      const pending = Atomics.load(c, PENDING);
      if (pending === 0) break;
      Atomics.wait(c, PENDING, pending);
    }
    if (ownError) throw ownError;
    if (Atomics.exchange(c, FAILED, 0) !== 0) throw new Error('aimsim internal error: a kernel thread failed');
  }

  register(id: number, memory: unknown, tables: number): void {
    for (const { port } of this.workers) port.postMessage({ id, memory, tables });
    this.signal(Op.Register);
  }

  unregister(id: number): void {
    if (this.closed) return;
    // Called from a finalizer: never in the middle of another signal (JS is single-threaded here).
    this.control[ARENA] = id;
    this.signal(Op.Unregister);
  }

  run(id: number, name: KernelName, args: readonly (readonly number[])[], own: () => void): void {
    if (args.length !== this.workers.length) throw new Error(`aimsim internal error: ${args.length} argument lists for ${this.workers.length} workers`);
    args.forEach((list, w) => {
      if (list.length >= ARGS) throw new Error('aimsim internal error: too many kernel arguments');
      const slot = this.args.subarray(w * ARGS, (w + 1) * ARGS);
      slot[0] = list.length;
      for (let k = 0; k < list.length; k++) slot[1 + k] = list[k]!;
    });
    this.control[ARENA] = id;
    this.control[KERNEL] = kernelNames.indexOf(name);
    this.signal(Op.Run, own);
    this.calls++;
  }

  /** Stops the workers (arenas made with this pool can no longer run threaded calls). */
  close(): void {
    if (this.closed) return;
    this.signal(Op.Exit);
    this.closed = true;
    for (const { port } of this.workers) port.close();
  }
}

/**
 * Uses `threads` threads for the kernels of tiles made from now on (1: none). Returns a function
 * that stops them. Results are the same for every thread count.
 */
export function useKernelThreads(threads: number, options: { minWork?: number } = {}): () => void {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`aimsim: threads must be an integer >= 1 (got ${threads})`);
  if (threads === 1) {
    setKernelThreads(null);
    return () => {};
  }
  const pool = new NodeKernelThreads(threads, options.minWork);
  setKernelThreads(pool);
  return () => {
    setKernelThreads(null);
    pool.close();
  };
}
