import { z } from 'zod';
import { UserError } from '../core/errors.js';
import { LIMITS, boundedInt } from '../core/limits.js';
import { num } from '../devices/fields.js';
import { Rng } from '../rng/index.js';

/** A matrix as rows, or (resolved by the Node entry and the CLI) the path of a .npy or .json file holding it. */
const matrix = (doc: string) => z.union([z.array(z.array(z.number())).min(1), z.string()]).optional().describe(`${doc}; or the path of a .npy/.json file`);

/** The synthetic least-squares task (papers.md §4.1, §5 testbed; issues 4 and 15). */
export const leastSquaresSchema = z
  .object({
    inputs: boundedInt(LIMITS.dimension, 'input size n = D (columns of W)').default(20),
    outputs: boundedInt(LIMITS.dimension, 'output size m (rows of W); the papers’ toy has 1').default(10),
    optimumScale: num(0.3, 'W* entries are optimumScale·N(0, 1) + optimumOffset (σ_W* of the papers)', { min: 0 }),
    optimumOffset: num(0, 'constant added to every entry of W* (moves the optimum away from 0)'),
    optimumDistribution: z
      .enum(['normal', 'uniform-16bit'])
      .default('normal')
      .describe('W* entries: optimumScale·N(0, 1), or optimumScale·(−1 + 2k/65535) with k uniform in 0…65535 (P-MT25’s 16-bit b of the scalar toy); + optimumOffset'),
    inputScale: num(1, 'x entries are inputScale·N(0, 1) (σ_A of the papers)', { gt: 0 }),
    noise: num(0.01, 'standard deviation of the label noise: y = W*·x + noise·ξ', { min: 0 }),
    inputDistribution: z.enum(['normal', 'ones']).default('normal').describe('x ~ inputScale·N(0, I), or x ≡ 1 (the scalar toy (w − b)² of papers.md §5 claim 9)'),
    samples: boundedInt(1_000_000, 'a fixed data set of this many rows (the papers’ A, Dout × D), reused every step; unset: a fresh sample every time (streaming)').optional(),
    A: matrix('the design matrix itself, samples × inputs (instead of drawing it)'),
    optimum: matrix('W* itself, outputs × inputs (instead of drawing it); the labels are A·W* (+ noise)'),
    b: matrix('the labels themselves, samples × outputs (instead of A·W*); the optimum is then the least-squares solution'),
    initialWeights: matrix('W₀, outputs × inputs (overrides the run’s initialWeight)'),
    file: z.string().optional().describe('a JSON file with any of A, optimum, b, initialWeights (read by the CLI and aimsim/node)'),
    seed: z.number().int().min(0).default(0).describe('seed of W*, of A and of the data stream'),
  })
  .strict();
export type LeastSquaresConfig = z.output<typeof leastSquaresSchema>;

/** The rows of a matrix field; a path left unresolved means the task ran outside the Node entry. */
export function matrixRows(field: string, value: number[][] | string): number[][] {
  if (typeof value === 'string') throw new UserError(`task.${field}`, value, 'is a file: load it through the CLI or aimsim/node (loadTaskFiles)');
  return value;
}

function flatMatrix(field: string, value: number[][] | string, nRows: number, nCols: number): Float64Array {
  const rows = matrixRows(field, value);
  if (rows.length !== nRows || rows.some((r) => r.length !== nCols)) {
    throw new UserError(`task.${field}`, `${rows.length} × ${rows[0]?.length ?? 0}`, `must be ${nRows} × ${nCols}`);
  }
  return Float64Array.from(rows.flat());
}

/** Solves the symmetric positive-definite system M·x = r (n × n, row-major) by Cholesky; null if singular. */
function solveSpd(m: Float64Array, r: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 1e-12 * Math.abs(m[i * n + i]!))) return null;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j]!;
      }
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = r[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

/**
 * min_W ‖W·x − y‖²/2 on one of two kinds of data:
 * - streaming (no `samples`): x ~ σ_A·N(0, I) and y = W*·x + σξ, fresh every sample; the optimum
 *   is W*, and the expected loss is exactly ½σ_A²‖W − W*‖²_F + ½·m·σ².
 * - a fixed data set (`samples` N, or explicit `A`): the papers' set-up (papers.md §4.1, §5), the
 *   same N rows every epoch in order; the loss is the empirical ½‖A·Wᵀ − B‖²/N and the optimum
 *   is its least-squares solution (W* when the labels are noise-free).
 */
export class LeastSquaresTask {
  readonly config: LeastSquaresConfig;
  /** The minimiser: W* when streaming, the least-squares solution of the fixed data set. */
  readonly optimum: Float64Array;
  /** The generating W* (the optimum of the expected loss). */
  readonly generator: Float64Array;
  /** Rows of the fixed data set (samples × inputs and samples × outputs), or null when streaming. */
  readonly data: { x: Float64Array; y: Float64Array; samples: number } | null;
  /** The loss at the optimum (0 for noise-free labels). */
  readonly optimalLoss: number;
  private readonly stream: Rng;
  private cursor = 0;

  constructor(config: LeastSquaresConfig) {
    this.config = config;
    const { inputs, outputs } = config;
    const optimumRng = Rng.stream(config.seed, 'least-squares', 'optimum');
    this.generator = config.optimum
      ? flatMatrix('optimum', config.optimum, outputs, inputs)
      : Float64Array.from({ length: outputs * inputs }, () => {
          const unit = config.optimumDistribution === 'normal' ? optimumRng.normal() : -1 + (2 * Math.floor(optimumRng.uniform() * 65536)) / 65535;
          return config.optimumOffset + config.optimumScale * unit;
        });
    this.stream = Rng.stream(config.seed, 'least-squares', 'data');
    if (config.file !== undefined) throw new UserError('task.file', config.file, 'is a file: load it through the CLI or aimsim/node (loadTaskFiles)');
    const samples = config.A ? matrixRows('A', config.A).length : config.samples;
    if (config.b && !config.A && samples === undefined) throw new UserError('task.b', 'labels', 'need a fixed data set: give task.A or task.samples');
    if (samples === undefined) {
      this.data = null;
      this.optimum = this.generator;
      this.optimalLoss = 0.5 * outputs * config.noise ** 2;
      return;
    }
    const x = config.A ? flatMatrix('A', config.A, samples, inputs) : this.draw(samples * inputs);
    const y = config.b ? flatMatrix('b', config.b, samples, outputs) : this.labels(x, samples);
    this.data = { x, y, samples };
    this.optimum = this.leastSquaresSolution(x, y, samples) ?? this.generator;
    this.optimalLoss = this.loss(this.optimum);
  }

  private draw(length: number): Float64Array {
    const { inputScale, inputDistribution } = this.config;
    return Float64Array.from({ length }, () => (inputDistribution === 'ones' ? 1 : inputScale * this.stream.normal()));
  }

  private labels(x: Float64Array, count: number): Float64Array {
    const { inputs, outputs, noise } = this.config;
    const y = new Float64Array(count * outputs);
    for (let b = 0; b < count; b++) {
      for (let i = 0; i < outputs; i++) {
        let s = 0;
        for (let j = 0; j < inputs; j++) s += this.generator[i * inputs + j]! * x[b * inputs + j]!;
        y[b * outputs + i] = s + (noise > 0 ? noise * this.stream.normal() : 0);
      }
    }
    return y;
  }

  /** W = Yᵀ·A·(AᵀA)⁻¹ row by row; null when AᵀA is singular (fewer rows than inputs). */
  private leastSquaresSolution(x: Float64Array, y: Float64Array, count: number): Float64Array | null {
    const { inputs: n, outputs: m } = this.config;
    const gram = new Float64Array(n * n);
    for (let b = 0; b < count; b++) for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) gram[p * n + q] = gram[p * n + q]! + x[b * n + p]! * x[b * n + q]!;
    const w = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      const rhs = new Float64Array(n);
      for (let b = 0; b < count; b++) for (let p = 0; p < n; p++) rhs[p] = rhs[p]! + x[b * n + p]! * y[b * m + i]!;
      const row = solveSpd(gram, rhs, n);
      if (!row) return null;
      w.set(row, i * n);
    }
    return w;
  }

  /**
   * A mini-batch: x (batch × inputs) and the labels y (batch × outputs). A fixed data set is
   * walked in order, wrapping around (batch = samples: the whole set every step, as the papers).
   */
  batch(size: number): { x: Float64Array; y: Float64Array } {
    const { inputs, outputs } = this.config;
    if (this.data) {
      const x = new Float64Array(size * inputs);
      const y = new Float64Array(size * outputs);
      for (let b = 0; b < size; b++) {
        const row = this.cursor;
        this.cursor = (this.cursor + 1) % this.data.samples;
        x.set(this.data.x.subarray(row * inputs, (row + 1) * inputs), b * inputs);
        y.set(this.data.y.subarray(row * outputs, (row + 1) * outputs), b * outputs);
      }
      return { x, y };
    }
    const x = this.draw(size * inputs);
    return { x, y: this.labels(x, size) };
  }

  /** ‖W − W_opt‖_F, to the minimiser of this task's loss. */
  distance(weights: ArrayLike<number>): number {
    let s = 0;
    for (let k = 0; k < this.optimum.length; k++) s += (weights[k]! - this.optimum[k]!) ** 2;
    return Math.sqrt(s);
  }

  /**
   * The loss f(W): the empirical ½‖A·Wᵀ − B‖²_F/N on a fixed data set (P-RF25's MSE/2 × outputs),
   * else the expected ½σ_A²‖W − W*‖²_F + ½·m·σ² (for x ≡ 1 exact only with one input, as in the toy).
   */
  loss(weights: ArrayLike<number>): number {
    const { inputs, outputs } = this.config;
    if (!this.data) return 0.5 * this.config.inputScale ** 2 * this.distance(weights) ** 2 + 0.5 * outputs * this.config.noise ** 2;
    const { x, y, samples } = this.data;
    let s = 0;
    for (let b = 0; b < samples; b++) {
      for (let i = 0; i < outputs; i++) {
        let p = -y[b * outputs + i]!;
        for (let j = 0; j < inputs; j++) p += weights[i * inputs + j]! * x[b * inputs + j]!;
        s += p * p;
      }
    }
    return (0.5 * s) / samples;
  }
}
