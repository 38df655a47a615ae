/**
 * Issue 8 conformance: every fast path against the reference path it replaces, on the same seeds.
 * The fast paths keep the arithmetic and its order, so the results must be identical, not close.
 */
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../../src/devices/index.js';
import { Rng } from '../../src/rng/index.js';
import { AnalogTile } from '../../src/tile/index.js';
import { multiply, multiplyBatch } from '../../src/tile/io.js';

const random = (rng: Rng, n: number) => Float64Array.from({ length: n }, () => (rng.uniform() < 0.2 ? 0 : rng.normal()));

describe('batched MVM', () => {
  it('multiplyBatch equals multiply per vector, bit for bit, both orientations, any batch remainder', () => {
    const rng = Rng.stream(1, 'mvm');
    for (const [rows, cols, batch] of [[7, 5, 9], [16, 33, 4], [3, 1, 2], [1, 8, 5]] as const) {
      const w = random(rng, rows * cols);
      for (const transposed of [false, true]) {
        const inSize = transposed ? rows : cols;
        const outSize = transposed ? cols : rows;
        const x = random(rng, batch * inSize);
        const y = new Float64Array(batch * outSize);
        multiplyBatch(w, rows, cols, transposed, x, y, batch);
        for (let b = 0; b < batch; b++) {
          const ref = new Float64Array(outSize);
          multiply(w, rows, cols, transposed, x.subarray(b * inSize, (b + 1) * inSize), ref);
          expect(Array.from(y.subarray(b * outSize, (b + 1) * outSize))).toEqual(Array.from(ref));
        }
      }
    }
  });

  it('the batched IO pipeline equals the per-vector one (batch 1 calls), output noise and bound management included', () => {
    const device = resolveDevice('soft-bounds');
    const io = { outNoise: 0.06, inpRes: 1 / 126, outRes: 1 / 510, outBound: 2, boundManagement: 'iterative' as const };
    const a = new AnalogTile({ rows: 24, cols: 40, device, seed: 4, forward: io, backward: io });
    const b = new AnalogTile({ rows: 24, cols: 40, device, seed: 4, forward: io, backward: io });
    const rng = Rng.stream(2, 'w');
    const w = random(rng, 24 * 40);
    a.setWeights(w);
    b.setWeights(w);
    const x = random(rng, 9 * 40).map((v) => 3 * v);
    const batched = a.forward(x, 9);
    const single = new Float64Array(9 * 24);
    for (let k = 0; k < 9; k++) single.set(b.forward(x.subarray(k * 40, (k + 1) * 40), 1), k * 24);
    expect(Array.from(batched)).toEqual(Array.from(single));
  });
});

describe('inlined pulse loop of the linear-response devices', () => {
  for (const [name, fields] of [
    ['soft-bounds', { dwMinStd: 0.3, writeNoiseStd: 0.5 }],
    ['soft-bounds', { multNoise: false, dwMinStd: 0.2 }],
    ['linear-step', { dwMinStd: 0.1 }],
    ['soft-bounds-reference', { subtractSymmetryPoint: true, referenceMean: 0.1 }],
  ] as const) {
    it(`${name} ${JSON.stringify(fields)}: the same conductances and pulse counts as the generic loop`, () => {
      const device = resolveDevice(name, fields);
      const update = { desiredBl: 31 };
      const fast = new AnalogTile({ rows: 12, cols: 20, device, seed: 8, update });
      const reference = new AnalogTile({ rows: 12, cols: 20, device, seed: 8, update });
      expect(fast.device.linear).toBeDefined();
      (reference.device as { linear?: unknown }).linear = undefined;
      const rng = Rng.stream(3, 'data');
      for (let step = 0; step < 20; step++) {
        const x = random(rng, 4 * 20);
        const d = random(rng, 4 * 12);
        fast.update(x, d, 4, 0.05);
        reference.update(x, d, 4, 0.05);
      }
      expect(Array.from(fast.conductance)).toEqual(Array.from(reference.conductance));
      expect(Array.from(fast.apparent)).toEqual(Array.from(reference.apparent));
      expect(fast.counters.snapshot()).toEqual(reference.counters.snapshot());
      expect(fast.counters.snapshot().pulses['update']!.up).toBeGreaterThan(100);
    });
  }
});

describe('the kernel registry: every backend equals the TS reference', () => {
  it('wasm multiplyBatch is bit-identical to the TS reference (odd sizes, zeros, both orientations)', async () => {
    const { multiplyBatchTs, setKernelBackend, kernelBackend } = await import('../../src/kernels/index.js');
    const { multiplyBatchWasm, wasmAvailable } = await import('../../src/kernels/wasm-gemm.js');
    expect(wasmAvailable()).toBe(true); // Node 20 has WebAssembly SIMD
    expect(kernelBackend()).toBe('wasm');
    const rng = Rng.stream(5, 'wasm');
    for (const [rows, cols, batch] of [[64, 48, 10], [33, 65, 7], [1, 1024, 3], [129, 17, 1], [512, 512, 64]] as const) {
      const w = random(rng, rows * cols);
      for (const transposed of [false, true]) {
        const inSize = transposed ? rows : cols;
        const outSize = transposed ? cols : rows;
        const x = random(rng, batch * inSize);
        const reference = new Float64Array(batch * outSize);
        const fast = new Float64Array(batch * outSize);
        multiplyBatchTs(w, rows, cols, transposed, x, reference, batch);
        expect(multiplyBatchWasm(w, rows, cols, transposed, x, fast, batch)).toBe(true);
        expect(Array.from(fast)).toEqual(Array.from(reference));
      }
    }
    setKernelBackend('ts');
    expect(kernelBackend()).toBe('ts');
    setKernelBackend('wasm');
  });

  it('a training run gives the same numbers on the ts and wasm backends', async () => {
    const { setKernelBackend } = await import('../../src/kernels/index.js');
    const { runExperiment } = await import('../../src/experiment/run.js');
    const config = { data: { trainLimit: 200, testLimit: 50 }, training: { epochs: 1 }, algorithm: 'sgd' };
    const run = async (backend: 'ts' | 'wasm') => {
      setKernelBackend(backend);
      const r = await runExperiment(config);
      return r.epochs.map((e) => [e.trainLoss, e.testAccuracy]);
    };
    const wasm = await run('wasm');
    const ts = await run('ts');
    setKernelBackend('wasm');
    expect(wasm).toEqual(ts);
  });
});

describe('constant step on the linear-response path (issue 21)', () => {
  it('takes the linear kernel, and every pulse is Δw±(1 + σξ) as ConstantStepDevice defines it', async () => {
    const { buildDevice } = await import('../../src/devices/registry.js');
    const device = buildDevice(resolveDevice('constant-step', { dwMin: 0.01, dwMinStd: 0.3, upDown: 0.2 }), 50, Rng.stream(3, 'cs'));
    expect(device.linear).toBeDefined();
    const a = Rng.stream(4, 'pulses');
    const b = Rng.stream(4, 'pulses');
    for (let k = 0; k < 50; k++) {
      for (const [g, up] of [[0.3, true], [-0.2, false], [0, true]] as const) {
        const factor = 1 + 0.3 * b.normal();
        const expected = up ? g + device.hidden.scaleUp[k]! * factor : g - device.hidden.scaleDown[k]! * factor;
        expect(device.pulseOnce(k, g, up, a)).toBe(expected);
      }
    }
    // Its SP is still the bound of the larger step.
    expect(device.symmetricPoint(0)).toBe(device.hidden.scaleUp[0]! > device.hidden.scaleDown[0]! ? device.hidden.bmax[0] : device.hidden.bmin[0]);
  });
});
