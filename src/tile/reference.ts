import { z } from 'zod';
import type { Rng } from '../rng/index.js';
import { applyPulses } from '../devices/pulse-loop.js';
import type { DeviceResponse } from '../devices/response.js';

/**
 * How the reference array is programmed (papers.md §1.6: W = G − R). `pulsed` is closed-loop
 * program-and-verify on a second array of devices of the same model, with every pulse counted;
 * `ideal` sets the reference exactly, for free, and must be asked for.
 */
export const referenceSchema = z
  .object({
    programming: z.enum(['pulsed', 'ideal']).default('pulsed').describe('program the reference by counted pulses, or set it ideally (free)'),
    maxPulses: z.number().int().min(0).default(10000).describe('pulse budget per reference device when programming by pulses'),
  })
  .strict();
export type ReferenceConfig = z.output<typeof referenceSchema>;
export type ReferenceInput = z.input<typeof referenceSchema>;

export interface ProgramResult {
  up: number;
  down: number;
  /** Devices whose reference ended more than half a step from the target. */
  unconverged: number;
}

/**
 * Program-and-verify: pulse each reference device toward its target until the next pulse would
 * overshoot by more than it gains (|error| ≤ half the expected step), it stops responding, or the
 * budget runs out. The verify read is exact (a device-level read, not an MVM).
 */
export function programByPulses(
  device: DeviceResponse,
  conductance: Float64Array,
  target: ArrayLike<number>,
  maxPulses: number,
  rng: Rng,
): ProgramResult {
  let up = 0;
  let down = 0;
  let unconverged = 0;
  for (let k = 0; k < conductance.length; k++) {
    let g = conductance[k]!;
    const t = target[k]!;
    let converged = false;
    for (let n = 0; n < maxPulses; n++) {
      const error = t - g;
      const goUp = error > 0;
      const step = goUp ? device.expectedUp(k, g) : device.expectedDown(k, g);
      if (Math.abs(error) <= 0.5 * Math.abs(step) || !(step > 0)) {
        converged = Math.abs(error) <= 0.5 * Math.abs(step) || error === 0;
        break;
      }
      g = applyPulses(device, k, g, goUp, 1, rng);
      if (goUp) up++;
      else down++;
    }
    if (!converged) {
      const error = t - g;
      const step = error > 0 ? device.expectedUp(k, g) : device.expectedDown(k, g);
      if (Math.abs(error) > 0.5 * Math.abs(step)) unconverged++;
    }
    conductance[k] = g;
  }
  return { up, down, unconverged };
}
