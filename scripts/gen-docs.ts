/** Regenerates the schema-derived docs: `npx tsx scripts/gen-docs.ts`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { algorithmDocTable, deviceDocs, experimentDocTables, FIELDS_MARK, leastSquaresDocTables, tileDocTables } from '../src/config/docs.js';
import { algorithmKinds } from '../src/algorithms/registry.js';

const MARK = '<!-- tables -->';
writeFileSync('docs/devices.md', deviceDocs());
const tile = readFileSync('docs/tile.md', 'utf8');
writeFileSync('docs/tile.md', `${tile.slice(0, tile.indexOf(MARK) + MARK.length)}\n\n${tileDocTables()}`);
const experiments = readFileSync('docs/experiments.md', 'utf8');
writeFileSync('docs/experiments.md', `${experiments.slice(0, experiments.indexOf(MARK) + MARK.length)}\n\n${experimentDocTables()}`);
const leastSquares = readFileSync('docs/least-squares.md', 'utf8');
writeFileSync('docs/least-squares.md', `${leastSquares.slice(0, leastSquares.indexOf(MARK) + MARK.length)}\n\n${leastSquaresDocTables()}`);
for (const kind of algorithmKinds) {
  const path = `docs/algorithms/${kind}.md`;
  const page = readFileSync(path, 'utf8');
  writeFileSync(path, `${page.slice(0, page.indexOf(FIELDS_MARK) + FIELDS_MARK.length)}\n\n${algorithmDocTable(kind)}`);
}
console.log('wrote docs/devices.md and the tables of docs/tile.md');
