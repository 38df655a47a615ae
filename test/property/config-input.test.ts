/**
 * Issue 14, property tests (fast-check): whatever a user types into a config or `--set`, the
 * answer is a valid config or one line naming a field, never a stack trace.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configWithSets } from '../../src/cli/commands/run.js';
import { main } from '../../src/cli/main.js';
import { UserError } from '../../src/core/errors.js';
import { parseExperiment, planNetwork } from '../../src/experiment/run.js';

/** Every leaf path of the default config (e.g. `training.lr`, `network.layers.1.outputs`). */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}
const known = leafPaths(parseExperiment({}));
const sections = ['name', 'seed', 'data', 'network', 'device', 'algorithm', 'forward', 'backward', 'update', 'training'];

const segment = fc.oneof(fc.constantFrom(...sections, 'layers', 'preset', 'kind', 'dwMin', 'fastLr', 'outputs', 'type', '0', '1', '7', '-1', ''), fc.string({ maxLength: 6 }));
const path = fc.oneof(fc.constantFrom(...known), fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('.')), fc.string({ maxLength: 12 }));
const value = fc.oneof(
  fc.constantFrom('0', '-1', '1e9', '1e400', 'NaN', 'true', 'false', 'null', '[', '{', '{a: 1', '[1, 2', '{preset: reram-es}', '{kind: agad, fastLr: 2}', 'sgd', 'c-ttv2', 'linear', 'soft-bounds', '0.5', '[]', '{}', '[{type: flatten}]'),
  fc.double({ noNaN: false }).map(String),
  fc.integer().map(String),
  fc.string({ maxLength: 10 }),
  fc.json({ maxDepth: 2 }),
);
const assignment = fc.oneof(fc.tuple(path, value).map(([p, v]) => `${p}=${v}`), fc.string({ maxLength: 15 }));

/** A user mistake: a UserError with one line naming a place (`<context> at <field>: …, got …`). */
function expectOneLineUserError(error: unknown): void {
  if (!(error instanceof UserError)) throw error;
  expect(error.message).not.toMatch(/\n/);
  expect(error.message).toMatch(/^[a-z ]+ error at \S.*: .*, got /);
}

describe('config input (property tests)', () => {
  it('10 000 generated --set lists: a valid config or one line naming the field', () => {
    let valid = 0;
    fc.assert(
      fc.property(fc.array(assignment, { minLength: 1, maxLength: 4 }), (sets) => {
        try {
          const config = parseExperiment(configWithSets(null, sets));
          planNetwork(config, [1, 14, 14], 10);
          valid++;
        } catch (error) {
          expectOneLineUserError(error);
        }
      }),
      { numRuns: 10_000, seed: 14 },
    );
    // The generator reaches both sides (a valid config is not rare).
    expect(valid).toBeGreaterThan(50);
  });

  it('10 000 generated config objects (YAML/JSON values in any section): a valid config or one line', () => {
    const section = fc.record(
      Object.fromEntries(sections.map((s) => [s, fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom({ preset: 'reram-es', dwMin: -1 }, { kind: 'agad' }, { layers: [] }, { layers: [{ type: 'linear', outputs: 0 }] }, { epochs: 1.5 }))])),
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(section, fc.jsonValue({ maxDepth: 2 })), (config) => {
        try {
          planNetwork(parseExperiment(configWithSets({ path: 'x.yaml', value: config, locate: () => null }, [])), [1, 14, 14], 10);
        } catch (error) {
          expectOneLineUserError(error);
        }
      }),
      { numRuns: 10_000, seed: 15 },
    );
  });

  it('through the CLI (run --dry-run): exit 0, or exit 2 with one line on stderr', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(assignment, { minLength: 1, maxLength: 3 }), async (sets) => {
        const stderr: string[] = [];
        const code = await main(['run', '--dry-run', ...sets.flatMap((s) => ['--set', s])], { stdout: () => {}, stderr: (l) => stderr.push(l) });
        if (code === 0) return;
        expect(code).toBe(2);
        expect(stderr).toHaveLength(1);
        expect(stderr[0]).toMatch(/^aimsim: [a-z ]+ error at \S/);
      }),
      { numRuns: 150, seed: 16 },
    );
  });
});
