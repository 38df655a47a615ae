/** Issue 18: the hardware estimate from the counters, and P-MT25's Table 5 (docs/hardware-cost.md). */
import { describe, expect, it } from 'vitest';
import { createAlgorithm, parseAlgorithmConfig } from '../../src/algorithms/index.js';
import { resolveDevice } from '../../src/devices/index.js';
import { runLeastSquares } from '../../src/experiment/least-squares.js';
import { runExperiment } from '../../src/experiment/run.js';
import { formatEpoch } from '../../src/cli/progress.js';
import { hardwareConstants, hardwareCost, hardwarePresets, hardwareSchema } from '../../src/hardware/cost.js';
import { PMT25_TABLE5, pmt25UpdateTime } from '../../src/hardware/pmt25.js';
import { Rng } from '../../src/rng/index.js';

describe('P-MT25 §4.3', () => {
  it('Table 5 (D = 512, B = 100, n = 2, l_avg = 5, t_sp = 5 ns, t_M = 40 ns, 0.7 TFLOPS): per-sample update times to the printed digit', () => {
    const printed = { 'tt-v2': 56.3, 'analog-sgd': 30.9, 'mixed-precision': 3024.5, 'multi-tile': 95.9 } as const;
    for (const [method, ns] of Object.entries(printed)) expect(Number(pmt25UpdateTime(method as keyof typeof printed).toFixed(1)), method).toBe(ns);
  });

  it('Table 7, LeNet-5: TT-v2, Analog SGD and the multi-tile method take the Table 5 times (56.3 / 30.9 / 95.9 ns)', () => {
    expect([pmt25UpdateTime('tt-v2'), pmt25UpdateTime('analog-sgd'), pmt25UpdateTime('multi-tile')].map((t) => Number(t.toFixed(1)))).toEqual([56.3, 30.9, 95.9]);
    // More tiles shorten the multi-tile method's analog latency: l_avg·t_sp·n/(n − 1) + t_M/(n − 1).
    expect(pmt25UpdateTime('multi-tile', { ...PMT25_TABLE5, tiles: 4 })).toBeCloseTo((5 * 5 * 4) / 3 + 40 / 3 + (8 * 512) / 700, 12);
  });
});

describe('the estimate from the counters', () => {
  const hw = hardwareConstants(hardwareSchema.parse({ pulseEnergy: 2e-15, cellReadEnergy: 1e-16, adcEnergy: 3e-13, dacEnergy: 5e-14, flopEnergy: 1e-12 }));

  it('prices pulses, reads and updates of a tile as the documented sums (a hand computation)', () => {
    const { config, update } = parseAlgorithmConfig('sgd');
    const algorithm = createAlgorithm({ rows: 4, cols: 3, device: resolveDevice('reram-sb'), seed: 2, ...(update ? { update } : {}) }, config);
    const rng = Rng.stream(1, 'x');
    const x = Float64Array.from({ length: 2 * 3 }, () => rng.normal());
    const d = Float64Array.from({ length: 2 * 4 }, () => rng.normal());
    algorithm.forward(x, 2);
    algorithm.backward(d.subarray(0, 4), 1);
    algorithm.update(x, d, 2, 0.5);
    const counters = algorithm.tiles()['array']!.counters.snapshot();
    const pulses = counters.pulses['update']!.up + counters.pulses['update']!.down;
    expect(pulses).toBeGreaterThan(0);
    const cost = hardwareCost({ layer: algorithm }, hw);
    // 2 updates of 5 slots of 5 ns; 2 forward reads (3 DAC, 4 ADC) and 1 backward read (4 DAC, 3 ADC) of 40 ns.
    expect(cost.byPurpose['update']!.time).toBeCloseTo(2 * 5 * 5e-9, 20);
    expect(cost.byPurpose['update']!.energy).toBeCloseTo(pulses * 2e-15, 25);
    expect(cost.byPurpose['forward']!.time).toBeCloseTo(2 * 40e-9, 20);
    expect(cost.byPurpose['forward']!.energy).toBeCloseTo(2 * (12 * 1e-16 + 3 * 5e-14 + 4 * 3e-13), 25);
    expect(cost.byPurpose['backward']!.energy).toBeCloseTo(12 * 1e-16 + 4 * 5e-14 + 3 * 3e-13, 25);
    // Digital: 4·(4 + 3) flops per vector update, 2 updates.
    expect(cost.digital.time).toBeCloseTo(56 / 0.7e12, 25);
    expect(cost.digital.energy).toBeCloseTo(56e-12, 25);
    expect(cost.total.time).toBeCloseTo(cost.byTile['layer/array']!.time + cost.digital.time, 20);
  });

  it('prices mixed precision’s samples as its digital accumulator (8·rows·cols flops each), not as pulse slots', () => {
    const { config } = parseAlgorithmConfig('mp');
    const algorithm = createAlgorithm({ rows: 4, cols: 3, device: resolveDevice('reram-sb'), seed: 2 }, config);
    algorithm.update(new Float64Array(6).fill(0.5), new Float64Array(8).fill(0.5), 2, 0.1);
    const cost = hardwareCost({ layer: algorithm }, hw);
    expect(cost.digital.time).toBeCloseTo((2 * 8 * 12) / 0.7e12, 25);
    expect(cost.byPurpose['update']?.time ?? 0).toBe(0);
  });

  it('times a direct write of pulse counts by its rows: each as long as its largest |count|', () => {
    const { config } = parseAlgorithmConfig('sgd');
    const algorithm = createAlgorithm({ rows: 2, cols: 3, device: resolveDevice('reram-sb'), seed: 2 }, config);
    algorithm.tiles()['array']!.pulseDevices([3, -7, 0, 0, 2, -1], 'calibration');
    const cost = hardwareCost({ layer: algorithm }, hw);
    expect(cost.byPurpose['calibration']!.time).toBeCloseTo((7 + 2) * 5e-9, 20);
    expect(cost.byPurpose['calibration']!.energy).toBeCloseTo((3 + 7 + 2 + 1) * 2e-15, 25);
  });
});

describe('a run with a hardware section', () => {
  it('reports each epoch’s training apart from the test reads, per sample, and the run by purpose and tile', async () => {
    const run = await runExperiment({
      data: { trainLimit: 40, testLimit: 30 },
      network: { layers: [{ type: 'flatten' }, { type: 'linear', outputs: 8 }, { type: 'sigmoid' }, { type: 'linear', outputs: 10 }] },
      algorithm: 'sgd',
      hardware: { preset: 'p-mt25', pulseEnergy: 1e-14 },
      training: { epochs: 2, batch: 10, lr: 0.1 },
    });
    for (const epoch of run.epochs) {
      const hw = epoch.hardware!;
      // The test set is read once per layer: 2 layers × 30 samples × 40 ns.
      expect(hw.test.time).toBeCloseTo(2 * 30 * 40e-9, 18);
      expect(hw.byPurpose['test']).toBeUndefined();
      expect(hw.perSample.time).toBeCloseTo(hw.training.time / 40, 20);
      const pulses = Object.values(epoch.pulsesByPurpose).reduce((a, b) => a + b, 0);
      expect(hw.training.energy).toBeCloseTo(pulses * 1e-14, 20);
    }
    const whole = run.hardware!.run;
    expect(Object.keys(whole.byTile).sort()).toEqual(['1:linear/array', '3:linear/array']);
    expect(whole.byPurpose['test']!.time).toBeCloseTo(2 * 2 * 30 * 40e-9, 18);
    expect(run.hardware!.constants.readTime).toBe(40e-9);
  });

  it('every run is estimated: without a section, with the reram-literature preset (pulses, device reads and flops priced); a digital run shows nothing on chip', async () => {
    const small = { data: { trainLimit: 30, testLimit: 20 }, network: { layers: [{ type: 'flatten' }, { type: 'linear', outputs: 10 }] }, training: { epochs: 1, batch: 10, lr: 0.1 } };
    const run = await runExperiment({ ...small, algorithm: 'sgd' });
    expect(run.hardware!.constants).toEqual(hardwarePresets['reram-literature']);
    const epoch = run.epochs[0]!;
    const pulses = Object.values(epoch.pulsesByPurpose).reduce((a, b) => a + b, 0);
    const hw = epoch.hardware!;
    // One 10 × 196 tile (the bias is digital): 20 test reads apart from the training's.
    const cells = 10 * 14 * 14;
    expect(hw.test.energy).toBeCloseTo(20 * cells * 11e-15, 22);
    expect(hw.training.energy).toBeGreaterThan(pulses * 0.1e-12 + 30 * cells * 11e-15);
    expect(hw.byPurpose['digital']!.energy).toBeGreaterThan(0);
    expect(formatEpoch(epoch)).toMatch(/; on chip [\d.]+ µs \([\d.]+ ns\/sample\), [\d.]+ [nµ]J \([\d.]+ [pn]J\/sample\)$/);

    const digital = await runExperiment({ ...small, algorithm: { kind: 'digital-sgd' } });
    expect(digital.epochs[0]!.hardware!.training).toEqual({ energy: 0, time: 0 });
    expect(formatEpoch(digital.epochs[0]!)).not.toContain('on chip');
  });

  it('a least-squares run is estimated too: its pulses at the preset’s energy, by purpose', () => {
    const result = runLeastSquares({ task: { inputs: 4, outputs: 3 }, steps: 50, lr: 0.05, hardware: { preset: 'p-mt25', pulseEnergy: 1e-13 } });
    const { byPurpose, total } = result.hardware.run;
    expect(result.hardware.constants.readTime).toBe(40e-9);
    expect(byPurpose['update']!.energy).toBeCloseTo(result.report.pulsesByPurpose['update']! * 1e-13, 25);
    // 50 forward reads of one vector each and 50 vector updates of 5 slots: time only (no read energy).
    expect(byPurpose['forward']!.time).toBeCloseTo(50 * 40e-9, 18);
    expect(total.time).toBeGreaterThan(50 * 40e-9 + 50 * 5 * 5e-9);
  });

  it('a bad field is one line', async () => {
    await expect(runExperiment({ hardware: { readTime: -1 } })).rejects.toThrow(/^config error at config\.hardware\.readTime: must be >= 0, got -1$/);
    await expect(runExperiment({ hardware: { preset: 'tpu' } })).rejects.toThrow(/^config error at config\.hardware\.preset: .*p-mt25.*got "tpu"$/);
  });
});
