import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers.js';
import { configDifference } from '../../src/config/diff.js';

const cli = runCli;

const root = mkdtempSync(join(tmpdir(), 'aimsim-report-'));
const quick = ['--set', 'training.epochs=2', '--set', 'data.trainLimit=100', '--set', 'data.testLimit=50'];

describe('reports', () => {
  it('aimsim run writes a self-contained report.html with its plots, and report.json', async () => {
    const dir = join(root, 'a');
    const { code, stdout } = await cli('run', ...quick, '--out', dir);
    expect(code).toBe(0);
    expect(stdout).toContain(`report: ${join(dir, 'report.html')}`);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html.match(/<svg/g)!.length).toBe(6); // loss, accuracy, pulses, pulses by purpose, weights, SPs
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // nothing to fetch
    expect(html).toContain('data.trainLimit = 100');
    const data = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(data.runs[0].epochs).toHaveLength(2);
  });

  it('aimsim report overlays several runs', async () => {
    const b = join(root, 'b');
    await cli('run', ...quick, '--set', 'name=analog-sgd', '--set', 'algorithm=sgd', '--out', b);
    const { code } = await cli('report', join(root, 'a'), b, '--out', join(root, 'both'));
    expect(code).toBe(0);
    const html = readFileSync(join(root, 'both', 'report.html'), 'utf8');
    expect(html).toContain('<td>experiment</td>');
    expect(html).toContain('<td>analog-sgd</td>');
    const missing = await cli('report', join(root, 'nothing-here'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/usage error at run folder: must contain results\.json/);
  });

  it('the report opens in Chromium with its plots drawn (headless screenshot)', () => {
    expect(existsSync('/usr/bin/chromium'), 'Chromium is installed by .ci/run (apt-get install chromium)').toBe(true);
    const shot = join(root, 'shot.png');
    execFileSync('/usr/bin/chromium', [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${mkdtempSync(join(tmpdir(), 'chromium-'))}`,
      '--window-size=1100,1500', `--screenshot=${shot}`, `file://${join(root, 'both', 'report.html')}`,
    ], { stdio: 'ignore', timeout: 60_000 });
    // A blank page of this size compresses to a few kB; drawn plots, text and tables to tens.
    expect(statSync(shot).size).toBeGreaterThan(40_000);
    const dom = execFileSync('/usr/bin/chromium', [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', `--user-data-dir=${mkdtempSync(join(tmpdir(), 'chromium-'))}`,
      '--dump-dom', `file://${join(root, 'both', 'report.html')}`,
    ], { encoding: 'utf8', timeout: 60_000 });
    expect(dom.match(/<svg/g)!.length).toBe(6);
    expect(dom.match(/<path/g)!.length).toBeGreaterThan(50);
  });

  it('aimsim schema prints the JSON Schema of experiment files', async () => {
    const { code, stdout } = await cli('schema');
    expect(code).toBe(0);
    const schema = JSON.parse(stdout);
    expect(Object.keys(schema.properties)).toEqual(['name', 'seed', 'data', 'network', 'device', 'algorithm', 'forward', 'backward', 'update', 'training']);
    expect(schema.properties.training.default).toEqual({ epochs: 10, batch: 10, lr: 0.1 });
  });

  it('configs are shown as their difference from the defaults', () => {
    expect(configDifference({ a: 1, b: { c: 2, d: [1] }, e: 'x' }, { a: 1, b: { c: 3, d: [1] }, e: 'y' })).toEqual({ 'b.c': 2, e: 'x' });
  });
});
