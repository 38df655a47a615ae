/**
 * TTv1 and TTv2 send the samples between two transfers to A in one call (`sampleRun`, issue 21):
 * a mini-batch must give the same conductances, pulses and transfers as its samples sent one by
 * one, also when transfers fall inside the batch (period 7 against batches of 25) and on the
 * batched Wasm kernels (a 64 × 48 tile: 3072 devices).
 */
import { describe, expect, it } from 'vitest';
import { createAlgorithm, parseAlgorithmConfig } from '../../src/algorithms/index.js';
import { resolveDevice } from '../../src/devices/index.js';
import { Rng } from '../../src/rng/index.js';

const rows = 64;
const cols = 48;

function train(algorithm: unknown, batch: number) {
  const { config, update } = parseAlgorithmConfig(algorithm);
  const layer = createAlgorithm({ rows, cols, device: resolveDevice('soft-bounds', { dwMinStd: 0.3 }), seed: 5, ...(update ? { update } : {}) }, config);
  const data = Rng.stream(4, 'transfer-runs');
  const x = Float64Array.from({ length: 100 * cols }, () => data.normal());
  const d = Float64Array.from({ length: 100 * rows }, () => 0.3 * data.normal());
  for (let b = 0; b < 100; b += batch) layer.update(x.subarray(b * cols, (b + batch) * cols), d.subarray(b * rows, (b + batch) * rows), batch, 0.05);
  const tiles = layer.tiles();
  return {
    fast: Array.from(tiles['fast']!.conductance),
    slow: Array.from(tiles['slow']!.conductance),
    pulses: layer.report().pulsesByPurpose,
  };
}

describe('transfer compounds: the samples between transfers in one update of A', () => {
  for (const kind of ['tiki-taka', 'buffered-tiki-taka']) {
    it(`${kind}: a batch of 25 equals 25 single samples, transfers every 7 samples`, () => {
      const algorithm = { kind, transferEvery: 7, unitsInMbatch: false };
      const batched = train(algorithm, 25);
      const single = train(algorithm, 1);
      expect(batched.pulses['transfer']).toBeGreaterThan(0);
      expect(batched.pulses).toEqual(single.pulses);
      expect(batched.fast).toEqual(single.fast);
      expect(batched.slow).toEqual(single.slow);
    });
  }
});
