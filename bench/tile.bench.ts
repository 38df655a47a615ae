import { Bench } from 'tinybench';
import { parseExperiment } from '../src/experiment/run.js';
import { softmaxCrossEntropy } from '../src/nn/index.js';
import { resolveDevice } from '../src/devices/index.js';
import { Rng } from '../src/rng/index.js';
import { AnalogTile } from '../src/tile/index.js';
import { buildNetwork } from '../src/experiment/run.js';
import { useKernelThreads } from '../src/node/threads.js';
import { fmnistConfig } from './fmnist.bench.js';

export interface TileBenchRow {
  name: string;
  msPerCall: number;
  rme: number;
  /** Throughput in the unit the row names. */
  value: number;
  unit: string;
}

function randomSigned(rng: Rng, n: number): Float64Array {
  // |v| ~ U(0, 1) with a random sign: mean |v| = ½.
  return Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? -1 : 1) * rng.uniform());
}

/**
 * The hot paths of a tile at 512 × 512 (numerics-measured.md §2 sizes): the pulsed update at
 * batch 64, BL 31 on soft bounds with a mean pulse probability of 0.1 per slot on each side, and
 * forward/backward MVMs through the default IO pipeline at batch 64 and 1; then one training step
 * of the Fashion-MNIST MLP (Analog SGD, batch 64). The update, the batch-64 products and the step
 * are run again with 2 kernel threads (issue-8 target: ≥ 1.8×, same numbers).
 */
export async function benchTile(time: number): Promise<TileBenchRow[]> {
  const rows = 512;
  const cols = 512;
  const data = Rng.stream(2026, 'bench');
  const x64 = randomSigned(data, 64 * cols);
  const d64 = randomSigned(data, 64 * rows);
  const x1 = x64.subarray(0, cols);
  const d1 = d64.subarray(0, rows);
  // Without management, p_j = B|x_j| with B = √(lr/(g·BL)); E|x| = ½, so B = 0.2 gives mean p 0.1:
  // lr = B²·g·BL = 0.04·0.001·31. Expected pulses per update: 64·512²·31·0.1² ≈ 5.2 M.
  const lr = 0.04 * 0.001 * 31;
  const updateTile = new AnalogTile({
    rows, cols, device: resolveDevice('soft-bounds'), seed: 1,
    update: { desiredBl: 31, updateBlManagement: false, updateManagement: false },
  });
  const mvmTile = new AnalogTile({ rows, cols, device: resolveDevice('soft-bounds'), seed: 2 });
  const perfectTile = new AnalogTile({ rows, cols, device: resolveDevice('soft-bounds'), seed: 3, forward: { isPerfect: true }, backward: { isPerfect: true } });
  for (const tile of [mvmTile, perfectTile]) tile.setWeights(randomSigned(data, rows * cols).map((v) => 0.3 * v));

  const outFwd64 = new Float64Array(64 * rows);
  const outBwd64 = new Float64Array(64 * cols);
  const outFwd1 = new Float64Array(rows);
  const outBwd1 = new Float64Array(cols);
  let sink = 0;

  // One training step (forward, backward, pulsed update) of the Fashion-MNIST MLP with Analog SGD
  // at batch 64 (random images).
  const stepConfig = parseExperiment(fmnistConfig('sgd', 1));
  const net1 = buildNetwork(stepConfig, [1, 28, 28], 10);
  const images = Float64Array.from({ length: 64 * 784 }, () => data.uniform());
  const labels = Int32Array.from({ length: 64 }, (_, b) => b % 10);
  const step = (net: typeof net1) => {
    const { grad } = softmaxCrossEntropy(net.forward(images, 64), labels, 64, 10);
    net.backward(grad, 64, false);
    net.update(0.05);
  };

  const bench = new Bench({ time, warmupTime: 300 });
  bench
    .add('update soft-bounds 512x512 B=64 BL=31', () => updateTile.update(x64, d64, 64, lr))
    .add('forward 512x512 B=64 (IO pipeline)', () => void (sink += mvmTile.forward(x64, 64, outFwd64)[7]!))
    .add('backward 512x512 B=64 (IO pipeline)', () => void (sink += mvmTile.backward(d64, 64, outBwd64)[7]!))
    .add('forward 512x512 B=1 (IO pipeline)', () => void (sink += mvmTile.forward(x1, 1, outFwd1)[7]!))
    .add('backward 512x512 B=1 (IO pipeline)', () => void (sink += mvmTile.backward(d1, 1, outBwd1)[7]!))
    .add('forward 512x512 B=64 (perfect)', () => void (sink += perfectTile.forward(x64, 64, outFwd64)[7]!))
    .add('backward 512x512 B=64 (perfect)', () => void (sink += perfectTile.backward(d64, 64, outBwd64)[7]!))
    .add('training step MLP 784-256-128-10 Analog SGD B=64', () => step(net1));
  await bench.run();
  // The same with 2 kernel threads: tiles made while the pool is active use shared memory.
  const stopThreads = useKernelThreads(2);
  const updateTile2 = new AnalogTile({
    rows, cols, device: resolveDevice('soft-bounds'), seed: 1,
    update: { desiredBl: 31, updateBlManagement: false, updateManagement: false },
  });
  const mvmTile2 = new AnalogTile({ rows, cols, device: resolveDevice('soft-bounds'), seed: 2 });
  mvmTile2.setWeights(mvmTile.weights());
  const net2 = buildNetwork(stepConfig, [1, 28, 28], 10);
  const bench2 = new Bench({ time, warmupTime: 300 });
  bench2
    .add('update soft-bounds 512x512 B=64 BL=31, 2 threads', () => updateTile2.update(x64, d64, 64, lr))
    .add('forward 512x512 B=64 (IO pipeline), 2 threads', () => void (sink += mvmTile2.forward(x64, 64, outFwd64)[7]!))
    .add('backward 512x512 B=64 (IO pipeline), 2 threads', () => void (sink += mvmTile2.backward(d64, 64, outBwd64)[7]!))
    .add('training step MLP 784-256-128-10 Analog SGD B=64, 2 threads', () => step(net2));
  await bench2.run();
  stopThreads();
  if (!Number.isFinite(sink)) throw new Error('benchmark sink is not finite');

  const updates = updateTile.counters.snapshot().updates['update']! / 64;
  const pulsesPerUpdate = updateTile.counters.totalPulses('update') / updates;
  return [...bench.tasks, ...bench2.tasks].map((task) => {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`benchmark ${task.name} did not complete: ${result.state}`);
    const ms = result.latency.mean;
    const rme = (result.latency.moe / ms) * 100;
    const batch = task.name.includes('B=64') ? 64 : 1;
    if (task.name.startsWith('training step')) return [{ name: task.name, msPerCall: ms, rme, value: 1000 / ms, unit: 'steps/s' }];
    if (task.name.startsWith('update')) {
      return [
        { name: task.name, msPerCall: ms, rme, value: (rows * cols * batch) / (ms * 1e3), unit: 'M device-updates/s' },
        { name: `${task.name} (${(pulsesPerUpdate / 1e6).toFixed(2)} M pulses per call)`, msPerCall: ms, rme, value: pulsesPerUpdate / (ms * 1e3), unit: 'M pulses/s' },
      ];
    }
    return [{ name: task.name, msPerCall: ms, rme, value: (2 * rows * cols * batch) / (ms * 1e6), unit: 'GFLOP/s' }];
  }).flat();
}
