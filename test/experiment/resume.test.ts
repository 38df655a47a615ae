/** Issue 5: resuming from a checkpoint gives the numbers of an uninterrupted run, bit for bit. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseWithTypedArrays, stringifyWithTypedArrays } from '../../src/core/serialize.js';
import { runExperiment, type Checkpoint, type ExperimentResult } from '../../src/experiment/run.js';

const strip = (r: ExperimentResult) => ({ ...r, config: undefined, epochs: r.epochs.map(({ seconds: _s, ...m }) => m) });
const base = (algorithm: unknown, epochs: number) => ({
  algorithm,
  data: { trainLimit: 120, testLimit: 60 },
  network: { layers: [{ type: 'flatten' }, { type: 'linear', outputs: 12, bias: 'analog' }, { type: 'tanh' }, { type: 'linear', outputs: 10 }] },
  training: { epochs, batch: 8, lr: 0.1 },
});

describe('checkpoint and resume', () => {
  for (const algorithm of [{ kind: 'digital-sgd' }, 'sgd', 'ttv1', { kind: 'buffered-tiki-taka' }, 'c-ttv2', 'agad', 'mp', { kind: 'multi-tile-residual', tiles: 3, warmStart: true, aggressiveThreshold: -1 }]) {
    it(`${JSON.stringify(algorithm)}: 2 epochs + resume = 3 epochs straight`, async () => {
      const straight = await runExperiment(base(algorithm, 3));
      let checkpoint: Checkpoint | undefined;
      await runExperiment(base(algorithm, 2), { onEvent: (e) => e.type === 'checkpoint' && (checkpoint = e.checkpoint) });
      // Through JSON, as the CLI stores it.
      const restored = parseWithTypedArrays(stringifyWithTypedArrays(checkpoint)) as Checkpoint;
      const resumed = await runExperiment(base(algorithm, 3), { resumeFrom: restored });
      expect(strip(resumed)).toEqual(strip(straight));
    });
  }

  for (const algorithm of ['c-ttv2', 'agad', 'ttv1', 'mp', { kind: 'rider', chopProb: 0.1 }]) {
    it(`${JSON.stringify(algorithm)}: stopped mid-epoch (signal) + resume = straight, bit for bit`, async () => {
      const straight = await runExperiment(base(algorithm, 2));
      const controller = new AbortController();
      let checkpoint: Checkpoint | undefined;
      const stopped = await runExperiment(base(algorithm, 2), {
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'batch' && e.epoch === 2 && e.batch === 7) controller.abort();
          if (e.type === 'checkpoint') checkpoint = e.checkpoint;
        },
      });
      expect(stopped.status).toBe('partial');
      expect([checkpoint!.epoch, checkpoint!.batch]).toEqual([1, 7]);
      const restored = parseWithTypedArrays(stringifyWithTypedArrays(checkpoint)) as Checkpoint;
      const resumed = await runExperiment(base(algorithm, 2), { resumeFrom: restored });
      expect(strip(resumed)).toEqual(strip(straight));
    });
  }

  it('learnable output scales are saved and restored with the digital biases', async () => {
    const scaled = (epochs: number) => ({
      ...base('ttv1', epochs),
      network: { layers: [{ type: 'flatten' }, { type: 'linear', outputs: 12, outScaling: 'column' }, { type: 'tanh' }, { type: 'linear', outputs: 10, outScaling: 'layer' }] },
    });
    const straight = await runExperiment(scaled(3));
    let checkpoint: Checkpoint | undefined;
    await runExperiment(scaled(2), { onEvent: (e) => e.type === 'checkpoint' && (checkpoint = e.checkpoint) });
    expect(Object.keys(checkpoint!.biases).sort()).toEqual(['1:linear', '1:linear/out-scale', '3:linear', '3:linear/out-scale']);
    const restored = parseWithTypedArrays(stringifyWithTypedArrays(checkpoint)) as Checkpoint;
    expect(strip(await runExperiment(scaled(3), { resumeFrom: restored }))).toEqual(strip(straight));
  });

  it('typed arrays survive serialisation exactly', () => {
    const value = { a: Float64Array.of(Math.PI, -0, 1e-300), b: Uint32Array.of(0xffffffff), c: Int8Array.of(-1, 1) };
    const back = parseWithTypedArrays(stringifyWithTypedArrays(value)) as typeof value;
    expect(back.a).toEqual(value.a);
    expect(Object.is(back.a[1], -0)).toBe(true);
    expect(back.b).toEqual(value.b);
    expect(back.c).toEqual(value.c);
  });

  it('aimsim run --resume continues from the checkpoint and refuses another config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aimsim-resume-'));
    const quiet = { stdout: () => {}, stderr: () => {} };
    const args = ['run', '--out', dir, '--set', 'data.trainLimit=100', '--set', 'data.testLimit=50'];
    expect(await main([...args, '--set', 'training.epochs=1'], quiet)).toBe(0);
    const lines: string[] = [];
    expect(await main([...args, '--set', 'training.epochs=2', '--resume'], { stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) })).toBe(0);
    expect(lines[0]).toMatch(/resuming after epoch 1/);
    const result = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ExperimentResult;
    expect(result.epochs.map((m) => m.epoch)).toEqual([1, 2]);
    const errors: string[] = [];
    const code = await main([...args, '--set', 'training.lr=0.3', '--set', 'training.epochs=3', '--resume'], { stdout: () => {}, stderr: (l) => errors.push(l) });
    expect(code).toBe(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBe(`aimsim: usage error at ${join(dir, 'checkpoint.json')}: config.training.lr: must equal the checkpoint's 0.1 (only training.epochs, inference and hardware may change on --resume), got 0.3`);
  });
});
