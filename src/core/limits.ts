import { z } from 'zod';
import { UserError } from './errors.js';

/**
 * Size limits of what one run may allocate (issue 14). They keep every typed array well inside
 * the engine's limits (a Float64Array of Node 20 holds at most 2³² bytes; a tile's packed pulse
 * parameters take 8 doubles per device) and turn a typo such as `outputs: 1e9` into one line
 * instead of a RangeError or a machine out of memory.
 */
export const LIMITS = {
  /** Rows or columns of one tile, and the width of a layer (outputs, channels, inputs). */
  dimension: 65_536,
  /** Devices of one tile: 8192 × 8192. Larger layers must be split (several tiles). */
  tileDevices: 2 ** 26,
  /** Bit length of a pulse train (aihwkit's largest in the papers' scripts: 5000). */
  bitLength: 65_536,
  /** Mini-batch size. */
  batch: 65_536,
  /** Kernel size, stride and padding of a conv or pool layer. */
  kernel: 256,
} as const;

/** A positive integer field with an upper bound from LIMITS. */
export function boundedInt(max: number, doc: string, min = 1) {
  return z.number().int().min(min).max(max).describe(doc);
}

/** Checks the shape of one tile (rows × cols) against LIMITS; `field` names it in the error. */
export function checkTileShape(field: string, rows: number, cols: number): void {
  for (const [name, value] of [['rows', rows], ['cols', cols]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > LIMITS.dimension) {
      throw new UserError(`${field}.${name}`, value, `must be an integer from 1 to ${LIMITS.dimension}`);
    }
  }
  if (rows * cols > LIMITS.tileDevices) {
    throw new UserError(field, `${rows} × ${cols}`, `must have at most ${LIMITS.tileDevices} devices (8192 × 8192); split the layer`);
  }
}
