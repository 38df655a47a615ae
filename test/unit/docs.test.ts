import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deviceDocs, tileDocTables } from '../../src/config/docs.js';

describe('generated docs', () => {
  it('docs/devices.md and the tables of docs/tile.md match the schemas (run `npx tsx scripts/gen-docs.ts`)', () => {
    expect(readFileSync('docs/devices.md', 'utf8')).toBe(deviceDocs());
    expect(readFileSync('docs/tile.md', 'utf8').endsWith(tileDocTables())).toBe(true);
  });
});
