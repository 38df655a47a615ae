/**
 * The transcendental functions of every number aimsim computes, the same on every JavaScript
 * engine. ECMAScript leaves Math.log, Math.exp, Math.pow, Math.tanh (and `**` with a non-trivial
 * exponent) implementation-approximated, and engines differ in the last bit: over 100,000
 * arguments each, Node 20 (V8 11.3) and Chromium 156 disagree on 7 % of logarithms, 10 % of
 * exponentials, 11 % of fractional and 10 % of integer powers, and 0.02 % of tanh. One differing bit in a device step or a normal draw sends a
 * pulsed run down another path, so the browser playground would not reproduce the CLI. These are
 * stdlib's ports of FreeBSD's msun (fdlibm), plain IEEE arithmetic that every engine does
 * alike. `log` and `exp` agree with Node 20's Math.log and Math.exp bit for bit (checked over
 * 200,000 arguments each), so results on Node 20 did not change with them; `pow` and `tanh`
 * differ from Node 20's in the last bit for some arguments.
 * Exact operations stay on Math (sqrt, abs, min, max, floor, and x ** 2, which is x·x).
 */
import stdlibExp from '@stdlib/math-base-special-exp';
import stdlibLn from '@stdlib/math-base-special-ln';
import stdlibPow from '@stdlib/math-base-special-pow';
import stdlibTanh from '@stdlib/math-base-special-tanh';

export const log: (x: number) => number = stdlibLn;
export const exp: (x: number) => number = stdlibExp;
export const pow: (base: number, exponent: number) => number = stdlibPow;
export const tanh: (x: number) => number = stdlibTanh;
