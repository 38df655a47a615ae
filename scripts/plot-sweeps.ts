/**
 * Merges the rows of several `aimsim sweep` results into one accuracy bar chart:
 * `npx tsx scripts/plot-sweeps.ts <out.svg> <title> <sweep.json>...` (used by docs/reproductions/).
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../src/node/index.js';
import { renderSvg } from '../src/report/svg.js';
import { sweepPlotSpec } from '../src/report/sweep-plot.js';
import type { SweepRow } from '../src/experiment/sweep.js';

const [out, title, ...files] = process.argv.slice(2);
if (!out || !title || files.length === 0) {
  console.error('usage: tsx scripts/plot-sweeps.ts <out.svg> <title> <sweep.json>...');
  process.exit(2);
}
const sweeps = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as { seeds: number; rows: SweepRow[] });
writeFileAtomic(out, await renderSvg(sweepPlotSpec(sweeps.flatMap((s) => s.rows), title, sweeps[0]!.seeds)));
console.log(`wrote ${out}`);
