/**
 * Issue 14: bad output folders, interrupted runs, corrupt checkpoints and data, and sizes beyond
 * the limits are each one line naming the field and the value, exit code 2, and nothing is half
 * written or lost.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { ExperimentResult } from '../../src/experiment/run.js';
import { AnalogTile, resolveDevice } from '../../src/index.js';
import { loadIdxDataset } from '../../src/node/index.js';
import { idxBytes } from '../support/idx-fixture.js';
import { memoryLimit, parseSize } from '../../src/cli/memory-limit.js';

const root = mkdtempSync(join(tmpdir(), 'aimsim-faults-'));
const bin = join(import.meta.dirname, '../../bin/aimsim.js');
const quick = ['--set', 'training.epochs=1', '--set', 'data.trainLimit=40', '--set', 'data.testLimit=20'];

async function cli(...args: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

/** Exit 2 and exactly one line on stderr, matching `message`. */
async function refused(args: string[], message: RegExp): Promise<void> {
  const { code, stderr } = await cli(...args);
  expect(stderr).toHaveLength(1);
  expect(stderr[0]).toMatch(message);
  expect(stderr[0]).not.toMatch(/\n|    at /);
  expect(code).toBe(2);
}

describe('unusable output folders are refused before any training', () => {
  it('an existing file, a broken symlink, a path under /proc, a path through a file', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    await refused(['run', ...quick, '--out', file], /^aimsim: usage error at --out: must be a folder, but .*a-file is a file, got ".*a-file"$/);
    const link = join(root, 'broken-link');
    symlinkSync(join(root, 'nowhere', 'at', 'all'), link);
    await refused(['run', ...quick, '--out', link], /^aimsim: usage error at --out: must be a folder or a new path, but .*broken-link is a broken symbolic link/);
    // Node's own recursive mkdir spins for ever on /proc/x; this must answer at once.
    await refused(['run', ...quick, '--out', '/proc/x'], /^aimsim: usage error at --out: must be a folder that can be created \(\/proc\/x: ENOENT\)/);
    await refused(['run', ...quick, '--out', join(file, 'sub')], /^aimsim: usage error at --out: must be a folder, but .*a-file is a file/);
    for (const args of [['sweep', ...quick, '--seeds', '1', '--out', file], ['report', '--out', file, join(root, 'none')]]) {
      const { code, stderr } = await cli(...args);
      expect([code, stderr.length]).toEqual([2, 1]);
    }
  });

  it('a folder in use by a live run is refused with its pid; a stale lock and stale *.tmp files are cleaned up', async () => {
    const dir = join(root, 'locked');
    mkdirSync(dir);
    writeFileSync(join(dir, 'aimsim.lock'), `${process.ppid} ${(await import('node:os')).hostname()} 2026-01-01T00:00:00Z\n`);
    await refused(['run', ...quick, '--out', dir], new RegExp(`^aimsim: usage error at --out: is in use by another aimsim run \\(pid ${process.ppid} on .*\\); wait for it, or choose another --out`));
    expect(existsSync(join(dir, 'results.json'))).toBe(false);
    // A pid that is not running: the lock is stale and taken over.
    writeFileSync(join(dir, 'aimsim.lock'), `4194303 ${(await import('node:os')).hostname()} 2026-01-01T00:00:00Z\n`);
    writeFileSync(join(dir, 'checkpoint.json.123.456.0.tmp'), '{"half": ');
    const { code } = await cli('run', ...quick, '--out', dir);
    expect(code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['checkpoint.json', 'config.json', 'report.html', 'report.json', 'results.json']);
  });
});

describe('checkpoints', () => {
  const dir = join(root, 'resume');
  it('corrupt, foreign-format and other-config checkpoints get one line naming the file and the field', async () => {
    expect((await cli('run', ...quick, '--out', dir)).code).toBe(0);
    const checkpoint = join(dir, 'checkpoint.json');
    const good = readFileSync(checkpoint, 'utf8');
    writeFileSync(checkpoint, good.slice(0, good.length / 2));
    await refused(['run', ...quick, '--set', 'training.epochs=2', '--out', dir, '--resume'], /^aimsim: usage error at .*checkpoint\.json: must be a checkpoint written by aimsim run \(it is corrupt or truncated: .*\); remove it to start over, got "unreadable"$/);
    writeFileSync(checkpoint, good.replace('"version": 4', '"version": 1').replace('"version":4', '"version":1'));
    await refused(['run', ...quick, '--set', 'training.epochs=2', '--out', dir, '--resume'], /^aimsim: usage error at .*checkpoint\.json: must be checkpoint format 4, the one this aimsim writes \(it was written by another aimsim version; start the run again\), got 1$/);
    writeFileSync(checkpoint, good);
    await refused(['run', ...quick, '--set', 'training.epochs=2', '--set', 'training.batch=8', '--out', dir, '--resume'], /^aimsim: usage error at .*checkpoint\.json: config\.training\.batch: must equal the checkpoint's 10 \(only training\.epochs, inference and hardware may change on --resume\), got 8$/);
    await refused(['run', ...quick, '--set', 'training.epochs=2', '--set', 'device=reram-es', '--out', dir, '--resume'], /checkpoint\.json: config\.device: must equal the checkpoint's \{.*\} \(only training\.epochs, inference and hardware may change on --resume\), got "reram-es"$/);
    expect(readFileSync(checkpoint, 'utf8')).toBe(good);
  });

  it('Ctrl-C finishes the batch, writes a checkpoint and partial results, says how to resume; the resumed run equals a straight one', async () => {
    const args = ['run', '--set', 'training.epochs=2', '--set', 'data.trainLimit=2000', '--set', 'data.testLimit=100', '--set', 'algorithm=agad'];
    const stopped = join(root, 'interrupted');
    const child = spawn(process.execPath, [bin, ...args, '--out', stopped], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // Interrupt in the middle of epoch 2, once epoch 1 is reported.
      if (/epoch 1:/.test(stdout) && !child.killed) setTimeout(() => child.kill('SIGINT'), 150);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/SIGINT: stopping after the current batch to save a checkpoint/);
    expect(stderr).toMatch(/interrupted in epoch 2 after batch \d+ of 200; partial results: .*results\.json/);
    expect(stderr).toContain(`continue with: aimsim run --out ${stopped} --set "training.epochs=2"`);
    const partial = JSON.parse(readFileSync(join(stopped, 'results.json'), 'utf8')) as ExperimentResult;
    expect([partial.status, partial.epochs.length]).toEqual(['partial', 1]);
    const checkpoint = JSON.parse(readFileSync(join(stopped, 'checkpoint.json'), 'utf8')) as { epoch: number; batch: number };
    expect(checkpoint.epoch).toBe(1);
    expect(checkpoint.batch).toBeGreaterThan(0);
    expect(existsSync(join(stopped, 'aimsim.lock'))).toBe(false);
    // Starting over on the interrupted folder would lose it: refused unless --resume.
    await refused([...args, '--out', stopped], /^aimsim: usage error at --out: holds an interrupted run \(1 of 2 epochs\); continue it with --resume/);
    expect((await cli(...args, '--out', stopped, '--resume')).code).toBe(0);
    const straight = join(root, 'straight');
    expect((await cli(...args, '--out', straight)).code).toBe(0);
    const numbers = (dir: string) => {
      const r = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ExperimentResult;
      return { status: r.status, epochs: r.epochs.map(({ seconds: _s, ...m }) => m), layers: r.layers, snapshots: r.snapshots };
    };
    expect(numbers(stopped)).toEqual(numbers(straight));
  }, 120_000);
});

describe('signals delivered twice', () => {
  it('SIGTERM sent twice at once (GNU timeout signals the command and its group) still stops after the batch and writes partial results', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'aimsim-term-')), 'run');
    const child = spawn(process.execPath, [bin, 'run', '--set', 'training.epochs=3', '--set', 'training.batch=500', '--set', 'data.trainLimit=2000', '--set', 'data.testLimit=100', '--out', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/epoch 1:/.test(stdout) && !child.killed) {
        child.kill('SIGTERM');
        // timeout's second delivery, to the process group, comes a moment later
        setTimeout(() => child.kill('SIGTERM'), 20);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect(stderr).not.toMatch(/again: quitting now/);
    expect(code).toBe(143);
    const partial = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ExperimentResult;
    expect(partial.status).toBe('partial');
    expect(partial.epochs.length).toBeGreaterThanOrEqual(1);
  }, 120_000);
});

describe('data files', () => {
  it('a truncated .gz names the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aimsim-gz-'));
    const images = gzipSync(idxBytes([2, 28, 28], new Uint8Array(2 * 784)));
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), images.subarray(0, images.length - 9));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idxBytes([2], [0, 1]));
    await expect(loadIdxDataset(dir)).rejects.toThrow(new RegExp(`^data error at ${dir}/train-images-idx3-ubyte\\.gz: must be a complete gzip file \\(.*truncated or corrupt; download it again\\), got \\d+$`));
    await refused(['run', '--set', 'data.dataset=mnist', '--set', `data.path=${dir}`, '--out', join(dir, 'out')], /^aimsim: data error at .*train-images-idx3-ubyte\.gz: must be a complete gzip file/);
  });
});

describe('sizes beyond the limits', () => {
  it('fields that size allocations are bounded in the schema', async () => {
    await refused(['run', '--set', 'network.layers.1.outputs=1e9', '--out', join(root, 'x1')], /^aimsim: config error at config\.network\.layers\.1\.outputs: must be <= 65536, got 1000000000$/);
    await refused(['run', '--set', 'update.desiredBl=1e9', '--out', join(root, 'x2')], /^aimsim: config error at config\.update\.desiredBl: must be <= 65536, got 1000000000$/);
    await refused(['run', '--set', 'training.batch=1e6', '--out', join(root, 'x3')], /^aimsim: config error at config\.training\.batch: must be <= 65536/);
    expect(existsSync(join(root, 'x1'))).toBe(false);
  });

  it('a run whose memory estimate exceeds the limit is refused before allocating, naming the largest layer', async () => {
    const wide = '[{type: flatten}, {type: linear, outputs: 8192}, {type: tanh}, {type: linear, outputs: 8192}, {type: tanh}, {type: linear, outputs: 10}]';
    await refused(['run', '--set', `network.layers=${wide}`, '--max-memory', '16G', '--out', join(root, 'big')], /^aimsim: resource error at memory: must stay within 16 GB \(set by --max-memory\); the largest part is layer 3:linear \(8192 × 8192, 2 analog arrays\) at 28 GB, got "29 GB"$/);
    expect(existsSync(join(root, 'big'))).toBe(false);
    await refused(['run', '--max-memory', '3M', '--out', join(root, 'small')], /^aimsim: resource error at memory: must stay within 3.0 MB \(set by --max-memory\); the largest part is/);
    await refused(['run', '--max-memory', 'lots', '--out', join(root, 'small')], /^aimsim: usage error at --max-memory: must be a size of at least 1M, e.g. 8G, 512M or 2GiB, got "lots"$/);
    // The default: 75 % of the machine's memory.
    const machine = memoryLimit(undefined);
    expect(machine.bytes).toBeCloseTo(0.75 * Math.min(totalmem(), process.constrainedMemory?.() || Infinity), -3);
    expect(machine.source).toMatch(/^75 % of this machine’s [\d.]+ GB; raise it with --max-memory$/);
    expect([parseSize('8G', 'x'), parseSize('512M', 'x'), parseSize('2GiB', 'x'), parseSize('1.5gb', 'x')]).toEqual([8e9, 512e6, 2 ** 31, 1.5e9]);
    const dry = await cli('run', '--dry-run', '--set', 'network.layers.1.outputs=32');
    expect(dry.code).toBe(0);
    expect(dry.stdout.join('\n')).toMatch(/1:linear: \[196\] → \[32\] 32 × 196 analog[\s\S]*memory estimate: [\d.]+ MB/);
  });

  it('the library’s tile constructor checks the same limits at once', () => {
    const device = resolveDevice('soft-bounds');
    const started = Date.now();
    expect(() => new AnalogTile({ rows: 1e9, cols: 10, device, seed: 0 })).toThrow('config error at tile.rows: must be an integer from 1 to 65536, got 1000000000');
    expect(() => new AnalogTile({ rows: 60000, cols: 60000, device, seed: 0 })).toThrow(/config error at tile: must have at most 67108864 devices \(8192 × 8192\); split the layer, got "60000 × 60000"/);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('two runs at once', () => {
  it('the second run on the same folder is refused while the first runs; the first keeps its results', () => {
    const dir = join(root, 'shared');
    const args = [bin, 'run', '--set', 'training.epochs=4', '--out', dir];
    const first = spawn(process.execPath, args, { stdio: 'ignore' });
    // Wait until the first run holds the lock.
    const deadline = Date.now() + 20_000;
    while (!existsSync(join(dir, 'aimsim.lock')) && Date.now() < deadline) spawnSync('sleep', ['0.05']);
    const second = spawnSync(process.execPath, args, { encoding: 'utf8' });
    expect(second.status).toBe(2);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(second.stderr).toMatch(new RegExp(`is in use by another aimsim run \\(pid ${first.pid} on `));
    return new Promise<void>((done) =>
      first.on('exit', (code) => {
        expect(code).toBe(0);
        expect((JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ExperimentResult).status).toBe('completed');
        done();
      }),
    );
  }, 60_000);
});
