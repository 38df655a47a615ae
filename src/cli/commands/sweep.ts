import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { parseExperiment, runExperiment, type ExperimentResult } from '../../experiment/run.js';
import { parseGrid, summarizeSweep, sweepTable, type SweepPoint } from '../../experiment/sweep.js';
import { writeFileAtomic } from '../../node/index.js';
import { renderSvg } from '../../report/svg.js';
import { sweepPlotSpec } from '../../report/sweep-plot.js';
import { parseValue } from '../set-values.js';
import { loadFiles, setPath } from './run.js';
import { readConfigFile, withFilePositions } from '../config-file.js';
import type { Output } from '../output.js';

interface Job {
  point: number;
  config: Record<string, unknown>;
}

/** Runs jobs in up to `jobs` worker threads (compiled build only), or in this thread. */
async function runJobs(jobs: Job[], threads: number, onDone: (job: Job) => void): Promise<ExperimentResult[]> {
  const results = new Array<ExperimentResult>(jobs.length);
  const workerFile = new URL('../sweep-worker.js', import.meta.url);
  if (threads <= 1 || !existsSync(workerFile)) {
    for (const [i, job] of jobs.entries()) {
      results[i] = await runExperiment(job.config, { loadDataset: loadFiles });
      onDone(job);
    }
    return results;
  }
  let next = 0;
  const workers = Array.from({ length: Math.min(threads, jobs.length) }, () => new Worker(workerFile));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= jobs.length) return resolve();
              const id = next++;
              worker.postMessage({ id, config: jobs[id]!.config });
            };
            worker.on('message', (m: { id: number; result?: ExperimentResult; error?: string }) => {
              if (m.error) return reject(new UserError('sweep job', jobs[m.id]!.config['name'], m.error, 'run error'));
              results[m.id] = m.result!;
              onDone(jobs[m.id]!);
              send();
            });
            worker.on('error', reject);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

export function registerSweepCommand(program: Command, out: Output): void {
  program
    .command('sweep')
    .description('run a grid of configs × seeds in a local worker pool; mean ± std per grid point')
    .argument('[config]', 'base experiment file (omit for the default run)')
    .option('--grid <path=v1,v2>', 'a swept field and its values (repeatable: the grids are crossed)', (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--set <path=value>', 'override a field of every run (repeatable)', (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--seeds <n>', 'seeds 0..n−1 per grid point', '3')
    .option('--jobs <k>', 'worker threads (default 1; results do not depend on it)', '1')
    .option('--out <dir>', 'output folder (default: runs/<name>-sweep)')
    .option('--plot', 'also write sweep.svg: test accuracy per grid point')
    .action(async (path: string | undefined, flags: { grid: string[]; set: string[]; seeds: string; jobs: string; out?: string; plot?: boolean }) => {
      const seeds = Number(flags.seeds);
      const threads = Number(flags.jobs);
      if (!Number.isInteger(seeds) || seeds < 1 || seeds > 100) throw new UserError('--seeds', flags.seeds, 'must be an integer in [1, 100]', 'usage error');
      if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new UserError('--jobs', flags.jobs, 'must be an integer in [1, 64]', 'usage error');
      const file = path ? readConfigFile(path) : null;
      const base = (file ? file.value : {}) as Record<string, unknown>;
      for (const pair of flags.set) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new UserError('--set', pair, 'must be path=value', 'usage error');
        setPath(base, pair.slice(0, eq), parseValue(pair.slice(eq + 1)));
      }
      const grid = parseGrid(flags.grid, parseValue);
      const points: SweepPoint[] = grid.map((values) => ({ values, seeds: Array.from({ length: seeds }, (_, s) => s) }));
      const jobs: Job[] = points.flatMap((point, p) =>
        point.seeds.map((seed) => {
          const config = structuredClone(base);
          for (const [key, value] of Object.entries(point.values)) setPath(config, key, value);
          config['seed'] = seed;
          return { point: p, config };
        }),
      );
      // Validate every job before any runs, pointing into the file where possible.
      for (const job of jobs) await withFilePositions(file, () => parseExperiment(job.config));
      let done = 0;
      const results = await runJobs(jobs, threads, () => out.stderr(`sweep: ${++done}/${jobs.length} runs done`));
      const grouped = points.map((_, p) => results.filter((_, i) => jobs[i]!.point === p));
      const rows = summarizeSweep(points, grouped);
      const dir = flags.out ?? join('runs', `${parseExperiment(base).name}-sweep`);
      writeFileAtomic(join(dir, 'sweep.json'), JSON.stringify({ base, grid: flags.grid, seeds, rows }, null, 2));
      if (flags.plot) writeFileAtomic(join(dir, 'sweep.svg'), await renderSvg(sweepPlotSpec(rows, parseExperiment(base).name, seeds)));
      out.stdout(sweepTable(rows));
      out.stdout(`\nsweep: ${join(dir, 'sweep.json')}${flags.plot ? ` and ${join(dir, 'sweep.svg')}` : ''}`);
    });
}
