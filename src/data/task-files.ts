/**
 * Least-squares data from files (issue 15), platform-neutral: `task.file` (a JSON object with any
 * of A, optimum, b, initialWeights) and any matrix field given as the name of a `.npy` or `.json`
 * file are replaced by the file's content before the runner sees the task. Where the bytes come
 * from is the caller's: the Node entry reads paths next to the config, the playground takes the
 * files the user dropped.
 */
import { UserError } from '../core/errors.js';
import { parseNpy } from './npy.js';

const MATRICES = ['A', 'optimum', 'b', 'initialWeights'] as const;

/** The bytes of the file a task names (`field` for its error), and the name to report. */
export type TaskFileReader = (field: string, name: string) => { bytes: Uint8Array; name: string };

/** A `.npy` matrix or a JSON value from a file's bytes. */
export function parseTaskFile(field: string, file: { bytes: Uint8Array; name: string }): unknown {
  if (file.name.endsWith('.npy')) return parseNpy(file.bytes, file.name);
  try {
    return JSON.parse(new TextDecoder().decode(file.bytes)) as unknown;
  } catch {
    throw new UserError(field, file.name, 'must be a .npy file or valid JSON', 'data error');
  }
}

function resolveTask(task: Record<string, unknown>, read: TaskFileReader, where: string): Record<string, unknown> {
  let out = { ...task };
  if (typeof out['file'] === 'string') {
    const field = `${where}.file`;
    const file = read(field, out['file']);
    const content = parseTaskFile(field, file);
    if (content === null || typeof content !== 'object' || Array.isArray(content)) throw new UserError(field, file.name, `must hold a JSON object with any of: ${MATRICES.join(', ')}`, 'data error');
    const unknown = Object.keys(content).find((k) => !(MATRICES as readonly string[]).includes(k));
    if (unknown) throw new UserError(field, file.name, `may hold only ${MATRICES.join(', ')}; found "${unknown}"`, 'data error');
    const { file: _file, ...rest } = out;
    out = { ...(content as Record<string, unknown>), ...rest };
  }
  for (const key of MATRICES) {
    const name = out[key];
    if (typeof name === 'string') out[key] = parseTaskFile(`${where}.${key}`, read(`${where}.${key}`, name));
  }
  return out;
}

/**
 * Reads the data files of a least-squares run or study config (`task`, `base.task` and every
 * `runs[].task`) through `read`.
 */
export function resolveTaskFiles<T>(config: T, read: TaskFileReader): T {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return config;
  const c = { ...(config as Record<string, unknown>) };
  const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  /** `holder.task` with its files read in, `where` naming it in errors. */
  const withTask = (holder: unknown, where: string) => (isRecord(holder) && isRecord(holder['task']) ? { ...holder, task: resolveTask(holder['task'], read, where) } : holder);
  Object.assign(c, withTask(c, 'task'));
  if (c['base'] !== undefined) c['base'] = withTask(c['base'], 'base.task');
  if (Array.isArray(c['runs'])) c['runs'] = c['runs'].map((run: unknown, i) => withTask(run, `runs.${i}.task`));
  return c as T;
}
