/**
 * The kernel registry (issue 8; anchors.md §8): named kernels with one typed contract each and
 * several backends. `ts` is the plain-TypeScript reference (the oracle); `wasm` is the SIMD module
 * built from assembly/gemm.ts and committed as src/kernels/wasm-binary.ts. Backends must give the
 * same numbers as the reference (test/kernels/), so the choice changes speed only. The default is
 * `wasm` where WebAssembly SIMD loads, else `ts`; `AIMSIM_KERNELS=ts` or `setKernelBackend('ts')`
 * forces the reference.
 */
import { multiply, multiplyBatchTs } from './ts-gemm.js';
import { multiplyBatchWasm, wasmKernels } from './wasm-gemm.js';

export type KernelBackend = 'ts' | 'wasm';
export const kernelBackends: readonly KernelBackend[] = ['ts', 'wasm'];

function defaultBackend(): KernelBackend {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['AIMSIM_KERNELS'];
  if (env === 'ts') return 'ts';
  return wasmKernels() ? 'wasm' : 'ts';
}

let backend: KernelBackend | null = null;

export function kernelBackend(): KernelBackend {
  backend ??= defaultBackend();
  return backend;
}

/** Selects the backend; `wasm` where the module cannot load is an error. */
export function setKernelBackend(next: KernelBackend): void {
  if (next === 'wasm' && !wasmKernels()) throw new Error('aimsim: the wasm kernels cannot be loaded here (no WebAssembly SIMD)');
  backend = next;
}

/**
 * Batched y_b = W·x_b (or Wᵀ·x_b) for `batch` vectors, X (batch × in) and Y (batch × out) row-major.
 * Small products stay in TS (the copy into the module would cost more than it saves).
 */
export function multiplyBatch(weights: Float64Array, rows: number, cols: number, transposed: boolean, x: Float64Array, y: Float64Array, batch: number): void {
  if (kernelBackend() === 'wasm' && batch > 1 && rows * cols >= 1024 && multiplyBatchWasm(weights, rows, cols, transposed, x, y, batch)) return;
  multiplyBatchTs(weights, rows, cols, transposed, x, y, batch);
}

export { multiply, multiplyBatchTs };
