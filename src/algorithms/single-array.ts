import { UserError } from '../core/errors.js';
import { AnalogTile, type TileState } from '../tile/index.js';
import { buildReport, type AlgorithmReport, type AlgorithmSetup, type AlgorithmState, type TrainingAlgorithm } from './types.js';

/** The tile options shared by the algorithms' arrays. */
export function tileOptions(setup: AlgorithmSetup, device = setup.device) {
  return {
    rows: setup.rows,
    cols: setup.cols,
    device,
    seed: setup.seed,
    ...(setup.forward ? { forward: setup.forward } : {}),
    ...(setup.backward ? { backward: setup.backward } : {}),
    ...(setup.update ? { update: setup.update } : {}),
    ...(setup.reference ? { reference: setup.reference } : {}),
  };
}

/** Algorithms whose weight lives on one analog array (Analog SGD, mixed precision). */
export abstract class SingleArrayAlgorithm implements TrainingAlgorithm {
  abstract readonly kind: string;
  readonly rows: number;
  readonly cols: number;
  readonly array: AnalogTile;

  constructor(setup: AlgorithmSetup) {
    this.rows = setup.rows;
    this.cols = setup.cols;
    this.array = new AnalogTile({ ...tileOptions(setup), name: `${setup.name ?? 'layer'}/array` });
  }

  abstract update(x: ArrayLike<number>, d: ArrayLike<number>, batch: number, lr: number): void;

  /** Transfer events to report (none unless the algorithm transfers). */
  protected transfers(): number {
    return 0;
  }

  weights(): Float64Array {
    return this.array.weights();
  }

  forward(x: ArrayLike<number>, batch: number): Float64Array {
    return this.array.forward(x, batch);
  }

  backward(d: ArrayLike<number>, batch: number): Float64Array {
    return this.array.backward(d, batch);
  }

  setWeights(weights: ArrayLike<number>): void {
    if (weights.length !== this.rows * this.cols) throw new UserError('weights', weights.length, `must have ${this.rows * this.cols} entries`);
    this.array.setWeights(weights);
  }

  tiles(): Record<string, AnalogTile> {
    return { array: this.array };
  }

  report(): AlgorithmReport {
    return buildReport(this.kind, this.tiles(), this.transfers());
  }

  saveState(): AlgorithmState {
    return { array: this.array.saveState() };
  }

  restoreState(state: AlgorithmState): void {
    this.array.restoreState(state['array'] as TileState);
  }
}
