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

/**
 * Turns the first zod issue into the project's one-line error: field path, value, what is allowed
 * (style.md "Errors"). `allowedKeys` lists the valid keys of an object for unknown-key errors.
 */
export function zodIssueToUserError(
  error: z.ZodError,
  input: unknown,
  root: string,
  allowedKeys?: (path: readonly PropertyKey[]) => readonly string[] | undefined,
): UserError {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const allowed = allowedKeys?.(issue.path);
    return new UserError(
      joinPath(root, [...issue.path, key]),
      valueAt(input, [...issue.path, key]),
      allowed ? `unknown key; allowed keys: ${allowed.join(', ')}` : 'unknown key',
    );
  }
  const value = valueAt(input, issue.path);
  let allowed = issue.message;
  if (issue.code === 'invalid_type') allowed = `must be a ${issue.expected}`;
  else if (issue.code === 'too_small') allowed = `must be ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`;
  else if (issue.code === 'too_big') allowed = `must be ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}`;
  else if (issue.code === 'invalid_value') allowed = `must be one of: ${issue.values.map(String).join(', ')}`;
  return new UserError(joinPath(root, issue.path), value, allowed);
}
