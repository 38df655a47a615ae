/** Issue 18: `aimsim device fit` on a trace file: ranking, a usable device file, a plot, bad files. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runExperiment } from '../../src/experiment/run.js';
import { runCli } from '../helpers.js';

const root = mkdtempSync(join(tmpdir(), 'aimsim-fit-'));
const example = join(import.meta.dirname, '../../examples/traces/simulated-soft-bounds.csv');

describe('aimsim device fit', () => {
  it('ranks the models, writes a device section a run accepts, and a plot', async () => {
    const device = join(root, 'device.yaml');
    const plot = join(root, 'fit.svg');
    const { code, stdout } = await runCli('device', 'fit', example, '--g-min', '5', '--g-max', '25', '--out', device, '--plot', plot);
    expect(code).toBe(0);
    expect(stdout).toMatch(/4 device\(s\), 960 steps/);
    expect(stdout).toMatch(/models by BIC[^\n]*\n {2}soft-bounds /);
    expect(stdout).toMatch(/fitted soft-bounds: dwMin=0\.01\d+, upDown=0\.1\d+, wMax=0\.8\d+, wMin=-0\.\d+, dwMinDtod=/);
    const section = parseYaml(readFileSync(device, 'utf8')) as { device: Record<string, unknown> };
    expect(section.device['preset']).toBe('soft-bounds');
    const run = await runExperiment({ device: section.device, data: { trainLimit: 20, testLimit: 10 }, training: { epochs: 1 } });
    expect(run.status).toBe('completed');
    expect(readFileSync(plot, 'utf8')).toMatch(/^<svg[\s\S]*fitted soft-bounds[\s\S]*<\/svg>$/);
  });

  it('reads the same rows as JSON, and fits one model when asked', async () => {
    const json = join(root, 'trace.json');
    const lines = readFileSync(example, 'utf8').trim().split('\n').slice(1, 200);
    writeFileSync(json, JSON.stringify(lines.map((l) => l.split(',')).map(([pulse, direction, device, conductance]) => ({ pulse: Number(pulse), direction, device, weight: (Number(conductance) - 15) / 10 }))));
    const { code, stdout } = await runCli('device', 'fit', json, '--model', 'pow-step', '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.best).toBe('pow-step');
    expect(result.fits).toHaveLength(1);
  });

  it('bad input is one line with exit code 2', async () => {
    const bad = (name: string, text: string) => {
      const path = join(root, name);
      writeFileSync(path, text);
      return path;
    };
    const cases: [string[], RegExp][] = [
      [['device', 'fit', join(root, 'missing.csv')], /^aimsim: usage error at data file: must be a readable file \(ENOENT\), got ".*missing\.csv"$/],
      [['device', 'fit', bad('a.csv', 'pulse,direction,volts\n0,up,1\n')], /^aimsim: usage error at .*a\.csv: header: has unknown columns; allowed: pulse, direction, weight, conductance, device .*got "volts"$/],
      [['device', 'fit', bad('b.csv', 'pulse,direction,weight\n0,up,0\n1,left,0.1\n2,up,0.2\n')], /^aimsim: config error at .*b\.csv: line 3: direction: must be up or down, got "left"$/],
      [['device', 'fit', bad('c.json', '{"rows": 1}')], /^aimsim: usage error at .*c\.json: must be a JSON array of rows/],
      [['device', 'fit', bad('d.csv', 'pulse,direction,weight\n0,up,0.5\n1,up,0.5\n2,down,0.5\n')], /^aimsim: config error at traces: must move: every weight is the same/],
      [['device', 'fit', example, '--model', 'ohmic'], /^aimsim: usage error at --model: must be auto or one of: soft-bounds, /],
      [['device', 'fit', example, '--g-min', '5'], /^aimsim: usage error at --g-min\/--g-max: must both be numbers with g-max > g-min/],
      [['device', 'fit', example], /needs --g-min and --g-max to map conductances to weights/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await runCli(...args);
      expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(stderr.trim()).toMatch(message);
      expect(code).toBe(2);
    }
  });
});
