/**
 * TTv1, TTv2, c-TTv2 and AGAD (without auto-scaling) send the samples between two transfers to A
 * in one call (`sampleRun`, issue 21):
 * a mini-batch must give the same conductances, pulses and transfers as its samples sent one by
 * one, also when transfers fall inside the batch (period 7 or 2 against batches of 25) and on the
 * batched Wasm kernels (a 64 × 48 tile: 3072 devices).
 */
import { describe, expect, it } from 'vitest';
import { createAlgorithm, parseAlgorithmConfig } from '../../src/algorithms/index.js';
import { resolveDevice } from '../../src/devices/index.js';
import { Rng } from '../../src/rng/index.js';

const rows = 64;
const cols = 48;

/**
 * `perSample`: the reference path, one sample per call through `updateSample` (c-TTv2 and AGAD
 * keep it for auto-scaling; TTv1 and TTv2 have only runs, which for one sample are that path).
 */
function train(algorithm: unknown, batch: number, perSample = false) {
  const { config, update } = parseAlgorithmConfig(algorithm);
  const layer = createAlgorithm({ rows, cols, device: resolveDevice('soft-bounds', { dwMinStd: 0.3 }), seed: 5, ...(update ? { update } : {}) }, config);
  if (perSample) Object.assign(layer, { sampleRun: () => null });
  const data = Rng.stream(4, 'transfer-runs');
  const x = Float64Array.from({ length: 400 * cols }, () => data.normal());
  const d = Float64Array.from({ length: 400 * rows }, () => 0.3 * data.normal());
  for (let b = 0; b < 400; b += batch) layer.update(x.subarray(b * cols, (b + batch) * cols), d.subarray(b * rows, (b + batch) * rows), batch, 0.05);
  const tiles = layer.tiles();
  return {
    fast: Array.from(tiles['fast']!.conductance),
    slow: Array.from(tiles['slow']!.conductance),
    pulses: layer.report().pulsesByPurpose,
  };
}

describe('transfer compounds: the samples between transfers in one update of A', () => {
  for (const kind of ['tiki-taka', 'buffered-tiki-taka', 'chopped-tiki-taka', 'agad']) {
    // AGAD writes C only from a column's 4th read on (P = 2): transfers every 2 samples.
    const every = kind === 'agad' ? 2 : 7;
    it(`${kind}: a batch of 25 equals 25 single samples, transfers every ${every} samples`, () => {
      // Choppers flip often (c-TTv2, AGAD), so runs see both signs.
      const algorithm = { kind, transferEvery: every, unitsInMbatch: false, ...(kind === 'chopped-tiki-taka' || kind === 'agad' ? { inChopProb: 0.5, outChopProb: 0.5 } : {}) };
      const batched = train(algorithm, 25);
      const single = train(algorithm, 1, kind === 'chopped-tiki-taka' || kind === 'agad');
      expect(batched.pulses['transfer']).toBeGreaterThan(0);
      expect(batched.pulses).toEqual(single.pulses);
      expect(batched.fast).toEqual(single.fast);
      expect(batched.slow).toEqual(single.slow);
    });
  }
});
