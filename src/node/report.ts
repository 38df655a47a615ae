import { join } from 'node:path';
import type { ExperimentResult } from '../experiment/result.js';
import { labelRuns, reportData, reportHtml, reportSpecs, type ReportRun } from '../report/run-report.js';
import { renderSvg } from '../report/svg.js';
import { writeFileAtomic } from './files.js';

/**
 * Writes report.html (self-contained: SVG plots inline) and report.json for one or more runs
 * into `dir`; returns the HTML path. Give labelled runs to name them yourself.
 */
export async function writeRunReport(runs: readonly ExperimentResult[] | readonly ReportRun[], dir: string): Promise<string> {
  const labelled = runs.length > 0 && 'result' in runs[0]! ? (runs as readonly ReportRun[]) : labelRuns(runs as readonly ExperimentResult[]);
  const svgs = [];
  for (const { title, spec } of reportSpecs(labelled)) svgs.push({ title, svg: await renderSvg(spec) });
  const html = join(dir, 'report.html');
  writeFileAtomic(join(dir, 'report.json'), JSON.stringify(reportData(labelled), null, 2));
  writeFileAtomic(html, reportHtml(labelled, svgs));
  return html;
}
