import type { z } from 'zod';
import type { Rng } from '../rng/index.js';
import type { DeviceResponse, SymmetricPointMethod } from './response.js';

/**
 * A device model: its config schema (defaults, ranges, docs), a one-line equation, and
 * `build`, which draws the hidden parameters of `size` devices and returns their step functions.
 */
export interface DeviceModel<Config extends { kind: string }> {
  readonly kind: Config['kind'];
  readonly schema: z.ZodType<Config, unknown>;
  /** The up/down step equations, as shown in docs and `aimsim device`. */
  readonly equation: string;
  readonly symmetricPointMethod: SymmetricPointMethod;
  build(config: Config, size: number, rng: Rng): DeviceResponse;
}
