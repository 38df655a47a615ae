import { z } from 'zod';
import { LIMITS, boundedInt } from '../core/limits.js';
import { UserError } from '../core/errors.js';
import { zodIssueToUserError } from '../config/zod-error.js';
import { num } from '../devices/fields.js';
import { resolveDevice, type DeviceConfig } from '../devices/index.js';
import { createAlgorithm, parseAlgorithmConfig, type AlgorithmConfig, type AlgorithmReport, type TrainingAlgorithm } from '../algorithms/index.js';
import { LeastSquaresTask, leastSquaresSchema } from '../data/least-squares.js';
import { ioSchema } from '../tile/io-config.js';
import { updateOverridesSchema, updateSchema } from '../tile/update-config.js';
import { calibrateAlgorithm, calibrationSchema, checkCalibrationArrays } from '../calibration/index.js';

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
    batch: boundedInt(LIMITS.batch, 'samples per mini-batch').default(1),
    lr: num(0.01, 'learning rate', { gt: 0 }),
    seed: z.number().int().min(0).default(0).describe('seed of the device draws and pulse noise'),
    evaluateEvery: z.number().int().min(1).default(100).describe('record the metrics every this many steps'),
    calibration: calibrationSchema.optional().describe('zero-shift arrays before training (the two-stage baseline, papers.md §2.7); pulses are counted'),
    initialWeight: z.number().optional().describe('start every weight at this value (set_weights: onto the most significant array); default: the devices’ initial state'),
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
  loss: number[];
  finalDistance: number;
  /** Mean distance over the last 20 % of the recorded points (less noisy than the last one). */
  tailDistance: number;
  report: AlgorithmReport;
  /** The algorithm's diagnostics at the end (e.g. RIDER's trackerSpError), if it has any. */
  diagnostics: Record<string, number>;
  /** Total pulses (all tiles and purposes, calibration included) at each recorded step. */
  pulses: number[];
}

function resolveDeviceField(value: z.output<typeof deviceField>): DeviceConfig {
  if (typeof value === 'string') return resolveDevice(value);
  const { preset, ...overrides } = value;
  return resolveDevice(preset, overrides);
}

/**
 * Trains W on the least-squares task: y_pred = forward(x) through the algorithm's arrays,
 * d = y_pred − y (the gradient of ½‖Wx − y‖² with respect to the output), update(x, d, lr).
 */
export function runLeastSquares(input: unknown): LeastSquaresResult {
  return prepareLeastSquares(input).train();
}

/** Validates and builds everything (task, devices, algorithm); `train()` then runs it. */
/** A validated run, ready to train; `cycleCost` is its P-SP26 pulse-cycle cost model (N + K·BL). */
export interface PreparedLeastSquares {
  train(): LeastSquaresResult;
  cycleCost: { calibration: number; bl: number };
}

export function prepareLeastSquares(input: unknown): PreparedLeastSquares {
  const parsed = leastSquaresRunSchema.safeParse(input ?? {});
  if (!parsed.success) throw zodIssueToUserError(parsed.error, input, 'run', undefined, leastSquaresRunSchema);
  const run = parsed.data;
  const device = resolveDeviceField(run.device);
  const { config: algorithmConfig, update: presetUpdate } = parseAlgorithmConfig(run.algorithm ?? 'sgd');
  const task = new LeastSquaresTask(run.task);
  const { inputs: cols, outputs: rows } = run.task;
  if (rows * cols > 1e6) throw new UserError('run.task', rows * cols, 'must have at most 10⁶ weights');
  const algorithm = createAlgorithm(
    {
      rows, cols, device, seed: run.seed, forward: run.forward, update: { ...presetUpdate, ...run.update }, name: run.name,
      ...(run.slowDevice !== undefined ? { slowDevice: resolveDeviceField(run.slowDevice) } : {}),
    },
    algorithmConfig as AlgorithmConfig,
  );
  const tiles = algorithm.tiles();
  if (run.calibration) checkCalibrationArrays(tiles, run.calibration.arrays, 'run.calibration.arrays');
  return {
    cycleCost: { calibration: run.calibration?.pulses ?? 0, bl: updateSchema.parse({ ...presetUpdate, ...run.update }).desiredBl },
    train: () => {
      if (run.calibration) calibrateAlgorithm(tiles, run.calibration, run.seed);
      if (run.initialWeight !== undefined) algorithm.setWeights(new Float64Array(rows * cols).fill(run.initialWeight));
      return train(run, task, algorithm, algorithmConfig.kind);
    },
  };
}

function train(run: z.output<typeof leastSquaresRunSchema>, task: LeastSquaresTask, algorithm: TrainingAlgorithm, kind: string): LeastSquaresResult {
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
  let epochLoss = 0;
  for (let step = 1; step <= run.steps; step++) {
    const { x, y } = task.batch(run.batch);
    const prediction = algorithm.forward(x, run.batch);
    for (let k = 0; k < prediction.length; k++) {
      prediction[k] = prediction[k]! - y[k]!;
      epochLoss += (0.5 * prediction[k]! ** 2) / run.batch;
    }
    algorithm.update(x, prediction, run.batch, run.lr);
    if (run.epochSteps !== undefined && step % run.epochSteps === 0) {
      algorithm.endEpoch?.(epochLoss / run.epochSteps);
      epochLoss = 0;
    }
    if (step % run.evaluateEvery === 0 || step === run.steps) record(step);
  }
  const tail = distance.slice(Math.max(1, Math.floor(distance.length * 0.8)));
  return {
    name: run.name,
    algorithm: kind,
    seed: run.seed,
    steps,
    distance,
    loss,
    finalDistance: distance[distance.length - 1]!,
    tailDistance: tail.reduce((s, v) => s + v, 0) / tail.length,
    report: algorithm.report(),
    diagnostics: algorithm.diagnostics?.() ?? {},
    pulses,
  };
}
