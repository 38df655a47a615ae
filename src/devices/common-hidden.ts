import type { Rng } from '../rng/index.js';
import type { CommonHidden } from './response.js';
import { exp } from '../core/math.js';

/** The fields `populateCommonHidden` reads: the pulsed-device fields of fields.ts. */
export interface PulsedDeviceConfig {
  dwMin: number;
  dwMinDtod: number;
  dwMinDtodLogNormal: boolean;
  wMax: number;
  wMin: number;
  wMaxDtod: number;
  wMinDtod: number;
  upDown: number;
  upDownDtod: number;
  enforceConsistency: boolean;
  corruptDevicesProb: number;
  corruptDevicesRange: number;
  reset: number;
  resetDtod: number;
  resetStd: number;
  lifetime: number;
  lifetimeDtod: number;
  diffusion: number;
  diffusionDtod: number;
}

/** Draws n standard normals from a stream (one draw per device, in device order). */
export function drawNormals(rng: Rng, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = rng.normal();
  return out;
}

/**
 * Device-to-device draws of the hidden parameters shared by all pulsed devices
 * (aihwkit-model.md §2.1, `PulsedRPUDevice::populate`). Every hidden parameter has its own
 * keyed sub-stream, so switching one variation on or off leaves the draws of the others as they were.
 */
export function populateCommonHidden(config: PulsedDeviceConfig, size: number, rng: Rng): CommonHidden {
  const bmax = new Float64Array(size);
  const bmin = new Float64Array(size);
  const scaleUp = new Float64Array(size);
  const scaleDown = new Float64Array(size);
  const resetBias = new Float64Array(size);
  const decayScale = new Float64Array(size);
  const diffusionRate = new Float64Array(size);

  const xiMax = drawNormals(rng.split('w-max'), size);
  const xiMin = drawNormals(rng.split('w-min'), size);
  const xiGain = drawNormals(rng.split('dw-min'), size);
  const xiUpDown = drawNormals(rng.split('up-down'), size);
  const xiReset = drawNormals(rng.split('reset'), size);
  const xiLifetime = drawNormals(rng.split('lifetime'), size);
  const xiDiffusion = drawNormals(rng.split('diffusion'), size);
  const corruptRng = rng.split('corrupt');

  const { dwMin, upDown } = config;
  for (let k = 0; k < size; k++) {
    let hi = config.wMax * (1 + config.wMaxDtod * xiMax[k]!);
    let lo = config.wMin * (1 + config.wMinDtod * xiMin[k]!);
    const gain = config.dwMinDtodLogNormal ? exp(config.dwMinDtod * xiGain[k]!) : 1 + config.dwMinDtod * xiGain[k]!;
    const r = config.upDownDtod * xiUpDown[k]!;
    // The up/down bias lowers only one side (papers.md §1.5(c) caution; aihwkit populate).
    let up = dwMin * (gain + r + Math.min(upDown, 0));
    let down = dwMin * (gain - r - Math.max(upDown, 0));
    if (config.enforceConsistency) {
      up = Math.abs(up);
      down = Math.abs(down);
      if (lo > hi) [lo, hi] = [hi, lo];
      hi = Math.abs(hi);
      lo = -Math.abs(lo);
    } else if (lo > hi) {
      // Crossed bounds: a dead device pinned at the midpoint.
      const mid = (lo + hi) / 2;
      lo = mid;
      hi = mid;
    }
    if (config.corruptDevicesProb > 0 && corruptRng.uniform() < config.corruptDevicesProb) {
      const range = config.corruptDevicesRange;
      const a = Math.max(lo, -range);
      const b = Math.min(hi, range);
      const stuck = a + (b - a) * corruptRng.uniform();
      lo = stuck;
      hi = stuck;
      up = 0;
      down = 0;
    }
    bmax[k] = hi;
    bmin[k] = lo;
    scaleUp[k] = up;
    scaleDown[k] = down;
    resetBias[k] = config.reset + config.resetDtod * xiReset[k]!;
    diffusionRate[k] = Math.abs(config.diffusion * (1 + config.diffusionDtod * xiDiffusion[k]!));
    if (config.lifetime === 0) {
      decayScale[k] = 1;
    } else {
      const life = config.lifetime * (1 + config.lifetimeDtod * xiLifetime[k]!);
      decayScale[k] = life > 1 ? 1 - 1 / life : 0;
    }
  }
  return { bmax, bmin, scaleUp, scaleDown, resetBias, decayScale, diffusionRate };
}
