import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import type { ExperimentResult } from '../../experiment/run.js';
import { writeFileAtomic } from '../../node/index.js';
import { reportData, reportHtml, reportSpecs } from '../../report/run-report.js';
import { renderSvg } from '../../report/svg.js';
import type { Output } from '../output.js';

function readResult(dir: string): ExperimentResult {
  const path = join(dir, 'results.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserError('run folder', dir, 'must contain results.json (written by aimsim run)', 'usage error');
  }
  try {
    return JSON.parse(text) as ExperimentResult;
  } catch {
    throw new UserError(path, text.length, 'must be valid JSON', 'usage error');
  }
}

/** Writes report.html and report.json for runs into `dir`; returns the HTML path. */
export async function writeReport(runs: readonly ExperimentResult[], dir: string): Promise<string> {
  const svgs = [];
  for (const { title, spec } of reportSpecs(runs)) svgs.push({ title, svg: await renderSvg(spec) });
  const html = join(dir, 'report.html');
  writeFileAtomic(join(dir, 'report.json'), JSON.stringify(reportData(runs), null, 2));
  writeFileAtomic(html, reportHtml(runs, svgs));
  return html;
}

export function registerReportCommand(program: Command, out: Output): void {
  program
    .command('report')
    .description('write a self-contained report.html (SVG plots, several runs overlaid) and report.json')
    .argument('<run-dir...>', 'folders written by aimsim run')
    .option('--out <dir>', 'where to write the report (default: the first run folder)')
    .action(async (dirs: string[], flags: { out?: string }) => {
      const runs = dirs.map(readResult);
      out.stdout(`report: ${await writeReport(runs, flags.out ?? dirs[0]!)}`);
    });
}
