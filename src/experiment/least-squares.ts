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
}

/**
 * Trains W on the least-squares task: y_pred = forward(x) through the algorithm's arrays (the
 * analog IO, with its weight noise: the papers' gradient noise), d = y_pred − y (÷ batch for
 * `reduction: mean`), update(x, d, lr). Metrics are computed on the exact weights.
 */
export function runLeastSquares(input: unknown): LeastSquaresResult {
  return prepareLeastSquares(input).train();
}

/** A validated run, ready to train; `cycleCost` is its P-SP26 pulse-cycle cost model (N + K·BL). */
export interface PreparedLeastSquares {
  train(): LeastSquaresResult;
  cycleCost: { calibration: number; bl: number };
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
  return {
    cycleCost: { calibration: run.calibration?.pulses ?? 0, bl: updateSchema.parse({ ...presetUpdate, ...run.update }).desiredBl },
    train: () => {
      if (run.calibration) calibrateAlgorithm(tiles, run.calibration, run.seed);
      const initial = initialWeights(run, rows, cols);
      if (initial) algorithm.setWeights(initial);
      return train(run, batch, task, algorithm, algorithmConfig.kind);
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

function train(run: z.output<typeof leastSquaresRunSchema>, batch: number, task: LeastSquaresTask, algorithm: TrainingAlgorithm, kind: string): LeastSquaresResult {
  const steps: number[] = [];
  const distance: number[] = [];
  const loss: number[] = [];
  const pulses: number[] = [];
  const record = (step: number) => {
    const w = algorithm.weights();
    pulses.push(algorithm.report().totalPulses);
    steps.push(step);
    distance.push(task.distance(w));
    loss.push(task.loss(w));
  };
  record(0);
  const scale = run.reduction === 'mean' ? 1 / batch : 1;
  const noise = run.gradientNoise > 0 ? Rng.stream(run.seed, 'least-squares', 'gradient-noise') : null;
  let epochLoss = 0;
  for (let step = 1; step <= run.steps; step++) {
    const { x, y } = task.batch(batch);
    const prediction = algorithm.forward(x, batch);
    for (let k = 0; k < prediction.length; k++) {
      prediction[k] = prediction[k]! - y[k]!;
      epochLoss += (0.5 * prediction[k]! ** 2) / batch;
      prediction[k] = prediction[k]! * scale;
    }
    algorithm.update(x, prediction, batch, run.lr);
    if (noise) {
      // The papers' digital baseline: W −= lr·σ·ξ on top of the exact step.
      const w = Float64Array.from(algorithm.weights());
      for (let k = 0; k < w.length; k++) w[k] = w[k]! - run.lr * run.gradientNoise * noise.normal();
      algorithm.setWeights(w);
    }
    if (run.epochSteps !== undefined && step % run.epochSteps === 0) {
      algorithm.endEpoch?.(epochLoss / run.epochSteps);
      epochLoss = 0;
    }
    if (step % run.evaluateEvery === 0 || step === run.steps) record(step);
  }
  const from = Math.max(1, Math.floor(distance.length * 0.8));
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  return {
    name: run.name,
    algorithm: kind,
    seed: run.seed,
    steps,
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
    pulses,
  };
}
