/**
 * `npx tsx bench/rng-probe/run.ts`: builds assembly/rng-probe.ts with the project's AssemblyScript compiler (as
 * scripts/build-wasm.mjs does) and prints ns per normal (or per u32 word for Philox) of the three
 * generators, best of 9 runs of 2^20. See assembly/rng-probe.ts (AssemblyScript, not part of the kernels); results in BENCHMARKS.md (2026-12-01).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zigK, zigW } from '../../src/rng/ziggurat.js';

const out = join(mkdtempSync(join(tmpdir(), 'aimsim-probe-')), 'probe.wasm');
execFileSync(join('node_modules', '.bin', 'asc'), ['assembly/rng-probe.ts', '-O3', '--enable', 'simd', '--runtime', 'stub', '--noAssert', '--importMemory', '--initialMemory', '200', '--outFile', out], { stdio: 'inherit' });
const memory = new WebAssembly.Memory({ initial: 200 });
const probe = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(out)), { env: { memory, abort: () => {} } }).exports as Record<string, (...a: number[]) => void>;
const at = 65536;
new Int32Array(memory.buffer, at, 128).set(zigK.map(Math.ceil));
new Float64Array(memory.buffer, at + 512, 128).set(zigW);
probe['setTables']!(at, at + 512);
const state = at + 2048;
new Uint32Array(memory.buffer, state, 16).set(Array.from({ length: 16 }, (_, i) => 0x9e3779b9 * (i + 1) >>> 0));
const dst = at + 4096;
const n = 1 << 20;
const time = (run: () => void) => {
  let best = Infinity;
  for (let rep = 0; rep < 9; rep++) {
    const t = process.hrtime.bigint();
    run();
    best = Math.min(best, Number(process.hrtime.bigint() - t));
  }
  return (best / n).toFixed(2);
};
console.log(`exact stream (xoshiro128** + ziggurat): ${time(() => probe['exactNormals']!(dst, n, state))} ns per normal`);
console.log(`Philox-4x32-10, scalar: ${time(() => probe['philoxWords']!(dst, n, 1, 2, state + 128))} ns per u32 word`);
console.log(`4 xoshiro128** lanes + SIMD ziggurat fast path: ${time(() => probe['lanesNormals']!(dst, n, state))} ns per normal`);
