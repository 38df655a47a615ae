/** Issue 16: the two-stage baseline on a network: zero-shifting before the first batch, counted. */
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiment/run.js';

const base = {
  data: { trainLimit: 40, testLimit: 20 },
  network: { layers: [{ type: 'flatten' }, { type: 'linear', outputs: 6 }, { type: 'tanh' }, { type: 'linear', outputs: 10, analog: false }] },
  device: { preset: 'soft-bounds-reference', dwMin: 0.01, upDown: 0.2, referenceMean: 0.3, referenceStd: 0.1 },
  algorithm: { kind: 'buffered-tiki-taka' },
  training: { epochs: 1, batch: 10, lr: 0.05 },
};

describe('calibration before training (examples/18)', () => {
  it('zero-shifts the fast array of every analog layer with N pulses per device, counted under calibration', async () => {
    const run = await runExperiment({ ...base, calibration: { pulses: 300, arrays: ['fast'] } });
    // one analog layer of 6 × 196: N pulses per device
    expect(run.epochs[0]!.pulsesByPurpose['calibration']).toBe(300 * 6 * 196);
    expect(run.epochs[0]!.pulsesByPurpose['reference']).toBeGreaterThan(0);
    const plain = await runExperiment(base);
    expect(plain.epochs[0]!.pulsesByPurpose['calibration'] ?? 0).toBe(0);
    expect(run.epochs[0]!.testAccuracy).not.toBeNaN();
  });

  it('the initial weights survive the calibration of the array that holds them (analog SGD)', async () => {
    const net = { data: { trainLimit: 40, testLimit: 400 }, network: { layers: [{ type: 'flatten' }, { type: 'linear', outputs: 10 }] }, training: { epochs: 1, batch: 10, lr: 1e-9 } };
    // The spread of the final weights (histogram range): ±1/√196 at the start; near 0 if wiped.
    const spread = (run: Awaited<ReturnType<typeof runExperiment>>) => {
      const { edges } = Object.values(run.snapshots)[0]!.weights;
      return edges[edges.length - 1]! - edges[0]!;
    };
    const plain = await runExperiment({ ...base, ...net, algorithm: 'sgd' });
    const calibrated = await runExperiment({ ...base, ...net, algorithm: 'sgd', calibration: { pulses: 200, arrays: ['array'] } });
    // With a vanishing lr the final weights are the initial ones.
    expect(spread(plain)).toBeGreaterThan(0.1);
    expect(spread(calibrated)).toBeGreaterThan(0.8 * spread(plain));
    expect(calibrated.epochs[0]!.pulsesByPurpose['calibration']).toBe(200 * 10 * 196);
  });

  it('an array the algorithm lacks is one error naming calibration.arrays, before training', async () => {
    await expect(runExperiment({ ...base, algorithm: 'sgd', calibration: { pulses: 10, arrays: ['fast'] } })).rejects.toThrow(/^config error at calibration\.arrays: must name arrays of the algorithm: array, got "fast"$/);
  });
});
