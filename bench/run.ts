/**
 * `npm run bench [-- --time MS] [--fmnist-batches N] [--lenet-batches N] [--threads N]`: runs every benchmark, prints
 * tables and writes bench/results/latest.json (machine, date, command). Record notable runs in
 * BENCHMARKS.md.
 *
 * - kernels: bench/tile.bench.ts (pulsed update, MVMs, a training step; 1 and 2 threads);
 * - the issue-8 Fashion-MNIST epoch per algorithm (bench/fmnist.bench.ts): N mini-batches
 *   (default 600, a tenth of an epoch; 6000 is the full epoch; 0 skips it), time extrapolated to
 *   the epoch, with the test accuracy, on `--threads` kernel threads (default 1). Needs Debian's
 *   dataset-fashion-mnist; skipped with a note without it.
 * - the papers' LeNet-5 (bench/lenet.bench.ts): ms per image over N mini-batches of 16 (default 0:
 *   skipped; 60 takes about a minute), for four algorithms.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { useKernelThreads } from '../src/node/threads.js';
import { benchFmnist } from './fmnist.bench.js';
import { benchLenet } from './lenet.bench.js';
import { machineInfo } from './machine.js';
import { benchTile } from './tile.bench.js';
import { intFlag as flag } from './flags.js';

const time = flag('--time', 3000);
const fmnistBatches = flag('--fmnist-batches', 600);
const threads = Math.max(1, flag('--threads', 1));
const lenetBatches = flag('--lenet-batches', 0);

const machine = machineInfo();
console.log(`aimsim benchmarks — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date}`);
const rows = await benchTile(time);
console.log('| benchmark | ms per call | ± % | throughput |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${r.msPerCall.toFixed(2)} | ${r.rme.toFixed(1)} | ${r.value.toFixed(2)} ${r.unit} |`);

let fmnist: Awaited<ReturnType<typeof benchFmnist>> = [];
if (fmnistBatches > 0) {
  const stop = useKernelThreads(threads);
  try {
    fmnist = await benchFmnist(fmnistBatches);
  } finally {
    stop();
  }
  console.log(`\nFashion-MNIST MLP 784-256-128-10, batch 10, lr 0.05, ${fmnistBatches} mini-batches, ${threads} thread(s)`);
  console.log('| algorithm | train s | ≈ epoch s (6000 batches) | test accuracy | pulses |');
  console.log('|---|---|---|---|---|');
  for (const r of fmnist) console.log(`| ${r.algorithm} | ${r.trainSeconds.toFixed(2)} | ${r.epochSeconds.toFixed(1)} | ${(100 * r.testAccuracy).toFixed(2)} % | ${(r.pulses / 1e6).toFixed(1)} M |`);
}

const lenet = lenetBatches > 0 ? await benchLenet(lenetBatches) : [];
if (lenet.length > 0) {
  console.log(`\nLeNet-5, 28×28 Fashion-MNIST, batch 16, ${lenetBatches} mini-batches, 1 thread`);
  console.log('| algorithm | ms per image | ≈ epoch s (60 000 images) | train loss |');
  console.log('|---|---|---|---|');
  for (const r of lenet) console.log(`| ${r.name} | ${r.msPerImage.toFixed(2)} | ${r.epochSeconds.toFixed(0)} | ${r.trainLoss.toFixed(4)} |`);
}

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json.tmp', JSON.stringify({ machine, rows, fmnist: { batches: fmnistBatches, threads, rows: fmnist }, lenet: { batches: lenetBatches, rows: lenet } }, null, 2));
renameSync('bench/results/latest.json.tmp', 'bench/results/latest.json');
