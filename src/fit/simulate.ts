import { applyPulses } from '../devices/pulse-loop.js';
import type { DeviceResponse } from '../devices/response.js';
import type { Rng } from '../rng/index.js';
import type { Trace } from './traces.js';

/**
 * The trace a device gives under a pulse sequence: `cycles` times `pulses` up then `pulses` down,
 * from its starting weight, one pulse at a time with its c2c noise and hard bounds (the measured
 * protocol of a potentiation/depression experiment). Used to test fits and to draw noise bands.
 */
export function simulateTrace(device: DeviceResponse, k: number, start: number, pulses: number, cycles: number, rng: Rng, name = `d${k}`): Trace {
  const up: boolean[] = [true];
  const weights: number[] = [start];
  let w = start;
  for (let c = 0; c < cycles; c++) {
    for (const direction of [true, false]) {
      for (let p = 0; p < pulses; p++) {
        w = applyPulses(device, k, w, direction, 1, rng);
        up.push(direction);
        weights.push(w);
      }
    }
  }
  return { device: name, up, weights };
}

/** The same pulse directions as `trace`, applied to a device from the trace's first weight. */
export function replayTrace(device: DeviceResponse, trace: Trace, rng: Rng): number[] {
  const weights = [trace.weights[0]!];
  let w = weights[0]!;
  for (let p = 1; p < trace.up.length; p++) {
    w = applyPulses(device, 0, w, trace.up[p]!, 1, rng);
    weights.push(w);
  }
  return weights;
}
