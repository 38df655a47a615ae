import type { Rng } from '../rng/index.js';
import type { DeviceResponse } from './response.js';

/**
 * The one pulse loop every model shares: `count` pulses of one direction applied in order to
 * device k, each with fresh cycle-to-cycle noise and clipped to the hard bounds after every
 * pulse (aihwkit-model.md §2.2, "clipped to [b^min, b^max] after every pulse").
 */
export function applyPulses(device: DeviceResponse, k: number, g: number, up: boolean, count: number, rng: Rng): number {
  const hi = device.hidden.bmax[k]!;
  const lo = device.hidden.bmin[k]!;
  for (let p = 0; p < count; p++) {
    g = device.pulseOnce(k, g, up, rng);
    if (g > hi) g = hi;
    else if (g < lo) g = lo;
  }
  return g;
}

/** Clip to the hard bounds of device k. */
export function clipToBounds(device: DeviceResponse, k: number, g: number): number {
  const hi = device.hidden.bmax[k]!;
  const lo = device.hidden.bmin[k]!;
  return g > hi ? hi : g < lo ? lo : g;
}

/**
 * The pulse of most models: the expected step times (1 + σξ), a fresh ξ per pulse
 * (aihwkit-model.md §2.2 "multiplicative" c2c noise). No draw when σ = 0.
 */
export function multiplicativePulse(
  expectedUp: (k: number, g: number) => number,
  expectedDown: (k: number, g: number) => number,
  sigma: number,
): DeviceResponse['pulseOnce'] {
  return (k, g, up, rng) => {
    const factor = sigma > 0 ? 1 + sigma * rng.normal() : 1;
    return up ? g + expectedUp(k, g) * factor : g - expectedDown(k, g) * factor;
  };
}
