/**
 * The cells of a sweep on disk (issue 17). Each cell is one run folder (`runs/p000-s0/`: config,
 * results, report), written into a temporary folder beside it and renamed into place, so a cell
 * either exists whole or not at all; a cell that failed leaves `runs/p000-s0.failed.json`.
 * Several shards (on several machines) may write one output folder at once: their cells differ.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { ExperimentResult } from '../experiment/run.js';
import type { SweepCell } from '../experiment/sweep.js';
import { makeFolder, processAlive, writeFileAtomic, writeRunReport } from '../node/index.js';

export interface CellFailure {
  cell: string;
  shard: string;
  host: string;
  error: string;
  time: string;
}

const failurePath = (dir: string, cell: SweepCell) => join(dir, `${cell.folder}.failed.json`);

export function cellDone(dir: string, cell: SweepCell): boolean {
  return existsSync(join(dir, cell.folder, 'results.json'));
}

/** Removes the temporary folders of `cell` left by runs on this host that are gone (kill -9). */
export function removeStaleTemporaries(dir: string, cell: SweepCell): void {
  const parent = join(dir, dirname(cell.folder));
  if (!existsSync(parent)) return;
  const prefix = `.${basename(cell.folder)}.tmp-${hostname()}-`;
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (!processAlive(pid)) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/** Writes a finished cell atomically (folder renamed into place); a cell finished meanwhile by another shard wins. */
export async function writeCell(dir: string, cell: SweepCell, result: ExperimentResult): Promise<void> {
  const final = join(dir, cell.folder);
  const temporary = join(dir, dirname(cell.folder), `.${basename(cell.folder)}.tmp-${hostname()}-${process.pid}`);
  rmSync(temporary, { recursive: true, force: true });
  makeFolder('sweep cell', temporary);
  writeFileAtomic(join(temporary, 'config.json'), JSON.stringify(result.config, null, 2));
  writeFileAtomic(join(temporary, 'results.json'), JSON.stringify(result, null, 2));
  await writeRunReport([result], temporary);
  try {
    renameSync(temporary, final);
  } catch {
    rmSync(temporary, { recursive: true, force: true }); // another shard finished it first
  }
  rmSync(failurePath(dir, cell), { force: true });
}

export function writeFailure(dir: string, cell: SweepCell, shard: string, error: string): void {
  const failure: CellFailure = { cell: cell.folder, shard, host: hostname(), error, time: new Date().toISOString() };
  writeFileAtomic(failurePath(dir, cell), JSON.stringify(failure, null, 2));
}

/** A cell's result, its failure, or neither (not run yet, or still running). */
export function readCell(dir: string, cell: SweepCell): { result: ExperimentResult } | { failure: CellFailure } | null {
  if (cellDone(dir, cell)) return { result: JSON.parse(readFileSync(join(dir, cell.folder, 'results.json'), 'utf8')) as ExperimentResult };
  if (existsSync(failurePath(dir, cell))) return { failure: JSON.parse(readFileSync(failurePath(dir, cell), 'utf8')) as CellFailure };
  return null;
}
