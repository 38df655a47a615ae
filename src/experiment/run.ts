import { physicalParts, type AlgorithmState, type TrainingAlgorithm } from '../algorithms/index.js';
import { experimentSchema, type ExperimentConfig } from '../config/experiment.js';
import { zodIssueToUserError } from '../config/zod-error.js';
import { configDifference } from '../config/diff.js';
import { calibrateAlgorithm, checkCalibrationArrays, type CalibrationConfig } from '../calibration/index.js';
import { UserError } from '../core/errors.js';
import { yieldToEventLoop } from '../core/yield.js';
import { epochBatches } from '../data/batches.js';
import { gather, type ImageDataset, type Split } from '../data/dataset.js';
import { loadEmbeddedFashionMnist } from '../data/embedded.js';
import { Conv2d, Linear, softmaxCrossEntropy, type Sequential } from '../nn/index.js';
import { Rng } from '../rng/index.js';
import { buildNetwork, layerAlgorithm, layerDevice } from './build-network.js';
import { CHECKPOINT_VERSION, checkCheckpoint, comparableConfig, type Checkpoint } from './checkpoint.js';
import { checkMemory, estimateMemory, type MemoryEstimate } from './memory.js';
import { describeNetwork, planNetwork, type LayerPlan } from './network-plan.js';
import { evaluate } from './evaluate.js';
import { withForwardPurpose } from '../tile/read-purpose.js';
import type { AnalogTile } from '../tile/tile.js';
import { combineCost, hardwareConstants, hardwareCost, tileCounters, type CostReport, type TileCounters } from '../hardware/cost.js';
import { evaluateInference, inferenceSchema, type InferenceResult } from '../inference/index.js';
import { histogram, type EpochMetrics, type ExperimentResult, type LayerSnapshot } from './result.js';
import { pow } from '../core/math.js';

export { buildNetwork } from './build-network.js';
export { planNetwork, describeNetwork, type LayerPlan } from './network-plan.js';
export { estimateMemory, formatBytes, type MemoryEstimate } from './memory.js';
export { CHECKPOINT_VERSION, checkCheckpoint, type Checkpoint } from './checkpoint.js';
export { histogram, type EpochMetrics, type ExperimentResult, type Histogram, type LayerSnapshot } from './result.js';

/** The array of one physical part that takes the gradient (`fast`, else `array`), if it has one. */
function gradientTile(part: TrainingAlgorithm): AnalogTile | undefined {
  const tiles = part.tiles();
  return tiles['fast'] ?? tiles['array'];
}

/** The weights, and the SPs of the gradient arrays of every physical tile of the layer. */
function snapshot(algorithm: TrainingAlgorithm): LayerSnapshot {
  const gradientTiles = physicalParts(algorithm).flatMap((part) => gradientTile(part) ?? []);
  const symmetricPoints = gradientTiles.length > 0 ? histogram(concatenate(gradientTiles.map((tile) => tile.symmetricPoints()))) : null;
  return { weights: histogram(algorithm.weights()), symmetricPoints };
}

/** Pulse counts keyed as `pulseTotals` keys them, split into by purpose and by tile (`tile:` keys). */
function splitPulses(counts: Record<string, number>): { pulsesByPurpose: Record<string, number>; pulsesByTile: Record<string, number> } {
  const pulsesByPurpose: Record<string, number> = {};
  const pulsesByTile: Record<string, number> = {};
  for (const [key, n] of Object.entries(counts)) {
    if (key.startsWith('tile:')) pulsesByTile[key.slice(5)] = n;
    else pulsesByPurpose[key] = n;
  }
  return { pulsesByPurpose, pulsesByTile };
}

function liveEvent(network: Sequential, epoch: number, batch: number): LiveEvent {
  const { pulsesByPurpose, pulsesByTile } = splitPulses(pulseTotals(network));
  const layers: LiveEvent['layers'] = {};
  for (const [name, algorithm] of Object.entries(network.algorithms())) {
    const parts = physicalParts(algorithm);
    const gradient = parts.length === 1 ? gradientTile(parts[0]!) : undefined;
    const symmetricPoints = gradient && gradient.rows === algorithm.rows && gradient.cols === algorithm.cols ? gradient.symmetricPoints() : null;
    layers[name] = { rows: algorithm.rows, cols: algorithm.cols, weights: Float64Array.from(algorithm.weights()), symmetricPoints };
  }
  return { type: 'live', epoch, batch, pulsesByPurpose, pulsesByTile, layers };
}

function concatenate(arrays: readonly Float64Array[]): Float64Array {
  if (arrays.length === 1) return arrays[0]!;
  const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

export type RunEvent =
  | { type: 'start'; batchesPerEpoch: number; epochs: number; dataset: string; network: string; memory: MemoryEstimate; changedFromDefaults: Record<string, unknown> }
  | { type: 'batch'; epoch: number; batch: number; batchesPerEpoch: number; loss: number }
  | LiveEvent
  | { type: 'epoch'; metrics: EpochMetrics }
  | { type: 'checkpoint'; checkpoint: Checkpoint }
  | { type: 'inference'; result: InferenceResult }
  | { type: 'done'; result: ExperimentResult };

/**
 * What a live view draws during a run (`RunOptions.liveEvery`): the pulses so far (summed over
 * layers by purpose, and by layer and tile), and every analog layer's weights and the effective
 * SPs of its gradient array (null for a mapped layer, whose tiles differ in shape). Copies.
 */
export interface LiveEvent {
  type: 'live';
  epoch: number;
  batch: number;
  pulsesByPurpose: Record<string, number>;
  pulsesByTile: Record<string, number>;
  layers: Record<string, { rows: number; cols: number; weights: Float64Array; symmetricPoints: Float64Array | null }>;
}

export interface RunOptions {
  /** Stops the run after the current batch; the result is `partial` and a checkpoint event is sent. */
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** Loads non-embedded datasets (the Node entry passes its file loaders). */
  loadDataset?: (data: ExperimentConfig['data']) => Promise<ImageDataset>;
  /** Continue from this checkpoint (written by an earlier run of the same config). */
  resumeFrom?: Checkpoint;
  /** Refuse, before allocating, a run whose memory estimate exceeds `bytes` (`source` says why that limit). */
  memoryLimit?: { bytes: number; source: string };
  /** The result of `prepareExperiment` for this input, when the caller made it already. */
  prepared?: PreparedExperiment;
  /** Send a `live` event every this many batches (and at the end of every epoch); 0 = never. */
  liveEvery?: number;
}

/**
 * The two-stage baseline's first stage on a network: zero-shift the named arrays of every analog
 * layer (digital layers have no arrays), before the first batch. A resumed run has done it already.
 */
function calibrateNetwork(algorithms: Record<string, TrainingAlgorithm>, calibration: CalibrationConfig, seed: number): void {
  // A mapped layer is calibrated tile by tile: each of its physical tiles has the named arrays.
  const analog = Object.values(algorithms)
    .flatMap(physicalParts)
    .filter((algorithm) => Object.keys(algorithm.tiles()).length > 0);
  for (const algorithm of analog) checkCalibrationArrays(algorithm.tiles(), calibration.arrays, 'calibration.arrays');
  for (const algorithm of analog) {
    // Zero-shifting moves the calibrated arrays to their SPs and programs the references there;
    // the layer's initial weights (on the slow array, or on an array calibrated with them) are
    // written again afterwards, as aihwkit's set_weights would.
    const initial = Float64Array.from(algorithm.weights());
    calibrateAlgorithm(algorithm.tiles(), calibration, seed, 'calibration.arrays');
    algorithm.setWeights(initial);
  }
}

function biasesOf(network: Sequential): Map<string, Float64Array> {
  const biases = new Map<string, Float64Array>();
  for (const layer of network.layers) {
    if (!(layer instanceof Linear || layer instanceof Conv2d)) continue;
    if (layer.bias) biases.set(layer.name, layer.bias);
    // The output scales are digital parameters like the bias; they travel in the same record.
    if (layer.outScaling) biases.set(`${layer.name}/out-scale`, layer.outScaling.values);
  }
  return biases;
}

/** The trained state of a checkpoint: every algorithm's arrays and every digital bias and scale. */
function restoreParameters(network: Sequential, checkpoint: Checkpoint): void {
  for (const [name, algorithm] of Object.entries(network.algorithms())) algorithm.restoreState(checkpoint.algorithms[name]!);
  for (const [name, bias] of biasesOf(network)) bias.set(checkpoint.biases[name]!);
}

/**
 * `aimsim evaluate`: the read-out after training (docs/inference.md) of a run's checkpoint, with
 * the config's `inference` section (its defaults when the run had none).
 */
export async function evaluateCheckpoint(input: unknown, checkpoint: unknown, source: string, options: Pick<RunOptions, 'loadDataset'> = {}): Promise<{ result: InferenceResult; epoch: number }> {
  const { config, dataset, test, plans } = await prepareExperiment(input, options);
  const cp = checkCheckpoint(checkpoint, config, source);
  const network = buildNetwork(config, dataset.shape, dataset.classes, plans);
  restoreParameters(network, cp);
  const size = dataset.shape.reduce((a, b) => a * b, 1);
  const inference = config.inference ?? inferenceSchema.parse({});
  return { result: evaluateInference(network, inference, config.forward, config.seed, (net) => evaluate(net, test, size, dataset.classes).accuracy), epoch: cp.epoch };
}

/** An epoch's estimate: training apart from the test reads, and per training sample. */
function epochHardware(cost: CostReport, samples: number): NonNullable<EpochMetrics['hardware']> {
  const test = cost.byPurpose['test'] ?? { energy: 0, time: 0 };
  const training = { energy: cost.total.energy - test.energy, time: cost.total.time - test.time };
  const byPurpose = Object.fromEntries(Object.entries(cost.byPurpose).filter(([purpose]) => purpose !== 'test'));
  return { training, test, perSample: { energy: training.energy / samples, time: training.time / samples }, byPurpose: { ...byPurpose, digital: cost.digital } };
}

/** Parses and validates an experiment config, filling every default. */
export function parseExperiment(input: unknown): ExperimentConfig {
  const result = experimentSchema.safeParse(input ?? {});
  if (!result.success) throw zodIssueToUserError(result.error, input, 'config', undefined, experimentSchema);
  return result.data;
}

function limit(split: Split, size: number, n: number | undefined): Split {
  if (n === undefined || n >= split.count) return split;
  return { count: n, pixels: split.pixels.subarray(0, n * size), labels: split.labels.subarray(0, n) };
}

/** Cumulative pulses by purpose (keys `purpose`) and by tile (keys `tile:<layer>/<tile>`). */
function pulseTotals(network: Sequential): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const [layer, algorithm] of Object.entries(network.algorithms())) {
    const report = algorithm.report();
    for (const [purpose, n] of Object.entries(report.pulsesByPurpose)) totals[purpose] = (totals[purpose] ?? 0) + n;
    for (const [tile, n] of Object.entries(report.pulsesByTile)) totals[`tile:${layer}/${tile}`] = n;
  }
  return totals;
}

async function loadData(config: ExperimentConfig, options: RunOptions): Promise<ImageDataset> {
  if (config.data.dataset === 'embedded-fashion-mnist') return loadEmbeddedFashionMnist();
  if (options.loadDataset) return options.loadDataset(config.data);
  throw new UserError('config.data.dataset', config.data.dataset, 'needs files: run it through the CLI or the aimsim/node entry');
}

/**
 * Trains and evaluates the network of a config (platform-neutral: no file access here). Emits
 * typed events; when `signal` aborts it stops after the current batch, sends a checkpoint of that
 * point and returns a `partial` result.
 */
export interface PreparedExperiment {
  config: ExperimentConfig;
  dataset: ImageDataset;
  train: Split;
  test: Split;
  plans: LayerPlan[];
  memory: MemoryEstimate;
}

/**
 * Everything of a run before a tile is allocated: the parsed config, the dataset, the shapes of
 * every layer and the memory estimate (refused above `memoryLimit`). `aimsim run --dry-run` stops here.
 */
export async function prepareExperiment(input: unknown, options: Pick<RunOptions, 'loadDataset' | 'memoryLimit'> = {}): Promise<PreparedExperiment> {
  const config = parseExperiment(input);
  const dataset = await loadData(config, options);
  const size = dataset.shape.reduce((a, b) => a * b, 1);
  const train = limit(dataset.train, size, config.data.trainLimit);
  const test = limit(dataset.test, size, config.data.testLimit);
  const plans = planNetwork(config, dataset.shape, dataset.classes);
  // Devices are resolved (and so validated) here too, before the caller creates any output.
  for (const { spec } of plans) if (spec.type === 'linear' || spec.type === 'conv2d') layerDevice(config, spec);
  const datasetBytes = dataset.train.pixels.length + dataset.test.pixels.length + dataset.train.count + dataset.test.count;
  const memory = estimateMemory(plans, (plan) => layerAlgorithm(config, plan.spec).config, config.training.batch, datasetBytes);
  if (options.memoryLimit) checkMemory(memory, options.memoryLimit.bytes, options.memoryLimit.source);
  return { config, dataset, train, test, plans, memory };
}

/**
 * Trains and evaluates the network of a config (platform-neutral: no file access here). Emits
 * typed events; when `signal` aborts it stops after the current batch, sends a checkpoint of that
 * point and returns a `partial` result.
 */
export async function runExperiment(input: unknown, options: RunOptions = {}): Promise<ExperimentResult> {
  const { config, dataset, train, test, plans, memory } = options.prepared ?? (await prepareExperiment(input, options));
  const resume = options.resumeFrom ? checkCheckpoint(options.resumeFrom, config, 'resumeFrom') : undefined;
  const size = dataset.shape.reduce((a, b) => a * b, 1);
  const network = buildNetwork(config, dataset.shape, dataset.classes, plans);
  const networkLine = describeNetwork(plans);
  const shuffle = Rng.stream(config.seed, 'shuffle');
  const { batch, epochs, lrDecayEvery, lrDecayFactor } = config.training;
  const batchesPerEpoch = Math.ceil(train.count / batch);
  options.onEvent?.({ type: 'start', batchesPerEpoch, epochs, dataset: dataset.name, network: networkLine, memory, changedFromDefaults: configDifference(config, parseExperiment({})) });
  const history: EpochMetrics[] = [];
  let status: ExperimentResult['status'] = 'completed';
  let previousPulses: Record<string, number> = {};
  let firstEpoch = 1;
  let startBatch = 0;
  let carried = { lossSum: 0, seen: 0, seconds: 0 };
  // The counters at the start of the epoch a checkpoint interrupted (a resumed run's first epoch).
  let carriedCounters: TileCounters | undefined;
  const algorithms = network.algorithms();
  const biases = biasesOf(network);
  if (config.calibration && !resume) calibrateNetwork(algorithms, config.calibration, config.seed);
  if (resume) {
    restoreParameters(network, resume);
    shuffle.restoreState(resume.shuffle);
    history.push(...resume.history);
    previousPulses = { ...resume.pulseTotals };
    firstEpoch = resume.epoch + 1;
    startBatch = resume.batch;
    carried = { ...resume.partial };
    carriedCounters = resume.epochStartCounters;
  }
  const checkpoint = (epoch: number, batchesDone: number, partial: Checkpoint['partial'], shuffleState: Uint32Array, epochStartCounters?: TileCounters): Checkpoint => {
    const states: Record<string, AlgorithmState> = {};
    for (const [name, algorithm] of Object.entries(algorithms)) states[name] = algorithm.saveState();
    return {
      version: CHECKPOINT_VERSION,
      config: comparableConfig(config),
      epoch,
      batch: batchesDone,
      partial,
      ...(epochStartCounters ? { epochStartCounters } : {}),
      history: history.map((m) => ({ ...m })),
      pulseTotals: { ...previousPulses },
      shuffle: shuffleState,
      algorithms: states,
      biases: Object.fromEntries([...biases].map(([name, b]) => [name, Float64Array.from(b)])),
    };
  };
  let lastYield = Date.now();
  const hardware = hardwareConstants(config.hardware);
  outer: for (let epoch = firstEpoch; epoch <= epochs; epoch++) {
    const started = Date.now();
    // The estimate is made from the counters: an epoch's cost is the difference between its end
    // and its start, whose counters a mid-epoch checkpoint carries (docs/hardware-cost.md).
    const resumedCounters = carriedCounters;
    const countersAtStart = resumedCounters ?? tileCounters(algorithms);
    carriedCounters = undefined;
    // The counters are the epoch's start unless an older checkpoint without them resumed it
    // mid-way: then a later checkpoint carries none either.
    const startKnown = resumedCounters !== undefined || startBatch === 0;
    // The shuffle stream before this epoch's permutation: what a mid-epoch checkpoint restores.
    const epochShuffle = shuffle.saveState();
    const lr = config.training.lr * (lrDecayEvery ? pow(lrDecayFactor, Math.floor((epoch - 1) / lrDecayEvery)) : 1);
    let { lossSum, seen } = carried;
    const earlierSeconds = carried.seconds;
    // Without the counters of its start (an older checkpoint), a resumed epoch's estimate covers
    // the part after the resume, and its per-sample figures are over those samples.
    const seenAtStart = resumedCounters ? 0 : carried.seen;
    const batches = epochBatches(train.count, batch, shuffle);
    for (let b = startBatch; b < batches.length; b++) {
      if (options.signal?.aborted) {
        status = 'partial';
        options.onEvent?.({ type: 'checkpoint', checkpoint: checkpoint(epoch - 1, b, { lossSum, seen, seconds: earlierSeconds + (Date.now() - started) / 1000 }, epochShuffle, startKnown ? countersAtStart : undefined) });
        break outer;
      }
      const indices = batches[b]!;
      const { x, labels } = gather(train, size, indices);
      const { loss, grad } = softmaxCrossEntropy(network.forward(x, indices.length), labels, indices.length, dataset.classes);
      network.backward(grad, indices.length, false);
      network.update(lr);
      lossSum += loss * indices.length;
      seen += indices.length;
      options.onEvent?.({ type: 'batch', epoch, batch: b + 1, batchesPerEpoch, loss });
      if (options.liveEvery && options.onEvent && ((b + 1) % options.liveEvery === 0 || b + 1 === batches.length)) options.onEvent(liveEvent(network, epoch, b + 1));
      // Let the event loop run now and then, so an AbortSignal, Ctrl-C or a UI can act.
      if (Date.now() - lastYield > 50) {
        await yieldToEventLoop();
        lastYield = Date.now();
      }
    }
    startBatch = 0;
    carried = { lossSum: 0, seen: 0, seconds: 0 };
    const totals = pulseTotals(network);
    const { pulsesByPurpose, pulsesByTile } = splitPulses(Object.fromEntries(Object.entries(totals).map(([key, n]) => [key, n - (previousPulses[key] ?? 0)])));
    previousPulses = totals;
    // Test reads are counted under `test`, apart from the training's forward reads.
    const evaluation = withForwardPurpose('test', () => evaluate(network, test, size, dataset.classes));
    const metrics: EpochMetrics = {
      epoch,
      trainLoss: lossSum / seen,
      testLoss: evaluation.loss,
      testAccuracy: evaluation.accuracy,
      pulsesByPurpose,
      pulsesByTile,
      seconds: earlierSeconds + (Date.now() - started) / 1000,
    };
    metrics.hardware = epochHardware(combineCost(hardwareCost(algorithms, hardware), hardwareCost(algorithms, hardware, countersAtStart), -1), seen - seenAtStart);
    history.push(metrics);
    for (const algorithm of Object.values(algorithms)) algorithm.endEpoch?.(metrics.trainLoss);
    options.onEvent?.({ type: 'epoch', metrics });
    if (options.onEvent) options.onEvent({ type: 'checkpoint', checkpoint: checkpoint(epoch, 0, { lossSum: 0, seen: 0, seconds: 0 }, shuffle.saveState()) });
  }
  const layers: ExperimentResult['layers'] = {};
  const snapshots: Record<string, LayerSnapshot> = {};
  for (const [name, algorithm] of Object.entries(algorithms)) {
    layers[name] = algorithm.report();
    snapshots[name] = snapshot(algorithm);
  }
  const result: ExperimentResult = { status, name: config.name, config, dataset: dataset.name, network: networkLine, epochs: history, layers, snapshots };
  result.hardware = { constants: hardware, run: hardwareCost(algorithms, hardware) };
  // The read-out after training, on a finished run only (a partial run is resumed first).
  if (config.inference && status === 'completed') {
    result.inference = evaluateInference(network, config.inference, config.forward, config.seed, (net) => evaluate(net, test, size, dataset.classes).accuracy);
    options.onEvent?.({ type: 'inference', result: result.inference });
  }
  options.onEvent?.({ type: 'done', result });
  return result;
}
