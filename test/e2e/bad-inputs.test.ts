/**
 * Issue 14: a table of user mistakes at the CLI. Each one is exactly one line on stderr naming
 * the field (or flag) and the value, exit code 2, no stack trace, and nothing written.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'aimsim-bad-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const out = join(dir, 'never-written');

const cases: [string, string[], RegExp][] = [
  ['threads not a number', ['run', '--threads', 'two'], /usage error at --threads: must be an integer from 1 to 64, got "two"/],
  ['threads too many', ['run', '--threads', '1000'], /usage error at --threads/],
  ['seeds zero', ['sweep', '--seeds', '0'], /usage error at --seeds: must be an integer in \[1, 100\], got "0"/],
  ['jobs negative', ['sweep', '--jobs', '-2'], /usage error at --jobs/],
  ['unknown command', ['train'], /unknown command 'train'/],
  ['unknown option', ['run', '--epochs', '3'], /unknown option '--epochs'/],
  ['missing config file', ['run', join(dir, 'nope.yaml')], /usage error at config file: must be a readable file, got ".*nope\.yaml"/],
  ['a folder as config file', ['run', dir], /usage error at config file: must be a readable file/],
  ['YAML syntax error', ['run', file('bad.yaml', 'training: {epochs: 2\n')], /usage error at config file: must be valid YAML \(line \d+, column \d+: .*\), got ".*bad\.yaml"/],
  ['JSON syntax error', ['run', file('bad.json', '{"training": }')], /usage error at config file: must be valid JSON/],
  ['config is a list', ['run', file('list.yaml', '- a\n- b\n')], /usage error at config file: must hold an object/],
  ['unknown top-level key', ['run', file('key.yaml', 'trainig: {epochs: 2}\n')], /config error at config\.trainig \(.*key\.yaml:1:10\): unknown key; allowed keys: name, seed, data/],
  ['negative lr in the file', ['run', file('lr.yaml', 'training:\n  lr: -1\n')], /config error at config\.training\.lr \(.*lr\.yaml:2:7\): must be > 0, got -1/],
  ['epochs not an integer', ['run', '--set', 'training.epochs=1.5'], /config error at config\.training\.epochs: must be an integer, got 1\.5/],
  ['unknown device', ['run', '--set', 'device=flux-capacitor'], /config error at device: unknown device; allowed presets and kinds: .*, got "flux-capacitor"/],
  ['device field of another model', ['run', '--set', 'device={preset: soft-bounds, gammaUp: 1}'], /config error at device\.gammaUp: unknown key/],
  ['negative dwMin', ['run', '--set', 'device.dwMin=-1'], /config error at device\.dwMin: must be > 0, got -1/],
  ['unknown algorithm preset', ['run', '--set', 'algorithm=adam'], /config error at algorithm\.preset: must be one of: .*, got "adam"/],
  ['algorithm without kind', ['run', '--set', 'algorithm={fastLr: 0.1}'], /config error at algorithm\.kind: must be one of: /],
  ['unknown layer type', ['run', '--set', 'network.layers.1.type=dense'], /config error at config\.network\.layers\.1\.type/],
  ['last layer of the wrong size', ['run', '--set', 'network.layers.3.outputs=7'], /config error at config\.network\.layers: the last layer must output 10 values \(one per class\), got 7/],
  ['conv after flatten', ['run', '--set', 'network.layers.1={type: conv2d, channels: 4, kernel: 3}'], /config error at config\.network\.layers\.1: needs an image input/],
  ['kernel larger than the image', ['run', '--set', 'network.layers=[{type: conv2d, channels: 2, kernel: 20}, {type: flatten}, {type: linear, outputs: 10}]'], /config error at config\.network\.layers\.0\.kernel: must fit the 14×14 input/],
  ['pool larger than the image', ['run', '--set', 'network.layers=[{type: maxpool, kernel: 30}, {type: flatten}, {type: linear, outputs: 10}]'], /config error at config\.network\.layers\.0\.kernel: must be in \[1, 14\]/],
  ['no layers', ['run', '--set', 'network.layers=[]'], /config error at config\.network\.layers/],
  ['outputs far too many', ['run', '--set', 'network.layers.1.outputs=1e9'], /config error at config\.network\.layers\.1\.outputs: must be <= 65536/],
  ['bit length far too long', ['run', '--set', 'update.desiredBl=1e9'], /config error at config\.update\.desiredBl: must be <= 65536/],
  ['dataset needs a path', ['run', '--set', 'data.dataset=mnist'], /config error at config\.data\.path: must name the folder of the MNIST IDX files/],
  ['dataset folder missing', ['run', '--set', 'data.dataset=fashion-mnist', '--set', `data.path=${join(dir, 'no-data')}`], /data error at data\.path: missing file \(also tried \.gz\)/],
  ['unknown dataset', ['run', '--set', 'data.dataset=imagenet'], /config error at config\.data\.dataset/],
  ['--set without =', ['run', '--set', 'training.epochs'], /usage error at --set: must be path=value, e\.g\. training\.epochs=2, got "training\.epochs"/],
  ['--set into a number', ['run', '--set', 'training.lr.x=1'], /usage error at --set: cannot set inside training\.lr, which is 0\.1/],
  ['--set broken YAML', ['run', '--set', 'device={preset: reram-es'], /usage error at --set: must be a YAML or JSON value/],
  ['--set index past the end', ['run', '--set', 'network.layers.9.outputs=3'], /usage error at --set: network\.layers is a list of 4/],
  ['--resume without a checkpoint', ['run', '--resume'], /usage error at --resume: needs a checkpoint written by an earlier aimsim run into this --out/],
  ['--max-memory nonsense', ['run', '--max-memory', '-5G'], /usage error at --max-memory/],
  ['report of a missing folder', ['report', join(dir, 'nothing')], /usage error at run folder: must contain results\.json/],
  ['report of a corrupt results.json', ['report', join(dir, 'corrupt')], /usage error at .*corrupt\/results\.json: must be valid JSON \(the file is corrupt or truncated\)/],
  ['grid without values', ['sweep', '--grid', 'training.lr='], /usage error at --grid: must be path=value1,value2,…/],
  ['grid with a bad value', ['sweep', '--grid', 'training.lr=0.1,-1', '--seeds', '1'], /config error at config\.training\.lr: must be > 0, got -1/],
  ['shard malformed', ['sweep', '--shard', 'two/3'], /usage error at --shard: must be i\/N \(0 ≤ i < N\), auto\/N or auto/],
  ['shard auto outside a job array', ['sweep', '--shard', 'auto/4'], /usage error at --shard: needs a job array/],
  ['emit for an unknown scheduler', ['sweep', '--emit', 'pbs'], /usage error at --emit: must be slurm or k8s, got "pbs"/],
  ['emit without a shared --out', ['sweep', '--emit', 'slurm'], /usage error at --out: is needed with --emit/],
  ['emit with zero tasks', ['sweep', '--emit', 'slurm', '--tasks', '0'], /usage error at --tasks: must be an integer from 1 to 100000/],
  ['collect of a folder that is no sweep', ['sweep', 'collect', join(dir, 'nothing')], /usage error at sweep folder: must hold sweep-plan\.json/],
  ['study file missing', ['study', join(dir, 'none.json')], /usage error at config file: must be a readable file/],
  ['study seeds bad', ['study', 'examples/01-least-squares-study.json', '--seeds', 'x'], /usage error at --seeds/],
  ['device command: unknown device', ['device', 'nope'], /usage error at device: unknown device/],
  ['device command: bad field', ['device', 'soft-bounds', '--set', 'dwMin=-1'], /config error at device\.dwMin: must be > 0, got -1/],
];

describe('bad input at the CLI', () => {
  mkdtempSync(join(dir, 'x'));
  writeFileSync(join(dir, 'x-marker'), '');
  const corrupt = join(dir, 'corrupt');
  it.each(cases)('%s: one line, exit 2', async (_name, args, message) => {
    if (args.includes(corrupt)) {
      (await import('node:fs')).mkdirSync(corrupt, { recursive: true });
      writeFileSync(join(corrupt, 'results.json'), '{"epochs": [');
    }
    const stderr: string[] = [];
    const needsOut = (args[0] === 'run' || args[0] === 'sweep') && args[1] !== 'collect' && !(args.includes('--emit') && !args.includes('--tasks'));
    const withOut = needsOut ? [...args, '--out', out] : args;
    const code = await main(withOut, { stdout: () => {}, stderr: (l) => stderr.push(l) });
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(message);
    expect(stderr[0]).not.toMatch(/ at .*\.(ts|js):\d+|internal error/);
    expect(code).toBe(2);
    expect(readdirSync(dir)).not.toContain('never-written');
  });
});
