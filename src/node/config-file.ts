import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { UserError } from '../core/errors.js';

export interface ConfigFile {
  path: string;
  value: unknown;
  /** `path:line:col` of the value at a field path like `config.training.epochs`, if it is in the file. */
  locate(field: string): string | null;
}

/** Reads a JSON or YAML config file (JSON is parsed as YAML, its superset), keeping positions. */
export function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserError('config file', path, 'must be a readable file', 'usage error');
  }
  if (path.endsWith('.json')) {
    // YAML would accept `{"a": }` as {a: null}: a .json file must be JSON.
    try {
      JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new UserError('config file', path, `must be valid JSON (${reason})`, 'usage error');
    }
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const { line, col } = lineCounter.linePos(first.pos[0]);
    throw new UserError('config file', path, `must be valid ${path.endsWith('.json') ? 'JSON' : 'YAML'} (line ${line}, column ${col}: ${first.message.split('\n')[0]})`, 'usage error');
  }
  return {
    path,
    value: doc.toJS(),
    locate(field: string) {
      const parts = field.split('.').filter((p) => p !== 'config' && p !== 'study' && p !== 'run');
      for (let n = parts.length; n > 0; n--) {
        const keys = parts.slice(0, n).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
        const node = doc.getIn(keys, true) as { range?: [number, number, number] } | undefined;
        if (node && node.range) {
          const { line, col } = lineCounter.linePos(node.range[0]);
          return `${path}:${line}:${col}`;
        }
      }
      return null;
    },
  };
}

/** Runs `fn`; a config error from the file's content gets the file position appended. */
export async function withFilePositions<T>(file: ConfigFile | null, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (file && error instanceof UserError && error.context === 'config error') {
      const location = file.locate(error.field);
      if (location) throw error.at(location);
    }
    throw error;
  }
}

/** The plain object of a YAML or JSON config file, ready for runExperiment, runStudy or runSweep. */
export function loadConfigFile(path: string): unknown {
  return readConfigFile(path).value;
}
