/**
 * A real, single-node Slurm for the cluster-sweep test (issue 17): munged, slurmctld and slurmd
 * from Debian's `slurm-wlm` and `munge`, started by the test in a temp folder with a minimal
 * slurm.conf (no systemd), and stopped by pid. Without the packages the test is skipped with a
 * reason, unless `AIMSIM_REQUIRE_SLURM=1` (set by .ci/run, which installs them) makes that a failure.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, hostname, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { TestContext } from 'vitest';

const TOOLS = ['munged', 'mungekey', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo'] as const;

function which(name: string): string | null {
  for (const dir of [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/sbin']) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** The tools, or a skip with the reason (a failure when Slurm is required). */
export function slurmOrSkip(context: TestContext): Record<(typeof TOOLS)[number], string> {
  const found = Object.fromEntries(TOOLS.map((t) => [t, which(t)])) as Record<(typeof TOOLS)[number], string | null>;
  const missing = TOOLS.filter((t) => !found[t]);
  if (missing.length === 0) return found as Record<(typeof TOOLS)[number], string>;
  const reason = `no ${missing.join(', ')} (install Debian's slurm-wlm and munge)`;
  if (process.env['AIMSIM_REQUIRE_SLURM'] === '1') throw new Error(`Slurm required (AIMSIM_REQUIRE_SLURM=1) but ${reason}`);
  console.warn(`skipped "${context.task.name}": ${reason}`);
  return context.skip(reason);
}

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => done(port));
    });
  });
}

async function waitFor(what: string, ok: () => boolean, seconds: number, log: () => string): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${seconds} s; log:\n${log()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface LocalSlurm {
  dir: string;
  /** Environment for sbatch/squeue (SLURM_CONF). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function startSlurm(tools: Record<(typeof TOOLS)[number], string>): Promise<LocalSlurm> {
  const dir = mkdtempSync(join(tmpdir(), 'aimsim-slurm-'));
  for (const sub of ['munge', 'state', 'spool', 'log']) mkdirSync(join(dir, sub));
  chmodSync(join(dir, 'munge'), 0o711);
  const socket = join(dir, 'munge', 'munge.socket');
  spawnSync(tools.mungekey, ['--create', `--keyfile=${join(dir, 'munge', 'munge.key')}`], { stdio: 'ignore' });
  const node = hostname();
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  const conf = join(dir, 'slurm.conf');
  writeFileSync(conf, [
    'ClusterName=aimsimtest', `SlurmctldHost=${node}(127.0.0.1)`, `SlurmctldPort=${ctldPort}`, `SlurmdPort=${dPort}`,
    'AuthType=auth/munge', `AuthInfo=socket=${socket}`, 'CredType=cred/munge', 'SlurmUser=root', 'SlurmdUser=root',
    `StateSaveLocation=${join(dir, 'state')}`, `SlurmdSpoolDir=${join(dir, 'spool')}`,
    `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`, `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
    `SlurmctldLogFile=${join(dir, 'log', 'slurmctld.log')}`, `SlurmdLogFile=${join(dir, 'log', 'slurmd.log')}`,
    'ProctrackType=proctrack/linuxproc', 'TaskPlugin=task/none', 'MpiDefault=none', 'SwitchType=switch/none',
    'SchedulerType=sched/backfill', 'SelectType=select/cons_tres', 'SelectTypeParameters=CR_Core', 'ReturnToService=2',
    'JobCompType=jobcomp/none', 'AccountingStorageType=accounting_storage/none', 'JobAcctGatherType=jobacct_gather/none',
    `NodeName=${node} NodeAddr=127.0.0.1 CPUs=${cpus().length} State=UNKNOWN`,
    'PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP', '',
  ].join('\n'));
  const env = { ...process.env, SLURM_CONF: conf };
  const daemons: ChildProcess[] = [];
  const start = (bin: string, args: string[], name: string) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout!.on('data', (c: Buffer) => (text += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (text += c.toString()));
    daemons.push(child);
    return () => `${name}: ${text.slice(-3000)}`;
  };
  const mungeLog = start(tools.munged, ['--foreground', '--force', `--socket=${socket}`, `--key-file=${join(dir, 'munge', 'munge.key')}`, `--pid-file=${join(dir, 'munge', 'munged.pid')}`, `--seed-file=${join(dir, 'munge', 'munged.seed')}`, `--log-file=${join(dir, 'log', 'munged.log')}`], 'munged');
  const stop = async () => {
    for (const child of daemons.reverse()) if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGTERM');
    await Promise.all(daemons.map((child) => (child.exitCode !== null ? null : new Promise((r) => child.once('exit', r)))));
  };
  try {
    await waitFor('munged to create its socket', () => existsSync(socket), 20, mungeLog);
    const ctldLog = start(tools.slurmctld, ['-D', '-f', conf], 'slurmctld');
    const dLog = start(tools.slurmd, ['-D', '-N', node, '-f', conf], 'slurmd');
    const idle = () => spawnSync(tools.sinfo, ['-h', '-o', '%t'], { env, encoding: 'utf8' }).stdout.trim() === 'idle';
    await waitFor('the node to become idle', idle, 60, () => `${ctldLog()}\n${dLog()}\n${existsSync(join(dir, 'log', 'slurmctld.log')) ? readFileSync(join(dir, 'log', 'slurmctld.log'), 'utf8').slice(-2000) : ''}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { dir, env, stop };
}

/** Waits until no job of the array or the collect job is queued or running. */
export async function waitForJobs(slurm: LocalSlurm, squeue: string, seconds: number): Promise<void> {
  const pending = () => spawnSync(squeue, ['-h', '-o', '%i %T'], { env: slurm.env, encoding: 'utf8' }).stdout.trim();
  await waitFor('the jobs to finish', () => pending() === '', seconds, pending);
}
