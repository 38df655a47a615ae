import { z } from 'zod';

interface JsonSchemaField {
  type?: string;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  const?: unknown;
  items?: { type?: string };
}

function allowed(field: JsonSchemaField): string {
  if (field.enum) return field.enum.map((v) => `\`${String(v)}\``).join(', ');
  const parts: string[] = [];
  if (field.exclusiveMinimum !== undefined) parts.push(`> ${field.exclusiveMinimum}`);
  if (field.minimum !== undefined) parts.push(`≥ ${field.minimum}`);
  if (field.maximum !== undefined && field.maximum < 1e15) parts.push(`≤ ${field.maximum}`);
  if (field.exclusiveMaximum !== undefined) parts.push(`< ${field.exclusiveMaximum}`);
  const type = field.type === 'array' ? `array of ${field.items?.type ?? 'values'}` : (field.type ?? '');
  return [type, ...parts].join(' ');
}

function formatDefault(value: unknown): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const text = JSON.stringify(value);
    return text.length <= 100 ? text : 'the defaults of each of its fields';
  }
  if (typeof value === 'number' && !Number.isInteger(value)) return Number(value.toPrecision(6)).toString();
  return JSON.stringify(value);
}

/**
 * A markdown table of a zod object schema's fields (default, allowed values, one-line doc),
 * generated from the schema itself so docs cannot drift from it (style.md "Docs").
 */
export function schemaTable(schema: z.ZodType, skip: readonly string[] = ['kind']): string {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonSchemaField> };
  const lines = ['| field | default | allowed | meaning |', '|---|---|---|---|'];
  for (const [name, field] of Object.entries(json.properties ?? {})) {
    if (skip.includes(name)) continue;
    const cell = (text: string) => text.replaceAll('|', '\\|');
    lines.push(`| \`${name}\` | \`${formatDefault(field.default)}\` | ${cell(allowed(field))} | ${cell(field.description ?? '')} |`);
  }
  return lines.join('\n');
}
