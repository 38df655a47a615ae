import type { AlgorithmReport, AlgorithmState, TrainingAlgorithm } from '../algorithms/index.js';
import { buildReport } from '../algorithms/types.js';
import type { Rng } from '../rng/index.js';
import type { AnalogTile } from '../tile/index.js';
import { analogMvm, type IoState } from '../tile/io.js';
import type { IoConfig } from '../tile/io-config.js';

/**
 * A programmed tile read out after training: fixed weights, the forward IO pipeline of §4 and the
 * drift-compensation factor α on its outputs (aihwkit InferenceTile.post_forward). Read-only: a
 * network that holds it can be evaluated, not trained.
 */
export class ReadoutTile implements TrainingAlgorithm {
  readonly kind = 'readout';
  private readonly state: IoState = { nmAverage: 0 };
  /** Output scale of the drift compensation (1 without it). */
  alpha = 1;

  readonly rows: number;
  readonly cols: number;
  private readonly values: Float64Array;
  private readonly io: IoConfig;
  private readonly rng: Rng;

  constructor(rows: number, cols: number, values: Float64Array, io: IoConfig, rng: Rng) {
    this.rows = rows;
    this.cols = cols;
    this.values = values;
    this.io = io;
    this.rng = rng;
  }

  weights(): Float64Array {
    return this.values;
  }

  forward(x: ArrayLike<number>, batch: number): Float64Array {
    const output = new Float64Array(batch * this.rows);
    analogMvm({ weights: this.values, rows: this.rows, cols: this.cols, transposed: false, input: x, batch, output }, { io: this.io, rng: this.rng, state: this.state, outNoiseScale: null, allowBoundManagement: true });
    if (this.alpha !== 1) for (let k = 0; k < output.length; k++) output[k] = output[k]! * this.alpha;
    return output;
  }

  /** Mean |output| of the one-hot reads of every input (aihwkit GlobalDriftCompensation.readout). */
  oneHotReadout(): number {
    const eye = new Float64Array(this.cols * this.cols);
    for (let j = 0; j < this.cols; j++) eye[j * this.cols + j] = 1;
    const saved = this.alpha;
    this.alpha = 1;
    const y = this.forward(eye, this.cols);
    this.alpha = saved;
    let sum = 0;
    for (let k = 0; k < y.length; k++) sum += Math.abs(y[k]!);
    return Math.max(sum / y.length, 1e-4);
  }

  backward(): Float64Array {
    throw new Error('aimsim internal error: a read-out tile has no backward pass');
  }

  update(): void {
    throw new Error('aimsim internal error: a read-out tile is not trained');
  }

  setWeights(): void {
    throw new Error('aimsim internal error: a read-out tile is programmed once');
  }

  tiles(): Record<string, AnalogTile> {
    return {};
  }

  report(): AlgorithmReport {
    return buildReport(this.kind, {}, 0);
  }

  saveState(): AlgorithmState {
    return {};
  }

  restoreState(): void {}
}
