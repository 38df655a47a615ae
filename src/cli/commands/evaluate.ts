import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { evaluateCheckpoint } from '../../experiment/run.js';
import { configDifference } from '../../config/diff.js';
import { formatInference, inferenceSchema } from '../../inference/index.js';
import { loadConfigDataset } from '../../node/index.js';
import type { Output } from '../output.js';
import { RunFolder } from '../run-folder.js';
import { configWithSets, readCheckpointFile } from './run.js';

/**
 * The config a run folder was written with (config.json, all defaults filled), its inference
 * section cut to the fields that differ from the defaults, so that `--set inference.noise.kind=…`
 * does not carry the other model's filled-in fields along.
 */
function runConfig(dir: string): Record<string, unknown> {
  const path = join(dir, 'config.json');
  if (!existsSync(path)) throw new UserError('run folder', dir, 'must contain config.json and checkpoint.json (written by aimsim run)', 'usage error');
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    throw new UserError(path, 'unreadable', 'must be valid JSON (the file is corrupt or truncated)', 'usage error');
  }
  if (config['inference'] === undefined) return config;
  const inference: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(configDifference(config['inference'], inferenceSchema.parse({})))) {
    const keys = field.split('.');
    let node = inference;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]!] = value;
  }
  return { ...config, inference };
}

export function registerEvaluateCommand(program: Command, out: Output): void {
  program
    .command('evaluate')
    .description('read a trained run out over time: program its checkpoint’s weights, drift them and test at each read-out time (docs/inference.md); writes inference.json into the run folder')
    .argument('<run-dir>', 'a folder written by aimsim run (config.json and checkpoint.json)')
    .option('--set <path=value>', 'set a field of the inference section, e.g. inference.times=[1,86400] or inference.noise.kind=generic (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .action(async (dir: string, flags: { set: string[] }) => {
      for (const pair of flags.set) if (!pair.startsWith('inference.') && !pair.startsWith('inference=')) throw new UserError('--set', pair, 'must set a field of inference (the training config is the run’s)', 'usage error');
      const configPath = join(dir, 'config.json');
      const value = runConfig(dir);
      // Another noise model starts from its own defaults, not from the run's model's fields.
      const inference = value['inference'] as { noise?: unknown } | undefined;
      if (inference && flags.set.some((pair) => pair.startsWith('inference.noise.kind=') || pair.startsWith('inference.noise='))) delete inference.noise;
      const config = configWithSets({ path: configPath, value, locate: () => null }, flags.set, configPath);
      const checkpointPath = join(dir, 'checkpoint.json');
      if (!existsSync(checkpointPath)) throw new UserError('run folder', dir, 'must contain checkpoint.json (written by aimsim run after every epoch)', 'usage error');
      // The folder is locked first: a run still writing it is refused, not read half-way.
      const folder = RunFolder.open(dir, 'run folder');
      try {
        const { result, epoch } = await evaluateCheckpoint(config, readCheckpointFile(checkpointPath), checkpointPath, { loadDataset: loadConfigDataset });
        out.stdout(`weights of epoch ${epoch} from ${checkpointPath}`);
        for (const line of formatInference(result)) out.stdout(line);
        out.stdout(`results: ${folder.write('inference.json', JSON.stringify(result, null, 2))}`);
      } finally {
        folder.release();
      }
    });
}
