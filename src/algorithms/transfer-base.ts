import { UserError } from '../core/errors.js';
import { Rng } from '../rng/index.js';
import { AnalogTile, type IoConfig, type TileState, type UpdateConfig } from '../tile/index.js';
import { CompositeMvm, readColumn, writeColumn } from './composite.js';
import { tileOptions } from './single-array.js';
import { buildReport, postUpdateStep, sample, samples, type AlgorithmReport, type AlgorithmSetup, type AlgorithmState, type TrainingAlgorithm } from './types.js';

/** How a run of samples between transfers reaches A, the transfer period in samples, and the transfer (`TransferAlgorithm.sampleRun`). */
export interface SampleRun {
  period: number;
  updateFast: (x: ArrayLike<number>, d: ArrayLike<number>, n: number) => void;
  transfer: () => void;
}

/** The transfer fields a `fixedLrRun` reads. */
interface RunFields {
  fastLr: number;
  scaleFastLr: boolean;
  transferEvery: number;
  unitsInMbatch: boolean;
}

export interface TransferSettings {
  gamma: number;
  transferForward: IoConfig;
  transferUpdate: UpdateConfig;
}

/**
 * The machinery the transfer compounds share (aihwkit TransferCompound family, §5.4–§5.7): a
 * fast array A that receives the gradient pulses, a slow array C that receives the transfers,
 * the composite W = γ·Ã + C (Ã is A with the choppers removed), composite forward/backward MVMs
 * through the tile IO, one-hot column reads, and the per-sample loop.
 */
export abstract class TransferAlgorithm implements TrainingAlgorithm {
  abstract readonly kind: string;
  readonly rows: number;
  readonly cols: number;
  readonly fast: AnalogTile;
  readonly slow: AnalogTile;
  protected transferCount = 0;
  /** Vector updates so far (the transfer counter of aihwkit). */
  protected vectorUpdates = 0;
  private column = 0;
  private readonly gamma: number;
  protected readonly transferForward: IoConfig;
  protected readonly transferUpdate: UpdateConfig;
  private readonly mvm: CompositeMvm;
  protected readonly algorithmRng: Rng;
  private readonly composite: Float64Array;

  constructor(setup: AlgorithmSetup, settings: TransferSettings) {
    this.rows = setup.rows;
    this.cols = setup.cols;
    const name = setup.name ?? 'layer';
    this.fast = new AnalogTile({ ...tileOptions(setup), name: `${name}/fast` });
    this.slow = new AnalogTile({ ...tileOptions(setup, setup.slowDevice ?? setup.device), name: `${name}/slow` });
    this.gamma = settings.gamma;
    this.transferForward = settings.transferForward;
    this.transferUpdate = settings.transferUpdate;
    this.mvm = new CompositeMvm(setup, name);
    this.algorithmRng = Rng.stream(setup.seed, name, 'algorithm');
    this.composite = new Float64Array(this.rows * this.cols);
  }

  /** The chopper sign of element (i, j) stored in A (1 without choppers). */
  protected chopSign(_i: number, _j: number): number {
    return 1;
  }

  /** W = γ·(de-chopped A) + C; with γ = 0 that is C itself, returned without a copy. Do not modify. */
  weights(): Float64Array {
    const c = this.slow.weights();
    const { rows, cols, gamma, composite } = this;
    if (gamma === 0) return c;
    const a = this.fast.weights();
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const k = i * cols + j;
        composite[k] = gamma * a[k]! * this.chopSign(i, j) + c[k]!;
      }
    }
    return composite;
  }

  forward(x: ArrayLike<number>, batch: number): Float64Array {
    return this.mvm.run(this.weights(), this.rows, this.cols, x, batch, false, this.slow.counters);
  }

  backward(d: ArrayLike<number>, batch: number): Float64Array {
    return this.mvm.run(this.weights(), this.rows, this.cols, d, batch, true, this.slow.counters);
  }

  update(x: ArrayLike<number>, d: ArrayLike<number>, batch: number, lr: number): void {
    const run = this.sampleRun(lr, batch);
    if (run) this.updateInRuns(x, d, batch, run);
    else {
      for (let b = 0; b < batch; b++) {
        this.vectorUpdates++;
        this.updateSample(sample(x, b, this.cols), sample(d, b, this.rows), lr, batch);
      }
    }
    postUpdateStep(this.fast);
    postUpdateStep(this.slow);
  }

  /**
   * For an algorithm whose step per sample is "A takes the sample at a fixed lr (through fixed
   * choppers), then a transfer is due every `period` samples" (TTv1, TTv2, c-TTv2 and AGAD without
   * auto-scaling): how a run of samples reaches A, the period and the transfer. null (the default):
   * the samples go one by one to `updateSample`.
   */
  protected sampleRun(_lr: number, _batch: number): SampleRun | null {
    return null;
  }

  /** The run of TTv1 and TTv2: A at fastLr (× lr when scaled), a transfer every `transferEvery` (× batch) samples. */
  protected fixedLrRun(c: RunFields, lr: number, batch: number, transfer: () => void): SampleRun {
    const fastLr = c.scaleFastLr ? c.fastLr * lr : c.fastLr;
    return {
      period: this.transferPeriod(c.transferEvery, c.unitsInMbatch, batch),
      updateFast: (x, d, n) => this.fast.update(x, d, n, fastLr),
      transfer,
    };
  }

  /** Gradient pulses for one sample onto A, then any transfer that is due (algorithms without a `sampleRun`). */
  protected updateSample(_x: ArrayLike<number>, _d: ArrayLike<number>, _lr: number, _batch: number): void {
    throw new Error(`aimsim internal error: ${this.kind} defines neither sampleRun nor updateSample`);
  }

  /**
   * The samples between two transfers go to A in one call: the same pulses and draws as one call
   * per sample, since the pulsed update takes a batch's samples in order with the same streams
   * (and a convolution's thousands of patches reach the batched kernels).
   */
  private updateInRuns(x: ArrayLike<number>, d: ArrayLike<number>, batch: number, run: SampleRun): void {
    for (let b = 0; b < batch; ) {
      const n = Math.min(run.period - (this.vectorUpdates % run.period), batch - b);
      run.updateFast(samples(x, b, n, this.cols), samples(d, b, n, this.rows), n);
      this.vectorUpdates += n;
      b += n;
      if (this.vectorUpdates % run.period === 0) run.transfer();
    }
  }

  /** aihwkit: every = ceil(transferEvery·m_batch) with unitsInMbatch, else round(transferEvery). */
  protected transferPeriod(transferEvery: number, unitsInMbatch: boolean, batch: number): number {
    return Math.max(1, unitsInMbatch ? Math.ceil(transferEvery * batch) : Math.round(transferEvery));
  }

  /** The next column to transfer: cyclic, or uniformly random. */
  protected nextColumn(random = false): number {
    if (random) return Math.min(Math.floor(this.algorithmRng.uniform() * this.cols), this.cols - 1);
    const j = this.column;
    this.column = (this.column + 1) % this.cols;
    return j;
  }

  /** Noisy, quantised read of column j of A: a = A·e_j through the transfer IO. */
  protected readColumn(j: number): Float64Array {
    return readColumn(this.fast, j, this.transferForward);
  }

  /** Pulsed write of `values` into column j of C: ΔC_·j ≈ +lr·values. */
  protected writeColumn(j: number, values: ArrayLike<number>, lr: number): void {
    writeColumn(this.slow, j, values, lr, this.transferUpdate);
    this.transferCount++;
  }

  /** aihwkit set_weights: all of the weight goes to the slow array, A starts at 0. */
  setWeights(weights: ArrayLike<number>): void {
    if (weights.length !== this.rows * this.cols) throw new UserError('weights', weights.length, `must have ${this.rows * this.cols} entries`);
    this.slow.setWeights(weights);
    this.fast.setWeights(new Float64Array(this.rows * this.cols));
  }

  tiles(): Record<string, AnalogTile> {
    return { fast: this.fast, slow: this.slow };
  }

  report(): AlgorithmReport {
    return buildReport(this.kind, this.tiles(), this.transferCount);
  }

  saveState(): AlgorithmState {
    return {
      fast: this.fast.saveState(),
      slow: this.slow.saveState(),
      counters: [this.transferCount, this.vectorUpdates, this.column],
      algorithmRng: this.algorithmRng.saveState(),
      mvm: this.mvm.saveState(),
    };
  }

  restoreState(state: AlgorithmState): void {
    this.fast.restoreState(state['fast'] as TileState);
    this.slow.restoreState(state['slow'] as TileState);
    [this.transferCount, this.vectorUpdates, this.column] = state['counters'] as [number, number, number];
    this.algorithmRng.restoreState(state['algorithmRng'] as Uint32Array);
    this.mvm.restoreState(state['mvm'] as AlgorithmState);
  }
}

/** max |v_j| */
export function absMax(values: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < values.length; k++) m = Math.max(m, Math.abs(values[k]!));
  return m;
}

/**
 * A transfer compound with a digital buffer H (rows × cols) between the reads of A and the writes
 * onto C: TTv2, RL-v2, the chopped compounds, RIDER. H is part of the saved state.
 */
export abstract class BufferedTransfer extends TransferAlgorithm {
  /** The digital buffer H. */
  readonly buffer: Float64Array;
  /** Scratch, so that no sample or transfer allocates: an input (cols), an error (rows), a column (rows). */
  protected readonly scratchX: Float64Array;
  protected readonly scratchD: Float64Array;
  protected readonly scratchColumn: Float64Array;

  constructor(setup: AlgorithmSetup, settings: TransferSettings) {
    super(setup, settings);
    this.buffer = new Float64Array(setup.rows * setup.cols);
    this.scratchX = new Float64Array(setup.cols);
    this.scratchD = new Float64Array(setup.rows);
    this.scratchColumn = new Float64Array(setup.rows);
  }

  override saveState(): AlgorithmState {
    return { ...super.saveState(), buffer: Float64Array.from(this.buffer) };
  }

  override restoreState(state: AlgorithmState): void {
    super.restoreState(state);
    this.buffer.set(state['buffer'] as Float64Array);
  }
}
