/**
 * The platform-neutral half of the kernel threads (issue 8): the protocol between the calling
 * thread and its workers, shared by Node's worker_threads (src/node/threads.ts) and browser Web
 * Workers (src/kernels/web-threads.ts). Calls are synchronous for the caller: the parameters go
 * through a SharedArrayBuffer, the workers are woken with Atomics.notify and the caller waits with
 * Atomics.wait until all are done, while it runs its own share. Arena memories reach the workers
 * by postMessage: the caller posts them, then wakes the workers with `Yield`, on which each leaves
 * its wait loop, so that its event loop delivers the message; it then instantiates the kernels on
 * that memory, answers, and waits again. No platform-specific synchronous receive is needed.
 */
import { kernelNames, setKernelThreads, type KernelName, type KernelThreads } from './threads.js';

const GENERATION = 0;
/** Workers still to answer the current call; the caller waits on it. */
export const PENDING = 1;
const OP = 2;
const ARENA = 3;
const KERNEL = 4;
const FAILED = 5;
/** Set (with a notify on PENDING) when a worker died; the caller stops waiting and fails. */
export const DEAD = 6;
/** f64 slots per worker for a call's arguments. */
const ARGS = 32;
/**
 * Polls of the control word before a thread sleeps in Atomics.wait (≈ 100 µs). Calls come in quick
 * succession during training (the chopped compounds update per sample), and waking a sleeping
 * thread costs tens of microseconds, more than many calls take. The spin only changes when a
 * thread notices the next call, never what it computes (BENCHMARKS.md: lockstep and end-to-end
 * stress runs, bench/thread-stress.ts).
 */
export const DEFAULT_SPIN = 1 << 16;
/**
 * Calls below this many work units (device-samples of an update, multiply-adds of a product) stay
 * on the caller: 2¹⁴ with the spin (a hand-over costs about a microsecond), 2²⁰ (≈ 1 ms of work)
 * without it.
 */
export function defaultMinWork(spin: number): number {
  return spin > 0 ? 1 << 14 : 1 << 20;
}
const Op = { Run: 0, Yield: 1, Exit: 2, Unregister: 3 } as const;
type Op = (typeof Op)[keyof typeof Op];

/** What a worker is sent first: the kernels, the control words, its argument slot. */
export interface WorkerInit {
  type: 'init';
  moduleBytes: Uint8Array;
  control: SharedArrayBuffer;
  args: SharedArrayBuffer;
  index: number;
  names: string[];
  spin: number;
}

/**
 * The worker's script body (plain JS, no imports). The platform prelude defines `onMessage(fn)`,
 * `reply(message)` and `exit()`; the body is the same everywhere.
 */
export const kernelWorkerBody = `
let ctl, a, mod, names, spin;
const instances = new Map();
let generation = 0;
function done() {
  if (Atomics.sub(ctl, ${PENDING}, 1) === 1) Atomics.notify(ctl, ${PENDING});
}
function waitLoop() {
  for (;;) {
    for (let i = 0; i < spin && Atomics.load(ctl, ${GENERATION}) === generation; i++);
    Atomics.wait(ctl, ${GENERATION}, generation);
    // Being woken is not a new call: the caller notifies after it bumps the generation, so a
    // caller paused between the two can notify a worker that already took the call while
    // spinning and is waiting for the next one. Only a new generation is a new call.
    const next = Atomics.load(ctl, ${GENERATION});
    if (next === generation) continue;
    generation = next;
    const op = ctl[${OP}];
    // Yield: a message is waiting; the event loop delivers it once this handler returns.
    if (op === ${Op.Yield}) return;
    if (op === ${Op.Exit}) {
      done();
      exit();
      return;
    }
    try {
      if (op === ${Op.Unregister}) {
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
    done();
  }
}
onMessage((m) => {
  if (m.type === 'init') {
    ctl = new Int32Array(m.control);
    a = new Float64Array(m.args, m.index * ${ARGS} * 8, ${ARGS});
    mod = new WebAssembly.Module(m.moduleBytes);
    names = m.names;
    spin = m.spin;
    reply('ready');
  } else if (m.type === 'register') {
    try {
      const env = { memory: m.memory, abort() { throw new Error('wasm abort'); } };
      const e = new WebAssembly.Instance(mod, { env }).exports;
      e.setZigguratTables(m.tables, m.tables + 1024, m.tables + 2048, m.tables + 3072);
      instances.set(m.id, e);
    } catch (error) {
      Atomics.store(ctl, ${FAILED}, 1);
    }
    done();
  }
  waitLoop();
});
`;

/** A kernel thread died (out of memory, or a crash): the run cannot go on with these threads. */
export class KernelThreadDied extends Error {
  override readonly name = 'KernelThreadDied';
  constructor() {
    super('a kernel thread died (out of memory, or it crashed), so the run stops');
  }
}

/**
 * The caller's side of the protocol; subclasses create the workers and post to them. `size`
 * threads in all: the calling thread and size − 1 workers; calls below `minWork` stay on the
 * caller; each thread polls `spin` times before it sleeps in Atomics.wait (0: sleep at once).
 */
export abstract class SharedMemoryKernelThreads implements KernelThreads {
  readonly size: number;
  readonly minWork: number;
  /** Kernel calls run on the workers so far. */
  calls = 0;
  /** Arenas registered with the workers, and dropped again (collected) so far. */
  registered = 0;
  unregistered = 0;
  protected readonly spin: number;
  protected readonly control = new Int32Array(new SharedArrayBuffer(64));
  private readonly args: Float64Array;
  /** No more calls: closed, or a worker died. */
  private closed = false;
  /** The platform's workers were stopped (once, also after a death). */
  private stopped = false;

  constructor(size: number, minWork?: number, spin = DEFAULT_SPIN) {
    if (!Number.isInteger(size) || size < 2) throw new Error(`aimsim: a kernel thread pool needs at least 2 threads (got ${size})`);
    if (!Number.isInteger(spin) || spin < 0) throw new Error(`aimsim: spin must be an integer >= 0 (got ${spin})`);
    this.size = size;
    this.minWork = minWork ?? defaultMinWork(spin);
    this.spin = spin;
    this.args = new Float64Array(new SharedArrayBuffer(8 * ARGS * (size - 1)));
  }

  /** Sends a message to worker `index` (0 … size − 2). */
  protected abstract post(index: number, message: unknown): void;

  /** The first message for worker `index`. */
  protected initMessage(index: number, moduleBytes: Uint8Array): WorkerInit {
    return { type: 'init', moduleBytes, control: this.control.buffer as SharedArrayBuffer, args: this.args.buffer as SharedArrayBuffer, index, names: [...kernelNames], spin: this.spin };
  }

  /** Wakes every worker with `op` and waits until all have answered; `own` runs meanwhile. */
  private signal(op: Op, own?: () => void): void {
    this.checkAlive();
    if (this.closed) throw new Error('aimsim: the kernel threads are closed');
    const c = this.control;
    c[OP] = op;
    Atomics.store(c, PENDING, this.size - 1);
    Atomics.add(c, GENERATION, 1);
    Atomics.notify(c, GENERATION);
    let ownError: unknown = null;
    try {
      own?.();
    } catch (error) {
      ownError = error;
    }
    for (let i = 0; i < this.spin && Atomics.load(c, PENDING) !== 0 && Atomics.load(c, DEAD) === 0; i++);
    for (;;) {
      // A dead worker never answers: whoever saw it die sets DEAD and notifies PENDING.
      this.checkAlive();
      const pending = Atomics.load(c, PENDING);
      if (pending === 0) break;
      Atomics.wait(c, PENDING, pending);
    }
    if (ownError) throw ownError;
    if (Atomics.exchange(c, FAILED, 0) !== 0) throw new Error('aimsim internal error: a kernel thread failed');
  }

  /** Throws (once the pool is unusable) when a worker has died. */
  private checkAlive(): void {
    if (Atomics.load(this.control, DEAD) !== 0) {
      this.closed = true;
      throw new KernelThreadDied();
    }
  }

  register(id: number, memory: unknown, tables: number): void {
    for (let w = 0; w < this.size - 1; w++) this.post(w, { type: 'register', id, memory, tables });
    this.signal(Op.Yield);
    this.registered++;
  }

  unregister(id: number): void {
    // Called from a finalizer, where a throw would crash the process: a dead pool is left alone
    // (the next call reports the death).
    if (this.closed || Atomics.load(this.control, DEAD) !== 0) return;
    // Never in the middle of another signal (JS is single-threaded here).
    this.control[ARENA] = id;
    this.signal(Op.Unregister);
    this.unregistered++;
  }

  run(id: number, name: KernelName, args: readonly (readonly number[])[], own: () => void): void {
    if (args.length !== this.size - 1) throw new Error(`aimsim internal error: ${args.length} argument lists for ${this.size - 1} workers`);
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
    if (this.stopped) return;
    // After a death the others may still wait for calls: they are stopped by their platform.
    if (!this.closed && Atomics.load(this.control, DEAD) === 0) this.signal(Op.Exit);
    this.closed = true;
    this.stopped = true;
    this.stopWorkers();
  }

  /** Ends what the platform keeps for the workers (after Exit, or after a death); by default nothing. */
  protected stopWorkers(): void {}
}

/**
 * The shared part of `useKernelThreads` (Node) and `useWebKernelThreads` (browser): checks the
 * count, installs the pool made by `make` (none for 1 thread) and returns the function that stops it.
 */
export function installKernelThreads(threads: number, make: (threads: number) => SharedMemoryKernelThreads): () => void;
export function installKernelThreads(threads: number, make: (threads: number) => Promise<SharedMemoryKernelThreads>): Promise<() => void>;
export function installKernelThreads(
  threads: number,
  make: (threads: number) => SharedMemoryKernelThreads | Promise<SharedMemoryKernelThreads>,
): (() => void) | Promise<() => void> {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`aimsim: threads must be an integer >= 1 (got ${threads})`);
  const install = (pool: SharedMemoryKernelThreads | null) => {
    setKernelThreads(pool);
    return () => {
      setKernelThreads(null);
      pool?.close();
    };
  };
  if (threads === 1) return install(null);
  const pool = make(threads);
  return pool instanceof Promise ? pool.then(install) : install(pool);
}
