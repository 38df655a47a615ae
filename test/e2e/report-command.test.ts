import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers.js';
import { configDifference } from '../../src/config/diff.js';
import { HEADLESS_FLAGS, chromiumOrSkip } from '../support/chromium.js';

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
    expect(html.match(/<svg/g)!.length).toBe(7); // loss, accuracy, pulses, pulses by purpose, weights, SPs, time and energy on chip
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // nothing to fetch
    expect(html).toContain('data.trainLimit = 100');
    const data = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(data.runs[0].epochs).toHaveLength(2);
    // What ran is named even where it is the default: dataset, network, device, algorithm, lr, …
    expect(data.runs[0].setup).toEqual({
      dataset: 'fashion-mnist-14 (first 100 train, 50 test samples)',
      network: 'flatten 196 → linear 196→64 (analog) → sigmoid → linear 64→10 (analog)',
      device: 'soft-bounds-reference (subtractSymmetryPoint=true, dwMin=0.002)',
      algorithm: 'c-ttv2 (inChopProb=0.01, fastLr=0.5, autoGranularity=1000)',
      lr: '0.1',
      batch: '10',
      epochs: '2',
      seed: '0',
    });
    for (const text of ['fashion-mnist-14', 'soft-bounds-reference', 'c-ttv2', 'final test loss', 'dashed: test']) expect(html).toContain(text);
    expect(data.runs[0].final.testLoss).toBeGreaterThan(0);
    // Transfer pulses get a panel (and a scale) of their own beside the update pulses.
    expect(html).toMatch(/>transfer<[\s\S]*>update</);
  });

  it('aimsim report overlays several runs; runs of one name are told apart by folder', async () => {
    const b = join(root, 'b');
    await cli('run', ...quick, '--set', 'name=analog-sgd', '--set', 'algorithm=sgd', '--out', b);
    const { code } = await cli('report', join(root, 'a'), b, '--out', join(root, 'both'));
    expect(code).toBe(0);
    const html = readFileSync(join(root, 'both', 'report.html'), 'utf8');
    expect(html).toContain('<td>experiment</td>');
    expect(html).toContain('<td>analog-sgd</td>');
    const c = join(root, 'c');
    await cli('run', ...quick, '--set', 'training.lr=0.3', '--out', c);
    expect((await cli('report', join(root, 'a'), c, '--out', join(root, 'same-name'))).code).toBe(0);
    const same = JSON.parse(readFileSync(join(root, 'same-name', 'report.json'), 'utf8'));
    expect(same.runs.map((r: { label: string }) => r.label)).toEqual([`experiment (${relative('.', join(root, 'a'))})`, `experiment (${relative('.', c)})`]);
    // Without --out a report goes to a new folder, never into a run's own files.
    const before = readFileSync(join(root, 'a', 'report.html'), 'utf8');
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const fresh = await cli('report', 'a', 'c');
      expect(fresh.code).toBe(0);
      expect(fresh.stdout).toMatch(/^report: report-\d{8}-\d{6}\/report\.html$/);
      const again = await cli('report', 'a', 'c');
      expect(again.stdout).toMatch(/^report: report-\d{8}-\d{6}(-2)?\/report\.html$/);
      expect(again.stdout).not.toBe(fresh.stdout);
    } finally {
      process.chdir(cwd);
    }
    expect(readFileSync(join(root, 'a', 'report.html'), 'utf8')).toBe(before);
    const refused = await cli('report', join(root, 'a'), c, '--out', join(root, 'a'));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^aimsim: usage error at --out: must not be a run folder/);
    const missing = await cli('report', join(root, 'nothing-here'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/usage error at run folder: must contain results\.json/);
  });

  it('the report opens in Chromium with its plots drawn (headless screenshot)', (context) => {
    const browser = chromiumOrSkip(context);
    const shot = join(root, 'shot.png');
    execFileSync(browser, [
      ...HEADLESS_FLAGS, `--user-data-dir=${mkdtempSync(join(tmpdir(), 'chromium-'))}`,
      '--window-size=1100,1500', `--screenshot=${shot}`, `file://${join(root, 'both', 'report.html')}`,
    ], { stdio: 'ignore', timeout: 60_000 });
    // A blank page of this size compresses to a few kB; drawn plots, text and tables to tens.
    expect(statSync(shot).size).toBeGreaterThan(40_000);
    const dom = execFileSync(browser, [
      ...HEADLESS_FLAGS, `--user-data-dir=${mkdtempSync(join(tmpdir(), 'chromium-'))}`,
      '--dump-dom', `file://${join(root, 'both', 'report.html')}`,
    ], { encoding: 'utf8', timeout: 60_000 });
    expect(dom.match(/<svg/g)!.length).toBe(7);
    expect(dom.match(/<path/g)!.length).toBeGreaterThan(50);
  });

  it('aimsim schema prints the JSON Schema of experiment files', async () => {
    const { code, stdout } = await cli('schema');
    expect(code).toBe(0);
    const schema = JSON.parse(stdout);
    expect(Object.keys(schema.properties)).toEqual(['name', 'seed', 'data', 'network', 'device', 'algorithm', 'forward', 'backward', 'update', 'mapping', 'calibration', 'hardware', 'inference', 'training']);
    expect(schema.properties.training.default).toEqual({ epochs: 10, batch: 10, lr: 0.1 });
  });

  it('configs are shown as their difference from the defaults', () => {
    expect(configDifference({ a: 1, b: { c: 2, d: [1] }, e: 'x' }, { a: 1, b: { c: 3, d: [1] }, e: 'y' })).toEqual({ 'b.c': 2, e: 'x' });
  });
});
