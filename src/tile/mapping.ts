import { z } from 'zod';
import { LIMITS } from '../core/limits.js';

const tileLimit = (doc: string) => z.number().int().min(0).max(LIMITS.dimension).describe(`${doc}; 0 = no limit`);
const maxInputSize = tileLimit('most inputs (columns) on one tile; a wider layer is split over several tiles whose partial outputs are added digitally (aihwkit max_input_size, 512 by default there)');
const maxOutputSize = tileLimit('most outputs (rows) on one tile; a taller layer is split over several tiles (aihwkit max_output_size, 512 by default there)');

/**
 * How a layer's weight matrix is laid onto physical tiles (aihwkit `MappingParameter`
 * max_input_size / max_output_size). 0 = no limit: the whole layer on one tile, aimsim's default;
 * aihwkit's default is 512 × 512 (docs/mapping.md).
 */
export const mappingSchema = z.object({ maxInputSize: maxInputSize.default(0), maxOutputSize: maxOutputSize.default(0) }).strict();
export type MappingConfig = z.output<typeof mappingSchema>;

/** A layer's own mapping fields, over the network-wide ones (unset fields: the network's). */
export const mappingOverrideSchema = z.object({ maxInputSize: maxInputSize.optional(), maxOutputSize: maxOutputSize.optional() }).strict();

/**
 * aihwkit's split rule (TileModuleArray.get_split_sizes): as few tiles as the limit allows, sizes
 * as equal as possible, the larger ones first. 784 inputs at most 512 → [392, 392].
 */
export function splitSizes(size: number, maxSize: number): number[] {
  if (maxSize <= 0 || size <= maxSize) return [size];
  const splits = Math.ceil(size / maxSize);
  const base = Math.floor(size / splits);
  const extra = size % splits;
  return Array.from({ length: splits }, (_, i) => base + (i < extra ? 1 : 0));
}
