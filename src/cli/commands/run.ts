import { join } from 'node:path';
import type { Command } from 'commander';
import type { ExperimentConfig } from '../../config/experiment.js';
import { UserError } from '../../core/errors.js';
import { parseExperiment, runExperiment, type Checkpoint } from '../../experiment/run.js';
import { parseWithTypedArrays, stringifyWithTypedArrays } from '../../core/serialize.js';
import { existsSync, readFileSync } from 'node:fs';
import { loadCifar10, loadIdxDataset, useKernelThreads, writeFileAtomic, DEBIAN_FASHION_MNIST } from '../../node/index.js';
import { parseSetPairs } from '../set-values.js';
import { readConfigFile, withFilePositions } from '../config-file.js';
import { plainProgress, ttyProgress } from '../progress.js';
import { writeReport } from './report.js';
import type { Output } from '../output.js';

/** Sets `a.b.c = value` in a nested plain object, creating objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (next === null || typeof next !== 'object' || Array.isArray(next)) throw new UserError('--set', path, `cannot set inside ${key}, which is not an object`, 'usage error');
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

export async function loadFiles(data: ExperimentConfig['data']) {
  switch (data.dataset) {
    case 'fashion-mnist':
      return loadIdxDataset(data.path ?? DEBIAN_FASHION_MNIST, 'fashion-mnist');
    case 'mnist':
      if (!data.path) throw new UserError('config.data.path', data.path, 'must name the folder of the MNIST IDX files');
      return loadIdxDataset(data.path, 'mnist');
    case 'cifar10':
      if (!data.path) throw new UserError('config.data.path', data.path, 'must name the folder of the CIFAR-10 binary files');
      return loadCifar10(data.path);
    default:
      throw new UserError('config.data.dataset', data.dataset, 'is embedded and needs no files');
  }
}

export function registerRunCommand(program: Command, out: Output): void {
  program
    .command('run')
    .description('train and evaluate a network from a config file (YAML or JSON); writes config.json and results.json')
    .argument('[config]', 'experiment file, e.g. examples/00-default.yaml (omit for the default run)')
    .option('--out <dir>', 'output folder (default: runs/<name>)')
    .option('--resume', 'continue from <out>/checkpoint.json (written after every epoch); training.epochs may be raised')
    .option('--set <path=value>', 'override a config field, e.g. training.epochs=2 (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--threads <n>', 'kernel threads (the pulsed update is split by rows; results do not depend on it)', '1')
    .action(async (path: string | undefined, flags: { out?: string; set: string[]; resume?: boolean; threads: string }) => {
      const threads = Number(flags.threads);
      if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new UserError('--threads', flags.threads, 'must be an integer from 1 to 64', 'usage error');
      const file = path ? readConfigFile(path) : null;
      const config = (file ? file.value : {}) as Record<string, unknown>;
      if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new UserError('config file', path, 'must hold an object', 'usage error');
      for (const [key, value] of Object.entries(parseSetPairs(flags.set))) setPath(config, key, value);
      const dir = flags.out ?? join('runs', (await withFilePositions(file, () => parseExperiment(config))).name);
      const checkpointPath = join(dir, 'checkpoint.json');
      let resumeFrom: Checkpoint | undefined;
      if (flags.resume) {
        if (!existsSync(checkpointPath)) throw new UserError('--resume', checkpointPath, 'needs a checkpoint written by an earlier aimsim run', 'usage error');
        resumeFrom = parseWithTypedArrays(readFileSync(checkpointPath, 'utf8')) as Checkpoint;
        out.stdout(`resuming after epoch ${resumeFrom.epoch} from ${checkpointPath}`);
      }
      const progress = process.stdout.isTTY === true ? ttyProgress(out) : plainProgress(out);
      const started = Date.now();
      const stopThreads = useKernelThreads(threads);
      const result = await withFilePositions(file, () =>
        runExperiment(config, {
          loadDataset: loadFiles,
          ...(resumeFrom ? { resumeFrom } : {}),
          onEvent: (event) => {
            if (event.type === 'start') {
              const changed = Object.entries(event.changedFromDefaults).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
              out.stdout(`config (changed from the defaults): ${changed.length ? changed.join(', ') : 'none'}`);
              progress.start(event.epochs, event.batchesPerEpoch, event.dataset);
            }
            if (event.type === 'batch') progress.batch(event.epoch, event.batch, event.loss);
            if (event.type === 'epoch') progress.epoch(event.metrics);
            if (event.type === 'checkpoint') writeFileAtomic(checkpointPath, stringifyWithTypedArrays(event.checkpoint));
          },
        }),
      ).finally(() => {
        progress.stop();
        stopThreads();
      });
      writeFileAtomic(join(dir, 'config.json'), JSON.stringify(result.config, null, 2));
      writeFileAtomic(join(dir, 'results.json'), JSON.stringify(result, null, 2));
      const report = await writeReport([result], dir);
      out.stdout(`done in ${((Date.now() - started) / 1000).toFixed(1)} s; results: ${join(dir, 'results.json')}; report: ${report}`);
    });
}
