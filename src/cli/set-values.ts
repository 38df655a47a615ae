import { UserError } from '../core/errors.js';

/** Parses one `--set` value: booleans, numbers, JSON arrays/objects, else the string. */
export function parseValue(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      throw new UserError('--set', text, 'must be valid JSON when it starts with [ or {', 'usage error');
    }
  }
  return trimmed;
}

/** Parses `key=value` pairs (repeatable `--set`) into an object; later pairs win. */
export function parseSetPairs(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UserError('--set', pair, 'must be key=value', 'usage error');
    out[pair.slice(0, eq).trim()] = parseValue(pair.slice(eq + 1));
  }
  return out;
}
