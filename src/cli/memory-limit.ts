import { totalmem } from 'node:os';
import { UserError } from '../core/errors.js';
import { formatBytes } from '../experiment/memory.js';

const UNITS: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, ki: 2 ** 10, mi: 2 ** 20, gi: 2 ** 30, ti: 2 ** 40 };

/** Bytes of a size such as `8G`, `512M`, `1.5GB`, `2GiB` or `1e9`. */
export function parseSize(text: string, field: string): number {
  const match = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([kmgt]i?)?b?\s*$/i.exec(text);
  const bytes = match ? Number(match[1]) * UNITS[(match[2] ?? '').toLowerCase()]! : NaN;
  if (!(bytes >= 1e6)) throw new UserError(field, text, 'must be a size of at least 1M, e.g. 8G, 512M or 2GiB', 'usage error');
  return bytes;
}

/** The memory a run may use: `--max-memory`, else 75 % of the machine's (or the cgroup's) memory. */
export function memoryLimit(flag: string | undefined): { bytes: number; source: string } {
  if (flag !== undefined) return { bytes: parseSize(flag, '--max-memory'), source: 'set by --max-memory' };
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  const machine = constrained && constrained > 0 && constrained < totalmem() ? constrained : totalmem();
  return { bytes: 0.75 * machine, source: `75 % of this machine’s ${formatBytes(machine)}; raise it with --max-memory` };
}
