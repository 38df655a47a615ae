/**
 * Issue 21: a kernel worker that dies (out of memory, a crash) must not leave the caller blocked
 * in Atomics.wait: the supervisor thread sees it die and the next call, or the call in flight,
 * fails with one line.
 */
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../../src/devices/index.js';
import { setKernelThreads } from '../../src/kernels/index.js';
import { KernelThreadDied } from '../../src/kernels/pool.js';
import { NodeKernelThreads } from '../../src/node/threads.js';
import { Rng } from '../../src/rng/index.js';
import { AnalogTile } from '../../src/tile/index.js';

const random = (rng: Rng, n: number) => Float64Array.from({ length: n }, () => rng.normal());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function trainingTile(): { tile: AnalogTile; step: () => void } {
  const tile = new AnalogTile({ rows: 64, cols: 72, device: resolveDevice('soft-bounds', { dwMinStd: 0.3 }), seed: 8 });
  const rng = Rng.stream(3, 'data');
  return { tile, step: () => tile.update(random(rng, 20 * 72), random(rng, 20 * 64), 20, 0.05) };
}

describe('a kernel worker that dies', () => {
  it('between calls: the next call fails with KernelThreadDied, and closing the pool does not hang', async () => {
    const pool = new NodeKernelThreads(2, 1 << 12);
    setKernelThreads(pool);
    try {
      const { step } = trainingTile();
      step();
      expect(pool.calls).toBeGreaterThan(0);
      pool.killWorkerForTest(0);
      await sleep(300); // the supervisor hears the exit on its own thread
      expect(step).toThrow(KernelThreadDied);
      expect(() => step()).toThrow(/^a kernel thread died \(out of memory, or it crashed\), so the run stops$/);
    } finally {
      setKernelThreads(null);
      pool.close();
    }
  });

  it('while a new tile registers its memory: the tile is not made (no silent fall-back to plain arrays)', async () => {
    const pool = new NodeKernelThreads(2, 1 << 12);
    setKernelThreads(pool);
    try {
      trainingTile().step();
      pool.killWorkerForTest(0);
      await sleep(300);
      expect(() => trainingTile()).toThrow(KernelThreadDied);
    } finally {
      setKernelThreads(null);
      pool.close();
    }
  });

  it('during a call: the caller, asleep in Atomics.wait, is woken and fails instead of waiting for ever', () => {
    const pool = new NodeKernelThreads(2, 1 << 12, 0);
    setKernelThreads(pool);
    try {
      const { step } = trainingTile();
      step();
      // The kill is on its way while the next calls start: one of them is waiting for the worker
      // when it dies (no spin, so the caller sleeps at once).
      pool.killWorkerForTest(0);
      expect(() => {
        for (let i = 0; i < 100_000; i++) step();
      }).toThrow(KernelThreadDied);
    } finally {
      setKernelThreads(null);
      pool.close();
    }
  });
});

describe('aimsim run --threads 2 when a kernel worker dies', () => {
  it('stops with one line naming the kept checkpoint and the command that resumes, exit code 1', async () => {
    const { existsSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { kernelThreads } = await import('../../src/kernels/threads.js');
    const { runCli } = await import('../helpers.js');
    const dir = join(mkdtempSync(join(tmpdir(), 'aimsim-dead-')), 'run');
    const running = runCli('run', '--threads', '2', '--set', 'training.epochs=50', '--out', dir);
    // Once the first epoch's checkpoint is on disk, a worker dies.
    while (!existsSync(join(dir, 'checkpoint.json'))) await sleep(10);
    (kernelThreads() as NodeKernelThreads).killWorkerForTest(0);
    const { code, stderr } = await running;
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^aimsim: a kernel thread died \(out of memory, or it crashed\), so the run stops; the checkpoint after epoch \d+ is kept: continue with: aimsim run --out .* --set "training.epochs=50" --resume$/);
    expect(existsSync(join(dir, 'checkpoint.json'))).toBe(true);
  });
});
