/**
 * `aimsim sweep … --emit slurm|k8s` (issue 17): a ready submission for the scheduler the user has,
 * not a cluster protocol of our own. Slurm: a bash script that submits the shards as one job array
 * and `aimsim sweep collect` as a job that depends on it. Kubernetes: an Indexed Job manifest.
 * Both run this installation (its version is checked) on the sweep plan written into --out.
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { UserError } from '../core/errors.js';
import type { SweepPlan } from './sweep-plan.js';

export interface EmitOptions {
  scheduler: 'slurm' | 'k8s';
  out: string;
  tasks: number;
  cpusPerTask: number;
  time?: string;
  partition?: string;
  image: string;
  pvc?: string;
  /** The sweep's own arguments (config, --grid, --set, --seeds), as given. */
  sweepArgs: string[];
}

/** The CLI of this installation. */
const BIN = fileURLToPath(new URL('../../bin/aimsim.js', import.meta.url));

/** One shell word, single-quoted unless it is plainly safe. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A name Kubernetes accepts (DNS-1123 label). */
function k8sName(name: string): string {
  const clean = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return `aimsim-${clean || 'sweep'}`.slice(0, 63).replace(/-+$/, '');
}

export function checkEmitOptions(options: { tasks?: string | undefined; cpusPerTask: string; time?: string | undefined; partition?: string | undefined }, cells: number): { tasks: number; cpusPerTask: number } {
  const tasks = options.tasks === undefined ? cells : Number(options.tasks);
  if (!Number.isInteger(tasks) || tasks < 1 || tasks > 100_000) throw new UserError('--tasks', options.tasks, 'must be an integer from 1 to 100000 (default: one task per cell)', 'usage error');
  const cpusPerTask = Number(options.cpusPerTask);
  if (!Number.isInteger(cpusPerTask) || cpusPerTask < 1 || cpusPerTask > 64) throw new UserError('--cpus-per-task', options.cpusPerTask, 'must be an integer from 1 to 64', 'usage error');
  if (options.time !== undefined && !/^[0-9:-]+$/.test(options.time)) throw new UserError('--time', options.time, 'must be a Slurm time such as 30, 2:00:00 or 1-12:00:00', 'usage error');
  if (options.partition !== undefined && !/^[A-Za-z0-9_.,-]+$/.test(options.partition)) throw new UserError('--partition', options.partition, 'must be a partition name (letters, digits, _ . , -)', 'usage error');
  return { tasks, cpusPerTask };
}

export function emitSweep(plan: SweepPlan, options: EmitOptions): string {
  const out = resolve(options.out);
  const cwd = process.cwd();
  const shard = [...options.sweepArgs, '--out', out, '--shard', `auto/${options.tasks}`, '--jobs', String(options.cpusPerTask)];
  if (options.scheduler === 'k8s') return emitK8s(plan, options, out, cwd, shard);
  const node = shellWord(process.execPath);
  const bin = shellWord(BIN);
  const run = (args: string[]) => `${node} ${bin} ${args.map(shellWord).join(' ')}`;
  const versionCheck = `test "$(${node} ${bin} --version)" = ${shellWord(plan.aimsim)} || { echo "aimsim is no longer version ${plan.aimsim}; emit the script again" >&2; exit 2; }`;
  const header = [
    `#SBATCH --job-name=${k8sName(plan.name)}`,
    `#SBATCH --array=0-${options.tasks - 1}`,
    `#SBATCH --cpus-per-task=${options.cpusPerTask}`,
    ...(options.time ? [`#SBATCH --time=${options.time}`] : []),
    ...(options.partition ? [`#SBATCH --partition=${options.partition}`] : []),
    `#SBATCH --output=${out}/slurm/shard-%a.out`,
  ];
  const collectOptions = [`--dependency=afterany:\${array%%;*}`, `--job-name=${k8sName(plan.name)}-collect`, `--output=${out}/slurm/collect.out`, ...(options.partition ? [`--partition=${options.partition}`] : [])];
  return [
    '#!/bin/bash',
    `# aimsim ${plan.aimsim}: sweep "${plan.name}", ${plan.cells.length} cells (grid points × seeds) in ${options.tasks} Slurm array tasks,`,
    `# then \`aimsim sweep collect\` once they are done. Submit it with: bash <this file>.`,
    `# Cells already finished in ${out} are skipped: re-submitting resumes a stopped sweep.`,
    'set -euo pipefail',
    `mkdir -p ${shellWord(`${out}/slurm`)}`,
    `cd ${shellWord(cwd)}`,
    versionCheck,
    `array=$(sbatch --parsable <<'SBATCH'`,
    '#!/bin/bash',
    ...header,
    `cd ${shellWord(cwd)}`,
    `exec ${run(['sweep', ...shard])}`,
    'SBATCH',
    ')',
    `collect=$(sbatch --parsable ${collectOptions.join(' ')} <<'SBATCH'`,
    '#!/bin/bash',
    `cd ${shellWord(cwd)}`,
    `exec ${run(['sweep', 'collect', out, '--plot'])}`,
    'SBATCH',
    ')',
    `echo "submitted array job \${array%%;*} (${options.tasks} tasks) and collect job \${collect%%;*}; results: ${out}/sweep.json"`,
    '',
  ].join('\n');
}

function emitK8s(plan: SweepPlan, options: EmitOptions, out: string, cwd: string, shard: string[]): string {
  const name = k8sName(plan.name);
  const container: Record<string, unknown> = {
    name: 'aimsim',
    image: options.image,
    workingDir: cwd,
    command: ['npx', '--no-install', 'aimsim', 'sweep', ...shard],
    resources: { requests: { cpu: String(options.cpusPerTask) } },
  };
  if (options.pvc) container['volumeMounts'] = [{ name: 'sweep-out', mountPath: out }];
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, labels: { app: 'aimsim', 'aimsim-version': plan.aimsim } },
    spec: {
      completionMode: 'Indexed',
      completions: options.tasks,
      parallelism: options.tasks,
      backoffLimit: 2 * options.tasks,
      template: {
        metadata: { labels: { app: 'aimsim' } },
        spec: {
          restartPolicy: 'Never',
          containers: [container],
          ...(options.pvc ? { volumes: [{ name: 'sweep-out', persistentVolumeClaim: { claimName: options.pvc } }] } : {}),
        },
      },
    },
  };
  return [
    `# aimsim ${plan.aimsim}: sweep "${plan.name}", ${plan.cells.length} cells in ${options.tasks} indexed pods (JOB_COMPLETION_INDEX picks the shard).`,
    `# The image needs aimsim ${plan.aimsim} installed in ${cwd}, and ${out} must be one volume shared by every pod`,
    `# (--pvc NAME mounts that claim there). Then:`,
    `#   kubectl apply -f <this file> && kubectl wait --for=condition=complete --timeout=-1s job/${name}`,
    `#   npx aimsim sweep collect ${out} --plot`,
    stringifyYaml(job),
  ].join('\n');
}
