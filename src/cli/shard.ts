/**
 * Which slice of a sweep this process runs (issue 17): `--shard i/N`, `--shard auto/N` or
 * `--shard auto` (the index, and for Slurm the count, from the job array's environment), or no
 * `--shard` inside a Slurm job array. Array schedulers: Slurm (`SLURM_ARRAY_TASK_ID` − `_MIN`,
 * `_COUNT`), Kubernetes Indexed Jobs (`JOB_COMPLETION_INDEX`), AWS Batch (`AWS_BATCH_JOB_ARRAY_INDEX`).
 */
import { UserError } from '../core/errors.js';

export interface Shard {
  index: number;
  count: number;
  /** Where the index came from: `--shard`, or the scheduler's variable. */
  source: string;
}

const int = (text: string | undefined): number | null => (text !== undefined && /^\d+$/.test(text.trim()) ? Number(text) : null);

/** The array index and (where the scheduler says) the array size from the environment. */
function fromEnvironment(env: NodeJS.ProcessEnv): { index: number; count: number | null; source: string } | null {
  const slurm = int(env['SLURM_ARRAY_TASK_ID']);
  if (slurm !== null) return { index: slurm - (int(env['SLURM_ARRAY_TASK_MIN']) ?? 0), count: int(env['SLURM_ARRAY_TASK_COUNT']), source: 'SLURM_ARRAY_TASK_ID' };
  const k8s = int(env['JOB_COMPLETION_INDEX']);
  if (k8s !== null) return { index: k8s, count: null, source: 'JOB_COMPLETION_INDEX' };
  const aws = int(env['AWS_BATCH_JOB_ARRAY_INDEX']);
  if (aws !== null) return { index: aws, count: int(env['AWS_BATCH_JOB_ARRAY_SIZE']), source: 'AWS_BATCH_JOB_ARRAY_INDEX' };
  return null;
}

/** The shard of this process, or null for the whole sweep. */
export function resolveShard(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Shard | null {
  const form = 'i/N (0 ≤ i < N), auto/N or auto (the index from SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX)';
  const detected = fromEnvironment(env);
  if (flag === undefined) {
    // Inside a Slurm array without --shard: the array is the shard count.
    if (detected?.source === 'SLURM_ARRAY_TASK_ID' && detected.count !== null) return { index: detected.index, count: detected.count, source: detected.source };
    return null;
  }
  const [first, second, ...rest] = flag.split('/');
  const count = second === undefined ? null : int(second);
  if (rest.length > 0 || (second !== undefined && (count === null || count < 1))) throw new UserError('--shard', flag, `must be ${form}`, 'usage error');
  if (first === 'auto') {
    if (!detected) throw new UserError('--shard', flag, 'needs a job array: none of SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX is set', 'usage error');
    const n = count ?? detected.count;
    if (n === null) throw new UserError('--shard', flag, `needs the shard count here (${detected.source} comes without it): use auto/N`, 'usage error');
    if (detected.index < 0 || detected.index >= n) throw new UserError('--shard', flag, `must have its index below ${n}, but ${detected.source} gives ${detected.index}`, 'usage error');
    return { index: detected.index, count: n, source: detected.source };
  }
  const index = int(first);
  if (index === null || count === null || index >= count) throw new UserError('--shard', flag, `must be ${form}`, 'usage error');
  return { index, count, source: '--shard' };
}
