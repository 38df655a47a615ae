import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { runExperiment, type ExperimentResult } from '../../experiment/run.js';
import { cellsOfShard, type SweepCell } from '../../experiment/sweep.js';
import { loadConfigDataset } from '../../node/datasets.js';
import { makeFolder } from '../../node/index.js';
import { RunFolder } from '../run-folder.js';
import { CliExit, type Output } from '../output.js';
import { resolveShard } from '../shard.js';
import { collectSweep } from '../sweep-collect.js';
import { checkEmitOptions, emitSweep } from '../sweep-emit.js';
import { cellConfig, planSweep, writeOrCheckPlan, type SweepPlan } from '../sweep-plan.js';
import { cellDone, removeStaleTemporaries, writeCell, writeFailure } from '../sweep-store.js';

interface Job {
  cell: SweepCell;
  config: Record<string, unknown>;
}

/**
 * Runs jobs in up to `threads` worker threads (compiled build only), or in this thread. Each job
 * ends in `onDone` or `onFailed`; a failed job does not stop the others.
 */
async function runJobs(jobs: Job[], threads: number, onDone: (job: Job, result: ExperimentResult) => Promise<void>, onFailed: (job: Job, error: string) => void): Promise<void> {
  const workerFile = new URL('../sweep-worker.js', import.meta.url);
  if (threads <= 1 || jobs.length <= 1 || !existsSync(workerFile)) {
    for (const job of jobs) {
      let result: ExperimentResult;
      try {
        result = await runExperiment(job.config, { loadDataset: loadConfigDataset });
      } catch (error) {
        onFailed(job, error instanceof Error ? error.message : String(error));
        continue;
      }
      await onDone(job, result);
    }
    return;
  }
  let next = 0;
  const workers = Array.from({ length: Math.min(threads, jobs.length) }, () => new Worker(workerFile));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((done, fail) => {
            const send = () => {
              if (next >= jobs.length) return done();
              const id = next++;
              worker.postMessage({ id, config: jobs[id]!.config });
            };
            worker.on('message', (m: { id: number; result?: ExperimentResult; error?: string }) => {
              if (m.error !== undefined) {
                onFailed(jobs[m.id]!, m.error);
                send();
                return;
              }
              onDone(jobs[m.id]!, m.result!).then(send, fail);
            });
            worker.on('error', fail);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

interface SweepFlags {
  grid: string[];
  set: string[];
  seeds: string;
  jobs: string;
  out?: string;
  plot?: string | boolean;
  shard?: string;
  emit?: string;
  tasks?: string;
  cpusPerTask: string;
  time?: string;
  partition?: string;
  image: string;
  pvc?: string;
}

/** Runs the cells of this shard (or all) that are not done yet; returns how many failed. */
async function runCells(dir: string, plan: SweepPlan, cells: SweepCell[], threads: number, shardName: string, out: Output): Promise<number> {
  const todo = cells.filter((cell) => !cellDone(dir, cell));
  if (todo.length < cells.length) out.stderr(`sweep ${shardName}: ${cells.length - todo.length} of ${cells.length} cells already done, skipped`);
  for (const cell of todo) removeStaleTemporaries(dir, cell);
  let done = 0;
  let failed = 0;
  await runJobs(
    todo.map((cell) => ({ cell, config: cellConfig(plan, cell) })),
    threads,
    async (job, result) => {
      // Each run keeps its own folder, so `aimsim report <sweep>/runs/p000-s0` works on it.
      await writeCell(dir, job.cell, result);
      out.stderr(`sweep ${shardName}: ${++done}/${todo.length} runs done (${job.cell.folder})`);
    },
    (job, error) => {
      failed++;
      writeFailure(dir, job.cell, shardName, error);
      out.stderr(`aimsim: sweep ${shardName}: cell ${job.cell.index} (${job.cell.folder}) failed: ${error}`);
    },
  );
  return failed;
}

export function registerSweepCommand(program: Command, out: Output): void {
  const sweep = program
    .command('sweep')
    .description('run a grid of configs × seeds (here, or sharded over a cluster job array); mean ± std per grid point; every run keeps its folder (runs/p<point>-s<seed>)')
    .argument('[config]', 'base experiment file (omit for the default run)')
    .option('--grid <path=values>', 'a swept field and its values: v1,v2 or a YAML/JSON list such as [soft-bounds, {preset: reram-es, dwMin: 0.01}] (repeatable: the grids are crossed)', (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--set <path=value>', 'override a field of every run (repeatable)', (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--seeds <n>', 'seeds 0..n−1 per grid point', '3')
    .option('--jobs <k>', 'worker threads (default 1; results do not depend on it)', '1')
    .option('--out <dir>', 'output folder (default: runs/<name>-sweep)')
    .option('--plot [file]', 'also write an SVG of the test accuracy per grid point (default file: <out>/sweep.svg)')
    .option('--shard <i/N>', 'run only cells k with k mod N = i (i/N, auto/N or auto: the index from SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX); then `aimsim sweep collect`')
    .option('--emit <scheduler>', 'print a submission instead of running: slurm (an sbatch array + a dependent collect job) or k8s (an Indexed Job)')
    .option('--tasks <n>', 'with --emit: array tasks (default: one per cell)')
    .option('--cpus-per-task <c>', 'with --emit: CPUs per task (its cells run in that many worker threads)', '1')
    .option('--time <limit>', 'with --emit slurm: the time limit of each task, e.g. 2:00:00')
    .option('--partition <name>', 'with --emit slurm: the partition')
    .option('--image <image>', 'with --emit k8s: a container image with aimsim installed in this folder', 'node:20')
    .option('--pvc <claim>', 'with --emit k8s: a PersistentVolumeClaim mounted at --out in every pod')
    .action(async (path: string | undefined, flags: SweepFlags) => {
      const seeds = Number(flags.seeds);
      const threads = Number(flags.jobs);
      if (!Number.isInteger(seeds) || seeds < 1 || seeds > 100) throw new UserError('--seeds', flags.seeds, 'must be an integer in [1, 100]', 'usage error');
      if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new UserError('--jobs', flags.jobs, 'must be an integer in [1, 64]', 'usage error');
      if (flags.emit !== undefined && flags.emit !== 'slurm' && flags.emit !== 'k8s') throw new UserError('--emit', flags.emit, 'must be slurm or k8s', 'usage error');
      const plan = await planSweep(path, flags.set, flags.grid, seeds);
      const dir = flags.out ?? join('runs', `${plan.name}-sweep`);
      if (flags.emit) {
        if (flags.out === undefined) throw new UserError('--out', undefined, 'is needed with --emit: a folder every task can write (shared storage on a cluster)', 'usage error');
        const { tasks, cpusPerTask } = checkEmitOptions(flags, plan.cells.length);
        makeFolder('--out', dir);
        writeOrCheckPlan(dir, plan);
        const sweepArgs = [...(path ? [resolve(path)] : []), ...flags.grid.flatMap((g) => ['--grid', g]), ...flags.set.flatMap((s) => ['--set', s]), '--seeds', String(seeds)];
        out.stdout(emitSweep(plan, { scheduler: flags.emit, out: dir, tasks, cpusPerTask, image: flags.image, sweepArgs, ...(flags.time ? { time: flags.time } : {}), ...(flags.partition ? { partition: flags.partition } : {}), ...(flags.pvc ? { pvc: flags.pvc } : {}) }).trimEnd());
        return;
      }
      const shard = resolveShard(flags.shard);
      // A whole sweep locks its folder; shards share one folder (their cells differ) and do not.
      const folder = shard ? null : RunFolder.open(dir);
      try {
        if (shard) makeFolder('--out', dir);
        writeOrCheckPlan(dir, plan);
        const cells = shard ? cellsOfShard(plan.cells, shard.index, shard.count) : plan.cells;
        const shardName = shard ? `${shard.index}/${shard.count}` : 'all';
        const failed = await runCells(dir, plan, cells, threads, shardName, out);
        if (shard) {
          out.stdout(`sweep shard ${shardName} (${shard.source}): ${cells.length} cells, ${failed} failed; when every shard is done: aimsim sweep collect ${dir}`);
          if (failed > 0) throw new CliExit(1);
          return;
        }
        await collectSweep(dir, flags.plot, out, plan);
      } finally {
        folder?.release();
      }
    });
  sweep
    .command('collect')
    .description('merge the cells of a (sharded) sweep folder into sweep.json, the table and the plot; lists missing and failed cells')
    .argument('<dir>', 'the sweep’s --out folder')
    .option('--plot [file]', 'also write an SVG of the test accuracy per grid point (default file: <dir>/sweep.svg)')
    .action(async (dir: string, flags: { plot?: string | boolean }) => {
      // `sweep collect DIR --plot`: commander gives a flag the parent command also has to the parent.
      await collectSweep(dir, flags.plot ?? (sweep.opts() as { plot?: string | boolean }).plot, out);
    });
}
