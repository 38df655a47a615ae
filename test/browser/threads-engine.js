// The engine side of test/kernels/web-threads.test.ts: the same pulsed updates and MVMs on a
// 64 × 72 soft-bounds tile with 1 and with 2 Web Worker kernel threads; the test compares them.
import { useWebKernelThreads, webThreadsUnavailable } from '../../src/kernels/web-threads.ts';
import { kernelThreads } from '../../src/kernels/index.ts';
import { KernelThreadDied } from '../../src/kernels/pool.ts';
import { WasmArena } from '../../src/kernels/wasm-gemm.ts';
import { resolveDevice } from '../../src/devices/index.ts';
import { Rng } from '../../src/rng/index.ts';
import { AnalogTile } from '../../src/tile/index.ts';

const random = (rng, n) => Float64Array.from({ length: n }, () => (rng.uniform() < 0.2 ? 0 : rng.normal()));

function exercise() {
  const device = resolveDevice('soft-bounds', { dwMinStd: 0.3 });
  const tile = new AnalogTile({ rows: 64, cols: 72, device, seed: 8, update: { desiredBl: 31 } });
  const rng = Rng.stream(3, 'data');
  tile.setWeights(random(rng, 64 * 72).map((v) => 0.1 * v));
  const outputs = [];
  for (let step = 0; step < 20; step++) {
    tile.update(random(rng, 20 * 72), random(rng, 20 * 64), 20, 0.05);
    outputs.push(...tile.forward(random(rng, 20 * 72), 20));
    outputs.push(...tile.backward(random(rng, 20 * 64), 20));
  }
  return {
    conductance: Array.from(tile.conductance),
    outputs,
    counters: tile.counters.snapshot(),
    resident: WasmArena.holding(tile.conductance) !== undefined,
    threadedCalls: kernelThreads()?.calls ?? 0,
  };
}

/**
 * A kernel worker that crashes (issue 21): the supervisor hears it and the engine's next call
 * fails with KernelThreadDied instead of waiting for ever (the wake-up of a caller already asleep
 * in Atomics.wait is the shared protocol's, tested on Node in test/kernels/dead-worker.test.ts).
 * The crash lands when the worker's event loop next runs: at the next tile's registration.
 */
async function death() {
  const stop = await useWebKernelThreads(2, { minWork: 1 << 12, spin: 0 });
  try {
    exercise();
    kernelThreads().crashWorkerForTest(0);
    const started = Date.now();
    try {
      // The crash lands at the next registration; the supervisor hears it on its own thread,
      // while the engine may be asleep in a call.
      for (let i = 0; i < 20; i++) {
        exercise();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return { thrown: null };
    } catch (error) {
      return { thrown: error instanceof KernelThreadDied ? error.message : String(error), seconds: (Date.now() - started) / 1000 };
    }
  } finally {
    stop();
  }
}

try {
  const unavailable = webThreadsUnavailable();
  const runs = {};
  for (const threads of [1, 2]) {
    const stop = await useWebKernelThreads(threads, { minWork: 1 << 12 });
    try {
      runs[threads] = exercise();
    } finally {
      stop();
    }
  }
  self.postMessage({ unavailable, runs, death: await death() });
} catch (error) {
  self.postMessage({ error: String(error && error.stack ? error.stack : error) });
}
