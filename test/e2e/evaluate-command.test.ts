/** Issue 20: `aimsim evaluate <run-dir>` and the inference section of `aimsim run`. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers.js';

const root = mkdtempSync(join(tmpdir(), 'aimsim-evaluate-'));
const quick = ['--set', 'training.epochs=1', '--set', 'data.trainLimit=200', '--set', 'data.testLimit=100'];
const inference = ['--set', 'inference.times=[1,86400]', '--set', 'inference.repeats=2'];

describe('accuracy after programming', () => {
  it('aimsim run reads the trained network out over time, in the log, results.json and the report; aimsim evaluate gives the same numbers from the checkpoint', async () => {
    const dir = join(root, 'run');
    const run = await runCli('run', ...quick, ...inference, '--set', 'mapping.maxInputSize=100', '--out', dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/inference \(pcm noise, weights programmed, drift compensation global\):\n {2}t = 1 s: test accuracy \d+\.\d\d ± \d+\.\d\d % \(2 draws\)\n {2}t = 1 d: /);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.inference.points.map((p: { t: number }) => p.t)).toEqual([1, 86400]);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('Test accuracy over time after programming');

    const evaluated = await runCli('evaluate', dir);
    expect(evaluated.code).toBe(0);
    const written = JSON.parse(readFileSync(join(dir, 'inference.json'), 'utf8'));
    expect(written).toEqual(results.inference);
    expect(evaluated.stdout).toContain(`weights of epoch 1 from ${join(dir, 'checkpoint.json')}`);

    const generic = await runCli('evaluate', dir, '--set', 'inference.noise.kind=generic', '--set', 'inference.times=[3600]');
    expect(generic.code).toBe(0);
    expect(generic.stdout).toMatch(/inference \(generic noise, .*\n {2}t = 1 h: /);
  });

  it('bad input is one line with exit code 2', async () => {
    const missing = await runCli('evaluate', join(root, 'nothing'));
    expect([missing.code, missing.stderr.trim()]).toEqual([2, `aimsim: usage error at run folder: must contain config.json and checkpoint.json (written by aimsim run), got "${join(root, 'nothing')}"`]);
    const dir = join(root, 'bad');
    expect((await runCli('run', ...quick, '--out', dir)).code).toBe(0);
    const training = await runCli('evaluate', dir, '--set', 'training.lr=1');
    expect([training.code, training.stderr.trim()]).toEqual([2, 'aimsim: usage error at --set: must set a field of inference (the training config is the run’s), got "training.lr=1"']);
    const repeats = await runCli('evaluate', dir, '--set', 'inference.repeats=0');
    expect([repeats.code, repeats.stderr.trim()]).toEqual([2, 'aimsim: config error at config.inference.repeats: must be >= 1, got 0']);
    const kind = await runCli('run', ...quick, '--set', 'inference.noise.kind=rram', '--out', join(root, 'kind'));
    expect(kind.code).toBe(2);
    expect(kind.stderr.trim().split('\n')).toHaveLength(1);
    expect(kind.stderr).toMatch(/config\.inference\.noise\.kind.*pcm.*generic/);
  });
});
