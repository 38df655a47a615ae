import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'aimsim-config-'));
async function errorOf(content: string, ...extra: string[]): Promise<string> {
  const path = join(dir, `c${Math.abs(content.length * 31 + extra.length)}.yaml`);
  writeFileSync(path, content);
  const errors: string[] = [];
  const code = await main(['run', path, ...extra], { stdout: () => {}, stderr: (l) => errors.push(l) });
  expect(code).toBe(2);
  expect(errors).toHaveLength(1);
  return errors[0]!.replace(dir, '<dir>');
}

describe('bad config files: one line with the field, the file line, the value and what is allowed', () => {
  it('a bad value points at its line and column', async () => {
    expect(await errorOf('training:\n  epochs: 2\n  lr: -3\n')).toMatch(/^aimsim: config error at config\.training\.lr \(<dir>\/c\d+\.yaml:3:7\): must be > 0, got -3$/);
  });

  it('a misspelt key in a layer lists the keys that layer allows', async () => {
    expect(await errorOf('network:\n  layers:\n    - type: flatten\n    - { type: linear, outputz: 10 }\n')).toMatch(
      /config error at config\.network\.layers\.1\.outputz \(<dir>\/c\d+\.yaml:4:32\): unknown key; allowed keys: type, outputs, bias, analog, outScaling, mapping, device, algorithm, got 10$/,
    );
  });

  it('a missing field says it is required', async () => {
    expect(await errorOf('network:\n  layers:\n    - { type: linear }\n')).toMatch(/config error at config\.network\.layers\.0\.outputs .*: is required \(a number\)/);
  });

  it('device fields are checked by their model, with the file position', async () => {
    expect(await errorOf('device: { preset: soft-bounds, dwMin: 0 }\n')).toMatch(/config error at device\.dwMin \(<dir>\/c\d+\.yaml:1:\d+\): must be > 0, got 0$/);
  });

  it('broken YAML names the line', async () => {
    expect(await errorOf('training: [1,\n')).toMatch(/usage error at config file: must be valid YAML \(line 2, column 1: /);
  });
});
