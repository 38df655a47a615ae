import { z } from 'zod';
import { algorithmPresets, algorithmSchemas, type AlgorithmKind } from '../algorithms/registry.js';
import { devicePresets } from '../devices/presets.js';
import { deviceKinds, deviceModels, type DeviceKind } from '../devices/registry.js';
import { experimentSchema } from './experiment.js';

type JsonSchema = Record<string, unknown>;

/** The fields of a zod object as JSON Schema properties (every field optional: presets and defaults fill the rest). */
function fieldsOf(schema: z.ZodObject, drop: string): Record<string, JsonSchema> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonSchema> };
  const { [drop]: _dropped, ...rest } = json.properties ?? {};
  return rest;
}

/** The fields of one device kind as JSON Schema properties (type, default, range, doc): the playground's form. */
export function deviceFieldsJsonSchema(kind: DeviceKind): Record<string, JsonSchema> {
  return fieldsOf(deviceModels[kind].schema as unknown as z.ZodObject, 'kind');
}

/**
 * The device field for editors: a preset or kind name, or `{ preset, …fields }` where the fields
 * offered (with their docs and ranges) are those of the named preset's or kind's model.
 */
export function deviceJsonSchema(description: string): JsonSchema {
  const names = [...devicePresets.map((p) => p.name), ...deviceKinds];
  return {
    description,
    anyOf: [
      { type: 'string', enum: names, description: 'a device preset or kind with its defaults' },
      ...deviceKinds.map((kind) => ({
        type: 'object',
        title: kind,
        description: `a ${kind} device: a preset of this kind or the kind itself, with fields overridden`,
        properties: { preset: { enum: [...devicePresets.filter((p) => p.kind === kind).map((p) => p.name), kind] }, ...deviceFieldsJsonSchema(kind) },
        required: ['preset'],
        additionalProperties: false,
      })),
    ],
  };
}

/** The algorithm field for editors: a preset name, `{ kind, …fields }`, or `{ preset, …fields }` of that preset's kind. */
export function algorithmJsonSchema(description: string): JsonSchema {
  const kinds = Object.keys(algorithmSchemas) as AlgorithmKind[];
  const presetsOf = (kind: AlgorithmKind) => Object.entries(algorithmPresets).filter(([, p]) => p.kind === kind).map(([name]) => name);
  return {
    description,
    anyOf: [
      { type: 'string', enum: Object.keys(algorithmPresets), description: 'an algorithm preset (aihwkit build_config shortcuts and the papers’ algorithms)' },
      ...kinds.map((kind) => {
        const fields = fieldsOf(algorithmSchemas[kind] as unknown as z.ZodObject, 'kind');
        return { type: 'object', title: kind, properties: { kind: { const: kind }, ...fields }, required: ['kind'], additionalProperties: false };
      }),
      ...kinds
        .filter((kind) => presetsOf(kind).length > 0)
        .map((kind) => ({
          type: 'object',
          title: `${kind} preset`,
          properties: { preset: { enum: presetsOf(kind) }, ...fieldsOf(algorithmSchemas[kind] as unknown as z.ZodObject, 'kind') },
          required: ['preset'],
          additionalProperties: false,
        })),
    ],
  };
}

/**
 * The JSON Schema of experiment files (`aimsim schema`): the zod schema's, with the device and
 * algorithm fields (top level and per layer) expanded into their unions so editors complete and
 * check them.
 */
export function experimentJsonSchema(): JsonSchema {
  const json = z.toJSONSchema(experimentSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema & { properties: Record<string, JsonSchema> };
  const props = json.properties;
  props['device'] = { ...deviceJsonSchema(String(props['device']!['description'])), default: props['device']!['default'] };
  props['algorithm'] = { ...algorithmJsonSchema(String(props['algorithm']!['description'])), default: props['algorithm']!['default'] };
  const layers = ((props['network'] as { properties: Record<string, { items: { anyOf?: JsonSchema[]; oneOf?: JsonSchema[] } }> }).properties['layers']!).items;
  for (const layer of layers.oneOf ?? layers.anyOf ?? []) {
    const fields = layer['properties'] as Record<string, JsonSchema> | undefined;
    if (fields?.['device']) fields['device'] = deviceJsonSchema(String(fields['device']['description']));
    if (fields?.['algorithm']) fields['algorithm'] = algorithmJsonSchema(String(fields['algorithm']['description']));
  }
  return json;
}
