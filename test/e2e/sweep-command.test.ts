import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { SweepRow } from '../../src/experiment/sweep.js';

const args = ['--grid', 'algorithm=sgd,mp', '--grid', 'training.lr=0.05,0.2', '--set', 'training.epochs=1', '--set', 'data.trainLimit=60', '--set', 'data.testLimit=40', '--seeds', '2'];
const rowsOf = (dir: string) => (JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')).rows as SweepRow[]).map(({ seconds: _s, ...r }) => r);

describe('aimsim sweep', () => {
  it('crosses the grids, repeats each point over seeds, and gives the same numbers with 1 or 2 worker threads', async () => {
    const one = mkdtempSync(join(tmpdir(), 'aimsim-sweep-1-'));
    const lines: string[] = [];
    const code = await main(['sweep', ...args, '--jobs', '1', '--out', one, '--plot'], { stdout: (l) => lines.push(l), stderr: () => {} });
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
    // --plot: one bar per grid point, labelled with its values
    const svg = readFileSync(join(one, 'sweep.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('algorithm=mp, training.lr=0.2');

    // The built CLI runs the jobs in worker threads.
    const two = mkdtempSync(join(tmpdir(), 'aimsim-sweep-2-'));
    execFileSync(process.execPath, [join(import.meta.dirname, '../../bin/aimsim.js'), 'sweep', ...args, '--jobs', '2', '--out', two], { stdio: 'ignore' });
    expect(rowsOf(two)).toEqual(rows);
  });

  it('a bad grid is one line and exit code 2', async () => {
    const errors: string[] = [];
    expect(await main(['sweep', '--grid', 'training.lr'], { stdout: () => {}, stderr: (l) => errors.push(l) })).toBe(2);
    expect(errors).toEqual(['aimsim: usage error at --grid: must be path=value1,value2,…, got "training.lr"']);
    errors.length = 0;
    expect(await main(['sweep', '--grid', 'training.lr=-1,2', '--seeds', '1'], { stdout: () => {}, stderr: (l) => errors.push(l) })).toBe(2);
    expect(errors[0]).toMatch(/config error at config\.training\.lr: must be > 0, got -1/);
  });
});
