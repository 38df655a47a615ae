import { UserError } from '../core/errors.js';
import type { AnalogTile } from '../tile/index.js';
import { splitSizes, type MappingConfig } from '../tile/mapping.js';
import { buildReport, type AlgorithmReport, type AlgorithmState, type TrainingAlgorithm } from './types.js';

/** Builds the algorithm of one rows × cols block; `name` keys its random streams. */
export type BlockFactory = (rows: number, cols: number, name: string) => TrainingAlgorithm;

interface Block {
  /** `r<i>c<j>`: output block i, input block j. */
  label: string;
  algorithm: TrainingAlgorithm;
  rowStart: number;
  colStart: number;
}

/** Offsets of consecutive blocks of the given sizes. */
function starts(sizes: readonly number[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const size of sizes) {
    out.push(at);
    at += size;
  }
  return out;
}

/** Columns [start, start + width) of a row-major batch × stride matrix. */
function columns(values: ArrayLike<number>, batch: number, stride: number, start: number, width: number): Float64Array {
  const out = new Float64Array(batch * width);
  for (let b = 0; b < batch; b++) for (let c = 0; c < width; c++) out[b * width + c] = values[b * stride + start + c]!;
  return out;
}

/** Adds a batch × width block into columns [start, start + width) of a batch × stride matrix. */
function addColumns(target: Float64Array, stride: number, start: number, block: Float64Array, width: number, batch: number): void {
  for (let b = 0; b < batch; b++) for (let c = 0; c < width; c++) target[b * stride + start + c] = target[b * stride + start + c]! + block[b * width + c]!;
}

/**
 * A layer split over a grid of physical tiles (aihwkit TileModuleArray, docs/mapping.md): every
 * block is a whole algorithm of its own, with its own IO pipeline (noise and bound management,
 * converters), counters, random streams and transfer schedule. Forward adds the blocks' partial
 * outputs digitally, input block by input block; backward does the same over output blocks; the
 * update gives every block its slice of x and d.
 */
export class MappedAlgorithm implements TrainingAlgorithm {
  readonly kind: string;
  readonly rows: number;
  readonly cols: number;
  readonly rowSizes: readonly number[];
  readonly colSizes: readonly number[];
  /** Row-major over the grid: output block i, input block j at i·colBlocks + j. */
  readonly blocks: readonly Block[];

  constructor(rows: number, cols: number, rowSizes: readonly number[], colSizes: readonly number[], name: string, build: BlockFactory) {
    this.rows = rows;
    this.cols = cols;
    this.rowSizes = rowSizes;
    this.colSizes = colSizes;
    const rowStarts = starts(rowSizes);
    const colStarts = starts(colSizes);
    const blocks: Block[] = [];
    rowSizes.forEach((height, i) =>
      colSizes.forEach((width, j) => {
        const label = `r${i}c${j}`;
        blocks.push({ label, algorithm: build(height, width, `${name}/${label}`), rowStart: rowStarts[i]!, colStart: colStarts[j]! });
      }),
    );
    this.blocks = blocks;
    this.kind = blocks[0]!.algorithm.kind;
  }

  /** The blocks' algorithms, for what acts on each physical tile (calibration, inference). */
  parts(): TrainingAlgorithm[] {
    return this.blocks.map((block) => block.algorithm);
  }

  weights(): Float64Array {
    const out = new Float64Array(this.rows * this.cols);
    for (const { algorithm, rowStart, colStart } of this.blocks) {
      const w = algorithm.weights();
      for (let r = 0; r < algorithm.rows; r++) out.set(w.subarray(r * algorithm.cols, (r + 1) * algorithm.cols), (rowStart + r) * this.cols + colStart);
    }
    return out;
  }

  setWeights(weights: ArrayLike<number>): void {
    if (weights.length !== this.rows * this.cols) throw new UserError('weights', weights.length, `must have ${this.rows * this.cols} entries`);
    for (const { algorithm, rowStart, colStart } of this.blocks) {
      const block = new Float64Array(algorithm.rows * algorithm.cols);
      for (let r = 0; r < algorithm.rows; r++) for (let c = 0; c < algorithm.cols; c++) block[r * algorithm.cols + c] = weights[(rowStart + r) * this.cols + colStart + c]!;
      algorithm.setWeights(block);
    }
  }

  forward(x: ArrayLike<number>, batch: number): Float64Array {
    return this.sumOverBlocks(x, batch, false);
  }

  backward(d: ArrayLike<number>, batch: number): Float64Array {
    return this.sumOverBlocks(d, batch, true);
  }

  /**
   * Every block's MVM of its slice of the input, added into its slice of the output: forward sums
   * the partial outputs of the input blocks, backward those of the output blocks.
   */
  private sumOverBlocks(input: ArrayLike<number>, batch: number, transposed: boolean): Float64Array {
    const inSize = transposed ? this.rows : this.cols;
    const outSize = transposed ? this.cols : this.rows;
    const out = new Float64Array(batch * outSize);
    const slices = new Map<number, Float64Array>();
    for (const { algorithm, rowStart, colStart } of this.blocks) {
      const [inStart, inWidth, outStart, outWidth] = transposed ? [rowStart, algorithm.rows, colStart, algorithm.cols] : [colStart, algorithm.cols, rowStart, algorithm.rows];
      let slice = slices.get(inStart);
      if (!slice) slices.set(inStart, (slice = columns(input, batch, inSize, inStart, inWidth)));
      addColumns(out, outSize, outStart, transposed ? algorithm.backward(slice, batch) : algorithm.forward(slice, batch), outWidth, batch);
    }
    return out;
  }

  update(x: ArrayLike<number>, d: ArrayLike<number>, batch: number, lr: number): void {
    const inputs = new Map<number, Float64Array>();
    const errors = new Map<number, Float64Array>();
    for (const { algorithm, rowStart, colStart } of this.blocks) {
      let xj = inputs.get(colStart);
      if (!xj) inputs.set(colStart, (xj = columns(x, batch, this.cols, colStart, algorithm.cols)));
      let di = errors.get(rowStart);
      if (!di) errors.set(rowStart, (di = columns(d, batch, this.rows, rowStart, algorithm.rows)));
      algorithm.update(xj, di, batch, lr);
    }
  }

  tiles(): Record<string, AnalogTile> {
    const all: Record<string, AnalogTile> = {};
    for (const { label, algorithm } of this.blocks) for (const [role, tile] of Object.entries(algorithm.tiles())) all[`${label}/${role}`] = tile;
    return all;
  }

  report(): AlgorithmReport {
    const transfers = this.blocks.reduce((sum, { algorithm }) => sum + algorithm.report().transfers, 0);
    return buildReport(this.kind, this.tiles(), transfers);
  }

  saveState(): AlgorithmState {
    return { blocks: this.blocks.map(({ algorithm }) => algorithm.saveState()) };
  }

  restoreState(state: AlgorithmState): void {
    const saved = state['blocks'] as AlgorithmState[] | undefined;
    if (!Array.isArray(saved) || saved.length !== this.blocks.length) throw new UserError('checkpoint.mapping', saved?.length ?? 'none', `must hold the states of ${this.blocks.length} tiles`);
    this.blocks.forEach(({ algorithm }, k) => algorithm.restoreState(saved[k]!));
  }

  endEpoch(trainLoss: number): void {
    for (const { algorithm } of this.blocks) algorithm.endEpoch?.(trainLoss);
  }

  diagnostics(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const { label, algorithm } of this.blocks) for (const [key, value] of Object.entries(algorithm.diagnostics?.() ?? {})) out[`${label}/${key}`] = value;
    return out;
  }
}

/**
 * The algorithm of a rows × cols layer under a mapping: one block when it fits one tile (the same
 * algorithm, streams and numbers as without a mapping), else a grid split by aihwkit's rule.
 */
export function mapAlgorithm(rows: number, cols: number, mapping: MappingConfig, name: string, build: BlockFactory): TrainingAlgorithm {
  const rowSizes = splitSizes(rows, mapping.maxOutputSize);
  const colSizes = splitSizes(cols, mapping.maxInputSize);
  if (rowSizes.length === 1 && colSizes.length === 1) return build(rows, cols, name);
  return new MappedAlgorithm(rows, cols, rowSizes, colSizes, name, build);
}

/** The algorithms of every physical tile of a layer (a mapped layer's blocks, else itself). */
export function physicalParts(algorithm: TrainingAlgorithm): TrainingAlgorithm[] {
  return algorithm instanceof MappedAlgorithm ? algorithm.parts() : [algorithm];
}
