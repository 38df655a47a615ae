import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { algorithmDocTable, deviceDocs, experimentDocTables, leastSquaresDocTables, tileDocTables } from '../../src/config/docs.js';
import { algorithmKinds } from '../../src/algorithms/registry.js';

describe('generated docs', () => {
  it('docs/devices.md and the tables of docs/tile.md match the schemas (run `npx tsx scripts/gen-docs.ts`)', () => {
    expect(readFileSync('docs/devices.md', 'utf8')).toBe(deviceDocs());
    expect(readFileSync('docs/tile.md', 'utf8').endsWith(tileDocTables())).toBe(true);
    expect(readFileSync('docs/experiments.md', 'utf8').endsWith(experimentDocTables())).toBe(true);
    expect(readFileSync('docs/least-squares.md', 'utf8').endsWith(leastSquaresDocTables())).toBe(true);
  });

  it('every algorithm has a page whose field table matches its schema', () => {
    for (const kind of algorithmKinds) expect(readFileSync(`docs/algorithms/${kind}.md`, 'utf8').endsWith(algorithmDocTable(kind)), kind).toBe(true);
  });
});
