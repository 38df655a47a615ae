/**
 * `aimsim sweep collect DIR` (issue 17): the cells of a sweep folder, whoever ran them (one
 * machine, a Slurm array, Kubernetes pods), merged into the `sweep.json`, table and plot a local
 * sweep writes. Missing and failed cells are listed, one line each, and nothing is written.
 */
import { join } from 'node:path';
import type { ExperimentResult } from '../experiment/run.js';
import { summarizeSweep, sweepTable } from '../experiment/sweep.js';
import { writeFileAtomic } from '../node/index.js';
import { renderSvg } from '../report/svg.js';
import { sweepPlotSpec } from '../report/sweep-plot.js';
import { CliExit, type Output } from './output.js';
import { readPlan, type SweepPlan } from './sweep-plan.js';
import { readCell } from './sweep-store.js';

/** Where `--plot` writes: the given file, or `<dir>/sweep.svg` for a bare flag; null without it. */
export function plotPath(flag: string | boolean | undefined, dir: string): string | null {
  return flag === undefined || flag === false ? null : typeof flag === 'string' ? flag : join(dir, 'sweep.svg');
}

export async function collectSweep(dir: string, plotFlag: string | boolean | undefined, out: Output, plan: SweepPlan = readPlan(dir)): Promise<void> {
  const results = new Array<ExperimentResult>(plan.cells.length);
  const problems: string[] = [];
  for (const cell of plan.cells) {
    const found = readCell(dir, cell);
    if (found && 'result' in found) results[cell.index] = found.result;
    else if (found) problems.push(`cell ${cell.index} (${cell.folder}) failed in shard ${found.failure.shard} on ${found.failure.host}: ${found.failure.error}`);
    else problems.push(`cell ${cell.index} (${cell.folder}) is missing: not run yet, still running, or its task was stopped (its shard is ${cell.index} mod the shard count)`);
  }
  if (problems.length > 0) {
    for (const line of problems) out.stderr(`aimsim: sweep collect: ${line}`);
    out.stderr(`aimsim: sweep collect: ${problems.length} of ${plan.cells.length} cells are not done; re-submit the array (finished cells are skipped), then collect again`);
    throw new CliExit(1);
  }
  const grouped = plan.points.map((_, p) => plan.cells.filter((c) => c.point === p));
  const rows = summarizeSweep(
    plan.points,
    grouped.map((cells) => cells.map((c) => results[c.index]!)),
    grouped.map((cells) => cells.map((c) => c.folder)),
  );
  const json = join(dir, 'sweep.json');
  writeFileAtomic(json, JSON.stringify({ base: plan.base, grid: plan.grid, seeds: plan.seeds, rows }, null, 2));
  const plot = plotPath(plotFlag, dir);
  if (plot) writeFileAtomic(plot, await renderSvg(sweepPlotSpec(rows, plan.name, plan.seeds)));
  out.stdout(sweepTable(rows));
  out.stdout(`\nsweep: ${json}${plot ? ` and ${plot}` : ''}; runs: ${join(dir, 'runs')}`);
}
