/**
 * `npx tsx bench/thread-stress.ts [--algorithm agad] [--batches 2500] [--every 25] [--spin 65536]
 * [--min-work 4096] [--trials 1] [--end-to-end]`: trains two copies of the Fashion-MNIST
 * benchmark network in lockstep on the same batches, one with a 2-thread kernel pool and one on a
 * single thread, and compares every algorithm's full state every `--every` batches. Prints the
 * first batch at which they differ (and which layer), or that they stayed identical. With
 * `--end-to-end` it instead runs whole experiments (runExperiment, as `npm run bench` does) on 2
 * threads and compares their metrics with one single-thread run. Used to hunt thread races
 * (issue 8): threaded results must be bit-identical to one thread.
 */
import { loadConfigDataset } from '../src/node/datasets.js';
import { buildNetwork, parseExperiment, runExperiment } from '../src/experiment/run.js';
import { epochBatches } from '../src/data/batches.js';
import { gather } from '../src/data/dataset.js';
import { softmaxCrossEntropy } from '../src/nn/loss.js';
import { Rng } from '../src/rng/rng.js';
import { kernelThreads, setKernelThreads } from '../src/kernels/threads.js';
import { NodeKernelThreads, useKernelThreads } from '../src/node/threads.js';
import { DEFAULT_SPIN } from '../src/kernels/pool.js';
import { fmnistAlgorithms, fmnistConfig } from './fmnist.bench.js';
import { intFlag, stringFlag } from './flags.js';
import type { Sequential } from '../src/nn/sequential.js';

const algorithmName = stringFlag('--algorithm', 'agad');
const batches = intFlag('--batches', 2500);
const every = intFlag('--every', 25);
const spin = intFlag('--spin', DEFAULT_SPIN);
const minWork = intFlag('--min-work', 1 << 12);
const trials = intFlag('--trials', 1);

function stateKey(network: Sequential): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, algorithm] of Object.entries(network.algorithms())) out.set(name, JSON.stringify(algorithm.saveState()));
  return out;
}

if (process.argv.includes('--end-to-end')) {
  // One pool for all threaded runs, as in `npm run bench`: the arenas of a finished run are
  // collected (and unregistered from the workers) while the next one trains.
  const run = async () => {
    const result = await runExperiment(fmnistConfig(fmnistAlgorithms[algorithmName], batches), { loadDataset: loadConfigDataset });
    const { seconds: _seconds, ...rest } = result.epochs[0]!;
    return JSON.stringify(rest);
  };
  const reference = await run();
  const stop = useKernelThreads(2, { minWork, spin });
  const pool = kernelThreads() as NodeKernelThreads;
  let differed = 0;
  for (let trial = 0; trial < trials; trial++) {
    // (with --expose-gc) collect the previous run's arenas, so their unregistering overlaps this run
    (globalThis as { gc?: () => void }).gc?.();
    const same = (await run()) === reference;
    if (!same) differed++;
    console.log(`end-to-end trial ${trial}: ${same ? 'identical' : 'DIFFERENT'} (${pool.calls} threaded calls, ${pool.registered} arenas registered, ${pool.unregistered} unregistered so far)`);
  }
  stop();
  console.log(`${algorithmName}: ${differed} of ${trials} end-to-end runs differed from one thread (spin ${spin}, minWork ${minWork})`);
  process.exit(differed > 0 ? 1 : 0);
}

/** Which parts of two saved states differ: for arrays, how many elements and the first index. */
function describeDifference(a: unknown, b: unknown, path: string): void {
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    const differing: number[] = [];
    for (let k = 0; k < x.length; k++) if (!Object.is(x[k], y[k])) differing.push(k);
    if (differing.length) console.log(`  ${path}: ${differing.length} of ${x.length} differ, first at ${differing[0]} (${x[differing[0]!]} vs ${y[differing[0]!]}), indices ${differing.slice(0, 12).join(' ')}`);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of Object.keys(a)) describeDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
    return;
  }
  if (!Object.is(a, b)) console.log(`  ${path}: ${String(a)} vs ${String(b)}`);
}

const config = parseExperiment(fmnistConfig(fmnistAlgorithms[algorithmName], batches));
const dataset = await loadConfigDataset(config.data);
const size = dataset.shape.reduce((a, b) => a * b, 1);
let failures = 0;
for (let trial = 0; trial < trials; trial++) {
  const pool = new NodeKernelThreads(2, minWork, spin);
  setKernelThreads(pool);
  const threaded = buildNetwork(config, dataset.shape, dataset.classes);
  setKernelThreads(null);
  const single = buildNetwork(config, dataset.shape, dataset.classes);
  const order = epochBatches(Math.min(dataset.train.count, batches * 10), 10, Rng.stream(config.seed, 'shuffle'));
  const step = (network: Sequential, indices: Int32Array, lr: number) => {
    const { x, labels } = gather(dataset.train, size, indices);
    const { grad } = softmaxCrossEntropy(network.forward(x, indices.length), labels, indices.length, dataset.classes);
    network.backward(grad, indices.length, false);
    network.update(lr);
  };
  const started = performance.now();
  let diverged = -1;
  for (let b = 0; b < order.length && diverged < 0; b++) {
    setKernelThreads(pool);
    step(threaded, order[b]!, config.training.lr);
    setKernelThreads(null);
    step(single, order[b]!, config.training.lr);
    if ((b + 1) % every === 0 || b === order.length - 1) {
      const a = stateKey(threaded);
      const c = stateKey(single);
      for (const [name, text] of a) {
        if (text !== c.get(name)) {
          diverged = b + 1;
          console.log(`trial ${trial}: DIFFERENT after batch ${b + 1} (checked every ${every}), layer ${name}`);
          describeDifference(threaded.algorithms()[name]!.saveState(), single.algorithms()[name]!.saveState(), name);
          break;
        }
      }
    }
  }
  if (diverged < 0) console.log(`trial ${trial}: identical for ${order.length} batches (${pool.calls} threaded calls, ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  else failures++;
  pool.close();
}
console.log(`${algorithmName}: ${failures} of ${trials} trials differed (spin ${spin}, minWork ${minWork})`);
process.exitCode = failures > 0 ? 1 : 0;
