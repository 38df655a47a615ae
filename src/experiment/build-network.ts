import { DigitalSgd, createAlgorithm, mapAlgorithm, parseAlgorithmConfig, type AlgorithmConfig, type TrainingAlgorithm } from '../algorithms/index.js';
import type { ExperimentConfig, LayerConfig } from '../config/experiment.js';
import { resolveDeviceChoice, type DeviceConfig } from '../devices/index.js';
import { Activation, Conv2d, Flatten, Linear, Pool2d, Sequential, type AlgorithmFactory, type Layer, type Shape } from '../nn/index.js';
import { Rng } from '../rng/index.js';
import { planNetwork, type LayerPlan } from './network-plan.js';

/** The device of a weight layer: its own, else the top-level one, resolved and validated. */
export function layerDevice(config: ExperimentConfig, spec: Extract<LayerConfig, { type: 'linear' | 'conv2d' }>): DeviceConfig {
  return resolveDeviceChoice(spec.device ?? config.device);
}

/** The algorithm of a layer: its own, else the top-level one (a preset name or an object). */
export function layerAlgorithm(config: ExperimentConfig, spec: LayerConfig): { config: AlgorithmConfig; update?: Record<string, unknown> } {
  const own = spec.type === 'linear' || spec.type === 'conv2d' ? spec.algorithm : undefined;
  return parseAlgorithmConfig(own ?? config.algorithm);
}

/**
 * Builds the network of a config; weights start uniform in ±1/√fan-in (PyTorch's default). Pass
 * the plan when it was made already (runExperiment checks it before anything is allocated).
 */
export function buildNetwork(config: ExperimentConfig, inputShape: Shape, classes: number, plans: readonly LayerPlan[] = planNetwork(config, inputShape, classes)): Sequential {
  const init = Rng.stream(config.seed, 'init');
  const factory = (spec: Extract<LayerConfig, { type: 'linear' | 'conv2d' }>): AlgorithmFactory => (rows, cols, name) => {
    // A layer may name its own device and algorithm; otherwise the top-level ones apply.
    const device = layerDevice(config, spec);
    const { config: algorithmConfig, update: presetUpdate } = layerAlgorithm(config, spec);
    const setup = { rows, cols, device, seed: config.seed, name, forward: config.forward, backward: config.backward, update: { ...presetUpdate, ...config.update } };
    // Analog weights are laid onto tiles of at most the mapped size (docs/mapping.md); each tile
    // is an algorithm of its own. Digital weights are not on tiles.
    const mapping = { ...config.mapping, ...spec.mapping };
    const algorithm: TrainingAlgorithm = spec.analog
      ? mapAlgorithm(rows, cols, mapping, name, (blockRows, blockCols, blockName) => createAlgorithm({ ...setup, rows: blockRows, cols: blockCols, name: blockName }, algorithmConfig))
      : new DigitalSgd(setup);
    const bound = 1 / Math.sqrt(cols);
    algorithm.setWeights(Float64Array.from({ length: rows * cols }, () => (2 * init.uniform() - 1) * bound));
    return algorithm;
  };
  const layers: Layer[] = plans.map(({ spec, name, inputShape: shape }) => {
    switch (spec.type) {
      case 'linear':
        return new Linear(shape.reduce((a, b) => a * b, 1), spec.outputs, factory(spec), { bias: spec.bias, outScaling: spec.outScaling, name });
      case 'conv2d':
        return new Conv2d(shape, spec.channels, factory(spec), { kernel: spec.kernel, stride: spec.stride, padding: spec.padding, bias: spec.bias, outScaling: spec.outScaling, name });
      case 'relu':
      case 'sigmoid':
      case 'tanh':
        return new Activation(spec.type, shape);
      case 'maxpool':
      case 'avgpool':
        return new Pool2d(spec.type === 'maxpool' ? 'max' : 'avg', shape, spec.kernel);
      case 'flatten':
        return new Flatten(shape);
      default: {
        const unknown: never = spec;
        throw new Error(`aimsim internal error: layer ${JSON.stringify(unknown)}`);
      }
    }
  });
  return new Sequential(layers);
}
