/**
 * Issue 14: `aimsim schema` gives editors the device and algorithm unions, checked here with a
 * real JSON Schema validator (ajv) against every example and against mistakes an editor should flag.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { experimentJsonSchema } from '../../src/config/json-schema.js';
import { parseExperiment } from '../../src/experiment/run.js';

const validate = new Ajv2020({ strict: false, allErrors: true }).compile(experimentJsonSchema());
const examples = join(import.meta.dirname, '../../examples');

describe('the JSON Schema of experiment files', () => {
  it('accepts every example experiment and the default config', () => {
    const files = readdirSync(examples).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const config = parseYaml(readFileSync(join(examples, file), 'utf8')) as unknown;
      expect(validate(config), `${file}: ${JSON.stringify(validate.errors?.slice(0, 2))}`).toBe(true);
    }
    expect(validate({})).toBe(true);
    expect(validate(JSON.parse(JSON.stringify(parseExperiment({}))))).toBe(true);
  });

  it('offers every device kind and algorithm kind with its own fields', () => {
    const schema = experimentJsonSchema() as { properties: Record<string, { anyOf: { title?: string; properties?: Record<string, unknown>; enum?: string[] }[] }> };
    const device = schema.properties['device']!.anyOf;
    expect(device[0]!.enum).toContain('reram-es');
    const softBounds = device.find((d) => d.title === 'soft-bounds')!;
    expect(Object.keys(softBounds.properties!)).toEqual(expect.arrayContaining(['preset', 'dwMin', 'wMax', 'upDown']));
    const algorithm = schema.properties['algorithm']!.anyOf;
    expect(algorithm.find((a) => a.title === 'agad')!.properties).toHaveProperty('fastLr');
    expect(algorithm.find((a) => a.title === 'chopped-tiki-taka preset')!.properties!['preset']).toEqual({ enum: ['ttv2', 'c-ttv2'] });
  });

  it('flags what the runner would refuse: a wrong type, a field of another model, an unknown name', () => {
    const accepts = (config: unknown) => validate(config);
    expect(accepts({ device: { preset: 'reram-es', dwMin: 0.01 }, algorithm: { kind: 'agad', fastLr: 0.2 } })).toBe(true);
    expect(accepts({ algorithm: { preset: 'c-ttv2', inChopProb: 0.1 } })).toBe(true);
    expect(accepts({ device: { preset: 'soft-bounds', dwMin: 'small' } })).toBe(false);
    expect(accepts({ device: { preset: 'soft-bounds', gammaUp: 1 } })).toBe(false); // an exp-step field
    expect(accepts({ device: 'no-such-device' })).toBe(false);
    expect(accepts({ algorithm: { kind: 'agad', bogus: 1 } })).toBe(false);
    expect(accepts({ algorithm: { preset: 'c-ttv2', transferEvery: 'often' } })).toBe(false);
    expect(accepts({ network: { layers: [{ type: 'linear', outputs: 10, device: { preset: 'reram-es', nope: 1 } }] } })).toBe(false);
  });
});
