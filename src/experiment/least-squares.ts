import { z } from 'zod';
import { LIMITS, boundedInt } from '../core/limits.js';
import { UserError } from '../core/errors.js';
import { zodIssueToUserError } from '../config/zod-error.js';
import { num } from '../devices/fields.js';
import { resolveDeviceChoice } from '../devices/index.js';
import { createAlgorithm, parseAlgorithmConfig, type AlgorithmConfig, type AlgorithmReport, type TrainingAlgorithm } from '../algorithms/index.js';
import { LeastSquaresTask, leastSquaresSchema, matrixRows } from '../data/least-squares.js';
import { ioSchema } from '../tile/io-config.js';
import { updateOverridesSchema, updateSchema } from '../tile/update-config.js';
import { calibrateAlgorithm, calibrationSchema, checkCalibrationArrays } from '../calibration/index.js';
import { Rng } from '../rng/index.js';
import { yieldToEventLoop } from '../core/yield.js';
import { hardwareConstants, hardwareCost, hardwareSchema, type CostReport, type HardwareConstants } from '../hardware/cost.js';

const deviceField = z
  .union([z.string(), z.object({ preset: z.string() }).loose()])
  .default('soft-bounds')
  .describe('a device preset or kind name, or { preset, ...fields }');

/** A least-squares training run: task, device, algorithm, training schedule. */
export const leastSquaresRunSchema = z
  .object({
    name: z.string().default('least-squares').describe('label of the run in tables'),
    task: leastSquaresSchema.prefault({}),
    device: deviceField,
    slowDevice: z
      .union([z.string(), z.object({ preset: z.string() }).loose()])
      .optional()
      .describe('device of the slow array C of the transfer algorithms (default: device)'),
    algorithm: z.unknown().default('sgd').describe('an algorithm preset name, or { kind | preset, ...fields }'),
    forward: ioSchema.partial().prefault({}).describe('forward IO of the analog arrays'),
    update: updateOverridesSchema.prefault({}).describe('pulse-train settings of the gradient update, over the algorithm preset’s (unset fields: the preset’s, else the tile defaults)'),
    steps: z.number().int().min(1).default(2000).describe('mini-batch steps'),
    batch: boundedInt(LIMITS.batch, 'samples per mini-batch (default: the whole fixed data set, else 1)').optional(),
    reduction: z
      .enum(['sum', 'mean'])
      .default('sum')
      .describe('loss of a batch: ½Σ‖Wx − y‖² (sum), or ½Σ‖Wx − y‖²/batch (mean: the papers’ MSE/2, so d = (ŷ − y)/batch)'),
    gradientNoise: num(0, 'digital-sgd only: add gradientNoise·N(0, 1) to every coordinate of the gradient (the papers’ digital baseline; analog runs take their gradient noise through forward.wNoise)', { min: 0 }),
    lr: num(0.01, 'learning rate', { gt: 0 }),
    seed: z.number().int().min(0).default(0).describe('seed of the device draws and pulse noise'),
    evaluateEvery: z.number().int().min(1).default(100).describe('record the metrics every this many steps'),
    calibration: calibrationSchema.optional().describe('zero-shift arrays before training (the two-stage baseline, papers.md §2.7); pulses are counted'),
    initialWeight: z
      .union([z.number(), z.literal('uniform')])
      .optional()
      .describe('start every weight at this value, or `uniform`: U(±1/√inputs), torch’s Linear init (set_weights: onto the most significant array); default: the devices’ initial state'),
    epochSteps: z.number().int().min(1).optional().describe('call the algorithm’s endEpoch with the mean loss every this many steps (warm-start schedules)'),
    hardware: hardwareSchema.prefault({}).describe('the estimate of energy and time on chip from the counters, by purpose and array (docs/hardware-cost.md); default: the reram-literature preset'),
  })
  .strict();
export type LeastSquaresRunInput = z.input<typeof leastSquaresRunSchema>;

export interface LeastSquaresResult {
  name: string;
  algorithm: string;
  seed: number;
  steps: number[];
  distance: number[];
  /** The loss f(W) at each record (empirical on a fixed data set, else expected). */
  loss: number[];
  finalDistance: number;
  /** Mean distance over the last 20 % of the recorded points (less noisy than the last one). */
  tailDistance: number;
  /** Mean of f(W) − f(W_opt) over the last 20 % of the recorded points. */
  tailExcessLoss: number;
  /** f(W_opt): 0 for noise-free labels. */
  optimalLoss: number;
  /** The final effective weights and the optimum they are measured against (outputs × inputs). */
  weights: number[];
  optimum: number[];
  report: AlgorithmReport;
  /** The algorithm's diagnostics at the end (e.g. RIDER's trackerSpError), if it has any. */
  diagnostics: Record<string, number>;
  /** Total pulses (all tiles and purposes, calibration included) at each recorded step. */
  pulses: number[];
  /** The estimated energy and time on chip of the whole run, by purpose and array (docs/hardware-cost.md). */
  hardware: { constants: HardwareConstants; run: CostReport };
  /** The step a live run was stopped at, before its last one (absent for a finished run). */
  stoppedAt?: number;
}

/**
 * Trains W on the least-squares task: y_pred = forward(x) through the algorithm's arrays (the
 * analog IO, with its weight noise: the papers' gradient noise), d = y_pred − y (÷ batch for
 * `reduction: mean`), update(x, d, lr). Metrics are computed on the exact weights.
 */
export function runLeastSquares(input: unknown): LeastSquaresResult {
  return prepareLeastSquares(input).train();
}

/** One recorded point of a least-squares run, with the weights then (a copy). */
export interface LeastSquaresRecord {
  step: number;
  distance: number;
  loss: number;
  pulses: number;
  weights: Float64Array;
}

/** A live run (the playground): records as they are made, stopped by `signal` after the current step. */
export interface LeastSquaresLiveOptions {
  signal?: AbortSignal;
  onRecord?: (record: LeastSquaresRecord) => void;
}

/** A validated run, ready to train; `cycleCost` is its P-SP26 pulse-cycle cost model (N + K·BL). */
export interface PreparedLeastSquares {
  train(): LeastSquaresResult;
  /** The same steps and numbers as `train`, yielding to the event loop now and then. */
  trainLive(options: LeastSquaresLiveOptions): Promise<LeastSquaresResult>;
  cycleCost: { calibration: number; bl: number };
  /** The optimum W* the distance is measured to (outputs × inputs). */
  optimum: Float64Array;
  rows: number;
  cols: number;
}

/** Validates and builds everything (task, devices, algorithm); `train()` then runs it. */
export function prepareLeastSquares(input: unknown): PreparedLeastSquares {
  const parsed = leastSquaresRunSchema.safeParse(input ?? {});
  if (!parsed.success) throw zodIssueToUserError(parsed.error, input, 'run', undefined, leastSquaresRunSchema);
  const run = parsed.data;
  const device = resolveDeviceChoice(run.device);
  const { config: algorithmConfig, update: presetUpdate } = parseAlgorithmConfig(run.algorithm ?? 'sgd');
  if (run.gradientNoise > 0 && algorithmConfig.kind !== 'digital-sgd') {
    throw new UserError('run.gradientNoise', run.gradientNoise, 'applies to digital-sgd only (the papers’ digital baseline); give an analog run its gradient noise through forward.wNoise, as the papers’ code does');
  }
  const task = new LeastSquaresTask(run.task);
  const { inputs: cols, outputs: rows } = run.task;
  if (rows * cols > 1e6) throw new UserError('run.task', rows * cols, 'must have at most 10⁶ weights');
  const algorithm = createAlgorithm(
    {
      rows, cols, device, seed: run.seed, forward: run.forward, update: { ...presetUpdate, ...run.update }, name: run.name,
      ...(run.slowDevice !== undefined ? { slowDevice: resolveDeviceChoice(run.slowDevice) } : {}),
    },
    algorithmConfig as AlgorithmConfig,
  );
  const tiles = algorithm.tiles();
  if (run.calibration) checkCalibrationArrays(tiles, run.calibration.arrays, 'run.calibration.arrays');
  const batch = run.batch ?? task.data?.samples ?? 1;
  const start = () => {
    if (run.calibration) calibrateAlgorithm(tiles, run.calibration, run.seed);
    const initial = initialWeights(run, rows, cols);
    if (initial) algorithm.setWeights(initial);
    return new LeastSquaresTraining(run, batch, task, algorithm, algorithmConfig.kind);
  };
  return {
    cycleCost: { calibration: run.calibration?.pulses ?? 0, bl: updateSchema.parse({ ...presetUpdate, ...run.update }).desiredBl },
    optimum: task.optimum,
    rows,
    cols,
    train: () => {
      const training = start();
      while (training.step < run.steps) training.advance();
      return training.result();
    },
    trainLive: async (options) => {
      const training = start();
      training.onRecord = options.onRecord;
      let lastYield = Date.now();
      while (training.step < run.steps && !options.signal?.aborted) {
        training.advance();
        if (Date.now() - lastYield > 50) {
          await yieldToEventLoop();
          lastYield = Date.now();
        }
      }
      return training.result();
    },
  };
}

/** W₀: the task's explicit matrix, a constant, or torch's Linear init U(±1/√inputs); null: the devices' own state. */
function initialWeights(run: z.output<typeof leastSquaresRunSchema>, rows: number, cols: number): Float64Array | null {
  if (run.task.initialWeights) {
    const w = matrixRows('initialWeights', run.task.initialWeights);
    if (w.length !== rows || w.some((r) => r.length !== cols)) throw new UserError('task.initialWeights', `${w.length} × ${w[0]?.length ?? 0}`, `must be ${rows} × ${cols}`);
    return Float64Array.from(w.flat());
  }
  if (run.initialWeight === undefined) return null;
  if (run.initialWeight === 'uniform') {
    const rng = Rng.stream(run.seed, 'least-squares', 'init');
    const bound = 1 / Math.sqrt(cols);
    return Float64Array.from({ length: rows * cols }, () => (2 * rng.uniform() - 1) * bound);
  }
  return new Float64Array(rows * cols).fill(run.initialWeight);
}

/**
 * The steps of a run, one at a time: y_pred − y through the analog forward, the update, the
 * papers' digital gradient noise, warm-start epochs, and a record every `evaluateEvery` steps.
 */
class LeastSquaresTraining {
  step = 0;
  onRecord: ((record: LeastSquaresRecord) => void) | undefined;
  private readonly steps: number[] = [];
  private readonly distance: number[] = [];
  private readonly loss: number[] = [];
  private readonly pulses: number[] = [];
  private readonly scale: number;
  private readonly noise: Rng | null;
  private epochLoss = 0;

  private readonly run: z.output<typeof leastSquaresRunSchema>;
  private readonly batch: number;
  private readonly task: LeastSquaresTask;
  private readonly algorithm: TrainingAlgorithm;
  private readonly kind: string;
  private readonly hardware: HardwareConstants;

  constructor(run: z.output<typeof leastSquaresRunSchema>, batch: number, task: LeastSquaresTask, algorithm: TrainingAlgorithm, kind: string) {
    this.run = run;
    this.batch = batch;
    this.task = task;
    this.algorithm = algorithm;
    this.kind = kind;
    this.hardware = hardwareConstants(run.hardware);
    this.scale = run.reduction === 'mean' ? 1 / batch : 1;
    this.noise = run.gradientNoise > 0 ? Rng.stream(run.seed, 'least-squares', 'gradient-noise') : null;
  }

  /** Records the metrics at the current step (step 0 is recorded before the first advance). */
  record(): void {
    if (this.steps.at(-1) === this.step) return;
    const w = this.algorithm.weights();
    const point = { step: this.step, distance: this.task.distance(w), loss: this.task.loss(w), pulses: this.algorithm.report().totalPulses };
    this.steps.push(point.step);
    this.distance.push(point.distance);
    this.loss.push(point.loss);
    this.pulses.push(point.pulses);
    this.onRecord?.({ ...point, weights: Float64Array.from(w) });
  }

  advance(): void {
    if (this.step === 0) this.record();
    const { run, batch, algorithm } = this;
    const step = ++this.step;
    const { x, y } = this.task.batch(batch);
    const prediction = algorithm.forward(x, batch);
    for (let k = 0; k < prediction.length; k++) {
      prediction[k] = prediction[k]! - y[k]!;
      this.epochLoss += (0.5 * prediction[k]! ** 2) / batch;
      prediction[k] = prediction[k]! * this.scale;
    }
    algorithm.update(x, prediction, batch, run.lr);
    if (this.noise) {
      // The papers' digital baseline: W −= lr·σ·ξ on top of the exact step.
      const w = Float64Array.from(algorithm.weights());
      for (let k = 0; k < w.length; k++) w[k] = w[k]! - run.lr * run.gradientNoise * this.noise.normal();
      algorithm.setWeights(w);
    }
    if (run.epochSteps !== undefined && step % run.epochSteps === 0) {
      algorithm.endEpoch?.(this.epochLoss / run.epochSteps);
      this.epochLoss = 0;
    }
    if (step % run.evaluateEvery === 0 || step === run.steps) this.record();
  }

  /** The run's result; a run stopped early records its last step and says where it stopped. */
  result(): LeastSquaresResult {
    this.record();
    const { distance, loss, task, algorithm } = this;
    const from = Math.max(1, Math.floor(distance.length * 0.8));
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const result: LeastSquaresResult = {
      name: this.run.name,
      algorithm: this.kind,
      seed: this.run.seed,
      steps: this.steps,
      distance,
      loss,
      finalDistance: distance[distance.length - 1]!,
      tailDistance: mean(distance.slice(from)),
      tailExcessLoss: mean(loss.slice(from)) - task.optimalLoss,
      optimalLoss: task.optimalLoss,
      weights: Array.from(algorithm.weights()),
      optimum: Array.from(task.optimum),
      report: algorithm.report(),
      diagnostics: algorithm.diagnostics?.() ?? {},
      pulses: this.pulses,
      hardware: { constants: this.hardware, run: hardwareCost({ w: algorithm }, this.hardware) },
    };
    if (this.step < this.run.steps) result.stoppedAt = this.step;
    return result;
  }
}
