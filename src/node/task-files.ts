/**
 * Least-squares data files for the CLI (issue 15): the platform-neutral resolution of
 * src/data/task-files.ts, with paths read relative to the config file's folder.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { resolveTaskFiles } from '../data/task-files.js';

/**
 * Reads the data files of a least-squares run or study config (`task`, `base.task` and every
 * `runs[].task`); `configPath` is the config file, relative paths start in its folder.
 */
export function loadTaskFiles<T>(config: T, configPath?: string): T {
  const baseDir = configPath ? dirname(resolve(configPath)) : process.cwd();
  return resolveTaskFiles(config, (field, name) => {
    const path = resolve(baseDir, name);
    try {
      return { bytes: readFileSync(path), name: path };
    } catch {
      throw new UserError(field, path, 'must be a readable .npy or .json file', 'data error');
    }
  });
}
