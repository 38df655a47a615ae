import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { ExperimentResult } from '../../src/experiment/run.js';
import type { SweepRow } from '../../src/experiment/sweep.js';
import { parseGridValues } from '../../src/cli/set-values.js';

const quick = ['--set', 'training.epochs=1', '--set', 'data.trainLimit=60', '--set', 'data.testLimit=40'];
const args = ['--grid', 'algorithm=sgd,mp', '--grid', 'training.lr=0.05,0.2', ...quick, '--seeds', '2'];
const rowsOf = (dir: string) => (JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')).rows as SweepRow[]).map(({ seconds: _s, ...r }) => r);
const capture = () => {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: { stdout: (l: string) => lines.push(l), stderr: (l: string) => errors.push(l) } };
};

describe('aimsim sweep', () => {
  it('crosses the grids, repeats each point over seeds, and gives the same numbers with 1 or 2 worker threads', async () => {
    const one = mkdtempSync(join(tmpdir(), 'aimsim-sweep-1-'));
    const { lines, out } = capture();
    const code = await main(['sweep', ...args, '--jobs', '1', '--out', one, '--plot'], out);
    expect(code).toBe(0);
    const rows = rowsOf(one);
    expect(rows.map((r) => r.values)).toEqual([
      { algorithm: 'sgd', 'training.lr': 0.05 },
      { algorithm: 'sgd', 'training.lr': 0.2 },
      { algorithm: 'mp', 'training.lr': 0.05 },
      { algorithm: 'mp', 'training.lr': 0.2 },
    ]);
    expect(rows.every((r) => r.testAccuracy.std >= 0 && r.pulses.mean > 0)).toBe(true);
    expect(lines.join('\n')).toMatch(/\| "mp" \| 0\.2 \| [\d.]+ ± [\d.]+ % \|/);
    // --plot: one bar per grid point, its full label written out (horizontal bars: never cut)
    const svg = readFileSync(join(one, 'sweep.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('algorithm=mp, training.lr=0.2');
    expect(svg).not.toContain('…');

    // The built CLI runs the jobs in worker threads.
    const two = mkdtempSync(join(tmpdir(), 'aimsim-sweep-2-'));
    execFileSync(process.execPath, [join(import.meta.dirname, '../../bin/aimsim.js'), 'sweep', ...args, '--jobs', '2', '--out', two], { stdio: 'ignore' });
    expect(rowsOf(two)).toEqual(rows);
  });

  it('every run keeps its folder (config, results, report), and aimsim report opens it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aimsim-sweep-runs-'));
    expect(await main(['sweep', '--grid', 'training.lr=0.05,0.2', ...quick, '--seeds', '2', '--out', dir], capture().out)).toBe(0);
    const rows = rowsOf(dir);
    expect(rows.map((r) => r.runs)).toEqual([['runs/p000-s0', 'runs/p000-s1'], ['runs/p001-s0', 'runs/p001-s1']]);
    for (const run of rows.flatMap((r) => r.runs!)) for (const f of ['config.json', 'results.json', 'report.html']) expect(existsSync(join(dir, run, f))).toBe(true);
    const cell = JSON.parse(readFileSync(join(dir, 'runs/p001-s1/results.json'), 'utf8')) as ExperimentResult;
    expect([cell.config.seed, cell.config.training.lr]).toEqual([1, 0.2]);
    const report = join(dir, 'both');
    expect(await main(['report', join(dir, 'runs/p000-s0'), join(dir, 'runs/p001-s1'), '--out', report], capture().out)).toBe(0);
    // Both runs are named `experiment`: the report tells them apart by folder.
    expect(readFileSync(join(report, 'report.html'), 'utf8')).toMatch(/experiment \([^)]*p000-s0\)[\s\S]*experiment \([^)]*p001-s1\)/);
  });

  it('sweeps devices and algorithms given as objects (YAML or JSON lists)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aimsim-sweep-objects-'));
    const grid = 'device=[soft-bounds, {preset: constant-step, dwMin: 0.01}, {"preset": "reram-es"}]';
    expect(await main(['sweep', '--grid', grid, '--grid', 'algorithm=[sgd, {kind: tiki-taka, gamma: 0.1}]', ...quick, '--seeds', '1', '--out', dir], capture().out)).toBe(0);
    const rows = rowsOf(dir);
    expect(rows).toHaveLength(6);
    expect(rows[2]!.values).toEqual({ device: { preset: 'constant-step', dwMin: 0.01 }, algorithm: 'sgd' });
    const cell = JSON.parse(readFileSync(join(dir, rows[3]!.runs![0]!, 'results.json'), 'utf8')) as ExperimentResult;
    expect(cell.config.algorithm).toEqual({ kind: 'tiki-taka', gamma: 0.1 });
    expect(cell.layers['1:linear']!.kind).toBe('tiki-taka');
  });

  it('grid values: scalars split at commas, flow lists keep objects and quoted commas whole', () => {
    expect(parseGridValues('0.1,0.05, 1e-3')).toEqual([0.1, 0.05, 0.001]);
    expect(parseGridValues('sgd, mp')).toEqual(['sgd', 'mp']);
    expect(parseGridValues('[a, {x: 1, y: [2, 3]}, "b,c"]')).toEqual(['a', { x: 1, y: [2, 3] }, 'b,c']);
    expect(parseGridValues('{preset: reram-es, dwMin: 0.01}, ecram')).toEqual([{ preset: 'reram-es', dwMin: 0.01 }, 'ecram']);
  });

  it('a bad grid is one line naming --grid and exit code 2', async () => {
    for (const [grid, message] of [
      ['training.lr', 'aimsim: usage error at --grid: must be path=value1,value2,… or path=[value1, {…}], got "training.lr"'],
      ['training.lr=', 'aimsim: usage error at --grid: must be path=value1,value2,… or path=[value1, {…}], got "training.lr="'],
      ['device=[soft-bounds, {preset: x', /^aimsim: usage error at --grid: must be a list: v1,v2,… or a YAML\/JSON list \[v1, \{…\}\] \(.*\), got "\[soft-bounds, \{preset: x"$/],
    ] as const) {
      const { errors, out } = capture();
      expect(await main(['sweep', '--grid', grid], out)).toBe(2);
      expect(errors).toHaveLength(1);
      if (typeof message === 'string') expect(errors[0]).toBe(message);
      else expect(errors[0]).toMatch(message);
    }
    const { errors, out } = capture();
    expect(await main(['sweep', '--grid', 'training.lr=-1,2', '--seeds', '1'], out)).toBe(2);
    expect(errors[0]).toMatch(/config error at config\.training\.lr: must be > 0, got -1/);
  });
});
