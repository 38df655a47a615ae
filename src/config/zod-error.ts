import type { z } from 'zod';
import { UserError } from '../core/errors.js';

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function joinPath(root: string, path: readonly PropertyKey[]): string {
  return [root, ...path.map(String)].filter((part) => part !== '').join('.');
}

type Def = { type: string; innerType?: Def; shape?: Record<string, { _zod: { def: Def } }>; element?: { _zod: { def: Def } }; options?: { _zod: { def: Def } }[]; discriminator?: string; values?: unknown[] };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** The keys an object schema allows at `path` (through defaults, arrays, discriminated unions). */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[], input: unknown): string[] | undefined {
  let def: Def | undefined = defOf(schema);
  let value = input;
  const settle = () => {
    while (def && (def.type === 'default' || def.type === 'optional' || def.type === 'nullable' || def.type === 'prefault') && def.innerType) def = defOf(def.innerType);
    if (def?.type === 'union' && def.discriminator && def.options) {
      const wanted = (value as Record<string, unknown> | undefined)?.[def.discriminator];
      const option = def.options.find((o) => defOf(defOf(o).shape?.[def!.discriminator!]).values?.includes(wanted));
      def = option ? defOf(option) : undefined;
    }
  };
  for (const key of path) {
    settle();
    if (def?.type === 'object') def = def.shape?.[String(key)] ? defOf(def.shape[String(key)]) : undefined;
    else if (def?.type === 'array') def = def.element ? defOf(def.element) : undefined;
    else return undefined;
    value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  settle();
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : undefined;
}

/** zod's type names as a reader says them. */
const typeNames: Record<string, string> = { int: 'an integer', object: 'an object (a mapping)', array: 'a list', number: 'a number', string: 'a string', boolean: 'true or false' };

/**
 * Turns the first zod issue into the project's one-line error: field path, value, what is allowed
 * (style.md "Errors"). `allowedKeys` lists the valid keys of an object for unknown-key errors.
 */
export function zodIssueToUserError(
  error: z.ZodError,
  input: unknown,
  root: string,
  allowedKeys?: (path: readonly PropertyKey[]) => readonly string[] | undefined,
  schema?: z.ZodType,
): UserError {
  // A misspelt key also makes the intended key "missing": report the unknown key, the cause.
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const allowed = allowedKeys?.(issue.path) ?? (schema ? keysAt(schema, issue.path, input) : undefined);
    return new UserError(
      joinPath(root, [...issue.path, key]),
      valueAt(input, [...issue.path, key]),
      allowed ? `unknown key; allowed keys: ${allowed.join(', ')}` : 'unknown key',
    );
  }
  const value = valueAt(input, issue.path);
  let allowed = issue.message;
  if (issue.code === 'invalid_type') {
    const expected = typeNames[issue.expected] ?? `a ${issue.expected}`;
    allowed = value === undefined ? `is required (${expected})` : `must be ${expected}`;
  }
  else if (issue.code === 'too_small') allowed = `must be ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`;
  else if (issue.code === 'too_big') allowed = `must be ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}`;
  else if (issue.code === 'invalid_value') allowed = `must be one of: ${issue.values.map(String).join(', ')}`;
  return new UserError(joinPath(root, issue.path), value, allowed);
}
