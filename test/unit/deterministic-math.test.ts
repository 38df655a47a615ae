/**
 * The transcendental functions behind every number (src/core/math.ts) are the same on every
 * engine: fdlibm's, in plain IEEE arithmetic. Engines' own Math.log, Math.exp, Math.pow and
 * Math.tanh differ in the last bit (Node 20 and Chromium 156 disagree on 7–11 % of arguments for
 * log, exp and pow),
 * which would make the playground's numbers differ from the CLI's.
 * - The Wasm kernels' own fdlibm log and exp (the ziggurat's slow path, also on kernel threads
 *   whose workers cannot import JS) round exactly as src/core/math.ts, over the whole range.
 * - Golden values: fixed arguments give fixed bits, so a swap back to an engine's Math shows up
 *   here on the engine that differs.
 * - No numeric source calls Math's transcendental functions or `**` beyond squares.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import stdlibExpm1 from '@stdlib/math-base-special-expm1';
import { exp, log, pow, tanh } from '../../src/core/math.js';
import { wasmMath } from '../../src/kernels/wasm-gemm.js';
import { Rng } from '../../src/rng/index.js';

function hashBits(values: Iterable<number>): string {
  const buffer = new Float64Array(1);
  const words = new Uint32Array(buffer.buffer);
  let h = 2166136261 >>> 0;
  for (const v of values) {
    buffer[0] = v;
    h = Math.imul(h ^ words[0]!, 16777619) >>> 0;
    h = Math.imul(h ^ words[1]!, 16777619) >>> 0;
  }
  return h.toString(16);
}

function* uniform(seed: number, n: number, lo: number, hi: number): Generator<number> {
  const rng = Rng.stream(seed, 'math-test');
  for (let i = 0; i < n; i++) yield lo + (hi - lo) * rng.uniform();
}

describe('deterministic transcendental functions (src/core/math.ts)', () => {
  it('the Wasm kernels’ log, exp, expm1 and tanh round exactly as the JS ones, edges and subnormal results included', () => {
    const wasm = wasmMath();
    expect(wasm).not.toBeNull();
    const logArgs = [...uniform(1, 200_000, 0, 1), ...uniform(2, 50_000, 1, 1e300), ...Array.from(uniform(3, 20_000, -1074, 1023), (e) => 2 ** e),
      0, -0, -1, 1, Number.MIN_VALUE, Number.MAX_VALUE, Infinity, NaN, 2.3283064365386963e-10 / 2];
    const expArgs = [...uniform(4, 200_000, -20, 20), ...uniform(5, 50_000, -745.2, 709.8), ...uniform(6, 5_000, -745.2, -708), 0, -0, 1e-300, -1e-9, 709.78, -745.13, 710, -746, Infinity, -Infinity, NaN];
    const differ = (f: (x: number) => number, g: (x: number) => number, args: number[]) => args.filter((x) => !Object.is(f(x), g(x)));
    expect(differ(wasm!.log, log, logArgs)).toEqual([]);
    expect(differ(wasm!.exp, exp, expArgs)).toEqual([]);
    // expm1 over each of its branches (|x| ≤ ln2/2, k = ±1, 2 ≤ |k| < 20, 20 ≤ k ≤ 56, beyond,
    // overflow) and tanh (the activations' range and its tails).
    const expm1Args = [...uniform(10, 100_000, -1.5, 1.5), ...uniform(11, 100_000, -40, 40), ...uniform(12, 20_000, -60, 709.9), ...Array.from(uniform(13, 20_000, -60, 0), (e) => 2 ** e), ...Array.from(uniform(14, 20_000, -60, 0), (e) => -(2 ** e)),
      0, -0, 1e-300, -1e-300, 0.34657359027997264, -0.34657359027997264, 1.0397207708399179, 38.816242111356935, -38.816242111356935, 709.78, 710, Infinity, -Infinity, NaN];
    const tanhArgs = [...uniform(15, 200_000, -8, 8), ...uniform(16, 20_000, -30, 30), ...Array.from(uniform(17, 20_000, -40, 0), (e) => 2 ** e), 0, -0, 22, -22, 1, -1, Infinity, -Infinity, NaN];
    expect(differ(wasm!.expm1, stdlibExpm1, expm1Args)).toEqual([]);
    expect(differ(wasm!.tanh, tanh, tanhArgs)).toEqual([]);
  });

  it('fixed arguments give fixed bits (golden hashes, the same on every engine)', () => {
    const args = [...uniform(7, 10_000, 0, 4)];
    const results = {
      log: hashBits(args.map((x) => log(x + 1e-9))),
      exp: hashBits(args.map((x) => exp(-3 * x))),
      pow: hashBits(args.map((x) => pow(x, 0.65))),
      powInteger: hashBits(args.map((x) => pow(x, 5))),
      tanh: hashBits(args.map((x) => tanh(x - 2))),
      normal: hashBits(Array.from({ length: 100_000 }, ((rng) => () => rng.normal())(Rng.stream(9, 'normals')))),
    };
    expect(results).toMatchInlineSnapshot(`
      {
        "exp": "c9424212",
        "log": "440c930c",
        "normal": "c186bb5b",
        "pow": "5dd8d805",
        "powInteger": "d637f476",
        "tanh": "2ced1613",
      }
    `);
  });

  it('no numeric source calls Math’s transcendental functions or raises to a power other than 2', () => {
    const root = join(import.meta.dirname, '../..');
    const sources = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
    });
    const offenders: string[] = [];
    for (const path of sources(join(root, 'src'))) {
      const file = relative(root, path).replaceAll('\\', '/');
      if (file === 'src/core/math.ts' || file.startsWith('src/cli/') || file.startsWith('src/report/')) continue;
      readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '');
        if (/^\s*\*/.test(code)) return;
        if (/Math\.(log|exp|pow|tanh|sinh|cosh|sin|cos|tan|atan2?|asin|acos|log1p|expm1|log2|log10|cbrt|hypot)\(/.test(code) || /[\w)\]!]\s*\*\*\s*(?!2\b)[\w(.-]/.test(code.replace(/2 \*\* 26/, ''))) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});
