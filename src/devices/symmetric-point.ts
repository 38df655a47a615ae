import type { DeviceResponse } from './response.js';

/**
 * Numeric symmetric point of device k: the attracting root of D(g) = Δ⁺(g) − Δ⁻(g)
 * (spec README fact 2; papers.md §1.4), found from g = 0 by following the drift direction.
 * If the drift keeps its sign up to a bound, the device settles at that bound. With Δ⁺ ≡ Δ⁻
 * every point is symmetric and the start (0, clipped into the bounds) is returned.
 */
export function solveSymmetricPoint(device: DeviceResponse, k: number, gridPoints = 512): number {
  const lo = device.hidden.bmin[k]!;
  const hi = device.hidden.bmax[k]!;
  if (!(hi > lo)) return lo;
  const drift = (g: number) => device.expectedUp(k, g) - device.expectedDown(k, g);
  const start = Math.min(Math.max(0, lo), hi);
  const d0 = drift(start);
  if (d0 === 0) return start;
  const step = ((hi - lo) / gridPoints) * (d0 > 0 ? 1 : -1);
  let a = start;
  for (;;) {
    let b = a + step;
    if (d0 > 0 ? b >= hi : b <= lo) {
      b = d0 > 0 ? hi : lo;
      const db = drift(b);
      if (db === 0 || Math.sign(db) === Math.sign(d0)) return b;
      return bisect(drift, a, b);
    }
    const db = drift(b);
    if (db === 0) return b;
    if (Math.sign(db) !== Math.sign(d0)) return bisect(drift, a, b);
    a = b;
  }
}

function bisect(f: (g: number) => number, a: number, b: number): number {
  let fa = f(a);
  for (let it = 0; it < 200; it++) {
    const m = 0.5 * (a + b);
    if (m === a || m === b) break;
    const fm = f(m);
    if (fm === 0) return m;
    if (Math.sign(fm) === Math.sign(fa)) {
      a = m;
      fa = fm;
    } else {
      b = m;
    }
  }
  return 0.5 * (a + b);
}

/**
 * The SP estimate aihwkit's PowStepReferenceDevice computes (aihwkit-model.md §2.4 item 2):
 * `steps` noise-free down-and-up pairs, both evaluated at the current estimate, from 0, not
 * clipped (rpu_powstep_reference_device.cpp). The expected steps vanish beyond a bound, so an
 * overshoot cannot give NaN here where aihwkit's powf would.
 */
export function estimateSymmetricPointByPulsing(device: DeviceResponse, k: number, steps: number): number {
  let sp = 0;
  for (let n = 0; n < steps; n++) sp = sp - device.expectedDown(k, sp) + device.expectedUp(k, sp);
  return sp;
}
