/**
 * Issue 8 conformance suite, run on every backend: `ts` (the reference), `wasm` (arenas and the
 * Wasm kernels) and `wasm` with 2 kernel threads (spinning before they sleep, and not; Web Workers
 * in test/kernels/web-threads.test.ts). The fast paths keep the arithmetic, its order
 * and the order of random draws, so pulse counts, conductances, effective weights and MVM outputs
 * must equal the reference exactly (tolerance 0), for linear devices (the Wasm pulse kernel),
 * for the cases that fall back to TS (non-linear devices, write noise, BL > 32) and for the digital
 * layer.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DigitalSgd } from '../../src/algorithms/digital-sgd.js';
import { resolveDevice } from '../../src/devices/index.js';
import { runExperiment } from '../../src/experiment/run.js';
import { kernelBackend, kernelThreads, setKernelBackend, WasmArena } from '../../src/kernels/index.js';
import { NodeKernelThreads, useKernelThreads } from '../../src/node/threads.js';
import { setKernelThreads } from '../../src/kernels/threads.js';
import { Rng } from '../../src/rng/index.js';
import { AnalogTile } from '../../src/tile/index.js';
import { analogMvm } from '../../src/tile/io.js';

// Threads spin before they sleep by default; `no spin` sleeps at once (other hand-over timing).
type Backend = 'ts' | 'wasm' | 'wasm+2 threads' | 'wasm+2 threads, no spin';
const backends: Backend[] = ['ts', 'wasm', 'wasm+2 threads', 'wasm+2 threads, no spin'];
const threaded = (backend: Backend) => backend.startsWith('wasm+2');

/** Runs `body` with the backend selected and restores the default (wasm, no threads) after. */
async function withBackend<T>(backend: Backend, body: () => T | Promise<T>): Promise<T> {
  setKernelBackend(backend === 'ts' ? 'ts' : 'wasm');
  // A low threshold, so that the small test arrays are split over the threads.
  const stop = useKernelThreads(threaded(backend) ? 2 : 1, { minWork: 1 << 12, ...(backend.endsWith('no spin') ? { spin: 0 } : {}) });
  try {
    return await body();
  } finally {
    stop();
    setKernelBackend('wasm');
  }
}

const random = (rng: Rng, n: number, zeros = 0.2) => Float64Array.from({ length: n }, () => (rng.uniform() < zeros ? 0 : rng.normal()));

interface TileCase {
  name: string;
  device: [string, Record<string, unknown>];
  update?: Record<string, unknown>;
  lr: number;
  /** Zero x of every 5th sample and d of every 7th (nothing due under management). */
  zeroSamples?: boolean;
}

const tileCases: TileCase[] = [
  { name: 'soft bounds, multiplicative c2c noise', device: ['soft-bounds', { dwMinStd: 0.3 }], lr: 0.05 },
  { name: 'soft bounds, additive noise', device: ['soft-bounds', { multNoise: false, dwMinStd: 0.2 }], lr: 0.05 },
  { name: 'linear step', device: ['linear-step', { dwMinStd: 0.1 }], lr: 0.05 },
  { name: 'reference array (W = G − R kept by the kernel)', device: ['soft-bounds-reference', { subtractSymmetryPoint: true, referenceMean: 0.1, referenceStd: 0.05 }], lr: 0.05 },
  { name: 'no management, BL 31', device: ['soft-bounds', {}], update: { updateBlManagement: false, updateManagement: false }, lr: 0.02 },
  { name: 'BL 40 (two words: the TS path)', device: ['soft-bounds', {}], update: { desiredBl: 40 }, lr: 0.05 },
  // BL management puts BL on either side of 32 from sample to sample: the kernel's batched set-up
  // hands the two-word samples back to the TS loop within one call; some samples have x or d all
  // zero (no update due: no trains, no draws).
  { name: 'BL 40 under BL management, BL on both sides of 32 in one batch, zero samples', device: ['soft-bounds', {}], update: { desiredBl: 40 }, lr: 0.0045, zeroSamples: true },
  { name: 'no BL management, BL = ⌈lr/Δw_min⌉ = 20 (fixedBl off), update management', device: ['soft-bounds', {}], update: { fixedBl: false, updateBlManagement: false, desiredBl: 5 }, lr: 0.02 },
  { name: 'exp step (non-linear: the TS loop on arena arrays)', device: ['exp-step', {}], lr: 0.05 },
  { name: 'write noise (the TS loop)', device: ['soft-bounds', { writeNoiseStd: 0.5 }], lr: 0.05 },
];

/** 20 updates at batch 20 (more than one kernel chunk) with a forward read and a one-hot read after each. */
function exercise(c: TileCase) {
  const device = resolveDevice(c.device[0], c.device[1]);
  const tile = new AnalogTile({ rows: 64, cols: 72, device, seed: 8, update: { desiredBl: 31, ...c.update } });
  const rng = Rng.stream(3, 'data');
  tile.setWeights(random(rng, 64 * 72, 0).map((v) => 0.1 * v));
  const outputs: number[] = [];
  for (let step = 0; step < 20; step++) {
    const x = random(rng, 20 * 72);
    const d = random(rng, 20 * 64);
    if (c.zeroSamples) {
      for (let b = 0; b < 20; b += 5) x.fill(0, b * 72, (b + 1) * 72);
      for (let b = 3; b < 20; b += 7) d.fill(0, b * 64, (b + 1) * 64);
    }
    tile.update(x, d, 20, c.lr);
    const oneHot = new Float64Array(72);
    oneHot[step % 72] = 1;
    outputs.push(...tile.read(oneHot, 1, tile.forwardIo, 'transfer'));
    outputs.push(...tile.forward(random(rng, 3 * 72), 3));
  }
  return {
    conductance: Array.from(tile.conductance),
    weights: Array.from(tile.weights()),
    outputs,
    counters: tile.counters.snapshot(),
    resident: WasmArena.holding(tile.conductance) !== undefined,
    threadedCalls: (kernelThreads() as { calls?: number } | null)?.calls ?? 0,
  };
}

describe('conformance of every backend with the TS reference', () => {
  afterAll(() => {
    setKernelBackend('wasm');
    expect(kernelThreads()).toBeNull();
  });

  for (const c of tileCases) {
    it(`pulsed update: ${c.name}`, async () => {
      const reference = await withBackend('ts', () => exercise(c));
      expect(reference.resident).toBe(false);
      expect(reference.counters.pulses['update']!.up + reference.counters.pulses['update']!.down).toBeGreaterThan(1000);
      for (const backend of backends.slice(1)) {
        const fast = await withBackend(backend, () => exercise(c));
        expect(fast.resident, backend).toBe(true);
        // The linear devices' pulses go through the threads when there are threads.
        if (threaded(backend) && c.device[0] !== 'exp-step' && !c.device[1]['writeNoiseStd'] && !c.update?.['desiredBl']) expect(fast.threadedCalls).toBeGreaterThan(0);
        expect(fast.counters, backend).toEqual(reference.counters);
        expect(fast.conductance, backend).toEqual(reference.conductance);
        expect(fast.weights, backend).toEqual(reference.weights);
        expect(fast.outputs, backend).toEqual(reference.outputs);
      }
    });
  }

  it('MVMs at batch 40 (chunked; split over the threads) and 9, 10, 26, perfect and through the IO pipeline (saturating outputs redone under bound management)', async () => {
    const run = () => {
      const device = resolveDevice('soft-bounds');
      const rng = Rng.stream(11, 'mvm');
      const w = random(rng, 96 * 130, 0).map((v) => 0.2 * v);
      const outputs: number[] = [];
      const passes: number[] = [];
      const saturating = { outBound: 1.5, outNoise: 0.1 };
      const ios = [
        { isPerfect: true }, {}, { ...saturating, boundManagement: 'iterative' as const }, { ...saturating, boundManagement: 'iterative-worst-case' as const }, { ...saturating, boundManagement: 'none' as const },
        // Every noise management and the DAC options (the input stage runs in Wasm on the batched path).
        { noiseManagement: 'none' as const, inpRes: 0 }, { noiseManagement: 'max' as const, inpAsymmetry: 0.1 }, { noiseManagement: 'constant' as const, nmThres: 2, inpBound: 0.5 },
        { noiseManagement: 'average-abs-max' as const, nmDecay: 0.3 }, { noiseManagement: 'abs-max' as const, nmThres: 0.4, inpRes: 1 / 30 },
        { ...saturating, noiseManagement: 'abs-max-np-sum' as const, boundManagement: 'iterative' as const },
        // Output asymmetry, and saturation at the negative bound that does not trigger bound management.
        { ...saturating, outAsymmetry: 0.2, inpAsymmetry: 0.1, bmTestNegativeBound: false },
      ];
      for (const io of ios) {
        const tile = new AnalogTile({ rows: 96, cols: 130, device, seed: 2, forward: io, backward: io });
        tile.setWeights(w);
        outputs.push(...tile.forward(random(rng, 40 * 130), 40), ...tile.backward(random(rng, 40 * 96), 40));
        // Batches whose pairs end in the 5-pair block (10, 26) and an odd one padded to it (9).
        for (const b of [9, 10, 26]) outputs.push(...tile.forward(random(rng, b * 130), b), ...tile.backward(random(rng, b * 96), b));
        // The pipeline itself on the tile's (resident) weights: `passes` > batch means redone samples.
        const direct = new Float64Array(40 * 96);
        passes.push(analogMvm(
          { weights: tile.weights(), rows: 96, cols: 130, transposed: false, input: random(rng, 40 * 130).map((v) => 4 * v), batch: 40, output: direct },
          { io: tile.forwardIo, rng: Rng.stream(5, 'io'), state: { nmAverage: 0 }, outNoiseScale: null, allowBoundManagement: true },
        ));
        outputs.push(...direct);
      }
      return { outputs, passes, threadedCalls: (kernelThreads() as { calls?: number } | null)?.calls ?? 0 };
    };
    const reference = await withBackend('ts', run);
    expect(reference.passes[2]).toBeGreaterThan(50); // bound management redid samples
    for (const backend of backends.slice(1)) {
      const fast = await withBackend(backend, run);
      expect(fast.outputs, backend).toEqual(reference.outputs);
      expect(fast.passes, backend).toEqual(reference.passes);
      if (threaded(backend)) expect(fast.threadedCalls).toBeGreaterThan(0);
    }
  });

  it('a small tile (16 × 25, a LeNet-5 first convolution): an arena for its pulse kernel, the kernel for large batches (576, 64, 100), single vectors and small batches with the kernel set-up and TS pulses (BL over 32: all in TS), the same numbers', async () => {
    // desiredBl 40 under BL management at lr 0.009: BL on both sides of 32 from sample to sample.
    const run = (update: Record<string, unknown>, lr: number) => {
      const tile = new AnalogTile({ rows: 16, cols: 25, device: resolveDevice('soft-bounds', { dwMinStd: 0.3 }), seed: 4, update });
      const rng = Rng.stream(12, 'small');
      const outputs: number[] = [];
      for (const batch of [576, 1, 64, 1, 17, 100]) {
        tile.update(random(rng, batch * 25), random(rng, batch * 16), batch, lr);
        outputs.push(...tile.forward(random(rng, 20 * 25), 20), ...tile.read(random(rng, 25), 1, tile.forwardIo, 'transfer'));
      }
      return { outputs, conductance: Array.from(tile.conductance), counters: tile.counters.snapshot(), resident: WasmArena.holding(tile.conductance) !== undefined };
    };
    for (const [update, lr] of [[{}, 0.05], [{ desiredBl: 40 }, 0.009]] as const) {
      const reference = await withBackend('ts', () => run(update, lr));
      expect(reference.resident).toBe(false);
      for (const backend of backends.slice(1)) {
        const fast = await withBackend(backend, () => run(update, lr));
        expect(fast.resident, backend).toBe(true);
        expect({ ...fast, resident: false }, `${backend} ${JSON.stringify(update)}`).toEqual(reference);
      }
    }
  });

  it('all-zero vectors read as exact zeros with no draws on every backend, forward and backward (the Wasm IO stages included)', async () => {
    const run = () => {
      const tile = new AnalogTile({ rows: 48, cols: 40, device: resolveDevice('soft-bounds'), seed: 3 });
      const rng = Rng.stream(11, 'zeros');
      tile.setWeights(random(rng, 48 * 40, 0).map((w) => 0.2 * w));
      // Every third vector is all zero; the others have some zero entries.
      const batchOf = (n: number, size: number) => {
        const out = random(rng, n * size);
        for (let b = 0; b < n; b += 3) out.fill(0, b * size, (b + 1) * size);
        return out;
      };
      const forward = tile.forward(batchOf(37, 40), 37);
      const backward = tile.backward(batchOf(37, 48), 37);
      return { forward: Array.from(forward), backward: Array.from(backward) };
    };
    const reference = await withBackend('ts', run);
    for (let b = 0; b < 37; b += 3) {
      expect(reference.forward.slice(b * 48, (b + 1) * 48).every((y) => y === 0)).toBe(true);
      expect(reference.backward.slice(b * 40, (b + 1) * 40).every((y) => y === 0)).toBe(true);
    }
    expect(reference.forward.slice(48, 96).every((y) => y === 0)).toBe(false);
    for (const backend of backends.slice(1)) expect(await withBackend(backend, run), backend).toEqual(reference);
  });

  it('digital SGD: the Wasm update and products equal the TS loops (batches 37, 10 and 7; odd sizes)', async () => {
    const run = () => {
      const layer = new DigitalSgd({ rows: 45, cols: 77, device: resolveDevice('ideal'), seed: 0, name: 'digital' });
      const rng = Rng.stream(9, 'digital');
      layer.setWeights(random(rng, 45 * 77, 0));
      const outputs: number[] = [];
      for (const b of [37, 10, 37, 10, 7]) {
        const x = random(rng, b * 77);
        const y = layer.forward(x, b);
        outputs.push(...y, ...layer.backward(random(rng, b * 45), b));
        layer.update(x, random(rng, b * 45), b, 0.01);
      }
      return { outputs, weights: Array.from(layer.weights()) };
    };
    const reference = await withBackend('ts', run);
    for (const backend of backends.slice(1)) expect(await withBackend(backend, run), backend).toEqual(reference);
  });

  it('a training run (c-TTv2, chopped, two tiles per layer) gives the same losses and pulses on every backend', async () => {
    const config = { data: { trainLimit: 300, testLimit: 100 }, training: { epochs: 1, batch: 20 }, network: { layers: [{ type: 'flatten' }, { type: 'linear', outputs: 64 }, { type: 'sigmoid' }, { type: 'linear', outputs: 10 }] } };
    const run = async () => {
      const result = await runExperiment(config);
      return result.epochs.map((e) => [e.trainLoss, e.testAccuracy, e.pulsesByTile]);
    };
    const reference = await withBackend('ts', run);
    for (const backend of backends.slice(1)) expect(await withBackend(backend, run), backend).toEqual(reference);
    expect(kernelBackend()).toBe('wasm');
  });

  it('mixed precision (χ accumulated by the Wasm rank update on a resident χ), with and without quantised x and d, gives the same losses, pulses and layer results on every backend', async () => {
    const network = { layers: [{ type: 'flatten' }, { type: 'linear', outputs: 48 }, { type: 'sigmoid' }, { type: 'linear', outputs: 10 }] };
    for (const bins of [{}, { nXBins: 16, nDBins: 8 }]) {
      const config = { data: { trainLimit: 200, testLimit: 50 }, training: { epochs: 1, batch: 20 }, network, algorithm: { kind: 'mixed-precision', ...bins } };
      const run = async () => {
        const result = await runExperiment(config);
        return [result.epochs.map((e) => [e.trainLoss, e.testAccuracy, e.pulsesByTile]), result.layers];
      };
      const reference = await withBackend('ts', run);
      for (const backend of backends.slice(1)) expect(await withBackend(backend, run), `${backend} ${JSON.stringify(bins)}`).toEqual(reference);
    }
  });

  it('a late wake-up is not a new call: a worker woken after it already took the call (caller paused between bumping the generation and notifying) does not run it again', () => {
    // The race behind the rare divergences of the spinning pool: a worker that picks a call up
    // while spinning can be woken by that call's notify after it has finished and gone to sleep.
    // Here the late notify is sent on purpose after every update, once the worker sleeps.
    class LateNotify extends NodeKernelThreads {
      notifyAgain(): void {
        Atomics.notify(this.control, 0);
      }
    }
    const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    const run = (pool: LateNotify | null) => {
      setKernelThreads(pool);
      try {
        const tile = new AnalogTile({ rows: 64, cols: 72, device: resolveDevice('soft-bounds', { dwMinStd: 0.3 }), seed: 8, update: { desiredBl: 31 } });
        const rng = Rng.stream(3, 'data');
        tile.setWeights(random(rng, 64 * 72, 0).map((v) => 0.1 * v));
        for (let step = 0; step < 6; step++) {
          tile.update(random(rng, 20 * 72), random(rng, 20 * 64), 20, 0.05);
          if (pool) {
            sleep(5); // the worker has spun out and sleeps again
            pool.notifyAgain();
            sleep(5); // time for a wrongly woken worker to redo its part
          }
        }
        return { conductance: Array.from(tile.conductance), counters: tile.counters.snapshot() };
      } finally {
        setKernelThreads(null);
      }
    };
    const reference = run(null);
    const pool = new LateNotify(2, 1 << 12);
    try {
      const threaded = run(pool);
      expect(pool.calls).toBeGreaterThan(0);
      expect(threaded.counters).toEqual(reference.counters);
      expect(threaded.conductance).toEqual(reference.conductance);
    } finally {
      pool.close();
    }
  });
});
