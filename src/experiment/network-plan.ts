import type { ExperimentConfig, LayerConfig } from '../config/experiment.js';
import { UserError } from '../core/errors.js';
import { checkTileShape } from '../core/limits.js';
import type { Shape } from '../nn/index.js';
import { splitSizes, type MappingConfig } from '../tile/mapping.js';

/** One layer of a network before anything is allocated: its shapes and, for weight layers, its matrix. */
export interface LayerPlan {
  /** `index:type`, the name the layer's counters and snapshots carry. */
  name: string;
  index: number;
  spec: LayerConfig;
  inputShape: Shape;
  outputShape: Shape;
  /** The weight matrix (rows = outputs, cols = inputs or patch size), for linear and conv2d. */
  matrix?: { rows: number; cols: number; analog: boolean };
  /** How many physical tiles an analog matrix is split over (docs/mapping.md), when more than one. */
  tiles?: number;
  /** Output positions of a conv layer (each one an update sample of the im2col matrix). */
  positions?: number;
}

const size = (shape: Shape) => shape.reduce((a, b) => a * b, 1);

/**
 * The shapes of every layer of a config (the same rules as `buildNetwork`), checked before any
 * allocation: a layer that does not fit its input or exceeds the tile limits is one config error
 * naming the layer.
 */
export function planNetwork(config: ExperimentConfig, inputShape: Shape, classes: number): LayerPlan[] {
  const plans: LayerPlan[] = [];
  let shape: Shape = inputShape;
  config.network.layers.forEach((spec, index) => {
    const field = `config.network.layers.${index}`;
    const image = () => {
      if (shape.length !== 3) throw new UserError(field, spec.type, 'needs an image input [channels, height, width] (put it before flatten/linear)');
      return shape as [number, number, number];
    };
    let outputShape: Shape;
    let matrix: LayerPlan['matrix'];
    let positions: number | undefined;
    switch (spec.type) {
      case 'linear': {
        const cols = size(shape) + (spec.bias === 'analog' ? 1 : 0);
        matrix = { rows: spec.outputs, cols, analog: spec.analog };
        outputShape = [spec.outputs];
        break;
      }
      case 'conv2d': {
        const [c, h, w] = image();
        const outH = Math.floor((h + 2 * spec.padding - spec.kernel) / spec.stride) + 1;
        const outW = Math.floor((w + 2 * spec.padding - spec.kernel) / spec.stride) + 1;
        if (!(outH >= 1 && outW >= 1)) throw new UserError(`${field}.kernel`, spec.kernel, `must fit the ${h}×${w} input (with padding ${spec.padding})`);
        matrix = { rows: spec.channels, cols: c * spec.kernel * spec.kernel + (spec.bias === 'analog' ? 1 : 0), analog: spec.analog };
        positions = outH * outW;
        outputShape = [spec.channels, outH, outW];
        break;
      }
      case 'maxpool':
      case 'avgpool': {
        const [c, h, w] = image();
        if (spec.kernel > Math.min(h, w)) throw new UserError(`${field}.kernel`, spec.kernel, `must be in [1, ${Math.min(h, w)}] for the ${h}×${w} input`);
        outputShape = [c, Math.floor(h / spec.kernel), Math.floor(w / spec.kernel)];
        break;
      }
      case 'flatten':
        outputShape = [size(shape)];
        break;
      case 'relu':
      case 'sigmoid':
      case 'tanh':
        outputShape = shape;
        break;
      default: {
        const unknown: never = spec;
        throw new Error(`aimsim internal error: layer ${JSON.stringify(unknown)}`);
      }
    }
    // The limits the tile constructor checks, here before anything is allocated.
    if (matrix) checkTileShape(field, matrix.rows, matrix.cols);
    const tiles = matrix?.analog && (spec.type === 'linear' || spec.type === 'conv2d') ? tileCount(matrix, { ...config.mapping, ...spec.mapping }) : 1;
    plans.push({ name: `${index}:${spec.type}`, index, spec, inputShape: shape, outputShape, ...(matrix ? { matrix } : {}), ...(positions ? { positions } : {}), ...(tiles > 1 ? { tiles } : {}) });
    shape = outputShape;
  });
  if (size(shape) !== classes) throw new UserError('config.network.layers', size(shape), `the last layer must output ${classes} values (one per class)`);
  return plans;
}

function tileCount(matrix: { rows: number; cols: number }, mapping: MappingConfig): number {
  return splitSizes(matrix.rows, mapping.maxOutputSize).length * splitSizes(matrix.cols, mapping.maxInputSize).length;
}

/** One line naming every layer, e.g. `flatten → linear 196→64 (analog) → sigmoid → linear 64→10 (analog)`. */
export function describeNetwork(plans: readonly LayerPlan[]): string {
  return plans
    .map(({ spec, inputShape, outputShape, matrix, tiles }) => {
      const where = matrix ? (matrix.analog ? (tiles ? `analog, ${tiles} tiles` : 'analog') : 'digital') : '';
      switch (spec.type) {
        case 'linear':
          return `linear ${size(inputShape)}→${spec.outputs} (${where})`;
        case 'conv2d':
          return `conv ${spec.kernel}×${spec.kernel} ${inputShape[0]}→${spec.channels}${spec.stride > 1 ? ` stride ${spec.stride}` : ''}${spec.padding > 0 ? ` pad ${spec.padding}` : ''} (${where})`;
        case 'maxpool':
        case 'avgpool':
          return `${spec.type} ${spec.kernel}`;
        case 'flatten':
          return `flatten ${outputShape[0]}`;
        default:
          return spec.type;
      }
    })
    .join(' → ');
}
