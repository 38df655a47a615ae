import { wasmKernelsBase64 } from './wasm-binary.js';

/** The parts of the WebAssembly API used here (the project's TS lib has no DOM/WebAssembly types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => unknown;
  Instance: new (module: unknown, imports: object) => { exports: unknown };
}

interface WasmKernels {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  gemmNN(w: number, rows: number, cols: number, xi: number, y: number, batch: number): void;
  gemmTN(w: number, rows: number, cols: number, x: number, y: number, batch: number): void;
  interleavePairs(x: number, cols: number, batch: number, out: number): void;
}

let kernels: WasmKernels | null | undefined;

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The instantiated module, or null where WebAssembly (with SIMD) is not available. */
export function wasmKernels(): WasmKernels | null {
  if (kernels !== undefined) return kernels;
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) return (kernels = null);
  try {
    const module = new api.Module(decodeBase64(wasmKernelsBase64));
    const instance = new api.Instance(module, { env: { abort: () => { throw new Error('aimsim internal error: wasm abort'); } } });
    kernels = instance.exports as unknown as WasmKernels;
  } catch {
    kernels = null;
  }
  return kernels;
}

const BASE = 65536; // leave the first page to the module's own data

/** Makes the linear memory at least `bytes` long past BASE. */
function reserve(k: WasmKernels, bytes: number): Float64Array {
  const needed = BASE + bytes;
  const have = k.memory.buffer.byteLength;
  if (have < needed) k.memory.grow(Math.ceil((needed - have) / 65536));
  return new Float64Array(k.memory.buffer);
}

/**
 * Batched W·x / Wᵀ·x in Wasm SIMD (f64x2), bit-identical to the TS reference `multiplyBatchTs`
 * (each output is accumulated in the same order; see assembly/gemm.ts). W, X and Y are copied
 * into the module's memory per call. Returns false if the module is not available.
 */
export function multiplyBatchWasm(weights: Float64Array, rows: number, cols: number, transposed: boolean, x: Float64Array, y: Float64Array, batch: number): boolean {
  const k = wasmKernels();
  if (!k) return false;
  const inSize = transposed ? rows : cols;
  const outSize = transposed ? cols : rows;
  const padded = batch + (batch & 1);
  const wLen = rows * cols;
  const xLen = padded * inSize;
  const yLen = padded * outSize;
  // layout (in f64 slots from BASE): W | X | X interleaved | Y
  const heap = reserve(k, 8 * (wLen + 2 * xLen + yLen));
  const wAt = BASE / 8;
  const xAt = wAt + wLen;
  const xiAt = xAt + xLen;
  const yAt = xiAt + xLen;
  heap.set(weights.subarray(0, wLen), wAt);
  heap.set(x.subarray(0, batch * inSize), xAt);
  if (padded !== batch) heap.fill(0, xAt + batch * inSize, xAt + padded * inSize);
  if (transposed) {
    k.gemmTN(wAt * 8, rows, cols, xAt * 8, yAt * 8, batch);
  } else {
    k.interleavePairs(xAt * 8, cols, padded, xiAt * 8);
    k.gemmNN(wAt * 8, rows, cols, xiAt * 8, yAt * 8, padded);
  }
  y.set(new Float64Array(k.memory.buffer, yAt * 8, batch * outSize));
  return true;
}
