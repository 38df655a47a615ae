import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import type { ExperimentResult } from '../../experiment/run.js';
import { writeRunReport } from '../../node/index.js';
import { labelRuns } from '../../report/run-report.js';
import type { Output } from '../output.js';


function readResult(dir: string): ExperimentResult {
  const path = join(dir, 'results.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserError('run folder', dir, 'must contain results.json (written by aimsim run, or a sweep’s runs/p…-s… folder)', 'usage error');
  }
  let result: ExperimentResult;
  try {
    result = JSON.parse(text) as ExperimentResult;
  } catch {
    throw new UserError(path, text.length, 'must be valid JSON (the file is corrupt or truncated)', 'usage error');
  }
  if (!result || typeof result !== 'object' || !Array.isArray(result.epochs) || typeof result.config !== 'object') {
    throw new UserError(path, typeof result, 'must hold the results of aimsim run (epochs, config, layers)', 'usage error');
  }
  return result;
}

/** `report-YYYYMMDD-HHMMSS` in the working folder (a suffix when it exists already). */
function freshReportFolder(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  let dir = `report-${stamp}`;
  for (let n = 2; existsSync(dir); n++) dir = `report-${stamp}-${n}`;
  return dir;
}

export function registerReportCommand(program: Command, out: Output): void {
  program
    .command('report')
    .description('write a self-contained report.html (SVG plots, several runs overlaid) and report.json into a new folder')
    .argument('<run-dir...>', 'folders written by aimsim run (or the runs/p…-s… folders of a sweep)')
    .option('--out <dir>', 'where to write the report (default: a new report-<date>-<time> folder here); never a run folder')
    .action(async (dirs: string[], flags: { out?: string }) => {
      const runs = dirs.map(readResult);
      const dir = flags.out ?? freshReportFolder();
      // A run's own report.html and report.json belong to that run; a comparison goes elsewhere.
      if (existsSync(join(dir, 'results.json'))) throw new UserError('--out', dir, 'must not be a run folder (it holds results.json, whose report would be overwritten); choose a folder of its own', 'usage error');
      const folders = dirs.map((d) => relative('.', d) || '.');
      out.stdout(`report: ${await writeRunReport(labelRuns(runs, folders), dir)}`);
    });
}
