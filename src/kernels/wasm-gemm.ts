import { zigF, zigK, zigW } from '../rng/ziggurat.js';
import { KernelThreadDied } from './pool.js';
import { kernelThreads, splitRange, type KernelThreads } from './threads.js';
import { wasmKernelsBase64, wasmKernelsSharedBase64 } from './wasm-binary.js';

/** The parts of the WebAssembly API used here (the project's TS lib has no DOM/WebAssembly types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => unknown;
  Instance: new (module: unknown, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** The exports of assembly/gemm.ts (pointers are byte offsets into the instance's memory). */
export interface WasmKernels {
  /** fdlibm's log and exp, those of src/core/math.ts (the ziggurat's slow path uses them). */
  fdlibmLog(x: number): number;
  fdlibmExp(x: number): number;
  /** fdlibm's expm1 and tanh, those of src/core/math.ts (the activations use them). */
  fdlibmExpm1(x: number): number;
  fdlibmTanh(x: number): number;
  activation(kind: number, x: number, y: number, n: number): void;
  gemmNN(w: number, rows: number, cols: number, xi: number, y: number, batch: number): void;
  gemmNNRows(w: number, rowStart: number, rowEnd: number, rows: number, cols: number, xi: number, y: number, batch: number): void;
  gemmTN(w: number, rows: number, cols: number, x: number, y: number, batch: number): void;
  gemmTNCols(w: number, rows: number, cols: number, colStart: number, colEnd: number, x: number, y: number, batch: number): void;
  interleavePairs(x: number, cols: number, batch: number, out: number): void;
  rankUpdate(w: number, rows: number, cols: number, x: number, d: number, batch: number, lr: number, list: number): void;
  setZigguratTables(k: number, w: number, f: number, kCeil: number): void;
  pulseTrains(probs: number, n: number, bl: number, bits: number, active: number, rng: number): number;
  ioInput(
    x: number, xq: number, alpha: number, batch: number, inSize: number,
    mode: number, nmThres: number, nmDecay: number, state: number, nmAssumedWmax: number, outBound: number, maxBmRes: number,
    inputStep: number, inpBound: number, inpAsymmetry: number,
  ): void;
  ioOutput(
    y: number, out: number, alpha: number, m: number, from: number, to: number,
    asym: number, noise: number, scale: number, step: number, bound: number, testNegative: number, bmActive: number, outScale: number, rng: number, z: number,
  ): number;
  columnMasks(samples: number, cols: number, xBits: number, active: number, activeCount: number, masks: number): void;
  pulsePrepare(
    first: number, samples: number, rows: number, cols: number, xv: number, dv: number,
    lr: number, granularity: number, desiredBl: number, flags: number, umGradScale: number,
    xBits: number, dBits: number, active: number, activeCount: number, probs: number, rng: number,
  ): number;
  pulseLinear(
    samples: number, rows: number, cols: number,
    xBits: number, dBits: number, active: number, activeCount: number, masks: number, xv: number, dv: number,
    g: number, params: number,
    sigma: number, multNoise: number, rng: number, hits: number, out: number, eff: number, ref: number, zbuf: number,
    rowStart: number, rowEnd: number,
  ): void;
}

const PAGE = 65536;
/** The module keeps no data of its own; the first page is left free all the same. */
const BASE = PAGE;

const compiled: { plain?: unknown | null; shared?: unknown | null } = {};

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The bytes of the shared-memory build (what kernel-thread workers compile). */
export function sharedModuleBytes(): Uint8Array {
  return decodeBase64(wasmKernelsSharedBase64);
}

function wasmApi(): WasmApi | null {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly ?? null;
}

/** The compiled module (private or shared memory), or null where WebAssembly with SIMD is not available. */
function compiledModule(shared = false): unknown | null {
  const key = shared ? 'shared' : 'plain';
  if (compiled[key] !== undefined) return compiled[key];
  const api = wasmApi();
  try {
    compiled[key] = api ? new api.Module(decodeBase64(shared ? wasmKernelsSharedBase64 : wasmKernelsBase64)) : null;
  } catch {
    compiled[key] = null;
  }
  return compiled[key];
}

function instantiate(memory: WasmMemory, shared = false): WasmKernels {
  const api = wasmApi()!;
  const env = {
    memory,
    abort: () => {
      throw new Error('aimsim internal error: wasm abort');
    },
  };
  return new api.Instance(compiledModule(shared), { env }).exports as unknown as WasmKernels;
}

/** Whether the Wasm kernels load here. */
export function wasmAvailable(): boolean {
  return compiledModule() !== null;
}

// ---- the shared instance: operands copied in per call (weights that live outside any arena) ----

let shared: { kernels: WasmKernels; memory: WasmMemory } | null = null;

function sharedInstance(): { kernels: WasmKernels; memory: WasmMemory } {
  if (!shared) {
    const memory = new (wasmApi()!).Memory({ initial: 2 });
    shared = { kernels: instantiate(memory), memory };
  }
  return shared;
}

/** The Wasm module's own transcendental functions (for the test that they round as src/core/math.ts does), or null without Wasm. */
export function wasmMath(): { log: (x: number) => number; exp: (x: number) => number; expm1: (x: number) => number; tanh: (x: number) => number } | null {
  if (!wasmAvailable()) return null;
  const { kernels } = sharedInstance();
  return { log: kernels.fdlibmLog, exp: kernels.fdlibmExp, expm1: kernels.fdlibmExpm1, tanh: kernels.fdlibmTanh };
}

const activationKinds = { relu: 0, sigmoid: 1, tanh: 2 } as const;

/**
 * y = f(x) element-wise in Wasm (assembly/gemm.ts `activation`), the numbers of the TS loop of
 * src/nn/activations.ts: the same fdlibm functions, operation for operation. Returns false
 * without Wasm.
 */
export function activationWasm(kind: keyof typeof activationKinds, x: Float64Array, y: Float64Array): boolean {
  if (!wasmAvailable()) return false;
  const n = x.length;
  const { kernels } = sharedInstance();
  const heap = reserve(16 * n);
  const xAt = BASE / 8;
  heap.set(x.subarray(0, n), xAt);
  kernels.activation(activationKinds[kind], BASE, BASE + 8 * n, n);
  y.set(heap.subarray(xAt + n, xAt + 2 * n));
  return true;
}

/** Makes the shared memory at least `bytes` long past BASE. */
function reserve(bytes: number): Float64Array {
  const { memory } = sharedInstance();
  const needed = BASE + bytes;
  const have = memory.buffer.byteLength;
  if (have < needed) memory.grow(Math.ceil((needed - have) / PAGE));
  return new Float64Array(memory.buffer);
}

/**
 * Batched W·x / Wᵀ·x in Wasm SIMD (f64x2), bit-identical to the TS reference `multiplyBatchTs`
 * (each output is accumulated in the same order; see assembly/gemm.ts). Weights inside a
 * `WasmArena` are used in place; others are copied into the shared instance per call.
 * Returns false if the module is not available.
 */
export function multiplyBatchWasm(weights: Float64Array, rows: number, cols: number, transposed: boolean, x: Float64Array, y: Float64Array, batch: number): boolean {
  if (!wasmAvailable()) return false;
  const arena = WasmArena.holding(weights);
  if (arena) return arena.multiplyBatch(weights, rows, cols, transposed, x, y, batch);
  const { kernels } = sharedInstance();
  const inSize = transposed ? rows : cols;
  const outSize = transposed ? cols : rows;
  const padded = batch + (batch & 1);
  const wLen = rows * cols;
  const xLen = padded * inSize;
  const yLen = padded * outSize;
  // layout (in f64 slots from BASE): W | X | X interleaved | Y
  const heap = reserve(8 * (wLen + 2 * xLen + yLen));
  const wAt = BASE / 8;
  const xAt = wAt + wLen;
  const xiAt = xAt + xLen;
  const yAt = xiAt + xLen;
  heap.set(weights.subarray(0, wLen), wAt);
  runGemm(kernels, heap, wAt * 8, rows, cols, transposed, x, xAt, xiAt, yAt, batch);
  y.set(heap.subarray(yAt, yAt + batch * outSize));
  return true;
}

/** Copies X in (padded to an even batch), runs the kernel; Y is left at yAt. */
function runGemm(kernels: WasmKernels, heap: Float64Array, wByte: number, rows: number, cols: number, transposed: boolean, x: Float64Array, xAt: number, xiAt: number, yAt: number, batch: number): void {
  const inSize = transposed ? rows : cols;
  const padded = batch + (batch & 1);
  heap.set(x.subarray(0, batch * inSize), xAt);
  if (padded !== batch) heap.fill(0, xAt + batch * inSize, xAt + padded * inSize);
  if (transposed) {
    kernels.gemmTN(wByte, rows, cols, xAt * 8, yAt * 8, batch);
  } else {
    kernels.interleavePairs(xAt * 8, cols, padded, xiAt * 8);
    kernels.gemmNN(wByte, rows, cols, xiAt * 8, yAt * 8, padded);
  }
}

// ---- arenas: a fixed-size memory per tile, its arrays resident, its own instance ----

const arenas = new WeakMap<ArrayBufferLike, WasmArena>();
let nextArenaId = 1;
/** Workers hold an instance per arena; it is dropped there once the arena is collected here. */
const releaseOnCollect = new FinalizationRegistry<{ threads: KernelThreads; id: number }>(({ threads, id }) => threads.unregister(id));

/** Samples per kernel call on an arena (larger batches are split; each sample is independent). */
export const ARENA_CHUNK = 16;

/**
 * A Wasm instance with its own memory of fixed size, in which a tile (or a digital layer) keeps its
 * large arrays: the kernels then run on them in place, with no copy of W per call. The memory
 * never grows, so the Float64Array views handed out stay valid for the arena's life. Scratch for
 * `ARENA_CHUNK` samples of a rows × cols product and update sits at the end.
 */
export class WasmArena {
  readonly kernels: WasmKernels;
  private readonly buffer: ArrayBuffer;
  private top = BASE;
  private readonly rows: number;
  private readonly cols: number;
  /** Scratch (byte offsets). */
  private readonly gemmX: number;
  private readonly gemmXi: number;
  private readonly gemmY: number;
  readonly scratch: {
    xBits: Uint32Array; dBits: Uint32Array; active: Int32Array; activeCount: Int32Array; masks: Uint32Array;
    xv: Float64Array; dv: Float64Array; rng: Uint32Array; list: Int32Array; probs: Float64Array; trainRng: Uint32Array;
    ioY: Float64Array; ioOut: Float64Array; ioAlpha: Float64Array; ioScale: Float64Array; ioRng: Uint32Array; ioZ: Float64Array; ioState: Float64Array;
  };
  /** Per-thread scratch of the pulse kernel (index 0: the calling thread). */
  readonly threadScratch: { hits: Int32Array; zbuf: Float64Array; out: Float64Array }[];
  /** The pool this arena's memory is registered with (shared memory), or null. */
  readonly threads: KernelThreads | null;
  readonly id: number;

  private constructor(rows: number, cols: number, f64Arrays: number, threads: KernelThreads | null) {
    const api = wasmApi()!;
    const n = Math.max(rows, cols);
    const c = ARENA_CHUNK;
    const t = threads ? threads.size : 1;
    const perThread = 4 * cols + 8 * 32 * cols + 16 + 48;
    const maskWords = Math.ceil(cols / 32);
    const scratchBytes = 8 * (3 * c * n) + 4 * (c * cols + c * rows + c * cols + c) + 8 * (c * cols + c * rows) + 16 * rows + 4 * c + 3 * 128 * 8 + 512 + 8 * n + 16 + t * perThread + 8 * (3 * c * n + c + n) + 16 + 6 * 16 + 4 * c * 32 * maskWords + 16 + 16;
    const bytes = BASE + 8 * f64Arrays * rows * cols + scratchBytes + 16 * 32;
    const pages = Math.ceil(bytes / PAGE);
    const memory = threads ? new api.Memory({ initial: pages, maximum: pages, shared: true }) : new api.Memory({ initial: pages });
    this.buffer = memory.buffer;
    this.kernels = instantiate(memory, threads !== null);
    this.rows = rows;
    this.cols = cols;
    this.id = nextArenaId++;
    this.gemmX = this.take(8 * c * n);
    this.gemmXi = this.take(8 * c * n);
    this.gemmY = this.take(8 * c * n);
    const tables = this.take(3 * 128 * 8 + 128 * 4);
    const zig = new Float64Array(this.buffer, tables, 3 * 128);
    zig.set(zigK, 0);
    zig.set(zigW, 128);
    zig.set(zigF, 256);
    new Int32Array(this.buffer, tables + 3072, 128).set(zigK.map(Math.ceil));
    this.kernels.setZigguratTables(tables, tables + 1024, tables + 2048, tables + 3072);
    this.scratch = {
      xBits: new Uint32Array(this.buffer, this.take(4 * c * cols), c * cols),
      dBits: new Uint32Array(this.buffer, this.take(4 * c * rows), c * rows),
      active: new Int32Array(this.buffer, this.take(4 * c * cols), c * cols),
      activeCount: new Int32Array(this.buffer, this.take(4 * c), c),
      masks: new Uint32Array(this.buffer, this.take(4 * c * 32 * maskWords), c * 32 * maskWords),
      xv: new Float64Array(this.buffer, this.take(8 * c * cols), c * cols),
      dv: new Float64Array(this.buffer, this.take(8 * c * rows), c * rows),
      rng: new Uint32Array(this.buffer, this.take(16 * rows), 4 * rows),
      list: new Int32Array(this.buffer, this.take(4 * c), c),
      probs: new Float64Array(this.buffer, this.take(8 * n), n),
      trainRng: new Uint32Array(this.buffer, this.take(16), 4),
      ioY: new Float64Array(this.buffer, this.take(8 * c * n), c * n),
      ioOut: new Float64Array(this.buffer, this.take(8 * c * n), c * n),
      ioAlpha: new Float64Array(this.buffer, this.take(8 * c), c),
      ioScale: new Float64Array(this.buffer, this.take(8 * n), n),
      ioRng: new Uint32Array(this.buffer, this.take(16), 4),
      ioZ: new Float64Array(this.buffer, this.take(8 * c * n), c * n),
      ioState: new Float64Array(this.buffer, this.take(16), 1),
    };
    this.threadScratch = Array.from({ length: t }, () => ({
      hits: new Int32Array(this.buffer, this.take(4 * cols), cols),
      zbuf: new Float64Array(this.buffer, this.take(8 * 32 * cols), 32 * cols),
      out: new Float64Array(this.buffer, this.take(16), 2),
    }));
    arenas.set(this.buffer, this);
    this.threads = threads;
    if (threads) {
      threads.register(this.id, memory, tables);
      releaseOnCollect.register(this, { threads, id: this.id });
    }
  }

  /**
   * An arena for a rows × cols array owner with room for `f64Arrays` arrays of rows·cols f64, or
   * null where Wasm is unavailable or the memory cannot be had (callers keep plain arrays then).
   */
  static create(rows: number, cols: number, f64Arrays: number): WasmArena | null {
    if (!wasmAvailable()) return null;
    const threads = kernelThreads();
    try {
      return new WasmArena(rows, cols, f64Arrays, threads && compiledModule(true) ? threads : null);
    } catch (error) {
      // A kernel thread that died while the arena registered fails the run (issue 21); only a
      // memory that cannot be had falls back to plain arrays.
      if (error instanceof KernelThreadDied) throw error;
      return null;
    }
  }

  /**
   * Runs the pulse kernel on rows [0, rows) with the given leading arguments (everything up to
   * `sigma, multNoise, rng`), split over the arena's threads when the work is large enough; adds
   * the pulse totals into `totals` [up, down]. Identical numbers for any split (rows are independent).
   */
  pulseLinear(head: readonly number[], tail: readonly number[], rows: number, work: number, totals: Float64Array): void {
    // Threads only while the pool the arena was registered with is still the active one, and
    // only for calls large enough to pay for the hand-over.
    const threads = this.threads !== null && this.threads === kernelThreads() ? this.threads : null;
    const parts = threads && work >= threads.minWork ? Math.min(threads.size, rows) : 1;
    const ranges = splitRange(rows, parts);
    const argsOf = (t: number) => {
      const own = this.threadScratch[t]!;
      return [...head, own.hits.byteOffset, own.out.byteOffset, ...tail, own.zbuf.byteOffset, ranges[t]![0], ranges[t]![1]];
    };
    const call = () => (this.kernels.pulseLinear as (...a: number[]) => void)(...argsOf(0));
    if (parts === 1) call();
    else threads!.run(this.id, 'pulseLinear', ranges.slice(1).map((_, w) => argsOf(w + 1)), call);
    for (let t = 0; t < parts; t++) {
      totals[0] = totals[0]! + this.threadScratch[t]!.out[0]!;
      totals[1] = totals[1]! + this.threadScratch[t]!.out[1]!;
    }
  }

  /** Whether a vector of n outputs fits the arena's per-sample scratch. */
  fits(n: number): boolean {
    return n <= Math.max(this.rows, this.cols);
  }

  /** The arena whose memory holds `array`, if any. */
  static holding(array: ArrayBufferView): WasmArena | undefined {
    return arenas.get(array.buffer);
  }

  private take(bytes: number): number {
    const at = this.top;
    this.top += Math.ceil(bytes / 16) * 16;
    if (this.top > this.buffer.byteLength) throw new Error('aimsim internal error: wasm arena overflow');
    return at;
  }

  /** A zeroed f64 array of length n inside the arena (one of the `f64Arrays` reserved). */
  f64(n: number): Float64Array {
    return new Float64Array(this.buffer, this.take(8 * n), n);
  }

  /**
   * As `multiplyBatchWasm`, with W in this arena (in chunks of ARENA_CHUNK samples). With threads,
   * large products are split by output rows (W·x) or output columns (Wᵀ·x); every output is
   * still summed in the same order, so the split changes nothing.
   */
  multiplyBatch(weights: Float64Array, rows: number, cols: number, transposed: boolean, x: Float64Array, y: Float64Array, batch: number): boolean {
    if (Math.max(rows, cols) > Math.max(this.rows, this.cols)) return false;
    const inSize = transposed ? rows : cols;
    const outSize = transposed ? cols : rows;
    const heap = new Float64Array(this.buffer);
    const threads = this.threads !== null && this.threads === kernelThreads() ? this.threads : null;
    for (let start = 0; start < batch; start += ARENA_CHUNK) {
      const n = Math.min(ARENA_CHUNK, batch - start);
      const parts = threads && n * rows * cols >= threads.minWork ? Math.min(threads.size, outSize >> 1) : 1;
      if (parts <= 1) {
        runGemm(this.kernels, heap, weights.byteOffset, rows, cols, transposed, x.subarray(start * inSize, (start + n) * inSize), this.gemmX / 8, this.gemmXi / 8, this.gemmY / 8, n);
      } else {
        heap.set(x.subarray(start * inSize, (start + n) * inSize), this.gemmX / 8);
        const padded = n + (n & 1);
        if (padded !== n) heap.fill(0, this.gemmX / 8 + n * inSize, this.gemmX / 8 + padded * inSize);
        // Even boundaries: the NN kernel pairs rows, the TN kernel pairs columns.
        const ranges = splitRange(outSize >> 1, parts).map(([a, b], p) => [2 * a, p === parts - 1 ? outSize : 2 * b] as const);
        let argsOf: (r: readonly [number, number]) => number[];
        let name: 'gemmNNRows' | 'gemmTNCols';
        if (transposed) {
          name = 'gemmTNCols';
          argsOf = ([a, b]) => [weights.byteOffset, rows, cols, a, b, this.gemmX, this.gemmY, n];
        } else {
          this.kernels.interleavePairs(this.gemmX, cols, padded, this.gemmXi);
          name = 'gemmNNRows';
          argsOf = ([a, b]) => [weights.byteOffset, a, b, rows, cols, this.gemmXi, this.gemmY, padded];
        }
        const kernel = this.kernels[name] as (...a: number[]) => void;
        threads!.run(this.id, name, ranges.slice(1).map(argsOf), () => kernel(...argsOf(ranges[0]!)));
      }
      y.set(heap.subarray(this.gemmY / 8, this.gemmY / 8 + n * outSize), start * outSize);
    }
    return true;
  }

  /** W −= lr·Σ_b d_b x_bᵀ on W in this arena (DigitalSgd's step, bit-identical), in chunks. */
  rankUpdate(weights: Float64Array, rows: number, cols: number, x: Float64Array, d: Float64Array, batch: number, lr: number): void {
    const heap = new Float64Array(this.buffer);
    const xAt = this.gemmX / 8;
    const dAt = this.gemmY / 8;
    for (let start = 0; start < batch; start += ARENA_CHUNK) {
      const n = Math.min(ARENA_CHUNK, batch - start);
      heap.set(x.subarray(start * cols, (start + n) * cols), xAt);
      heap.set(d.subarray(start * rows, (start + n) * rows), dAt);
      this.kernels.rankUpdate(weights.byteOffset, rows, cols, this.gemmX, this.gemmY, n, lr, this.scratch.list.byteOffset);
    }
  }
}
