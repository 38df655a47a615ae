import { currentForwardPurpose } from '../tile/read-purpose.js';
import { Rng } from '../rng/index.js';
import { ioSchema, type AnalogTile, type IoConfig, type TileCounters, type UpdateConfig } from '../tile/index.js';
import { analogMvm } from '../tile/io.js';
import type { AlgorithmSetup, AlgorithmState } from './types.js';

/**
 * Forward/backward MVMs of a composite weight (W = Σ γ_k W_k of several arrays) through the tile
 * IO pipeline, with their own keyed streams; reads are counted on `counters` (the visible array).
 */
export class CompositeMvm {
  private readonly forwardIo: IoConfig;
  private readonly backwardIo: IoConfig;
  private readonly streams: { forward: Rng; backward: Rng };
  private readonly ioStates = { forward: { nmAverage: 0 }, backward: { nmAverage: 0 } };

  constructor(setup: AlgorithmSetup, name: string) {
    this.forwardIo = ioSchema.parse(setup.forward ?? {});
    this.backwardIo = ioSchema.parse(setup.backward ?? {});
    const base = Rng.stream(setup.seed, name, 'composite');
    this.streams = { forward: base.split('forward'), backward: base.split('backward') };
  }

  run(weights: Float64Array, rows: number, cols: number, input: ArrayLike<number>, batch: number, transposed: boolean, counters: TileCounters): Float64Array {
    const out = new Float64Array(batch * (transposed ? cols : rows));
    analogMvm(
      { weights, rows, cols, transposed, input, batch, output: out },
      {
        io: transposed ? this.backwardIo : this.forwardIo,
        rng: transposed ? this.streams.backward : this.streams.forward,
        state: transposed ? this.ioStates.backward : this.ioStates.forward,
        outNoiseScale: null,
        allowBoundManagement: !transposed,
      },
    );
    counters.addReads(transposed ? 'backward' : currentForwardPurpose(), batch);
    return out;
  }

  saveState(): AlgorithmState {
    return { rngs: [this.streams.forward.saveState(), this.streams.backward.saveState()], ioStates: structuredClone(this.ioStates) };
  }

  restoreState(state: AlgorithmState): void {
    const [forward, backward] = state['rngs'] as Uint32Array[];
    this.streams.forward.restoreState(forward!);
    this.streams.backward.restoreState(backward!);
    const io = state['ioStates'] as typeof this.ioStates;
    Object.assign(this.ioStates.forward, io.forward);
    Object.assign(this.ioStates.backward, io.backward);
  }
}

/** Per-tile scratch of the column reads and writes, so that a transfer allocates nothing. */
const columnScratch = new WeakMap<AnalogTile, { oneHot: Float64Array<ArrayBuffer>; read: Float64Array<ArrayBuffer>; d: Float64Array<ArrayBuffer> }>();

function scratchOf(tile: AnalogTile): { oneHot: Float64Array<ArrayBuffer>; read: Float64Array<ArrayBuffer>; d: Float64Array<ArrayBuffer> } {
  let s = columnScratch.get(tile);
  if (!s) {
    s = { oneHot: new Float64Array(tile.cols), read: new Float64Array(tile.rows), d: new Float64Array(tile.rows) };
    columnScratch.set(tile, s);
  }
  return s;
}

/**
 * Noisy, quantised read of column j of a tile: a = W·e_j through `io`, counted as a transfer
 * read. The result is the tile's scratch: valid until the next `readColumn` of the same tile.
 */
export function readColumn(tile: AnalogTile, j: number, io: IoConfig): Float64Array {
  const { oneHot, read } = scratchOf(tile);
  oneHot[j] = 1;
  try {
    return tile.read(oneHot, 1, io, 'transfer-read', read);
  } finally {
    oneHot[j] = 0;
  }
}

/** Pulsed write of `values` into column j of a tile: ΔW_·j ≈ +lr·values (x = e_j, d = −values). */
export function writeColumn(tile: AnalogTile, j: number, values: ArrayLike<number>, lr: number, update: UpdateConfig): void {
  const { oneHot, d } = scratchOf(tile);
  for (let i = 0; i < tile.rows; i++) d[i] = -values[i]!;
  oneHot[j] = 1;
  try {
    tile.update(oneHot, d, 1, lr, 'transfer', update);
  } finally {
    oneHot[j] = 0;
  }
}
