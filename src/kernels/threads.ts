/**
 * Kernel threads (issue 8): a pool that runs one Wasm kernel call split over several threads on
 * the same shared memory. The core only knows this interface; the Node entry provides an
 * implementation on worker_threads (src/node/threads.ts), and without one every kernel runs on
 * the calling thread. Splits are by rows, each row with its own random stream, so the numbers do
 * not depend on the thread count.
 */
export interface KernelThreads {
  /** Threads in all, the calling one included (≥ 2 for a pool that does anything). */
  readonly size: number;
  /**
   * Calls smaller than this (device-samples for the pulsed update, multiply-adds for products)
   * stay on the calling thread, where a hand-over would cost more than it saves.
   */
  readonly minWork: number;
  /** Makes an arena's shared memory known to every worker; `tables` is its ziggurat table offset. */
  register(id: number, memory: unknown, tables: number): void;
  /** Forgets an arena (its memory is freed once no thread holds it). */
  unregister(id: number): void;
  /**
   * Calls the export `name` on arena `id` with `args[w]` on worker w (w = 0 … size − 2) while
   * `own()` runs on the calling thread, and returns when every part is done.
   */
  run(id: number, name: KernelName, args: readonly (readonly number[])[], own: () => void): void;
}

/** The exports a pool may call. */
export const kernelNames = ['pulseLinear', 'gemmNNRows', 'gemmTNCols'] as const;
export type KernelName = (typeof kernelNames)[number];

let pool: KernelThreads | null = null;

/** Installs (or with null removes) the pool. Arenas made afterwards use shared memory. */
export function setKernelThreads(next: KernelThreads | null): void {
  pool = next && next.size > 1 ? next : null;
}

export function kernelThreads(): KernelThreads | null {
  return pool;
}

/** Splits [0, n) into `parts` contiguous ranges, as even as integers allow. */
export function splitRange(n: number, parts: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let p = 0; p < parts; p++) ranges.push([Math.floor((p * n) / parts), Math.floor(((p + 1) * n) / parts)]);
  return ranges;
}
