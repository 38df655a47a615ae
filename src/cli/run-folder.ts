/**
 * The output folder of a run (issue 14): checked, created and locked before any training, so an
 * unusable `--out` is one line up front and two runs never write one folder at once.
 */
import { closeSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { fsError, makeFolder, processAlive, writeFileAtomic } from '../node/index.js';

const LOCK = 'aimsim.lock';

/** A locked run folder: files are written atomically into it; `release` removes the lock. */
export class RunFolder {
  readonly dir: string;
  private readonly lockPath: string;
  private released = false;

  private constructor(dir: string) {
    this.dir = dir;
    this.lockPath = join(dir, LOCK);
  }

  /**
   * Creates the folder if needed, takes its lock (refusing when a live process holds it; a stale
   * lock of a dead process is taken over), checks that it is writable and removes the `*.tmp`
   * files an interrupted write left behind.
   */
  static open(dir: string, field = '--out'): RunFolder {
    makeFolder(field, dir);
    const folder = new RunFolder(dir);
    folder.lock(field);
    for (const name of readdirSync(dir)) if (name.endsWith('.tmp')) rmSync(join(dir, name), { force: true });
    return folder;
  }

  private lock(field: string): void {
    const content = `${process.pid} ${hostname()} ${new Date().toISOString()}\n`;
    for (let attempt = 0; attempt < 2; attempt++) {
      let fd: number;
      try {
        fd = openSync(this.lockPath, 'wx');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST') throw new UserError(field, this.dir, `must be a writable folder (${fsError(error)})`, 'usage error');
        const [pid, host] = readFileSync(this.lockPath, 'utf8').split(' ');
        const holder = Number(pid);
        if (Number.isInteger(holder) && holder > 0 && (host !== hostname() || processAlive(holder)) && holder !== process.pid) {
          throw new UserError(field, this.dir, `is in use by another aimsim run (pid ${holder} on ${host}); wait for it, or choose another --out`, 'usage error');
        }
        rmSync(this.lockPath, { force: true }); // a stale lock: its process is gone
        continue;
      }
      try {
        writeSync(fd, content);
      } finally {
        closeSync(fd);
      }
      return;
    }
    throw new UserError(field, this.dir, 'could not be locked (another run keeps taking it)', 'usage error');
  }

  /** Writes a file of the folder atomically; a failed write is one line naming the file. */
  write(name: string, content: string | Uint8Array): string {
    const path = join(this.dir, name);
    try {
      writeFileAtomic(path, content);
    } catch (error) {
      throw new UserError('--out', path, `could not be written (${fsError(error)})`, 'io error');
    }
    return path;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    rmSync(this.lockPath, { force: true });
  }
}
