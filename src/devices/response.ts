import type { Rng } from '../rng/index.js';

/**
 * The hidden parameters every pulsed device has (aihwkit-model.md §2.1), one entry per device,
 * in conductance space (the reference, if any, is subtracted by the tile).
 */
export interface CommonHidden {
  /** Upper hard bound b^max. */
  readonly bmax: Float64Array;
  /** Lower hard bound b^min. */
  readonly bmin: Float64Array;
  /** Mean up step Δw⁺ (0 for a stuck device). */
  readonly scaleUp: Float64Array;
  /** Mean down step Δw⁻ (0 for a stuck device). */
  readonly scaleDown: Float64Array;
  /** Reset target b_ij (also the decay target). */
  readonly resetBias: Float64Array;
  /** Decay factor δ_ij per mini-batch (1 = no decay). */
  readonly decayScale: Float64Array;
  /** Diffusion standard deviation ρ_ij per mini-batch. */
  readonly diffusionRate: Float64Array;
}

export type SymmetricPointMethod = 'closed-form' | 'numeric' | 'anywhere';

/**
 * A populated array of devices of one model: its hidden parameters and step functions.
 * The shared pulse loop (pulse-loop.ts) drives `pulseOnce`; only the step response differs
 * between models (style.md: one small function pair driven by one engine).
 */
export interface DeviceResponse {
  readonly kind: string;
  readonly size: number;
  readonly hidden: CommonHidden;
  /** Weight granularity of the model (aihwkit-model.md §2.1), used by update management. */
  readonly granularity: number;
  /** Absolute standard deviation of the write noise (writeNoiseStd·dwMin); 0 = off. */
  readonly writeNoise: number;
  readonly applyWriteNoiseOnSet: boolean;
  /** Cycle-to-cycle noise of a reset. */
  readonly resetStd: number;
  /** True for the ideal device: updates are exact floating point, no pulses. */
  readonly isIdeal: boolean;
  readonly symmetricPointMethod: SymmetricPointMethod;
  /** Expected (noise-free) magnitude of an up step of device k at conductance g: Δ⁺(g). */
  expectedUp(k: number, g: number): number;
  /** Expected (noise-free) magnitude of a down step of device k at conductance g: Δ⁻(g). */
  expectedDown(k: number, g: number): number;
  /** One pulse with cycle-to-cycle noise; returns the new conductance before clipping. */
  pulseOnce(k: number, g: number, up: boolean, rng: Rng): number;
  /** The symmetric point of device k in conductance space, where Δ⁺ = Δ⁻ (spec README fact 2). */
  symmetricPoint(k: number): number;
  /**
   * The reference conductance the model itself sets, free of pulses (the *-reference models of
   * aihwkit-model.md §2.4). Absent for models without a built-in reference.
   */
  idealReference?(k: number): number;
  /**
   * Set by the linear-response models (linear-step, the soft-bounds family): their steps and noise
   * as data, so the update engine can apply pulses in an inlined loop with exactly the arithmetic
   * of `pulseOnce` (bit-identical; issue 8's fast path).
   */
  linear?: LinearPulseParams;
  /** Snaps a conductance to a value the device can hold (limited-state levels); identity otherwise. */
  representable?(k: number, g: number): number;
}

/** Δ⁺(g) = offsetUp + slopeUp·g, Δ⁻(g) = offsetDown + slopeDown·g, c2c noise σ (multiplicative or additive). */
export interface LinearPulseParams {
  readonly offsetUp: Float64Array;
  readonly slopeUp: Float64Array;
  readonly offsetDown: Float64Array;
  readonly slopeDown: Float64Array;
  readonly sigma: number;
  readonly multNoise: boolean;
}
