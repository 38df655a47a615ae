import { DigitalSgd, createAlgorithm, parseAlgorithmConfig, type AlgorithmReport, type AlgorithmState, type TrainingAlgorithm } from '../algorithms/index.js';
import { experimentSchema, type ExperimentConfig, type LayerConfig } from '../config/experiment.js';
import { zodIssueToUserError } from '../config/zod-error.js';
import { configDifference } from '../config/diff.js';
import { UserError } from '../core/errors.js';
import { epochBatches } from '../data/batches.js';
import { gather, type ImageDataset, type Split } from '../data/dataset.js';
import { loadEmbeddedFashionMnist } from '../data/embedded.js';
import { resolveDevice, type DeviceConfig } from '../devices/index.js';
import { Activation, Conv2d, Flatten, Linear, Pool2d, Sequential, accuracy, softmaxCrossEntropy, type AlgorithmFactory, type Layer, type Shape } from '../nn/index.js';
import { Rng } from '../rng/index.js';

export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  testAccuracy: number;
  /** Pulses of the epoch, summed over layers, by purpose. */
  pulsesByPurpose: Record<string, number>;
  /** Pulses of the epoch by layer and tile (e.g. `1:linear/fast`), over all purposes. */
  pulsesByTile: Record<string, number>;
  seconds: number;
}

export interface Histogram {
  /** Left edges of the bins, then the right edge of the last one. */
  edges: number[];
  counts: number[];
}

/** Final state of an analog layer, recorded for reports. */
export interface LayerSnapshot {
  weights: Histogram;
  /** Effective symmetric points (SP − reference) of the array that takes the gradient. */
  symmetricPoints: Histogram | null;
}

export interface ExperimentResult {
  status: 'completed' | 'aborted';
  name: string;
  config: ExperimentConfig;
  dataset: string;
  epochs: EpochMetrics[];
  /** Final counters of every analog layer. */
  layers: Record<string, AlgorithmReport>;
  /** Weight and SP histograms of every layer at the end. */
  snapshots: Record<string, LayerSnapshot>;
}

/** 40-bin histogram over the finite values. */
export function histogram(values: ArrayLike<number>, bins = 40): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) {
    lo = Number.isFinite(lo) ? lo - 0.5 : 0;
    hi = lo + 1;
  }
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (Number.isFinite(v)) counts[Math.min(Math.floor((v - lo) / width), bins - 1)]!++;
  }
  return { edges: Array.from({ length: bins + 1 }, (_, i) => lo + i * width), counts };
}

function snapshot(algorithm: TrainingAlgorithm): LayerSnapshot {
  const tiles = algorithm.tiles();
  const gradientTile = tiles['fast'] ?? tiles['array'];
  return { weights: histogram(algorithm.weights()), symmetricPoints: gradientTile ? histogram(gradientTile.symmetricPoints()) : null };
}

/** Everything needed to continue a run after an epoch, bit-identically (written each epoch). */
export interface Checkpoint {
  version: 1;
  /** The resolved config without training.epochs (which a resume may extend). */
  config: unknown;
  epoch: number;
  history: EpochMetrics[];
  pulseTotals: Record<string, number>;
  shuffle: Uint32Array;
  algorithms: Record<string, AlgorithmState>;
  biases: Record<string, Float64Array>;
}

export type RunEvent =
  | { type: 'start'; batchesPerEpoch: number; epochs: number; dataset: string; changedFromDefaults: Record<string, unknown> }
  | { type: 'batch'; epoch: number; batch: number; batchesPerEpoch: number; loss: number }
  | { type: 'epoch'; metrics: EpochMetrics }
  | { type: 'checkpoint'; checkpoint: Checkpoint }
  | { type: 'done'; result: ExperimentResult };

export interface RunOptions {
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** Loads non-embedded datasets (the Node entry passes its file loaders). */
  loadDataset?: (data: ExperimentConfig['data']) => Promise<ImageDataset>;
  /** Continue from this checkpoint (written by an earlier run of the same config). */
  resumeFrom?: Checkpoint;
}

function comparableConfig(config: ExperimentConfig): unknown {
  return { ...config, training: { ...config.training, epochs: undefined } };
}

function biasesOf(network: Sequential): Map<string, Float64Array> {
  const biases = new Map<string, Float64Array>();
  for (const layer of network.layers) if ((layer instanceof Linear || layer instanceof Conv2d) && layer.bias) biases.set(layer.name, layer.bias);
  return biases;
}

/** Parses and validates an experiment config, filling every default. */
export function parseExperiment(input: unknown): ExperimentConfig {
  const result = experimentSchema.safeParse(input ?? {});
  if (!result.success) throw zodIssueToUserError(result.error, input, 'config', undefined, experimentSchema);
  return result.data;
}

function resolveDeviceField(value: ExperimentConfig['device']): DeviceConfig {
  if (typeof value === 'string') return resolveDevice(value);
  const { preset, ...overrides } = value;
  return resolveDevice(preset, overrides);
}

function limit(split: Split, size: number, n: number | undefined): Split {
  if (n === undefined || n >= split.count) return split;
  return { count: n, pixels: split.pixels.subarray(0, n * size), labels: split.labels.subarray(0, n) };
}

/** Builds the network of a config; weights start uniform in ±1/√fan-in (PyTorch's default). */
export function buildNetwork(config: ExperimentConfig, inputShape: Shape, classes: number): Sequential {
  const init = Rng.stream(config.seed, 'init');
  const factory = (analogLayer: boolean, layer: { device?: ExperimentConfig['device'] | undefined; algorithm?: unknown }): AlgorithmFactory => (rows, cols, name) => {
    // A layer may name its own device and algorithm; otherwise the top-level ones apply.
    const device = resolveDeviceField(layer.device ?? config.device);
    const { config: algorithmConfig, update: presetUpdate } = parseAlgorithmConfig(layer.algorithm ?? config.algorithm);
    const setup = { rows, cols, device, seed: config.seed, name, forward: config.forward, backward: config.backward, update: { ...presetUpdate, ...config.update } };
    const algorithm: TrainingAlgorithm = analogLayer ? createAlgorithm(setup, algorithmConfig) : new DigitalSgd(setup);
    const bound = 1 / Math.sqrt(cols);
    algorithm.setWeights(Float64Array.from({ length: rows * cols }, () => (2 * init.uniform() - 1) * bound));
    return algorithm;
  };
  const layers: Layer[] = [];
  let shape: Shape = inputShape;
  config.network.layers.forEach((spec: LayerConfig, i) => {
    const name = `${i}:${spec.type}`;
    let layer: Layer;
    switch (spec.type) {
      case 'linear':
        layer = new Linear(shape.reduce((a, b) => a * b, 1), spec.outputs, factory(spec.analog, spec), { bias: spec.bias, name });
        break;
      case 'conv2d':
        if (shape.length !== 3) throw new UserError(`config.network.layers[${i}]`, spec.type, 'needs an image input [channels, height, width] (put it before flatten/linear)');
        layer = new Conv2d(shape, spec.channels, factory(spec.analog, spec), { kernel: spec.kernel, stride: spec.stride, padding: spec.padding, bias: spec.bias, name });
        break;
      case 'relu':
      case 'sigmoid':
      case 'tanh':
        layer = new Activation(spec.type, shape);
        break;
      case 'maxpool':
      case 'avgpool':
        if (shape.length !== 3) throw new UserError(`config.network.layers[${i}]`, spec.type, 'needs an image input [channels, height, width]');
        layer = new Pool2d(spec.type === 'maxpool' ? 'max' : 'avg', shape, spec.kernel);
        break;
      case 'flatten':
        layer = new Flatten(shape);
        break;
      default: {
        const unknown: never = spec;
        throw new Error(`aimsim internal error: layer ${JSON.stringify(unknown)}`);
      }
    }
    layers.push(layer);
    shape = layer.outputShape;
  });
  const outputs = shape.reduce((a, b) => a * b, 1);
  if (outputs !== classes) throw new UserError('config.network.layers', outputs, `the last layer must output ${classes} values (one per class)`);
  return new Sequential(layers);
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

function evaluate(network: Sequential, split: Split, size: number, classes: number, batch: number): number {
  let correct = 0;
  for (const indices of epochBatches(split.count, batch, null)) {
    const { x, labels } = gather(split, size, indices);
    correct += accuracy(network.forward(x, indices.length), labels, indices.length, classes) * indices.length;
  }
  return correct / split.count;
}

/**
 * Trains and evaluates the network of a config (platform-neutral: no file access here). Emits
 * typed events, stops at the next batch when `signal` aborts, and returns per-epoch metrics.
 */
export async function runExperiment(input: unknown, options: RunOptions = {}): Promise<ExperimentResult> {
  const config = parseExperiment(input);
  const dataset =
    config.data.dataset === 'embedded-fashion-mnist'
      ? await loadEmbeddedFashionMnist()
      : options.loadDataset
        ? await options.loadDataset(config.data)
        : (() => {
            throw new UserError('config.data.dataset', config.data.dataset, 'needs files: run it through the CLI or the aimsim/node entry');
          })();
  const size = dataset.shape.reduce((a, b) => a * b, 1);
  const train = limit(dataset.train, size, config.data.trainLimit);
  const test = limit(dataset.test, size, config.data.testLimit);
  const network = buildNetwork(config, dataset.shape, dataset.classes);
  const shuffle = Rng.stream(config.seed, 'shuffle');
  const { batch, epochs, lrDecayEvery, lrDecayFactor } = config.training;
  const batchesPerEpoch = Math.ceil(train.count / batch);
  options.onEvent?.({ type: 'start', batchesPerEpoch, epochs, dataset: dataset.name, changedFromDefaults: configDifference(config, parseExperiment({})) });
  const history: EpochMetrics[] = [];
  let status: ExperimentResult['status'] = 'completed';
  let previousPulses: Record<string, number> = {};
  let firstEpoch = 1;
  const algorithms = network.algorithms();
  const biases = biasesOf(network);
  if (options.resumeFrom) {
    const cp = options.resumeFrom;
    if (cp.version !== 1 || JSON.stringify(cp.config) !== JSON.stringify(comparableConfig(config))) {
      throw new UserError('resume', config.name, 'the checkpoint was written by another config (only training.epochs may change)', 'usage error');
    }
    for (const [name, algorithm] of Object.entries(algorithms)) algorithm.restoreState(cp.algorithms[name]!);
    for (const [name, bias] of biases) bias.set(cp.biases[name]!);
    shuffle.restoreState(cp.shuffle);
    history.push(...cp.history);
    previousPulses = { ...cp.pulseTotals };
    firstEpoch = cp.epoch + 1;
  }
  outer: for (let epoch = firstEpoch; epoch <= epochs; epoch++) {
    const started = Date.now();
    const lr = config.training.lr * (lrDecayEvery ? lrDecayFactor ** Math.floor((epoch - 1) / lrDecayEvery) : 1);
    let lossSum = 0;
    let seen = 0;
    const batches = epochBatches(train.count, batch, shuffle);
    for (let b = 0; b < batches.length; b++) {
      if (options.signal?.aborted) {
        status = 'aborted';
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
      // Yield to the event loop now and then, so an AbortSignal (and a UI) can act.
      if (b % 20 === 19) await Promise.resolve();
    }
    const totals = pulseTotals(network);
    const pulsesByPurpose: Record<string, number> = {};
    const pulsesByTile: Record<string, number> = {};
    for (const [key, n] of Object.entries(totals)) {
      const delta = n - (previousPulses[key] ?? 0);
      if (key.startsWith('tile:')) pulsesByTile[key.slice(5)] = delta;
      else pulsesByPurpose[key] = delta;
    }
    previousPulses = totals;
    const metrics: EpochMetrics = {
      epoch,
      trainLoss: lossSum / seen,
      testAccuracy: evaluate(network, test, size, dataset.classes, 100),
      pulsesByPurpose,
      pulsesByTile,
      seconds: (Date.now() - started) / 1000,
    };
    history.push(metrics);
    for (const algorithm of Object.values(algorithms)) algorithm.endEpoch?.(metrics.trainLoss);
    options.onEvent?.({ type: 'epoch', metrics });
    if (options.onEvent) {
      const states: Record<string, AlgorithmState> = {};
      for (const [name, algorithm] of Object.entries(algorithms)) states[name] = algorithm.saveState();
      const checkpoint: Checkpoint = {
        version: 1,
        config: comparableConfig(config),
        epoch,
        history: history.map((m) => ({ ...m })),
        pulseTotals: { ...previousPulses },
        shuffle: shuffle.saveState(),
        algorithms: states,
        biases: Object.fromEntries([...biases].map(([name, b]) => [name, Float64Array.from(b)])),
      };
      options.onEvent({ type: 'checkpoint', checkpoint });
    }
  }
  const layers: Record<string, AlgorithmReport> = {};
  const snapshots: Record<string, LayerSnapshot> = {};
  for (const [name, algorithm] of Object.entries(algorithms)) {
    layers[name] = algorithm.report();
    snapshots[name] = snapshot(algorithm);
  }
  const result: ExperimentResult = { status, name: config.name, config, dataset: dataset.name, epochs: history, layers, snapshots };
  options.onEvent?.({ type: 'done', result });
  return result;
}
