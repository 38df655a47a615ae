import type { DeviceResponse } from './response.js';

/**
 * The response-function view of a device (papers.md §1.1–§1.2): Δ±(w) = Δw_min·q±(w), with
 * Δw_min the model's granularity, F = (q⁻ + q⁺)/2 (symmetric part) and G = (q⁻ − q⁺)/2
 * (asymmetric part), so one update moves w by Δ·F(w) − |Δ|·G(w). G(w⋄) = 0 at the SP.
 */
export interface ResponseFunctions {
  qPlus(w: number): number;
  qMinus(w: number): number;
  F(w: number): number;
  G(w: number): number;
}

export function responseFunctions(device: DeviceResponse, k: number): ResponseFunctions {
  const g = device.granularity;
  const qPlus = (w: number) => device.expectedUp(k, w) / g;
  const qMinus = (w: number) => device.expectedDown(k, w) / g;
  return { qPlus, qMinus, F: (w) => (qMinus(w) + qPlus(w)) / 2, G: (w) => (qMinus(w) - qPlus(w)) / 2 };
}
