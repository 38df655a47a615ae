import type { Rng } from '../rng/index.js';
import type { CommonHidden, DeviceResponse } from './response.js';
import { solveSymmetricPoint } from './symmetric-point.js';

/**
 * Steps linear in the conductance, shared by linear-step and the soft-bounds family
 * (aihwkit-model.md §2.2): Δ⁺(g) = offsetUp + slopeUp·g, Δ⁻(g) = offsetDown + slopeDown·g.
 */
export interface LinearSteps {
  readonly offsetUp: Float64Array;
  readonly slopeUp: Float64Array;
  readonly offsetDown: Float64Array;
  readonly slopeDown: Float64Array;
}

export interface LinearResponseOptions {
  kind: string;
  hidden: CommonHidden;
  steps: LinearSteps;
  /** Relative cycle-to-cycle noise σ. */
  dwMinStd: number;
  /** Multiplicative noise `(s·g + Δ)(1 + σξ)`; otherwise additive `s·g + Δ(1 + σξ)`. */
  multNoise: boolean;
  granularity: number;
  writeNoise: number;
  applyWriteNoiseOnSet: boolean;
  resetStd: number;
  idealReference?: (k: number) => number;
}

export function linearResponse(options: LinearResponseOptions): DeviceResponse {
  const { hidden, dwMinStd: sigma, multNoise } = options;
  const { offsetUp, slopeUp, offsetDown, slopeDown } = options.steps;
  const device: DeviceResponse = {
    kind: options.kind,
    size: hidden.bmax.length,
    hidden,
    granularity: options.granularity,
    writeNoise: options.writeNoise,
    applyWriteNoiseOnSet: options.applyWriteNoiseOnSet,
    resetStd: options.resetStd,
    isIdeal: false,
    symmetricPointMethod: 'closed-form',
    expectedUp: (k, g) => offsetUp[k]! + slopeUp[k]! * g,
    expectedDown: (k, g) => offsetDown[k]! + slopeDown[k]! * g,
    pulseOnce(k: number, g: number, up: boolean, rng: Rng): number {
      const noise = sigma > 0 ? sigma * rng.normal() : 0;
      if (up) {
        return multNoise
          ? g + (offsetUp[k]! + slopeUp[k]! * g) * (1 + noise)
          : g + slopeUp[k]! * g + offsetUp[k]! * (1 + noise);
      }
      return multNoise
        ? g - (offsetDown[k]! + slopeDown[k]! * g) * (1 + noise)
        : g - slopeDown[k]! * g - offsetDown[k]! * (1 + noise);
    },
    symmetricPoint(k: number): number {
      // Δ⁺(g) = Δ⁻(g) ⇒ g* = (offsetUp − offsetDown)/(slopeDown − slopeUp); for soft bounds this is
      // (Δw⁺ − Δw⁻)/(Δw⁺/b^max − Δw⁻/b^min) (spec README fact 2). It attracts only when the drift
      // falls with g; otherwise the device runs to a bound, which the numeric solver follows.
      const slopeGap = slopeDown[k]! - slopeUp[k]!;
      if (!(slopeGap > 0)) return solveSymmetricPoint(device, k);
      const sp = (offsetUp[k]! - offsetDown[k]!) / slopeGap;
      const lo = hidden.bmin[k]!;
      const hi = hidden.bmax[k]!;
      return sp > hi ? hi : sp < lo ? lo : sp;
    },
  };
  if (options.idealReference) device.idealReference = options.idealReference;
  device.linear = { offsetUp, slopeUp, offsetDown, slopeDown, sigma, multNoise };
  return device;
}

/** Scales the steps by the papers' c_Lin: Δw⁺ × (1 + c), Δw⁻ × (1 − c) (papers.md §1.5(c)). */
export function applyCLin(hidden: CommonHidden, cLin: number): void {
  if (cLin === 0) return;
  for (let k = 0; k < hidden.scaleUp.length; k++) {
    hidden.scaleUp[k] = hidden.scaleUp[k]! * (1 + cLin);
    hidden.scaleDown[k] = hidden.scaleDown[k]! * (1 - cLin);
  }
}

/**
 * Soft-bounds steps from the common hidden parameters: Δ⁺ = Δw⁺(1 − g/b^max),
 * Δ⁻ = Δw⁻(1 − g/b^min), i.e. linear-step with γ = 1 and per-device bounds as reference.
 */
export function softBoundsSteps(hidden: CommonHidden): LinearSteps {
  const size = hidden.bmax.length;
  const slopeUp = new Float64Array(size);
  const slopeDown = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    const up = hidden.scaleUp[k]!;
    const down = hidden.scaleDown[k]!;
    // A stuck device (zero steps) may have a zero bound; keep its slope 0 instead of NaN.
    slopeUp[k] = up === 0 ? 0 : -up / hidden.bmax[k]!;
    slopeDown[k] = down === 0 ? 0 : -down / hidden.bmin[k]!;
  }
  return { offsetUp: hidden.scaleUp, slopeUp, offsetDown: hidden.scaleDown, slopeDown };
}

/** The config fields every linear-response model passes the same way. */
export interface LinearNoiseConfig {
  dwMin: number;
  dwMinStd: number;
  multNoise: boolean;
  writeNoiseStd: number;
  applyWriteNoiseOnSet: boolean;
  resetStd: number;
}

/** `linearResponse` for a model whose granularity is dwMin and whose write noise is in dwMin units. */
export function linearResponseOf(kind: string, config: LinearNoiseConfig, hidden: CommonHidden, steps: LinearSteps): DeviceResponse {
  return linearResponse({
    kind,
    hidden,
    steps,
    dwMinStd: config.dwMinStd,
    multNoise: config.multNoise,
    granularity: config.dwMin,
    writeNoise: config.writeNoiseStd * config.dwMin,
    applyWriteNoiseOnSet: config.applyWriteNoiseOnSet,
    resetStd: config.resetStd,
  });
}
