import type { Rng } from '../rng/index.js';
import { drawNormals } from './common-hidden.js';
import type { CommonHidden, DeviceResponse } from './response.js';
import { multiplicativePulse } from './pulse-loop.js';
import { solveSymmetricPoint } from './symmetric-point.js';
import { pow } from '../core/math.js';

/** The exponent fields shared by pow-step and pow-step-reference. */
export interface PowExponentConfig {
  powGamma: number;
  powGammaDtod: number;
  powUpDown: number;
  powUpDownDtod: number;
  dwMin: number;
  dwMinStd: number;
  resetStd: number;
  enforceConsistency: boolean;
}

/**
 * Power steps on the range-normalised distance to the bounds (aihwkit-model.md §2.2; the
 * normalised form of papers.md §1.5(e), the one aihwkit's PowStepDevice uses):
 * Δ⁺ = Δw⁺((b^max − g)/R)^{γ⁺}, Δ⁻ = Δw⁻((g − b^min)/R)^{γ⁻}, R = b^max − b^min.
 */
export function powResponse(
  kind: string,
  config: PowExponentConfig,
  hidden: CommonHidden,
  rng: Rng,
  writeNoise: number,
  applyWriteNoiseOnSet: boolean,
): DeviceResponse {
  const size = hidden.bmax.length;
  const { scaleUp, scaleDown, bmax, bmin } = hidden;
  const xiGain = drawNormals(rng.split('pow-gamma'), size);
  const xiUpDown = drawNormals(rng.split('pow-up-down'), size);
  const gammaUp = new Float64Array(size);
  const gammaDown = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    // Same bias rule as the steps (aihwkit-model.md §2.2 "PowStep exponents").
    const gain = 1 + config.powGammaDtod * xiGain[k]!;
    const r = config.powUpDownDtod * xiUpDown[k]!;
    gammaUp[k] = config.powGamma * (gain + r + Math.min(config.powUpDown, 0));
    gammaDown[k] = config.powGamma * (gain - r - Math.max(config.powUpDown, 0));
    // aihwkit takes |γ±| under enforce_consistency (rpu_powstep_device.cpp): a negative draw
    // would make steps grow toward the bound.
    if (config.enforceConsistency) {
      gammaUp[k] = Math.abs(gammaUp[k]!);
      gammaDown[k] = Math.abs(gammaDown[k]!);
    }
  }
  const sigma = config.dwMinStd;
  const expectedUp = (k: number, g: number) => {
    const span = bmax[k]! - bmin[k]!;
    return span > 0 ? scaleUp[k]! * pow(Math.max(bmax[k]! - g, 0) / span, gammaUp[k]!) : 0;
  };
  const expectedDown = (k: number, g: number) => {
    const span = bmax[k]! - bmin[k]!;
    return span > 0 ? scaleDown[k]! * pow(Math.max(g - bmin[k]!, 0) / span, gammaDown[k]!) : 0;
  };
  const device: DeviceResponse = {
    kind,
    size,
    hidden,
    granularity: config.dwMin * pow(0.5, config.powGamma),
    writeNoise,
    applyWriteNoiseOnSet,
    resetStd: config.resetStd,
    isIdeal: false,
    symmetricPointMethod: 'closed-form',
    expectedUp,
    expectedDown,
    pulseOnce: multiplicativePulse(expectedUp, expectedDown, sigma),
    symmetricPoint(k) {
      // Equal exponents: Δw⁺(b^max − g)^γ = Δw⁻(g − b^min)^γ ⇒ g* = (b^max + ρ·b^min)/(1 + ρ),
      // ρ = (Δw⁻/Δw⁺)^{1/γ}. Unequal exponents have no closed form.
      const gu = gammaUp[k]!;
      const up = scaleUp[k]!;
      const down = scaleDown[k]!;
      if (gu === gammaDown[k]! && gu > 0 && up > 0 && down > 0) {
        const rho = pow(down / up, 1 / gu);
        return (bmax[k]! + rho * bmin[k]!) / (1 + rho);
      }
      return solveSymmetricPoint(device, k);
    },
  };
  return device;
}
