/**
 * The transcendental functions of every number aimsim computes, the same on every JavaScript
 * engine. ECMAScript leaves Math.log, Math.exp, Math.pow, Math.tanh (and `**` with a non-trivial
 * exponent) implementation-approximated, and engines differ in the last bit: over 100,000
 * arguments each, Node 20 (V8 11.3) and Chromium 156 disagree on 7 % of logarithms, 10 % of
 * exponentials, 11 % of fractional and 10 % of integer powers, and 0.02 % of tanh. One
 * differing bit in a device step or a normal draw sends a pulsed run down another path, so the
 * browser playground would not reproduce the CLI. These are stdlib's ports of FreeBSD's msun
 * (fdlibm), plain IEEE arithmetic that every engine does alike, and fdlibm's tanh written on
 * stdlib's expm1 (stdlib's own tanh is another algorithm).
 * `log`, `exp` and `tanh` agree with Node 20's Math.log, Math.exp and Math.tanh bit for bit
 * (checked over 200,000 arguments each), so results on Node 20 did not change with them. `pow`
 * differs from Node 20's `**` in the last bit for about 9 % of arguments (integer exponents
 * too; no portable algorithm we tried reproduces V8's): runs with pow-step devices, multi-tile
 * scales γ^k and growth^i, drift t^−ν and lr decay changed at that level (docs/playground.md).
 * Exact operations stay on Math (sqrt, abs, min, max, floor, and x ** 2, which is x·x).
 */
import stdlibExp from '@stdlib/math-base-special-exp';
import stdlibExpm1 from '@stdlib/math-base-special-expm1';
import stdlibLn from '@stdlib/math-base-special-ln';
import stdlibPow from '@stdlib/math-base-special-pow';

export const log: (x: number) => number = stdlibLn;
export const exp: (x: number) => number = stdlibExp;
export const pow: (base: number, exponent: number) => number = stdlibPow;

// The high word of a double, whatever the platform's byte order (DataView is big-endian here).
const bits = new DataView(new ArrayBuffer(8));

/** fdlibm's tanh (s_tanh.c): 1 − 2/(e^{2|x|} + 1) through expm1, V8's and Node 20's algorithm. */
export function tanh(x: number): number {
  bits.setFloat64(0, x);
  const jx = bits.getInt32(0);
  const ix = jx & 0x7fffffff;
  if (ix >= 0x7ff00000) return jx >= 0 ? 1 / x + 1 : 1 / x - 1; // ±1 for ±∞, NaN for NaN
  let z: number;
  if (ix < 0x40360000) {
    // |x| < 22
    if (ix < 0x3e300000) return x; // |x| < 2^-28: tanh(x) = x to double precision
    if (ix >= 0x3ff00000) {
      const t = stdlibExpm1(2 * Math.abs(x));
      z = 1 - 2 / (t + 2);
    } else {
      const t = stdlibExpm1(-2 * Math.abs(x));
      z = -t / (t + 2);
    }
  } else {
    z = 1; // |x| ≥ 22: 1 to double precision
  }
  return jx >= 0 ? z : -z;
}
