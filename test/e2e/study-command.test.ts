import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers.js';
import type { StudyResult } from '../../src/experiment/study.js';

const cli = runCli;

const dir = mkdtempSync(join(tmpdir(), 'aimsim-study-'));
function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('aimsim study', () => {
  it('runs a YAML study, prints the table and writes the JSON and the plot', async () => {
    const config = file(
      'small.yaml',
      ['seeds: [0, 1]', 'base: { steps: 300, lr: 0.05, task: { inputs: 4, outputs: 3 } }', 'runs:', '  - { name: Analog SGD, algorithm: sgd }', '  - { name: TTv1, algorithm: { preset: ttv1, gamma: 0.3 } }'].join('\n'),
    );
    const out = join(dir, 'out', 'study.json');
    const plot = join(dir, 'out', 'study.svg');
    // A bare --plot writes beside --out, as `aimsim sweep --plot` writes into its folder.
    const { code, stdout, stderr } = await cli('study', config, '--out', out, '--plot');
    expect(stdout).toContain(`results: ${out}; plot: ${plot}`);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/\| Analog SGD \|  \| analog-sgd \| /);
    const result = JSON.parse(readFileSync(out, 'utf8')) as StudyResult;
    expect(result.seeds).toEqual([0, 1]);
    expect(result.rows.map((r) => r.algorithm)).toEqual(['analog-sgd', 'tiki-taka']);
    expect(result.rows[1]!.transfers).toBe(300);
    expect(readFileSync(plot, 'utf8').startsWith('<svg')).toBe(true);
    expect(stderr).toMatch(/running TTv1 \(seed 1\)/);
  });

  it('runs a zero-shifting study (kind: zero-shifting): table, minimal budgets, JSON and plot', async () => {
    const config = file(
      'zs.json',
      JSON.stringify({ kind: 'zero-shifting', device: { preset: 'soft-bounds', upDown: 0.3, upDownDtod: 0.1 }, rows: 4, cols: 4, dwMins: [0.01, 0.005], budgets: [50, 400, 3200], seeds: [0] }),
    );
    const out = join(dir, 'zs', 'zs.json');
    const plot = join(dir, 'zs', 'zs.svg');
    const { code, stdout, stderr } = await cli('study', config, '--out', out, '--plot', plot);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/\| 0\.01 \| 3200 \| /);
    const result = JSON.parse(readFileSync(out, 'utf8')) as { points: { dwMin: number; pulses: number; meanError: { mean: number } }[]; minimalBudget: { dwMin: number; pulses: number | null }[] };
    expect(result.points).toHaveLength(6);
    // more pulses, smaller error (for each dwMin, first budget against last)
    for (const dwMin of [0.01, 0.005]) {
      const errors = result.points.filter((p) => p.dwMin === dwMin).map((p) => p.meanError.mean);
      expect(errors[2]).toBeLessThan(errors[0]!);
    }
    expect(result.minimalBudget.map((m) => m.dwMin)).toEqual([0.01, 0.005]);
    expect(readFileSync(plot, 'utf8').startsWith('<svg')).toBe(true);
  });

  it('bad study files get one line and exit code 2', async () => {
    const cases: [string, RegExp][] = [
      [join(dir, 'missing.json'), /usage error at config file: must be a readable file/],
      [file('broken.json', '{ "runs": ['), /usage error at config file: must be valid JSON/],
      [file('nokey.json', '{ "runs": [{ "name": "x" }], "runz": [] }'), /config error at study\.runz \(.*nokey\.json:1:\d+\): unknown key; allowed keys: description, seeds, base, plotMetric, target, runs/],
      [file('badrun.json', '{ "runs": [{ "name": "x", "lr": -1 }] }'), /config error at run\.lr: must be > 0, got -1/],
      [file('badalgo.json', '{ "runs": [{ "name": "x", "algorithm": { "kind": "tiki-taka", "gama": 1 } }] }'), /config error at algorithm\.gama: unknown key/],
      [file('baddevice.json', '{ "runs": [{ "name": "x", "device": { "preset": "soft-bounds", "dwMin": 0 } }] }'), /config error at device\.dwMin: must be > 0, got 0/],
    ];
    for (const [path, pattern] of cases) {
      const { code, stderr } = await cli('study', path);
      expect(code, path).toBe(2);
      expect(stderr.trim().split('\n'), path).toHaveLength(1);
      expect(stderr, path).toMatch(pattern);
    }
  });
});
