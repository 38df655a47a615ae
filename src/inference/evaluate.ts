import { MappedAlgorithm, physicalParts, type TrainingAlgorithm } from '../algorithms/index.js';
import { summarize } from '../core/stats.js';
import { Conv2d, Linear, type Sequential } from '../nn/index.js';
import { Rng } from '../rng/index.js';
import { ioSchema, type IoConfig, type IoInput } from '../tile/io-config.js';
import type { InferenceConfig } from './config.js';
import { NoiseModel, toConductances, toWeights } from './noise-model.js';
import { ReadoutTile } from './readout-tile.js';

export interface InferencePoint {
  /** Seconds after programming. */
  t: number;
  /** Test accuracy: mean and sample std over the repeats, and each repeat's value. */
  mean: number;
  std: number;
  accuracies: number[];
}

export interface InferenceResult {
  source: InferenceConfig['source'];
  noise: InferenceConfig['noise'];
  driftCompensation: InferenceConfig['driftCompensation'];
  repeats: number;
  points: InferencePoint[];
}

/**
 * One physical tile between programming and read-out: what it holds at time t (its weights, the
 * drift and read noise drawn from `rng`), and the one-hot read-out at programming that drift
 * compensation scales back to.
 */
interface ProgrammedTile {
  weightsAt(t: number, rng: Rng): Float64Array;
  /** The weights right after programming (the compensation baseline reads these). */
  programmed: Float64Array;
}

/**
 * Programs the trained weights onto fresh conductance pairs (aihwkit program_weights then
 * drift_weights): programming noise and ν once; at each t the programmed weights are converted
 * again, drifted and read (aihwkit apply_drift_noise).
 */
function programPart(part: TrainingAlgorithm, model: NoiseModel, rng: Rng): ProgrammedTile {
  const target = toConductances(part.weights(), model.gMax);
  const programmed = toWeights({ plus: model.program(target.plus, rng), minus: model.program(target.minus, rng), scale: target.scale });
  const nuPlus = model.driftCoefficients(target.plus, rng);
  const nuMinus = model.driftCoefficients(target.minus, rng);
  return {
    programmed,
    weightsAt(t, readRng) {
      const pair = toConductances(programmed, model.gMax);
      return toWeights({ plus: model.drift(pair.plus, nuPlus, t, readRng), minus: model.drift(pair.minus, nuMinus, t, readRng), scale: pair.scale });
    },
  };
}

/**
 * The conductances training left on the devices drift as they are (aihwkit issue #727): each
 * device's state in [b_min, b_max] is a conductance (w − b_min)/(b_max − b_min)·g_max with no
 * programming noise; the reference arrays (programmed by pulses or set exactly) drift likewise
 * when `referenceDrifts`. The algorithm
 * composes the drifted arrays into the weights (e.g. γ·A + C), and its arrays are put back.
 */
function trainedPart(part: TrainingAlgorithm, model: NoiseModel, referenceDrifts: boolean, rng: Rng): ProgrammedTile {
  const arrays = Object.values(part.tiles()).flatMap((tile) => {
    // A reference set without pulses (e.g. the SP subtraction) is still a conductance on the
    // chip: it drifts within the bounds of the array's own devices.
    const own = { values: tile.apparent, bounds: tile.device.hidden };
    const reference = referenceDrifts ? [{ values: tile.reference, bounds: (tile.referenceDevices ?? tile.device).hidden }] : [];
    return [own, ...reference].map(({ values, bounds }) => {
      const conductance = new Float64Array(values.length);
      for (let k = 0; k < values.length; k++) conductance[k] = ((values[k]! - bounds.bmin[k]!) / (bounds.bmax[k]! - bounds.bmin[k]!)) * model.gMax;
      const nu = model.driftCoefficients(conductance, rng);
      // A stuck device (b^max = b^min) has no range to drift in: it keeps its value.
      const stuck = Uint8Array.from({ length: values.length }, (_, k) => (bounds.bmax[k]! > bounds.bmin[k]! ? 0 : 1));
      return { tile, values, bounds, conductance, nu, stuck };
    });
  });
  const programmed = Float64Array.from(part.weights());
  return {
    programmed,
    weightsAt(t, readRng) {
      const saved = arrays.map(({ values }) => Float64Array.from(values));
      try {
        for (const { tile, values, bounds, conductance, nu, stuck } of arrays) {
          const drifted = model.drift(conductance, nu, t, readRng);
          for (let k = 0; k < values.length; k++) if (!stuck[k]) values[k] = bounds.bmin[k]! + (drifted[k]! / model.gMax) * (bounds.bmax[k]! - bounds.bmin[k]!);
          tile.invalidate();
        }
        return Float64Array.from(part.weights());
      } finally {
        arrays.forEach(({ tile, values }, k) => {
          values.set(saved[k]!);
          tile.invalidate();
        });
      }
    },
  };
}

/** The analog weight layers of a network (digital layers are read exactly, as trained). */
function analogLayers(network: Sequential): (Linear | Conv2d)[] {
  return network.layers.filter((layer): layer is Linear | Conv2d => (layer instanceof Linear || layer instanceof Conv2d) && physicalParts(layer.weights).some((part) => Object.keys(part.tiles()).length > 0));
}

/** The read-out algorithm of a layer: one tile, or the same grid of tiles as the trained layer. */
function readoutLayer(trained: TrainingAlgorithm, tiles: ReadoutTile[], name: string): TrainingAlgorithm {
  if (!(trained instanceof MappedAlgorithm)) return tiles[0]!;
  let next = 0;
  return new MappedAlgorithm(trained.rows, trained.cols, trained.rowSizes, trained.colSizes, name, () => tiles[next++]!);
}

/**
 * Accuracy over time after training (docs/inference.md): every physical tile of every analog
 * layer is programmed (or left as trained), drifted to each read-out time and read through the
 * forward IO, with global drift compensation per tile; `repeats` independent draws give mean ± std.
 * The network's own algorithms are swapped back afterwards, untouched.
 */
export function evaluateInference(network: Sequential, config: InferenceConfig, runForward: IoInput, seed: number, accuracyOf: (network: Sequential) => number): InferenceResult {
  const model = new NoiseModel(config.noise);
  const io: IoConfig = ioSchema.parse({ ...runForward, ...config.forward });
  const layers = analogLayers(network);
  const accuracies: number[][] = config.times.map(() => []);
  for (let repeat = 0; repeat < config.repeats; repeat++) {
    const programmed = layers.map((layer) =>
      physicalParts(layer.weights).map((part, k) => {
        const rng = Rng.stream(seed, 'inference', layer.name, k, 'program', repeat);
        const tile = config.source === 'program' ? programPart(part, model, rng) : trainedPart(part, model, config.referenceDrifts, rng);
        const baseline = config.driftCompensation === 'global' ? new ReadoutTile(part.rows, part.cols, tile.programmed, io, rng.split('baseline')).oneHotReadout() : 1;
        return { part, tile, baseline };
      }),
    );
    config.times.forEach((t, ti) => {
      const readouts = layers.map((layer, li) => {
        const tiles = programmed[li]!.map(({ part, tile, baseline }, k) => {
          const rng = Rng.stream(seed, 'inference', layer.name, k, 'read', repeat, ti);
          const readout = new ReadoutTile(part.rows, part.cols, tile.weightsAt(t, rng), io, rng.split('io'));
          if (config.driftCompensation === 'global') readout.alpha = baseline / readout.oneHotReadout();
          return readout;
        });
        return readoutLayer(layer.weights, tiles, layer.name);
      });
      const trained = layers.map((layer, li) => layer.swapWeights(readouts[li]!));
      try {
        accuracies[ti]!.push(accuracyOf(network));
      } finally {
        layers.forEach((layer, li) => layer.swapWeights(trained[li]!));
      }
    });
  }
  const points = config.times.map((t, ti) => {
    const { mean, std } = summarize(accuracies[ti]!);
    return { t, mean, std, accuracies: accuracies[ti]! };
  });
  return { source: config.source, noise: config.noise, driftCompensation: config.driftCompensation, repeats: config.repeats, points };
}
