/**
 * Least-squares data from files (issue 15): `task.file` (a JSON object with any of A, optimum, b,
 * initialWeights) and any matrix field given as the path of a `.npy` or `.json` file are read
 * here, relative to the config file's folder, before the platform-neutral runner sees the task.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { parseNpy } from '../data/npy.js';

const MATRICES = ['A', 'optimum', 'b', 'initialWeights'] as const;

function readMatrix(field: string, path: string): unknown {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new UserError(field, path, 'must be a readable .npy or .json file', 'data error');
  }
  if (path.endsWith('.npy')) return parseNpy(bytes, path);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    throw new UserError(field, path, 'must be a .npy file or valid JSON', 'data error');
  }
}

/** The task with its files read in (`baseDir`: where relative paths start). */
function resolveTask(task: Record<string, unknown>, baseDir: string, where: string): Record<string, unknown> {
  let out = { ...task };
  if (typeof out['file'] === 'string') {
    const path = resolve(baseDir, out['file']);
    const content = readMatrix(`${where}.file`, path);
    if (content === null || typeof content !== 'object' || Array.isArray(content)) throw new UserError(`${where}.file`, path, `must hold a JSON object with any of: ${MATRICES.join(', ')}`, 'data error');
    const unknown = Object.keys(content).find((k) => !(MATRICES as readonly string[]).includes(k));
    if (unknown) throw new UserError(`${where}.file`, path, `may hold only ${MATRICES.join(', ')}; found "${unknown}"`, 'data error');
    const { file: _file, ...rest } = out;
    out = { ...(content as Record<string, unknown>), ...rest };
  }
  for (const key of MATRICES) if (typeof out[key] === 'string') out[key] = readMatrix(`${where}.${key}`, resolve(baseDir, out[key]));
  return out;
}

/**
 * Reads the data files of a least-squares run or study config (`task`, `base.task` and every
 * `runs[].task`); `configPath` is the config file, relative paths start in its folder.
 */
export function loadTaskFiles<T>(config: T, configPath?: string): T {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return config;
  const baseDir = configPath ? dirname(resolve(configPath)) : process.cwd();
  const c = { ...(config as Record<string, unknown>) };
  const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  /** `holder.task` with its files read in, `where` naming it in errors. */
  const withTask = (holder: unknown, where: string) => (isRecord(holder) && isRecord(holder['task']) ? { ...holder, task: resolveTask(holder['task'], baseDir, where) } : holder);
  Object.assign(c, withTask(c, 'task'));
  if (c['base'] !== undefined) c['base'] = withTask(c['base'], 'base.task');
  if (Array.isArray(c['runs'])) c['runs'] = c['runs'].map((run: unknown, i) => withTask(run, `runs.${i}.task`));
  return c as T;
}
