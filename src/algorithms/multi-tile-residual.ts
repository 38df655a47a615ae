import { z } from 'zod';
import { UserError } from '../core/errors.js';
import { flag, num } from '../devices/fields.js';
import { AnalogTile, type TileState } from '../tile/index.js';
import { ioSchema } from '../tile/io-config.js';
import { updateSchema } from '../tile/update-config.js';
import { CompositeMvm, readColumn, writeColumn } from './composite.js';
import { tileOptions } from './single-array.js';
import { buildReport, postUpdateStep, sample, type AlgorithmReport, type AlgorithmSetup, type AlgorithmState, type TrainingAlgorithm } from './types.js';
import { pow } from '../core/math.js';

const positiveArray = (doc: string) => z.array(z.number().gt(0)).optional().describe(doc);

/** Multi-tile residual learning with warm start (papers.md §2.12; P-MT25 Alg. 1). */
export const multiTileResidualSchema = z
  .object({
    kind: z.literal('multi-tile-residual'),
    tiles: z.number().int().min(2).max(64).default(3).describe('number of tiles N + 1 (tile 0 takes the gradient)'),
    gamma: num(0.5, 'scale γ between tiles: W̄ = Σ_i γ^(N−i)·W_i (tile N most significant)', { gt: 0, max: 1 }),
    fastLr: num(1, 'learning rate of the gradient updates on tile 0', { gt: 0 }),
    scaleFastLr: flag(false, 'multiply fastLr by the global learning rate; off: absolute, as the authors’ aihwkit 0.9.2 (aihwkit-model.md §5.4)'),
    transferEvery: num(2, 'T_0: tile 0 transfers into tile 1 every T_0 of its updates', { gt: 0 }),
    transferEveryGrowth: num(2, 'T_i = transferEvery·growth^i (geometric timescales)', { gt: 0 }),
    transferEveryVec: positiveArray('explicit periods T_0..T_{N−1}, each counted in the updates of its own tile (local); overrides transferEvery and its growth. aihwkit’s transfer_every_vec v counts every level on one global counter: the same schedule is [v₀, v₁/v₀, v₂/v₁, …] here (the authors’ [2, 10, 50, …] is [2, 5, 5, …])'),
    unitsInMbatch: flag(true, 'count T_0 in mini-batches (ceil(T_0·m) vector updates for m vectors per mini-batch, every patch of a conv layer one vector), as aihwkit’s units_in_mbatch; off: in vector updates'),
    transferLr: num(0.01, 'learning rate of the transfer writes', { gt: 0 }),
    transferLrGrowth: num(1, 'β_i = transferLr·growth^i for the transfer out of tile i (< 1: slower writes into the more significant tiles)', { gt: 0 }),
    transferLrVec: positiveArray('explicit transfer learning rates per source tile 0..N−1; overrides transferLr and its growth'),
    scaleTransferLr: flag(false, 'multiply the transfer learning rates by the global learning rate'),
    transferForward: ioSchema.prefault({}).describe('IO of the open-loop column reads'),
    transferUpdate: updateSchema.prefault({}).describe('pulse-train settings of the transfer writes'),
    warmStart: flag(false, 'warm start: tile 0 feeds one target tile, from the most significant down, switching at loss plateaus'),
    aggressiveSwitches: z.number().int().min(0).default(4).describe('the first switches use the aggressive plateau rule (loss rose)'),
    aggressiveThreshold: num(1e-4, 'aggressive rule: plateau when the epoch loss rose by more than this'),
    mildWindow: z.number().int().min(1).default(5).describe('mild rule: the last this many loss differences are examined'),
    mildThreshold: num(-0.01, 'mild rule: a difference ≥ this counts as no progress'),
    mildCount: z.number().int().min(1).default(2).describe('mild rule: plateau when at least this many differences show no progress'),
  })
  .strict();
export type MultiTileResidualConfig = z.output<typeof multiTileResidualSchema>;

/**
 * LossPlateau of P-MT25's warm start (papers.md §2.12, as in the authors' code): for the first
 * `aggressiveSwitches` switches, a plateau is a rise of the epoch loss by more than the threshold;
 * after that, at least `mildCount` of the last `mildWindow` differences are ≥ `mildThreshold`.
 */
export function lossPlateau(losses: readonly number[], switches: number, c: Pick<MultiTileResidualConfig, 'aggressiveSwitches' | 'aggressiveThreshold' | 'mildWindow' | 'mildThreshold' | 'mildCount'>): boolean {
  const n = losses.length;
  if (switches < c.aggressiveSwitches) return n >= 2 && losses[n - 1]! - losses[n - 2]! > c.aggressiveThreshold;
  if (n < c.mildWindow + 1) return false;
  let stalled = 0;
  for (let i = n - c.mildWindow; i < n; i++) if (losses[i]! - losses[i - 1]! >= c.mildThreshold) stalled++;
  return stalled >= c.mildCount;
}

/**
 * N + 1 tiles, composite W̄ = Σ_i γ^(N−i)·W_i. Index order follows aihwkit: tile 0 is the gradient
 * tile (the paper's W^(N), least significant) and tile N the most significant (the paper's W^(0));
 * paper index n = N − i. Only tile 0 gets gradient pulses. In the cascade, tile i transfers one
 * column (open-loop read, no reset) into tile i + 1 every T_i of its own updates, so tile i + 1 is
 * updated once per T_i updates of tile i: geometric timescales. With warm start, tile 0 first feeds
 * the most significant tile directly; at each loss plateau (checked once per epoch) the target
 * moves one tile down, and once every tile has been a target the cascade runs.
 */
export class MultiTileResidual implements TrainingAlgorithm {
  readonly kind = 'multi-tile-residual';
  readonly rows: number;
  readonly cols: number;
  readonly tileArray: readonly AnalogTile[];
  private readonly config: MultiTileResidualConfig;
  private readonly periods: number[];
  /** T_0 unrounded: with unitsInMbatch it is scaled by the mini-batch before rounding up (aihwkit). */
  private readonly firstPeriod: number;
  private readonly transferLrs: number[];
  private readonly scales: number[];
  private readonly mvm: CompositeMvm;
  private readonly composite: Float64Array;
  private readonly localUpdates: number[];
  private readonly nextColumn: number[];
  private readonly transfersFrom: number[];
  private warm: { active: boolean; target: number; losses: number[]; switches: number };

  constructor(setup: AlgorithmSetup, config: MultiTileResidualConfig) {
    this.rows = setup.rows;
    this.cols = setup.cols;
    this.config = config;
    const n = config.tiles;
    const last = n - 1;
    const name = setup.name ?? 'layer';
    if (config.transferEveryVec && config.transferEveryVec.length !== last) throw new UserError('algorithm.transferEveryVec', config.transferEveryVec, `must have tiles − 1 = ${last} entries`);
    if (config.transferLrVec && config.transferLrVec.length !== last) throw new UserError('algorithm.transferLrVec', config.transferLrVec, `must have tiles − 1 = ${last} entries`);
    this.tileArray = Array.from({ length: n }, (_, i) => new AnalogTile({ ...tileOptions(setup, i === 0 ? setup.device : (setup.slowDevice ?? setup.device)), name: `${name}/tile-${i}` }));
    this.periods = Array.from({ length: last }, (_, i) => Math.max(1, Math.round(config.transferEveryVec?.[i] ?? config.transferEvery * pow(config.transferEveryGrowth, i))));
    this.firstPeriod = config.transferEveryVec?.[0] ?? config.transferEvery;
    this.transferLrs = Array.from({ length: last }, (_, i) => config.transferLrVec?.[i] ?? config.transferLr * pow(config.transferLrGrowth, i));
    this.scales = Array.from({ length: n }, (_, i) => pow(config.gamma, last - i));
    this.mvm = new CompositeMvm(setup, name);
    this.composite = new Float64Array(this.rows * this.cols);
    this.localUpdates = new Array<number>(n).fill(0);
    this.nextColumn = new Array<number>(n).fill(0);
    this.transfersFrom = new Array<number>(n).fill(0);
    this.warm = { active: config.warmStart, target: last, losses: [], switches: 0 };
  }

  /** Transfer periods T_0..T_{N−1} (in updates of the source tile). */
  get transferPeriods(): readonly number[] {
    return this.periods;
  }

  /** The warm-start state: whether it is on, the current target tile, switches so far. */
  get warmStart(): { active: boolean; target: number; switches: number } {
    return { active: this.warm.active, target: this.warm.target, switches: this.warm.switches };
  }

  weights(): Float64Array {
    this.composite.fill(0);
    this.tileArray.forEach((tile, i) => {
      const w = tile.weights();
      const s = this.scales[i]!;
      for (let k = 0; k < w.length; k++) this.composite[k] = this.composite[k]! + s * w[k]!;
    });
    return this.composite;
  }

  forward(x: ArrayLike<number>, batch: number): Float64Array {
    return this.mvm.run(this.weights(), this.rows, this.cols, x, batch, false, this.tileArray[this.tileArray.length - 1]!.counters);
  }

  backward(d: ArrayLike<number>, batch: number): Float64Array {
    return this.mvm.run(this.weights(), this.rows, this.cols, d, batch, true, this.tileArray[this.tileArray.length - 1]!.counters);
  }

  /** Open-loop transfer of the next column of tile `from` into tile `to` (no reset of `from`). */
  private transfer(from: number, to: number, lr: number): void {
    const j = this.nextColumn[from]!;
    this.nextColumn[from] = (j + 1) % this.cols;
    const c = this.config;
    const column = readColumn(this.tileArray[from]!, j, c.transferForward);
    writeColumn(this.tileArray[to]!, j, column, this.transferLrs[from]! * (c.scaleTransferLr ? lr : 1), c.transferUpdate);
    this.transfersFrom[from] = this.transfersFrom[from]! + 1;
    this.localUpdates[to] = this.localUpdates[to]! + 1;
  }

  update(x: ArrayLike<number>, d: ArrayLike<number>, batch: number, lr: number): void {
    const c = this.config;
    const gradient = this.tileArray[0]!;
    // aihwkit getTransferEvery: ceil(T·m_batch) vector updates with units_in_mbatch. Only T_0
    // counts vector updates; the later periods count transfers into their tile.
    const period0 = c.unitsInMbatch ? Math.max(1, Math.ceil(this.firstPeriod * batch)) : this.periods[0]!;
    const periodOf = (i: number) => (i === 0 ? period0 : this.periods[i]!);
    for (let b = 0; b < batch; b++) {
      gradient.update(sample(x, b, this.cols), sample(d, b, this.rows), 1, c.scaleFastLr ? c.fastLr * lr : c.fastLr);
      this.localUpdates[0] = this.localUpdates[0]! + 1;
      if (this.warm.active) {
        if (this.localUpdates[0]! % period0 === 0) this.transfer(0, this.warm.target, lr);
        continue;
      }
      // Cascade: tile 0 was just updated; each transfer updates the next tile, which transfers
      // in turn when its own period is due (t_n = floor(t / Π T), papers.md §2.12).
      for (let i = 0; i < this.periods.length && this.localUpdates[i]! % periodOf(i) === 0; i++) this.transfer(i, i + 1, lr);
    }
    for (const tile of this.tileArray) postUpdateStep(tile);
  }

  /** Warm start: record the epoch's loss; at a plateau move the target one tile down (§2.12). */
  endEpoch(trainLoss: number): void {
    if (!this.warm.active) return;
    this.warm.losses.push(trainLoss);
    if (!lossPlateau(this.warm.losses, this.warm.switches, this.config)) return;
    this.warm.switches++;
    this.warm.losses = [];
    this.warm.target--;
    if (this.warm.target === 0) this.warm.active = false; // every tile has been a target: cascade
  }

  /** aihwkit set_weights: all of the weight on the most significant tile, the others at 0. */
  setWeights(weights: ArrayLike<number>): void {
    if (weights.length !== this.rows * this.cols) throw new UserError('weights', weights.length, `must have ${this.rows * this.cols} entries`);
    this.tileArray.forEach((tile, i) => tile.setWeights(i === this.tileArray.length - 1 ? weights : new Float64Array(weights.length)));
  }

  tiles(): Record<string, AnalogTile> {
    return Object.fromEntries(this.tileArray.map((tile, i) => [`tile-${i}`, tile]));
  }

  report(): AlgorithmReport {
    return buildReport(this.kind, this.tiles(), this.transfersFrom.reduce((a, b) => a + b, 0));
  }

  saveState(): AlgorithmState {
    return {
      tiles: this.tileArray.map((t) => t.saveState()),
      counters: [...this.localUpdates, ...this.nextColumn, ...this.transfersFrom],
      warm: structuredClone(this.warm),
      mvm: this.mvm.saveState(),
    };
  }

  restoreState(state: AlgorithmState): void {
    (state['tiles'] as TileState[]).forEach((s, i) => this.tileArray[i]!.restoreState(s));
    const counters = state['counters'] as number[];
    const n = this.tileArray.length;
    for (let i = 0; i < n; i++) {
      this.localUpdates[i] = counters[i]!;
      this.nextColumn[i] = counters[n + i]!;
      this.transfersFrom[i] = counters[2 * n + i]!;
    }
    this.warm = structuredClone(state['warm'] as typeof this.warm);
    this.mvm.restoreState(state['mvm'] as AlgorithmState);
  }
}
