/** Regenerates the schema-derived docs: `npx tsx scripts/gen-docs.ts`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { deviceDocs, tileDocTables } from '../src/config/docs.js';

const MARK = '<!-- tables -->';
writeFileSync('docs/devices.md', deviceDocs());
const tile = readFileSync('docs/tile.md', 'utf8');
writeFileSync('docs/tile.md', `${tile.slice(0, tile.indexOf(MARK) + MARK.length)}\n\n${tileDocTables()}`);
console.log('wrote docs/devices.md and the tables of docs/tile.md');
