import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseExperiment, runExperiment, type Checkpoint, type ExperimentResult } from '../../src/experiment/run.js';

const small = { data: { trainLimit: 300, testLimit: 200 }, training: { epochs: 2, batch: 10, lr: 0.1 } };

describe('experiment runner', () => {
  it('the same config and seed give identical metrics and counters', async () => {
    const strip = (r: ExperimentResult) => ({ ...r, epochs: r.epochs.map(({ seconds: _s, ...m }) => m) });
    const a = await runExperiment(small);
    const b = await runExperiment(small);
    expect(strip(a)).toEqual(strip(b));
    expect(a.epochs[1]!.pulsesByPurpose['update']).toBeGreaterThan(0);
    expect(a.layers['1:linear']!.totalPulses).toBeGreaterThan(0);
    // Per epoch, the pulses by tile add up to the pulses by purpose.
    for (const m of a.epochs) {
      const byTile = Object.values(m.pulsesByTile).reduce((x, y) => x + y, 0);
      const byPurpose = Object.values(m.pulsesByPurpose).reduce((x, y) => x + y, 0);
      expect(byTile).toBe(byPurpose);
      expect(Object.keys(m.pulsesByTile).sort()).toEqual(['1:linear/fast', '1:linear/slow', '3:linear/fast', '3:linear/slow']);
    }
  });

  it('a digital network learns the embedded dataset (> 55 % test accuracy from 500 samples, chance 10 %)', async () => {
    const r = await runExperiment({ algorithm: { kind: 'digital-sgd' }, data: { trainLimit: 500 }, training: { epochs: 4, lr: 0.2 } });
    expect(r.epochs[3]!.testAccuracy).toBeGreaterThan(0.55);
    expect(r.epochs[3]!.trainLoss).toBeLessThan(r.epochs[0]!.trainLoss);
  });

  it('a conv network builds and trains on images (conv → relu → maxpool → flatten → linear)', async () => {
    const r = await runExperiment({
      algorithm: 'sgd',
      data: { trainLimit: 50, testLimit: 20 },
      network: { layers: [{ type: 'conv2d', channels: 2, kernel: 3 }, { type: 'relu' }, { type: 'maxpool', kernel: 2 }, { type: 'flatten' }, { type: 'linear', outputs: 10 }] },
      training: { epochs: 1 },
    });
    expect(r.status).toBe('completed');
    // 50 images × 12·12 patches = 7200 pulsed vector updates on the conv tile.
    expect(r.layers['0:conv2d']!.tiles['array']!.updates['update']).toBe(50 * 144);
  });

  it('a layer may use its own device and algorithm', async () => {
    const r = await runExperiment({
      data: { trainLimit: 30, testLimit: 10 },
      network: { layers: [{ type: 'flatten' }, { type: 'linear', outputs: 8, algorithm: 'mp', device: 'reram-es' }, { type: 'tanh' }, { type: 'linear', outputs: 10, algorithm: 'sgd' }] },
      training: { epochs: 1 },
    });
    expect(r.layers['1:linear']!.kind).toBe('mixed-precision');
    expect(r.layers['3:linear']!.kind).toBe('analog-sgd');
    await expect(runExperiment({ network: { layers: [{ type: 'flatten' }, { type: 'linear', outputs: 10, device: 'nope' }] } })).rejects.toThrow(/unknown device/);
  });

  it('stops after the current batch when the signal aborts, with a checkpoint of that batch', async () => {
    const controller = new AbortController();
    const checkpoints: Checkpoint[] = [];
    const r = await runExperiment(small, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'batch' && e.batch === 5) controller.abort();
        if (e.type === 'checkpoint') checkpoints.push(e.checkpoint);
      },
    });
    expect(r.status).toBe('partial');
    expect(r.epochs).toHaveLength(0);
    expect(checkpoints.map((c) => [c.epoch, c.batch])).toEqual([[0, 5]]);
    expect(checkpoints[0]!.partial.seen).toBe(5 * small.training.batch);
  });

  it('bad configs are one-line errors naming the field', async () => {
    expect(() => parseExperiment({ network: { layers: [{ type: 'dense', outputs: 3 }] } })).toThrow(/config error at config\.network\.layers\.0\.type/);
    expect(() => parseExperiment({ training: { epochs: 0 } })).toThrow('config error at config.training.epochs: must be >= 1, got 0');
    expect(() => parseExperiment({ trainig: {} })).toThrow(/config error at config\.trainig: unknown key; allowed keys: name, seed, data/);
    await expect(runExperiment({ network: { layers: [{ type: 'flatten' }, { type: 'linear', outputs: 7 }] } })).rejects.toThrow('config error at config.network.layers: the last layer must output 10 values (one per class), got 7');
    await expect(runExperiment({ data: { dataset: 'cifar10' } })).rejects.toThrow(/config error at config\.data\.dataset: needs files/);
  });
});

describe('aimsim run', () => {
  it('runs the default example (shortened) and writes the resolved config and the results', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aimsim-run-'));
    const lines: string[] = [];
    const code = await main(
      ['run', 'examples/00-default.yaml', '--out', dir, '--set', 'training.epochs=1', '--set', 'data.trainLimit=100', '--set', 'data.testLimit=50'],
      { stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) },
    );
    expect(code, lines.join('\n')).toBe(0);
    expect(lines.join('\n')).toMatch(/epoch 1: train loss [\d.]+, test accuracy [\d.]+ %/);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(config.training.epochs).toBe(1);
    expect(config.algorithm).toEqual({ preset: 'c-ttv2', inChopProb: 0.01, fastLr: 0.5, autoGranularity: 1000 });
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ExperimentResult;
    expect(results.epochs).toHaveLength(1);
  });

  it('a bad --set or field is one line and exit code 2', async () => {
    for (const args of [['run', '--set', 'training.epochs=-1'], ['run', '--set', 'training=3', '--set', 'training.epochs=1'], ['run', 'nowhere.yaml']]) {
      const errors: string[] = [];
      const code = await main(args, { stdout: () => {}, stderr: (l) => errors.push(l) });
      expect(code, args.join(' ')).toBe(2);
      expect(errors, args.join(' ')).toHaveLength(1);
    }
  });
});
