import type { Rng } from '../rng/index.js';
import type { UpdateConfig } from './update-config.js';

/** Bit length and the probability scales: p_j = b·|x_j| (x side), q_i = a·|d_i| (d side). */
export interface PulseScaling {
  bl: number;
  a: number;
  b: number;
}

/**
 * From learning rate to pulse probabilities, exactly as aihwkit-model.md §3.2 (`calculateBlAB`
 * followed by update management and BL management). Returns null when no update is due
 * (max|x| or max|d| is 0 under management). Unclipped, E[ΔW_ij] = −lr·x_j·d_i because
 * a·b·BL·granularity = lr.
 */
export function pulseScaling(lr: number, granularity: number, config: UpdateConfig, xAbsMax: number, dAbsMax: number): PulseScaling | null {
  const desired = config.desiredBl;
  let bl: number;
  let a: number;
  let b: number;
  if (config.fixedBl || config.updateBlManagement || granularity * desired >= lr) {
    bl = desired;
    a = b = Math.sqrt(lr / (granularity * bl));
  } else {
    bl = Math.max(Math.ceil(lr / granularity), 1);
    a = b = 1;
  }
  if (config.updateManagement || config.updateBlManagement) {
    let dHat = config.umGradScale * dAbsMax;
    const xHat = xAbsMax;
    if (xHat === 0 || dHat === 0) return null;
    const k = (lr * xHat * dHat) / granularity; // expected pulses of the largest element
    // A product that underflows (denormal x and d) expects no pulse; BL would be 0.
    if (!(k > 0)) return null;
    if (config.updateBlManagement) {
      bl = Math.min(Math.ceil(k), desired);
      a = b = Math.sqrt(lr / (granularity * bl));
    }
    if (config.updateManagement) {
      if (k > desired) dHat *= desired / k; // protects x from clipping; d gets clipped
      a *= Math.sqrt(xHat / dHat);
      b *= Math.sqrt(dHat / xHat);
    }
  }
  return { bl, a, b };
}

/** Discretisation of a probability by `res` (aihwkit-model.md §3.1), optionally stochastic. */
export function discretizeProbability(p: number, config: UpdateConfig, rng: Rng): number {
  if (!(config.res > 0)) return p;
  const step = config.res <= 1 ? config.res : 1 / config.res;
  return (config.stoRound ? Math.floor(p / step + rng.uniform()) : Math.round(p / step)) * step;
}

/** Number of set bits of a 32-bit word. */
export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * Writes one stochastic pulse train: slot k fires iff p > U_k (aihwkit-model.md §3.3), bit k of
 * the `words` words at `offset`. A probability ≥ 1 fires in every slot (clipping) and 0 never
 * fires; neither draws. Returns whether any slot fired.
 */
export function fillPulseTrain(p: number, bl: number, bits: Uint32Array, offset: number, words: number, rng: Rng): boolean {
  for (let w = 0; w < words; w++) bits[offset + w] = 0;
  if (!(p > 0)) return false;
  if (p >= 1) {
    for (let k = 0; k < bl; k++) bits[offset + (k >>> 5)] = bits[offset + (k >>> 5)]! | (1 << (k & 31));
    return true;
  }
  let any = false;
  for (let k = 0; k < bl; k++) {
    if (p > rng.uniform()) {
      bits[offset + (k >>> 5)] = bits[offset + (k >>> 5)]! | (1 << (k & 31));
      any = true;
    }
  }
  return any;
}
