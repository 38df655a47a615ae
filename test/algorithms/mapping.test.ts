/** Issue 20: layers mapped onto tiles of a maximum size (docs/mapping.md, aihwkit TileModuleArray). */
import { describe, expect, it } from 'vitest';
import { MappedAlgorithm, algorithmKinds, createAlgorithm, mapAlgorithm, parseAlgorithmConfig, type TrainingAlgorithm } from '../../src/algorithms/index.js';
import { resolveDevice } from '../../src/devices/index.js';
import { planNetwork, describeNetwork } from '../../src/experiment/network-plan.js';
import { parseExperiment, runExperiment } from '../../src/experiment/run.js';
import { splitSizes, type IoInput, type UpdateInput } from '../../src/tile/index.js';
import { Rng } from '../../src/rng/index.js';

function layer(rows: number, cols: number, mapping: { maxInputSize: number; maxOutputSize: number }, options: { algorithm?: string; device?: string; forward?: IoInput; backward?: IoInput; update?: UpdateInput } = {}): TrainingAlgorithm {
  const { config, update } = parseAlgorithmConfig(options.algorithm ?? 'sgd');
  const device = resolveDevice(options.device ?? 'ideal');
  return mapAlgorithm(rows, cols, mapping, 'layer', (r, c, name) =>
    createAlgorithm({ rows: r, cols: c, device, seed: 3, name, forward: options.forward, backward: options.backward, update: { ...update, ...options.update } }, config),
  );
}

const unmapped = { maxInputSize: 0, maxOutputSize: 0 };
const random = (n: number, seed: number) => {
  const rng = Rng.stream(seed, 'test');
  return Float64Array.from({ length: n }, () => rng.normal());
};

describe('the split rule', () => {
  it('is aihwkit’s get_split_sizes: as few tiles as the limit allows, as equal as possible, larger first', () => {
    expect(splitSizes(784, 512)).toEqual([392, 392]);
    expect(splitSizes(1025, 512)).toEqual([342, 342, 341]);
    expect(splitSizes(512, 512)).toEqual([512]);
    expect(splitSizes(1000, 0)).toEqual([1000]);
    expect(splitSizes(7, 2)).toEqual([2, 2, 2, 1]);
  });

  it('a layer within the limits is the plain algorithm, with the same streams and numbers', () => {
    const plain = layer(6, 5, unmapped, { algorithm: 'ttv1', device: 'reram-sb' });
    const fits = layer(6, 5, { maxInputSize: 5, maxOutputSize: 6 }, { algorithm: 'ttv1', device: 'reram-sb' });
    expect(fits).not.toBeInstanceOf(MappedAlgorithm);
    expect(Array.from(fits.weights())).toEqual(Array.from(plain.weights()));
  });
});

describe('a mapped layer', () => {
  const perfect = { forward: { isPerfect: true }, backward: { isPerfect: true }, update: { pulseType: 'none' as const } };

  it('with perfect IO and an exact update equals the unmapped layer', () => {
    const rows = 7;
    const cols = 9;
    const one = layer(rows, cols, unmapped, perfect);
    const grid = layer(rows, cols, { maxInputSize: 4, maxOutputSize: 3 }, perfect);
    expect(grid).toBeInstanceOf(MappedAlgorithm);
    expect((grid as MappedAlgorithm).blocks).toHaveLength(3 * 3);
    const w = random(rows * cols, 1).map((v) => 0.3 * v);
    one.setWeights(w);
    grid.setWeights(w);
    expect(Array.from(grid.weights())).toEqual(Array.from(one.weights()));
    const batch = 4;
    for (let step = 0; step < 5; step++) {
      const x = random(batch * cols, 10 + step);
      const d = random(batch * rows, 20 + step);
      const y1 = one.forward(x, batch);
      const y2 = grid.forward(x, batch);
      for (let k = 0; k < y1.length; k++) expect(y2[k]).toBeCloseTo(y1[k]!, 12);
      const z1 = one.backward(d, batch);
      const z2 = grid.backward(d, batch);
      for (let k = 0; k < z1.length; k++) expect(z2[k]).toBeCloseTo(z1[k]!, 12);
      one.update(x, d, batch, 0.01);
      grid.update(x, d, batch, 0.01);
    }
    const w1 = one.weights();
    const w2 = grid.weights();
    for (let k = 0; k < w1.length; k++) expect(w2[k]).toBeCloseTo(w1[k]!, 12);
  });

  it('applies noise management per tile (a hand-computed case)', () => {
    // W = [1 1 1 1], x = [1, 0.4, 0.01, 0.03]; abs-max NM, DAC step 0.1·2 = 0.2, no noise.
    // One tile: x/1 quantises to [1, 0.4, 0, 0], y = 1.4. Two tiles of 2 inputs: the second scales
    // its inputs by 0.03 to [1/3, 1], quantised to [0.4, 1], y = 1.4 + 0.03·1.4 = 1.442.
    const forward: IoInput = { outNoise: 0, boundManagement: 'none', noiseManagement: 'abs-max', inpRes: 0.1, outRes: 0 };
    const x = [1, 0.4, 0.01, 0.03];
    const one = layer(1, 4, unmapped, { forward });
    const two = layer(1, 4, { maxInputSize: 2, maxOutputSize: 0 }, { forward });
    one.setWeights([1, 1, 1, 1]);
    two.setWeights([1, 1, 1, 1]);
    expect(one.forward(x, 1)[0]).toBeCloseTo(1.4, 12);
    expect(two.forward(x, 1)[0]).toBeCloseTo(1.442, 12);
  });

  it('gives every tile its own transfer schedule and counters (TTv1: one column read per tile per update)', () => {
    const io = { forward: { isPerfect: true }, backward: { isPerfect: true } };
    const one = layer(4, 8, unmapped, { algorithm: 'ttv1', device: 'reram-sb', ...io });
    const two = layer(4, 8, { maxInputSize: 4, maxOutputSize: 0 }, { algorithm: 'ttv1', device: 'reram-sb', ...io });
    for (let step = 0; step < 6; step++) {
      const x = random(2 * 8, step);
      const d = random(2 * 4, 50 + step);
      one.update(x, d, 2, 0.1);
      two.update(x, d, 2, 0.1);
    }
    expect(two.report().transfers).toBe(2 * one.report().transfers);
    expect(Object.keys(two.report().pulsesByTile).sort()).toEqual(['r0c0/fast', 'r0c0/slow', 'r0c1/fast', 'r0c1/slow']);
    expect(two.report().totalPulses).toBe(Object.values(two.report().pulsesByTile).reduce((a, b) => a + b, 0));
  });

  it('saves and restores every tile: a restored layer continues bit for bit', () => {
    const options = { algorithm: 'c-ttv2', device: 'reram-sb' };
    const mapping = { maxInputSize: 3, maxOutputSize: 2 };
    const a = layer(4, 6, mapping, options);
    const step = (algorithm: TrainingAlgorithm, k: number) => algorithm.update(random(2 * 6, k), random(2 * 4, 100 + k), 2, 0.1);
    for (let k = 0; k < 5; k++) step(a, k);
    const b = layer(4, 6, mapping, options);
    b.restoreState(a.saveState());
    for (let k = 5; k < 10; k++) {
      step(a, k);
      step(b, k);
    }
    expect(Array.from(b.weights())).toEqual(Array.from(a.weights()));
    expect(() => layer(4, 6, { maxInputSize: 2, maxOutputSize: 0 }, options).restoreState(a.saveState())).toThrow(/checkpoint\.mapping/);
  });
});

describe('mapping in a run', () => {
  const network = { layers: [{ type: 'flatten' }, { type: 'linear', outputs: 12 }, { type: 'sigmoid' }, { type: 'linear', outputs: 10, mapping: { maxInputSize: 0 } }] };

  it('is a network-wide default with per-layer overrides, shown in the network line', () => {
    const config = parseExperiment({ network, mapping: { maxInputSize: 100, maxOutputSize: 5 } });
    const line = describeNetwork(planNetwork(config, [1, 14, 14], 10));
    // 196 inputs → 2 blocks, 12 outputs → 3 blocks; the last layer: 10 outputs → 2 blocks only.
    expect(line).toBe('flatten 196 → linear 196→12 (analog, 6 tiles) → sigmoid → linear 12→10 (analog, 2 tiles)');
  });

  it('counts pulses by tile in the results, and calibrates tile by tile', async () => {
    const run = await runExperiment({
      data: { trainLimit: 30, testLimit: 20 },
      network,
      mapping: { maxInputSize: 100, maxOutputSize: 0 },
      device: { preset: 'soft-bounds-reference', dwMin: 0.01 },
      algorithm: { kind: 'tiki-taka' },
      calibration: { pulses: 50, arrays: ['fast'] },
      training: { epochs: 1, batch: 10, lr: 0.05 },
    });
    const tiles = Object.keys(run.epochs[0]!.pulsesByTile);
    expect(tiles).toEqual(expect.arrayContaining(['1:linear/r0c0/fast', '1:linear/r0c1/slow', '3:linear/fast']));
    expect(run.epochs[0]!.pulsesByPurpose['calibration']).toBe(50 * (12 * 196 + 10 * 12));
  });

  it('every algorithm trains on a mapped layer, each tile with its own arrays', async () => {
    for (const kind of algorithmKinds) {
      const run = await runExperiment({
        data: { trainLimit: 20, testLimit: 10 },
        network: { layers: [{ type: 'flatten' }, { type: 'linear', outputs: 10 }] },
        mapping: { maxInputSize: 100 },
        device: { preset: 'soft-bounds-reference', dwMin: 0.01 },
        algorithm: { kind },
        training: { epochs: 1, batch: 10, lr: 0.05 },
      });
      expect(run.status, kind).toBe('completed');
      expect(Number.isFinite(run.epochs[0]!.trainLoss), kind).toBe(true);
      if (kind !== 'digital-sgd') expect(run.network, kind).toContain('(analog, 2 tiles)');
    }
  });

  it('refuses a negative size with one line naming the field', () => {
    expect(() => parseExperiment({ mapping: { maxInputSize: -1 } })).toThrow(/^config error at config\.mapping\.maxInputSize: .*got -1$/);
  });
});
