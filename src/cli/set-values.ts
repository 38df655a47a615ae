import { parse as parseYaml } from 'yaml';
import { UserError } from '../core/errors.js';

/**
 * Parses one `--set` value: booleans, numbers, YAML flow collections (JSON is a subset, so
 * `[0.1, 0.05]`, `{preset: reram-es, dwMin: 0.01}` and `{"kind": "agad"}` all work), else the string.
 */
export function parseValue(text: string, field = '--set'): unknown {
  const trimmed = text.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (trimmed === 'null') return null;
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) return parseFlow(trimmed, field, 'a YAML or JSON value when it starts with [ or {');
  return trimmed;
}

function parseFlow(text: string, field: string, what: string): unknown {
  try {
    return parseYaml(text, { strict: true, uniqueKeys: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UserError(field, text, `must be ${what} (${reason})`, 'usage error');
  }
}

/**
 * The values of `--grid path=…`: a YAML/JSON flow list (`[soft-bounds, {preset: reram-es}]`), or
 * a comma-separated list of scalars (`0.1,0.05`), parsed as one flow list (so objects, arrays
 * and quoted strings with commas stay whole).
 */
export function parseGridValues(text: string, field = '--grid'): unknown[] {
  const trimmed = text.trim();
  const list = parseFlow(trimmed.startsWith('[') ? trimmed : `[${trimmed}]`, field, 'a list: v1,v2,… or a YAML/JSON list [v1, {…}]');
  if (!Array.isArray(list) || list.length === 0) throw new UserError(field, text, 'must list at least one value', 'usage error');
  return list.map((v) => (v === null ? 'null' : v));
}

/** Splits `path=value` (the first `=`); `flag` names the option in errors. */
export function splitAssignment(pair: string, flag: string, form = 'path=value, e.g. training.epochs=2'): [string, string] {
  const eq = pair.indexOf('=');
  if (eq <= 0) throw new UserError(flag, pair, `must be ${form}`, 'usage error');
  return [pair.slice(0, eq).trim(), pair.slice(eq + 1)];
}

/** Parses `key=value` pairs (repeatable `--set`) into an object; later pairs win. */
export function parseSetPairs(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const [key, value] = splitAssignment(pair, '--set');
    out[key] = parseValue(value);
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Sections given as a preset name that a dotted path may open up: `device: reram-es` → `{ preset: reram-es }`. */
const PRESET_SECTIONS = new Set(['device', 'algorithm']);

/**
 * Sets `a.b.0.c = value` in a plain config object. A missing section is taken from `defaults`
 * (so `network.layers.1.outputs=32` edits the default network and `device.dwMin=0.01` keeps the
 * default preset), a preset name becomes `{ preset: name }`, and numeric keys index arrays.
 */
export function setPath(target: Record<string, unknown>, path: string, value: unknown, defaults: unknown = {}, flag = '--set'): void {
  const keys = path.split('.');
  if (keys.some((k) => k === '')) throw new UserError(flag, path, 'must be a dotted path such as training.lr or network.layers.1.outputs', 'usage error');
  let node: Record<string, unknown> | unknown[] = target;
  let fallback: unknown = defaults;
  const child = (container: unknown, key: string): unknown => (Array.isArray(container) ? container[Number(key)] : isRecord(container) ? container[key] : undefined);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const last = i === keys.length - 1;
    const where = keys.slice(0, i).join('.') || 'the config';
    if (Array.isArray(node)) {
      const index = Number(key);
      if (!Number.isInteger(index) || index < 0 || index > node.length) {
        throw new UserError(flag, path, `${where} is a list of ${node.length}: use an index from 0 to ${node.length - 1} (or ${node.length} to append)`, 'usage error');
      }
    }
    const container = node as Record<string, unknown>;
    if (last) {
      // `null` unsets the field, so its default applies (e.g. --set calibration=null drops an
      // optional section the file sets); no field of the schemas takes null as a value.
      if (value === null && Array.isArray(node)) throw new UserError(flag, path, 'cannot unset a list element (null); set the whole list instead', 'usage error');
      if (value === null) delete container[key];
      else container[key] = value;
      return;
    }
    // Unsetting inside a section that is not there leaves everything as it is.
    if (value === null && container[key] === undefined) return;
    fallback = child(fallback, key);
    let next = container[key];
    if (next === undefined) next = fallback === undefined ? {} : structuredClone(fallback);
    if (typeof next === 'string' && PRESET_SECTIONS.has(key)) next = { preset: next };
    if (next === null || typeof next !== 'object') throw new UserError(flag, path, `cannot set inside ${keys.slice(0, i + 1).join('.')}, which is ${JSON.stringify(next)}`, 'usage error');
    container[key] = next;
    node = next as Record<string, unknown> | unknown[];
  }
}
