import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const root = join(import.meta.dirname, '../..');
const files = sources(join(root, 'src')).map((path) => ({ path: relative(root, path).replaceAll('\\', '/'), text: readFileSync(path, 'utf8') }));

describe('architecture rules (architecture.md)', () => {
  it('only src/node/ and src/cli/ import node:* (the core runs in the browser too)', () => {
    const offenders = files.filter((f) => !f.path.startsWith('src/cli/') && !f.path.startsWith('src/node/') && /from ['"]node:/.test(f.text));
    expect(offenders.map((f) => f.path)).toEqual([]);
  });

  it('the playground uses the engine through the public API only (src/index.ts: no fork, no deep imports)', () => {
    const playground = sources(join(root, 'playground', 'src')).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    expect(playground.length).toBeGreaterThan(5);
    const deep = playground.flatMap((f) => [...f.text.matchAll(/from ['"](\.\.\/\.\.\/src\/[^'"]+)['"]/g)].map((m) => m[1]!)).filter((path) => path !== '../../src/index.js');
    expect(deep).toEqual([]);
  });

  it('no Math.random anywhere: all randomness comes from keyed streams', () => {
    expect(files.filter((f) => /Math\.random\s*\(/.test(f.text)).map((f) => f.path)).toEqual([]);
  });

  it('devices do not import tiles, and tiles do not import the CLI', () => {
    expect(files.filter((f) => f.path.startsWith('src/devices/') && /from ['"]\.\.\/tile\//.test(f.text)).map((f) => f.path)).toEqual([]);
    expect(files.filter((f) => f.path.startsWith('src/tile/') && /from ['"]\.\.\/cli\//.test(f.text)).map((f) => f.path)).toEqual([]);
  });
});
