import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers.js';
import type { DeviceCharacterization } from '../../src/tile/characterize-device.js';

const cli = runCli;

describe('aimsim device', () => {
  it('--json prints one object whose SP matches the soft-bounds closed form', async () => {
    const { code, stdout } = await cli('device', 'soft-bounds', '--set', 'upDown=0.2', '--set', 'devices=64', '--json');
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as DeviceCharacterization;
    // Mean device: w* = (Δw⁺ − Δw⁻)/(Δw⁺/b^max − Δw⁻/b^min) with Δw⁺ = dwMin, Δw⁻ = 0.8·dwMin, b = ±0.6.
    const closedForm = (0.001 - 0.0008) / (0.001 / 0.6 - 0.0008 / -0.6);
    expect(r.symmetricPoint.meanDevice).toBeCloseTo(closedForm, 12);
    expect(r.symmetricPoint.method).toBe('closed-form');
    expect(r.states).toBeCloseTo(1200, 9);
    // The SP measured by alternating pulses agrees with the per-device closed forms (devices
    // independent: standard error sd/√n; the per-device limit cycle is within one step).
    const sp = r.symmetricPoint;
    expect(Math.abs(sp.measured.mean - sp.mean)).toBeLessThan((4 * sp.std) / Math.sqrt(r.devices) + 0.002);
    expect(r.response.pulse.length).toBe(r.response.mean.length);
    expect(r.response.mean[0]).toBe(0);
  });

  it('the default soft-bounds device has its mean SP at 0, as the closed form says for upDown = 0', async () => {
    const { stdout } = await cli('device', 'soft-bounds', '--json');
    const r = JSON.parse(stdout) as DeviceCharacterization;
    expect(r.symmetricPoint.meanDevice).toBe(0);
    expect(Math.abs(r.symmetricPoint.mean)).toBeLessThan((4 * r.symmetricPoint.std) / Math.sqrt(r.devices));
  });

  it('every preset and kind characterises without error, with finite SP statistics', async () => {
    const { stdout } = await cli('device');
    const names = [...stdout.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]!);
    expect(names.length).toBe(21);
    for (const name of names) {
      const { code, stdout: json } = await cli('device', name, '--set', 'devices=9', '--set', 'pulses=50', '--set', 'pairs=50', '--json');
      expect(code, name).toBe(0);
      const r = JSON.parse(json) as DeviceCharacterization;
      expect(Number.isFinite(r.symmetricPoint.mean), name).toBe(true);
      expect(r.granularity, name).toBeGreaterThan(0);
    }
  });

  it('prints a readable summary and writes the SVG plot atomically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aimsim-'));
    const file = join(dir, 'sub', 'reram.svg');
    const { code, stdout } = await cli('device', 'reram-sb', '--set', 'devices=16', '--out', file);
    expect(code).toBe(0);
    expect(stdout).toMatch(/aimsim device reram-sb \(kind soft-bounds-reference\)/);
    expect(stdout).toMatch(/source: +Gong et al/);
    expect(stdout).toMatch(/symmetric point: /);
    const svg = readFileSync(file, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Alternating');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['reram.svg']); // no temporary file left
  });

  it('bad input gets one line naming it and what is allowed, and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['device', 'soft-bound'], /^aimsim: usage error at device: unknown device; allowed presets and kinds: reram-es, .*soft-bounds/],
      [['device', 'soft-bounds', '--set', 'dwMin=-1'], /^aimsim: config error at device\.dwMin: must be > 0, got -1$/],
      [['device', 'soft-bounds', '--set', 'dwmin=0.1'], /^aimsim: config error at device\.dwmin: unknown key for soft-bounds; allowed keys: dwMin, /],
      [['device', 'soft-bounds', '--set', 'multNoise=maybe'], /^aimsim: config error at device\.multNoise: must be true or false, got "maybe"$/],
      [['device', 'soft-bounds', '--set', 'wMin=0.2'], /^aimsim: config error at device\.wMin: must be < 0 for this model/],
      [['device', 'limited-state', '--set', 'nStates=2.5'], /^aimsim: config error at device\.nStates: /],
      [['device', 'soft-bounds', '--set', 'devices=-3'], /^aimsim: usage error at devices: must be an integer/],
      [['device', 'soft-bounds', '--nope'], /unknown option '--nope'/],
    ];
    for (const [args, pattern] of cases) {
      const { code, stderr } = await cli(...args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.split('\n').length, args.join(' ')).toBe(1);
      expect(stderr, args.join(' ')).toMatch(pattern);
    }
  });

  it('the installed bin runs the main job (`npx aimsim device soft-bounds`)', () => {
    const bin = join(import.meta.dirname, '../../bin/aimsim.js');
    const out = execFileSync(process.execPath, [bin, 'device', 'soft-bounds', '--set', 'devices=16'], { encoding: 'utf8' });
    expect(out).toMatch(/symmetric point: /);
    const bad = spawnSync(process.execPath, [bin, 'device', 'nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
