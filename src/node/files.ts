/** File helpers of the Node entry: folders made safely, files written atomically. */
import { lstatSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../core/errors.js';

/** The code of a file-system error (e.g. `EACCES`), for one-line messages. */
export function fsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ?? e.message ?? String(error);
}

/**
 * `mkdir -p` one level at a time. Node's recursive mkdirSync spins for ever on some paths
 * (`/proc/x`), and a broken symlink or a file on the way must be named, not retried.
 */
export function makeFolder(field: string, path: string): void {
  const absolute = resolve(path);
  const missing: string[] = [];
  let at = absolute;
  for (;;) {
    let stat;
    try {
      stat = statSync(at);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      let link = false;
      try {
        link = lstatSync(at).isSymbolicLink();
      } catch {
        // not there at all
      }
      if (link) throw new UserError(field, path, `must be a folder or a new path, but ${at} is a broken symbolic link`, 'usage error');
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(at) === at) throw new UserError(field, path, `must be a usable folder (${at}: ${code})`, 'usage error');
      missing.push(at);
      at = dirname(at);
      continue;
    }
    if (!stat.isDirectory()) throw new UserError(field, path, `must be a folder, but ${at} is a file`, 'usage error');
    break;
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statSync(folder).isDirectory()) continue;
      throw new UserError(field, path, `must be a folder that can be created (${folder}: ${fsError(error)})`, 'usage error');
    }
  }
}

/** Whether a process of this host is running (EPERM: it is, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let temporaryCounter = 0;

/**
 * Writes a file atomically: to a temporary file beside it, then rename. A reader never sees a
 * half-written result, and a failed write leaves no partial file behind.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  makeFolder('output', dirname(path));
  const temporary = `${path}.${process.pid}.${Date.now()}.${temporaryCounter++}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
