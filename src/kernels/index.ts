/**
 * The kernel registry (issue 8; anchors.md §8): named kernels with one typed contract each and
 * several backends. `ts` is the plain-TypeScript reference (the oracle); `wasm` is the SIMD module
 * built from assembly/gemm.ts and committed as src/kernels/wasm-binary.ts. Backends must give the
 * same numbers as the reference (test/kernels/), so the choice changes speed only. The default is
 * `wasm` where WebAssembly SIMD loads, else `ts`; `AIMSIM_KERNELS=ts` or `setKernelBackend('ts')`
 * forces the reference.
 */
import { multiply, multiplyBatchTs } from './ts-gemm.js';
import { activationWasm, ARENA_CHUNK, multiplyBatchWasm, wasmAvailable, WasmArena } from './wasm-gemm.js';

export type KernelBackend = 'ts' | 'wasm';
export const kernelBackends: readonly KernelBackend[] = ['ts', 'wasm'];

function defaultBackend(): KernelBackend {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['AIMSIM_KERNELS'];
  if (env === 'ts') return 'ts';
  return wasmAvailable() ? 'wasm' : 'ts';
}

let backend: KernelBackend | null = null;

export function kernelBackend(): KernelBackend {
  backend ??= defaultBackend();
  return backend;
}

/** Selects the backend; `wasm` where the module cannot load is an error. */
export function setKernelBackend(next: KernelBackend): void {
  if (next === 'wasm' && !wasmAvailable()) throw new Error('aimsim: the wasm kernels cannot be loaded here (no WebAssembly SIMD)');
  backend = next;
}

/**
 * Batched y_b = W·x_b (or Wᵀ·x_b) for `batch` vectors, X (batch × in) and Y (batch × out) row-major.
 * Products of small arrays stay in TS (the copy into the module would cost more than it saves),
 * unless the array is resident in an arena and the batch is large (`gainsFromWasm`).
 */
export function multiplyBatch(weights: Float64Array, rows: number, cols: number, transposed: boolean, x: Float64Array, y: Float64Array, batch: number): void {
  if (kernelBackend() === 'wasm' && batch > 1 && gainsFromWasm(rows, cols, batch) && multiplyBatchWasm(weights, rows, cols, transposed, x, y, batch)) return;
  multiplyBatchTs(weights, rows, cols, transposed, x, y, batch);
}

/** Arrays from this many devices gain from Wasm products and arenas (the batched product's threshold). */
const SMALL_ARRAY = 1024;

/**
 * Whether a batched call on a rows × cols array gains from the Wasm kernels: a large array, or a
 * small one with at least 16·SMALL_ARRAY multiply-adds in the call, as a convolution's thousands
 * of patches (in its arena, or copied into the shared instance: a composite W of a small layer).
 */
export function gainsFromWasm(rows: number, cols: number, batch: number): boolean {
  return rows * cols >= SMALL_ARRAY || batch * rows * cols >= 16 * SMALL_ARRAY;
}

/**
 * An arena for an array owner of rows × cols with `f64Arrays` resident arrays, when the wasm
 * backend is selected and the array gains from it; else null and the owner keeps plain
 * Float64Arrays. Either way the numbers are the same. Arrays from SMALL_ARRAY devices gain. A
 * smaller one gains on large batches when `smallGains` is set (the owner runs Wasm kernels on it:
 * the pulse kernel of a linear-response tile, digital SGD's update): a 16 × 25 tile (LeNet-5's
 * first convolution) updates 9 216 patches 3× faster there (docs/performance.md). Its small calls
 * stay in TS (`gainsFromWasm`).
 */
export function arenaFor(rows: number, cols: number, f64Arrays: number, smallGains = false): WasmArena | null {
  // A small array gets one only if a call of 64 vectors (a convolution's patches of one image)
  // would pass `gainsFromWasm`: a 4 × 4 tile never would.
  if (kernelBackend() !== 'wasm' || (rows * cols < SMALL_ARRAY && !(smallGains && gainsFromWasm(rows, cols, 64)))) return null;
  return WasmArena.create(rows, cols, f64Arrays);
}

export { activationWasm, ARENA_CHUNK, multiply, multiplyBatchTs, WasmArena, wasmAvailable };
export { kernelNames, kernelThreads, setKernelThreads, splitRange, type KernelName, type KernelThreads } from './threads.js';
export { wasmKernelsSharedBase64 } from './wasm-binary.js';
