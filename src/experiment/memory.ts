import type { AlgorithmConfig } from '../algorithms/index.js';
import { UserError } from '../core/errors.js';
import type { LayerPlan } from './network-plan.js';

/**
 * Bytes per device of one analog array while a layer is built, measured with Node 20 on the wasm
 * backend (peak RSS over devices, 784 × 2048 layers, soft-bounds devices): 167–193 per array for
 * Analog SGD, TT-v1, c-TTv2, AGAD and MP. It covers G, R, W = G − R, the device parameters and the
 * Wasm copy of the pulse parameters, plus the transient of the build. Rounded up.
 */
const ANALOG_ARRAY_BYTES = 200;
/** A digital matrix of doubles (weights, buffers, accumulators). */
const DIGITAL_ARRAY_BYTES = 8;

/** Analog arrays and digital matrices (each rows × cols) an algorithm keeps per layer. */
export function arraysOf(algorithm: AlgorithmConfig): { analog: number; digital: number } {
  switch (algorithm.kind) {
    case 'digital-sgd':
      return { analog: 0, digital: 2 };
    case 'analog-sgd':
      return { analog: 1, digital: 0 };
    case 'tiki-taka':
      return { analog: 2, digital: 1 };
    case 'buffered-tiki-taka':
    case 'residual-learning-v2':
    case 'chopped-tiki-taka':
      return { analog: 2, digital: 2 };
    case 'agad':
    case 'rider':
      return { analog: 2, digital: 3 };
    case 'mixed-precision':
      return { analog: 1, digital: 2 };
    case 'multi-tile-residual':
      return { analog: algorithm.tiles, digital: 2 };
    default: {
      const unknown: never = algorithm;
      throw new Error(`aimsim internal error: algorithm ${JSON.stringify(unknown)}`);
    }
  }
}

export interface MemoryEstimate {
  bytes: number;
  /** The parts, largest first: each layer's arrays, the activations, the dataset. */
  parts: { what: string; bytes: number }[];
}

/**
 * An upper estimate of what a run allocates, before it allocates it: the arrays of every layer
 * (by its algorithm), the activations of the largest batch (training or evaluation), and the
 * dataset in memory.
 */
export function estimateMemory(plans: readonly LayerPlan[], algorithmOf: (plan: LayerPlan) => AlgorithmConfig, batch: number, datasetBytes: number): MemoryEstimate {
  const parts: MemoryEstimate['parts'] = [];
  // Forward outputs, their gradients and the inputs kept for the update, in doubles; a conv layer
  // also keeps its im2col patches and their gradient.
  const samples = Math.max(batch, 100);
  let activations = 0;
  for (const plan of plans) {
    const out = plan.outputShape.reduce((a, b) => a * b, 1);
    activations += 3 * 8 * samples * out;
    if (plan.matrix && plan.positions) activations += 2 * 8 * samples * plan.positions * plan.matrix.cols;
    if (!plan.matrix) continue;
    const devices = plan.matrix.rows * plan.matrix.cols;
    const arrays = plan.matrix.analog ? arraysOf(algorithmOf(plan)) : { analog: 0, digital: 2 };
    parts.push({ what: `layer ${plan.name} (${plan.matrix.rows} × ${plan.matrix.cols}, ${arrays.analog} analog arrays)`, bytes: devices * (arrays.analog * ANALOG_ARRAY_BYTES + arrays.digital * DIGITAL_ARRAY_BYTES) });
  }
  parts.push({ what: `activations (batch ${samples})`, bytes: activations });
  parts.push({ what: 'dataset', bytes: datasetBytes });
  parts.sort((a, b) => b.bytes - a.bytes);
  return { bytes: parts.reduce((s, p) => s + p.bytes, 0), parts };
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 && unit > 0 ? 1 : 0)} ${units[unit]}`;
}

/** Refuses a run whose estimate exceeds `limit` bytes, naming the largest part. */
export function checkMemory(estimate: MemoryEstimate, limit: number, limitSource: string): void {
  if (estimate.bytes <= limit) return;
  const largest = estimate.parts[0]!;
  throw new UserError(
    'memory',
    formatBytes(estimate.bytes),
    `must stay within ${formatBytes(limit)} (${limitSource}); the largest part is ${largest.what} at ${formatBytes(largest.bytes)}`,
    'resource error',
  );
}
