/**
 * Issue 17: a sweep sharded over a real Slurm job array (single node, started here), over
 * Kubernetes' indexed-job contract, and over explicit shards, collects to the numbers of a local
 * sweep bit for bit (the `seconds` timings aside); a killed shard re-run resumes without redoing
 * finished cells; the emitted Kubernetes Job validates against the Job schema.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { main } from '../../src/cli/main.js';
import type { ExperimentResult } from '../../src/experiment/run.js';
import type { SweepRow } from '../../src/experiment/sweep.js';
import { cellsOfShard, sweepCells } from '../../src/experiment/sweep.js';
import { resolveShard } from '../../src/cli/shard.js';
import { slurmOrSkip, startSlurm, waitForJobs } from '../support/slurm.js';

const bin = join(import.meta.dirname, '../../bin/aimsim.js');
const root = mkdtempSync(join(tmpdir(), 'aimsim-cluster-'));
// 2 × 2 grid × 2 seeds, one epoch on a slice of the embedded data.
const sweepArgs = ['--grid', 'algorithm=sgd,mp', '--grid', 'training.lr=0.05,0.2', '--seeds', '2', '--set', 'training.epochs=1', '--set', 'data.trainLimit=80', '--set', 'data.testLimit=40'];
const quiet = { stdout: () => {}, stderr: () => {} };

/** What must be equal bit for bit: every number of every cell and row, without the timings. */
function numbers(dir: string) {
  const sweep = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as { rows: SweepRow[] };
  const cells = readdirSync(join(dir, 'runs')).filter((n) => !n.startsWith('.')).sort().map((cell) => {
    const r = JSON.parse(readFileSync(join(dir, 'runs', cell, 'results.json'), 'utf8')) as ExperimentResult;
    return { cell, epochs: r.epochs.map(({ seconds: _s, ...m }) => m), layers: r.layers, snapshots: r.snapshots };
  });
  return { rows: sweep.rows.map(({ seconds: _s, ...r }) => r), cells };
}

let local = '';
beforeAll(async () => {
  local = join(root, 'local');
  expect(await main(['sweep', ...sweepArgs, '--out', local], quiet)).toBe(0);
}, 120_000);

describe('sharding', () => {
  it('cell k goes to shard k mod N: every cell exactly once, the same for every call', () => {
    const cells = sweepCells([{ values: {}, seeds: [0, 1, 2] }, { values: {}, seeds: [0, 1, 2] }]);
    const shards = [0, 1, 2, 3].map((i) => cellsOfShard(cells, i, 4).map((c) => c.index));
    expect(shards).toEqual([[0, 4], [1, 5], [2], [3]]);
  });

  it('the shard comes from --shard or the job array’s environment', () => {
    expect(resolveShard('2/5', {})).toEqual({ index: 2, count: 5, source: '--shard' });
    expect(resolveShard('auto', { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_MIN: '4', SLURM_ARRAY_TASK_COUNT: '6' })).toEqual({ index: 3, count: 6, source: 'SLURM_ARRAY_TASK_ID' });
    expect(resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '2' })).toEqual({ index: 1, count: 2, source: 'SLURM_ARRAY_TASK_ID' });
    expect(resolveShard('auto/3', { JOB_COMPLETION_INDEX: '2' })).toEqual({ index: 2, count: 3, source: 'JOB_COMPLETION_INDEX' });
    expect(resolveShard('auto/4', { AWS_BATCH_JOB_ARRAY_INDEX: '0' })).toEqual({ index: 0, count: 4, source: 'AWS_BATCH_JOB_ARRAY_INDEX' });
    expect(resolveShard(undefined, {})).toBeNull();
    expect(() => resolveShard('auto', { JOB_COMPLETION_INDEX: '2' })).toThrow(/usage error at --shard: needs the shard count here \(JOB_COMPLETION_INDEX comes without it\): use auto\/N/);
    expect(() => resolveShard('auto/2', {})).toThrow(/needs a job array/);
    expect(() => resolveShard('3/3', {})).toThrow(/usage error at --shard: must be i\/N/);
    expect(() => resolveShard('auto/2', { JOB_COMPLETION_INDEX: '5' })).toThrow(/must have its index below 2, but JOB_COMPLETION_INDEX gives 5/);
  });

  it('explicit shards, one killed and re-run, collect to the local sweep bit for bit; finished cells are not redone', async () => {
    const dir = join(root, 'shards');
    for (const i of [0, 1]) expect(await main(['sweep', ...sweepArgs, '--out', dir, '--shard', `${i}/3`], quiet)).toBe(0);
    // Shard 2 has not run: collect names its cells (2 and 5) and writes nothing.
    const errors: string[] = [];
    expect(await main(['sweep', 'collect', dir], { stdout: () => {}, stderr: (l) => errors.push(l) })).toBe(1);
    expect(errors.filter((l) => / is missing/.test(l)).map((l) => /cell (\d+)/.exec(l)![1])).toEqual(['2', '5']);
    expect(errors.at(-1)).toMatch(/2 of 8 cells are not done; re-submit the array/);
    expect(existsSync(join(dir, 'sweep.json'))).toBe(false);
    // Shard 2 killed with -9 in the middle of a cell leaves a temp folder; its re-run cleans it up.
    const stale = join(dir, 'runs', `.p001-s0.tmp-${hostname()}-4194303`);
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, 'config.json'), '{"half":');
    // A cell of shard 0 lost: only that cell is redone.
    const lost = 'p000-s0';
    rmSync(join(dir, 'runs', lost), { recursive: true });
    const before = new Map(readdirSync(join(dir, 'runs')).filter((c) => !c.startsWith('.')).map((c) => [c, statSync(join(dir, 'runs', c, 'results.json')).mtimeMs]));
    for (const i of [0, 1, 2]) expect(await main(['sweep', ...sweepArgs, '--out', dir, '--shard', `${i}/3`], quiet)).toBe(0);
    for (const [cell, mtime] of before) expect(statSync(join(dir, 'runs', cell, 'results.json')).mtimeMs, cell).toBe(mtime);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(join(dir, 'runs', lost, 'results.json'))).toBe(true);
    expect(await main(['sweep', 'collect', dir], quiet)).toBe(0);
    expect(numbers(dir)).toEqual(numbers(local));
  }, 120_000);

  it('Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX picks the shard; the emitted manifest is a valid Job', async () => {
    const dir = join(root, 'k8s');
    const manifest = execFileSync(process.execPath, [bin, 'sweep', ...sweepArgs, '--out', dir, '--emit', 'k8s', '--tasks', '4', '--cpus-per-task', '2', '--pvc', 'sweeps'], { encoding: 'utf8' });
    const job = parseYaml(manifest) as { spec: { completionMode: string; completions: number; template: { spec: { containers: { command: string[] }[] } } } };
    new Job(job as never).validate();
    expect(job.spec.completionMode).toBe('Indexed');
    expect(job.spec.completions).toBe(4);
    const command = job.spec.template.spec.containers[0]!.command;
    expect(command.slice(command.indexOf('--shard'))).toEqual(['--shard', 'auto/4', '--jobs', '2']);
    // Each pod's command, with its index, as the Job controller would run it.
    const args = command.slice(command.indexOf('sweep'));
    for (const index of [0, 1, 2, 3]) execFileSync(process.execPath, [bin, ...args], { env: { ...process.env, JOB_COMPLETION_INDEX: String(index) }, stdio: 'ignore' });
    expect(await main(['sweep', 'collect', dir], quiet)).toBe(0);
    expect(numbers(dir)).toEqual(numbers(local));
  }, 120_000);

  it('a folder holding another sweep’s plan is refused, naming what differs', async () => {
    const errors: string[] = [];
    const code = await main(['sweep', ...sweepArgs, '--set', 'training.batch=8', '--out', local, '--shard', '0/2'], { stdout: () => {}, stderr: (l) => errors.push(l) });
    expect(code).toBe(2);
    expect(errors).toEqual([expect.stringMatching(/^aimsim: usage error at --out: holds another sweep \(sweep-plan\.json: base\.training\.batch is 10, this sweep has 8\); use another --out/)]);
  });
});

describe('a real Slurm (single node, started by the test)', () => {
  let slurm: Awaited<ReturnType<typeof startSlurm>> | null = null;
  afterAll(async () => {
    await slurm?.stop();
  });

  it('the emitted sbatch array (4 tasks) and its dependent collect job give the local sweep’s numbers bit for bit', async (context) => {
    const tools = slurmOrSkip(context);
    slurm = await startSlurm(tools);
    const dir = join(root, 'slurm');
    const script = execFileSync(process.execPath, [bin, 'sweep', ...sweepArgs, '--out', dir, '--emit', 'slurm', '--tasks', '4', '--time', '10'], { encoding: 'utf8' });
    expect(script).toMatch(/#SBATCH --array=0-3/);
    writeFileSync(join(root, 'submit.sh'), script);
    const submitted = spawnSync('bash', [join(root, 'submit.sh')], { env: slurm.env, encoding: 'utf8', cwd: root });
    expect(submitted.status, submitted.stderr).toBe(0);
    expect(submitted.stdout).toMatch(/submitted array job \d+ \(4 tasks\) and collect job \d+/);
    await waitForJobs(slurm, tools.squeue, 180);
    const collectLog = readFileSync(join(dir, 'slurm', 'collect.out'), 'utf8');
    expect(collectLog).toMatch(/sweep: .*sweep\.json/);
    for (const task of [0, 1, 2, 3]) expect(readFileSync(join(dir, 'slurm', `shard-${task}.out`), 'utf8')).toMatch(new RegExp(`sweep shard ${task}/4 \\(SLURM_ARRAY_TASK_ID\\)`));
    expect(numbers(dir)).toEqual(numbers(local));
    expect(existsSync(join(dir, 'sweep.svg'))).toBe(true);
    await slurm.stop();
    slurm = null;
  }, 300_000);
});
