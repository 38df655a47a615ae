import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { parseExperiment, runExperiment, type ExperimentResult } from '../../experiment/run.js';
import { crossGrids, summarizeSweep, sweepCells, sweepTable, type SweepCell, type SweepPoint } from '../../experiment/sweep.js';
import { writeFileAtomic } from '../../node/index.js';
import { renderSvg } from '../../report/svg.js';
import { sweepPlotSpec } from '../../report/sweep-plot.js';
import { parseGridValues, setPath, splitAssignment } from '../set-values.js';
import { configWithSets } from './run.js';
import { loadConfigDataset } from '../../node/datasets.js';
import { readConfigFile, withFilePositions } from '../../node/config-file.js';
import { RunFolder } from '../run-folder.js';
import type { Output } from '../output.js';
import { writeReport } from './report.js';

interface Job {
  cell: SweepCell;
  config: Record<string, unknown>;
}

/** Runs jobs in up to `threads` worker threads (compiled build only), or in this thread; `onDone` as each finishes. */
async function runJobs(jobs: Job[], threads: number, onDone: (job: Job, result: ExperimentResult) => Promise<void>): Promise<ExperimentResult[]> {
  const results = new Array<ExperimentResult>(jobs.length);
  const workerFile = new URL('../sweep-worker.js', import.meta.url);
  if (threads <= 1 || !existsSync(workerFile)) {
    for (const [i, job] of jobs.entries()) {
      results[i] = await runExperiment(job.config, { loadDataset: loadConfigDataset });
      await onDone(job, results[i]);
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
              if (m.error) return reject(new UserError('sweep run', jobs[m.id]!.cell.folder, m.error, 'run error'));
              results[m.id] = m.result!;
              onDone(jobs[m.id]!, m.result!).then(send, reject);
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

/** `--grid path=v1,v2` or `--grid 'path=[v1, {…}]'` → [path, values]; errors name --grid. */
function parseGrid(grid: string): [string, unknown[]] {
  const form = 'path=value1,value2,… or path=[value1, {…}]';
  const [path, text] = splitAssignment(grid, '--grid', form);
  if (text.trim() === '') throw new UserError('--grid', grid, `must be ${form}`, 'usage error');
  return [path, parseGridValues(text)];
}

export function registerSweepCommand(program: Command, out: Output): void {
  program
    .command('sweep')
    .description('run a grid of configs × seeds in a local worker pool; mean ± std per grid point; every run keeps its folder (runs/p<point>-s<seed>)')
    .argument('[config]', 'base experiment file (omit for the default run)')
    .option('--grid <path=values>', 'a swept field and its values: v1,v2 or a YAML/JSON list such as [soft-bounds, {preset: reram-es, dwMin: 0.01}] (repeatable: the grids are crossed)', (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--set <path=value>', 'override a field of every run (repeatable)', (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--seeds <n>', 'seeds 0..n−1 per grid point', '3')
    .option('--jobs <k>', 'worker threads (default 1; results do not depend on it)', '1')
    .option('--out <dir>', 'output folder (default: runs/<name>-sweep)')
    .option('--plot [file]', 'also write an SVG of the test accuracy per grid point (default file: <out>/sweep.svg)')
    .action(async (path: string | undefined, flags: { grid: string[]; set: string[]; seeds: string; jobs: string; out?: string; plot?: string | boolean }) => {
      const seeds = Number(flags.seeds);
      const threads = Number(flags.jobs);
      if (!Number.isInteger(seeds) || seeds < 1 || seeds > 100) throw new UserError('--seeds', flags.seeds, 'must be an integer in [1, 100]', 'usage error');
      if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new UserError('--jobs', flags.jobs, 'must be an integer in [1, 64]', 'usage error');
      const file = path ? readConfigFile(path) : null;
      const base = configWithSets(file, flags.set, path);
      const defaults = parseExperiment({});
      const points: SweepPoint[] = crossGrids(flags.grid.map(parseGrid)).map((values) => ({ values, seeds: Array.from({ length: seeds }, (_, s) => s) }));
      const jobs: Job[] = sweepCells(points).map((cell) => {
        const config = structuredClone(base);
        for (const [key, value] of Object.entries(points[cell.point]!.values)) setPath(config, key, value, defaults, '--grid');
        config['seed'] = cell.seed;
        return { cell, config };
      });
      // Validate every run before any starts, pointing into the file where possible.
      for (const job of jobs) await withFilePositions(file, () => parseExperiment(job.config));
      const baseName = parseExperiment(base).name;
      const folder = RunFolder.open(flags.out ?? join('runs', `${baseName}-sweep`));
      try {
        let done = 0;
        const results = await runJobs(jobs, threads, async (job, result) => {
          // Each run keeps its own folder, so `aimsim report <sweep>/runs/p000-s0` works on it.
          const dir = join(folder.dir, job.cell.folder);
          folder.write(join(job.cell.folder, 'config.json'), JSON.stringify(result.config, null, 2));
          folder.write(join(job.cell.folder, 'results.json'), JSON.stringify(result, null, 2));
          await writeReport([result], dir);
          out.stderr(`sweep: ${++done}/${jobs.length} runs done (${job.cell.folder})`);
        });
        const byPoint = (p: number) => jobs.flatMap((job, i) => (job.cell.point === p ? [{ result: results[i]!, folder: job.cell.folder }] : []));
        const grouped = points.map((_, p) => byPoint(p));
        const rows = summarizeSweep(points, grouped.map((g) => g.map((r) => r.result)), grouped.map((g) => g.map((r) => r.folder)));
        const json = folder.write('sweep.json', JSON.stringify({ base, grid: flags.grid, seeds, rows }, null, 2));
        const plot = flags.plot === undefined ? null : typeof flags.plot === 'string' ? flags.plot : join(folder.dir, 'sweep.svg');
        if (plot) writeFileAtomic(plot, await renderSvg(sweepPlotSpec(rows, baseName, seeds)));
        out.stdout(sweepTable(rows));
        out.stdout(`\nsweep: ${json}${plot ? ` and ${plot}` : ''}; runs: ${join(folder.dir, 'runs')}`);
      } finally {
        folder.release();
      }
    });
}
