import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { ExperimentConfig } from '../../config/experiment.js';
import { UserError } from '../../core/errors.js';
import { formatInference } from '../../inference/index.js';
import { KernelThreadDied } from '../../kernels/pool.js';
import { checkCheckpoint, formatBytes, parseExperiment, prepareExperiment, runExperiment, type Checkpoint, type ExperimentResult } from '../../experiment/run.js';
import { parseWithTypedArrays, stringifyWithTypedArrays } from '../../core/serialize.js';
import { loadConfigDataset, useKernelThreads, writeRunReport } from '../../node/index.js';
import { parseValue, setPath, splitAssignment } from '../set-values.js';
import { readConfigFile, withFilePositions, type ConfigFile } from '../../node/config-file.js';
import { plainProgress, ttyProgress } from '../progress.js';
import { memoryLimit } from '../memory-limit.js';
import { RunFolder } from '../run-folder.js';
import { onInterrupt } from '../interrupt.js';
import { CliExit, type Output } from '../output.js';

/**
 * The config object of a run: the file's (or `{}`), with `--set path=value` applied in order.
 * Sections the file leaves out are taken from the defaults before they are edited.
 */
export function configWithSets(file: ConfigFile | null, sets: readonly string[], path?: string): Record<string, unknown> {
  const config = (file ? file.value : {}) as Record<string, unknown>;
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new UserError('config file', path, 'must hold an object (a YAML mapping or JSON object)', 'usage error');
  const defaults = parseExperiment({});
  for (const pair of sets) {
    const [key, value] = splitAssignment(pair, '--set');
    setPath(config, key, parseValue(value), defaults);
  }
  return config;
}

/** Reads `<out>/checkpoint.json` for --resume; a missing, corrupt or foreign checkpoint is one line. */
function readCheckpoint(path: string, config: ExperimentConfig): Checkpoint {
  if (!existsSync(path)) throw new UserError('--resume', path, 'needs a checkpoint written by an earlier aimsim run into this --out', 'usage error');
  return checkCheckpoint(readCheckpointFile(path), config, path);
}

/** The parsed JSON of a checkpoint file (corrupt or truncated: one line). */
export function readCheckpointFile(path: string): unknown {
  let value: unknown;
  try {
    value = parseWithTypedArrays(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UserError(path, 'unreadable', `must be a checkpoint written by aimsim run (it is corrupt or truncated: ${reason}); remove it to start over`, 'usage error');
  }
  return value;
}

/** An earlier run in the folder that stopped before its end (its results would be lost by starting over). */
function interruptedRun(dir: string): ExperimentResult | null {
  try {
    const result = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ExperimentResult;
    return result.status === 'partial' ? result : null;
  } catch {
    return null;
  }
}

function resumeCommand(configPath: string | undefined, flags: { out?: string; set: string[] }, dir: string): string {
  const sets = flags.set.map((s) => ` --set ${JSON.stringify(s)}`).join('');
  return `aimsim run${configPath ? ` ${configPath}` : ''} --out ${dir}${sets} --resume`;
}

export function registerRunCommand(program: Command, out: Output): void {
  program
    .command('run')
    .description('train and evaluate a network from a config file (YAML or JSON); writes config.json, results.json, checkpoint.json and report.html into --out')
    .argument('[config]', 'experiment file, e.g. examples/00-default.yaml (omit for the default run)')
    .option('--out <dir>', 'output folder (default: runs/<name>); locked while the run writes it')
    .option('--resume', 'continue from <out>/checkpoint.json (written after every epoch and on Ctrl-C); training.epochs may be raised')
    .option('--set <path=value>', 'override a config field, e.g. training.epochs=2 or network.layers.1.outputs=32; null unsets it (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--threads <n>', 'kernel threads (the pulsed update is split by rows; results do not depend on it)', '1')
    .option('--max-memory <size>', 'refuse runs whose memory estimate exceeds this, e.g. 8G or 512M (default: 75 % of this machine’s memory)')
    .option('--dry-run', 'check the config, print the network and the memory estimate, and stop before training')
    .action(async (path: string | undefined, flags: { out?: string; set: string[]; resume?: boolean; threads: string; maxMemory?: string; dryRun?: boolean }) => {
      const threads = Number(flags.threads);
      if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new UserError('--threads', flags.threads, 'must be an integer from 1 to 64', 'usage error');
      const limit = memoryLimit(flags.maxMemory);
      const file = path ? readConfigFile(path) : null;
      const config = configWithSets(file, flags.set, path);
      // Config, data, shapes and the memory estimate are checked before the folder is touched.
      const prepared = await withFilePositions(file, () => prepareExperiment(config, { loadDataset: loadConfigDataset, memoryLimit: limit }));
      const parsed = prepared.config;
      if (flags.dryRun) {
        out.stdout(`config ok: ${parsed.name} on ${prepared.dataset.name} (${prepared.train.count} training, ${prepared.test.count} test samples)`);
        out.stdout(`network: ${prepared.plans.length} layers`);
        for (const plan of prepared.plans) out.stdout(`  ${plan.name}: [${plan.inputShape.join('×')}] → [${plan.outputShape.join('×')}]${plan.matrix ? ` ${plan.matrix.rows} × ${plan.matrix.cols} ${plan.matrix.analog ? 'analog' : 'digital'}${plan.tiles ? ` on ${plan.tiles} tiles` : ''}` : ''}`);
        out.stdout(`memory estimate: ${formatBytes(prepared.memory.bytes)} (limit ${formatBytes(limit.bytes)}, ${limit.source})`);
        for (const part of prepared.memory.parts) out.stdout(`  ${part.what}: ${formatBytes(part.bytes)}`);
        return;
      }
      const dir = flags.out ?? join('runs', parsed.name);
      const resumeFrom = flags.resume ? readCheckpoint(join(dir, 'checkpoint.json'), parsed) : undefined;
      const folder = RunFolder.open(dir);
      const interrupt = onInterrupt(out);
      const stopThreads = useKernelThreads(threads);
      const progress = process.stdout.isTTY === true ? ttyProgress(out) : plainProgress(out);
      let result: ExperimentResult;
      let lastBatch = { epoch: 0, batch: 0, of: 0 };
      try {
        const earlier = interruptedRun(dir);
        if (earlier && !resumeFrom) {
          throw new UserError('--out', dir, `holds an interrupted run (${earlier.epochs.length} of ${earlier.config.training.epochs} epochs); continue it with --resume, or remove ${join(dir, 'results.json')} to start over`, 'usage error');
        }
        if (resumeFrom) out.stdout(`resuming after epoch ${resumeFrom.epoch}${resumeFrom.batch > 0 ? `, batch ${resumeFrom.batch}` : ''} from ${join(dir, 'checkpoint.json')}`);
        const started = Date.now();
        // What the checkpoint on disk holds: an epoch boundary, or a point inside an epoch.
        const describe = (cp: Checkpoint) => (cp.batch > 0 ? `in epoch ${cp.epoch + 1} after batch ${cp.batch}` : `after epoch ${cp.epoch}`);
        let lastCheckpoint: string | null = resumeFrom ? describe(resumeFrom) : null;
        result = await withFilePositions(file, () =>
          runExperiment(config, {
            prepared,
            signal: interrupt.signal,
            ...(resumeFrom ? { resumeFrom } : {}),
            onEvent: (event) => {
              if (event.type === 'start') {
                const changed = Object.entries(event.changedFromDefaults).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
                out.stdout(`config (changed from the defaults): ${changed.length ? changed.join(', ') : 'none'}`);
                progress.start(event.epochs, event.batchesPerEpoch, event.dataset);
              }
              if (event.type === 'batch') {
                lastBatch = { epoch: event.epoch, batch: event.batch, of: event.batchesPerEpoch };
                progress.batch(event.epoch, event.batch, event.loss);
              }
              if (event.type === 'epoch') progress.epoch(event.metrics);
              if (event.type === 'inference') for (const line of formatInference(event.result)) out.stdout(line);
              if (event.type === 'checkpoint') {
                folder.write('checkpoint.json', stringifyWithTypedArrays(event.checkpoint));
                lastCheckpoint = describe(event.checkpoint);
              }
            },
          }),
        )
          .catch((error: unknown) => {
            // A dead kernel thread ends the run: one line, and the checkpoint of the last epoch stays.
            if (!(error instanceof KernelThreadDied)) throw error;
            const kept = lastCheckpoint === null ? 'no epoch had finished, so there is no checkpoint' : `the checkpoint ${lastCheckpoint} is kept: continue with: ${resumeCommand(path, flags, dir)}`;
            out.stderr(`aimsim: ${error.message}; ${kept}`);
            throw new CliExit(1);
          })
          .finally(() => progress.stop());
        folder.write('config.json', JSON.stringify(result.config, null, 2));
        const results = folder.write('results.json', JSON.stringify(result, null, 2));
        const report = await writeRunReport([result], dir);
        if (result.status === 'partial') {
          out.stderr(`aimsim: interrupted in epoch ${lastBatch.epoch} after batch ${lastBatch.batch} of ${lastBatch.of}; partial results: ${results}; report: ${report}`);
          out.stderr(`aimsim: continue with: ${resumeCommand(path, flags, dir)}`);
          throw new CliExit(interrupt.exitCode());
        }
        out.stdout(`done in ${((Date.now() - started) / 1000).toFixed(1)} s; results: ${results}; report: ${report}`);
      } finally {
        stopThreads();
        interrupt.dispose();
        folder.release();
      }
    });
}
