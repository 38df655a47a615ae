/**
 * Issue 14: the README's library example runs as written, from a script that imports the
 * installed package (`aimsim/node`), loads a YAML config, runs it with an event callback and
 * writes the report.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

const repo = resolve(import.meta.dirname, '../..');

describe('the README library example', () => {
  it('runs a YAML config with events and writes the report, through the package’s exports', () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const library = readme.slice(readme.indexOf('## Library'));
    const code = /```ts\n([\s\S]*?)```/.exec(library)![1]!;
    expect(code).toContain("from 'aimsim/node'");
    // A project that installed aimsim: node_modules/aimsim is the package, and a short config.
    const project = mkdtempSync(join(tmpdir(), 'aimsim-library-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module', dependencies: { aimsim: '*' } }));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(repo, join(project, 'node_modules', 'aimsim'));
    mkdirSync(join(project, 'examples'));
    const config = parseYaml(readFileSync(join(repo, 'examples/00-default.yaml'), 'utf8')) as { data: object };
    config.data = { ...config.data, trainLimit: 200, testLimit: 100 }; // shortened by the test
    writeFileSync(join(project, 'examples', '00-default.yaml'), stringifyYaml(config));
    writeFileSync(join(project, 'example.ts'), code);
    const tsx = pathToFileURL(join(repo, 'node_modules/tsx/dist/esm/index.mjs')).href;
    const out = execFileSync(process.execPath, ['--import', tsx, 'example.ts'], { cwd: project, encoding: 'utf8' });
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^flatten 196 → linear 196→64 \(analog\) → .* \d+$/);
    expect(lines.filter((l) => /^\d+ 0\.\d+$/.test(l))).toHaveLength(10); // one line per epoch
    expect(out).toMatch(/update: \d+/);
    expect(existsSync(join(project, 'my-report', 'report.html'))).toBe(true);
  });
});
