/**
 * `npx tsx bench/thread-settings.ts [algorithms] [batches]` (default `c-ttv2,agad` and 1000): the
 * Fashion-MNIST epoch (extrapolated from `batches` mini-batches) on 1 thread and on 2 threads with
 * several pool settings (spin before sleeping, minimum work per split call). Used to choose the
 * pool's defaults (issue 8; BENCHMARKS.md). The accuracy column must not change across rows.
 */
import { benchFmnist } from './fmnist.bench.js';
import { useKernelThreads } from '../src/node/threads.js';
const algos = (process.argv[2] ?? 'c-ttv2,agad').split(',');
const batches = Number(process.argv[3] ?? 1000);
const settings: [string, number, { minWork?: number; spin?: number }][] = [
  ['1 thread', 1, {}],
  ['2 threads, no spin, minWork 2^20', 2, {}],
  ['2 threads, spin 2^16, minWork 2^12', 2, { spin: 1 << 16, minWork: 1 << 12 }],
  ['2 threads, spin 2^16, minWork 2^14', 2, { spin: 1 << 16, minWork: 1 << 14 }],
  ['2 threads, spin 2^16, minWork 2^16', 2, { spin: 1 << 16, minWork: 1 << 16 }],
  ['2 threads, spin 2^12, minWork 2^14', 2, { spin: 1 << 12, minWork: 1 << 14 }],
];
for (const [label, n, options] of settings) {
  const stop = useKernelThreads(n, options);
  const rows = await benchFmnist(batches, algos);
  stop();
  console.log(label.padEnd(40), rows.map((r) => `${r.algorithm} ${r.epochSeconds.toFixed(1)} s/epoch (acc ${(100 * r.testAccuracy).toFixed(2)})`).join('  '));
}
