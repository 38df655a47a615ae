import type { Rng } from '../rng/index.js';
import type { NoiseModelConfig } from './config.js';
import { log, pow } from '../core/math.js';

/** aihwkit's clip of |w|max before it divides (inference/converter/conductance.py _ZERO_CLIP). */
const ZERO_CLIP = 1e-7;

/** A tile's weights as one conductance pair per weight (aihwkit SinglePairConductanceConverter). */
export interface ConductancePair {
  plus: Float64Array;
  minus: Float64Array;
  /** µS per weight unit: g_max / max|w|. */
  scale: number;
}

export function toConductances(weights: ArrayLike<number>, gMax: number): ConductancePair {
  let absMax = 0;
  for (let k = 0; k < weights.length; k++) absMax = Math.max(absMax, Math.abs(weights[k]!));
  const scale = gMax / Math.max(absMax, ZERO_CLIP);
  const plus = new Float64Array(weights.length);
  const minus = new Float64Array(weights.length);
  for (let k = 0; k < weights.length; k++) {
    const g = weights[k]! * scale;
    plus[k] = Math.min(Math.max(g, 0), gMax);
    minus[k] = Math.min(Math.max(-g, 0), gMax);
  }
  return { plus, minus, scale };
}

export function toWeights({ plus, minus, scale }: ConductancePair): Float64Array {
  const out = new Float64Array(plus.length);
  for (let k = 0; k < out.length; k++) out[k] = (plus[k]! - minus[k]!) / scale;
  return out;
}

/**
 * The statistics of aihwkit's PCMLikeNoiseModel and StateIndependentNoiseModel (aihwkit-model.md
 * §7), element by element in one random stream. Conductances in µS.
 */
export class NoiseModel {
  readonly config: NoiseModelConfig;

  constructor(config: NoiseModelConfig) {
    this.config = config;
  }

  get gMax(): number {
    return this.config.gMax;
  }

  /** σ_prog(g) = Σ c_k (g/g_max)^k, scaled to this g_max for the PCM fit. */
  programmingSigma(g: number): number {
    const { progCoeff, gMax } = this.config;
    let sigma = progCoeff[0]!;
    let power = 1;
    for (let k = 1; k < progCoeff.length; k++) {
      power *= g / gMax;
      sigma += power * progCoeff[k]!;
    }
    return this.config.kind === 'pcm' ? (sigma * gMax) / this.config.progCoeffGMax : sigma;
  }

  /** g_prog = max(g + s·σ_prog(g)·ξ, 0). */
  program(target: Float64Array, rng: Rng): Float64Array {
    const out = new Float64Array(target.length);
    const scale = this.config.progNoiseScale;
    for (let k = 0; k < target.length; k++) out[k] = Math.max(target[k]! + scale * this.programmingSigma(target[k]!) * rng.normal(), 0);
    return out;
  }

  /** ν per device, drawn once at programming from the target conductance. */
  driftCoefficients(target: Float64Array, rng: Rng): Float64Array {
    const out = new Float64Array(target.length);
    const { config } = this;
    for (let k = 0; k < target.length; k++) {
      let mean: number;
      let std: number;
      if (config.kind === 'pcm') {
        const relative = Math.max(Math.abs(target[k]! / config.gMax), ZERO_CLIP);
        mean = Math.min(Math.max(-0.0155 * log(relative) + 0.0244, 0.049), 0.1);
        std = Math.min(Math.max(-0.0125 * log(relative) - 0.0059, 0.008), 0.045);
      } else {
        mean = config.nuMean;
        std = config.nuStd;
      }
      out[k] = Math.abs(mean + std * rng.normal()) * config.driftScale;
    }
    return out;
  }

  /**
   * The conductances t seconds after programming: power-law drift from t₀, then the read noise
   * accumulated since programming (aihwkit apply_drift_noise_to_conductance), clipped at 0.
   */
  drift(programmed: Float64Array, nu: Float64Array, t: number, rng: Rng): Float64Array {
    const { config } = this;
    const time = t + config.t0;
    const logTerm = Math.sqrt(log((time + config.tRead) / (2 * config.tRead)));
    const out = new Float64Array(programmed.length);
    for (let k = 0; k < programmed.length; k++) {
      const g = programmed[k]!;
      const drifted = time > config.t0 ? g * pow(time / config.t0, -nu[k]!) : g;
      let sigma: number;
      if (config.kind === 'pcm') {
        const qs = Math.min(0.0088 / Math.max(pow(Math.abs(g) / config.gMax, 0.65), 1e-3), 0.2);
        sigma = Math.abs(drifted) * qs * logTerm;
      } else {
        sigma = Math.abs(drifted / config.gMax) * logTerm;
      }
      let read = drifted + config.readNoiseScale * sigma * rng.normal();
      if (config.kind === 'generic' && config.readNoiseAdditive > 0) read += config.readNoiseAdditive * rng.normal();
      out[k] = Math.max(read, 0);
    }
    return out;
  }
}
