/** Every example under examples/ runs (on a few batches) in CI, so none can go stale. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadConfigDataset } from '../src/node/datasets.js';
import { runExperiment } from '../src/experiment/run.js';
import { runStudy } from '../src/experiment/study.js';
import { runZsStudy } from '../src/experiment/zs-study.js';
import { writeIdxDataset } from './support/idx-fixture.js';

const dir = join(import.meta.dirname, '../examples');
const files = readdirSync(dir).filter((f) => /^\d\d-.*\.(ya?ml|json)$/.test(f)).sort();

describe('examples', () => {
  it('are numbered and include the default run', () => {
    expect(files[0]).toBe('00-default.yaml');
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  for (const file of files) {
    it(`${file} runs on a few batches`, async () => {
      const text = readFileSync(join(dir, file), 'utf8');
      const config = (file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as Record<string, unknown>;
      if (config['kind'] === 'zero-shifting') {
        // A zero-shifting study: one seed, a tiny array, the two smallest budgets.
        const result = runZsStudy({ ...config, seeds: [0], rows: 2, cols: 2, budgets: (config['budgets'] as number[]).slice(0, 2) });
        expect(result.points.length).toBe((config['dwMins'] as unknown[]).length * 2);
        return;
      }
      if ('runs' in config) {
        // A least-squares study: every run, one seed, a few steps.
        const result = runStudy({ ...config, seeds: [0], base: { ...(config['base'] as object), steps: 20, evaluateEvery: 10 } });
        expect(result.rows.length).toBe((config['runs'] as unknown[]).length);
        return;
      }
      // Examples on MNIST or Fashion-MNIST files read a small IDX dataset the test writes, so the
      // suite needs no dataset package (the full runs are the examples' own job).
      const data = config['data'] as { dataset?: string } | undefined;
      const files = data?.dataset === 'fashion-mnist' || data?.dataset === 'mnist' ? { path: writeIdxDataset() } : {};
      // A calibration budget is per device and the same at any data size: a few pulses suffice here.
      const calibration = config['calibration'] ? { calibration: { ...(config['calibration'] as object), pulses: 10 } } : {};
      const result = await runExperiment(
        { ...config, ...calibration, data: { ...data, ...files, trainLimit: 30, testLimit: 20 }, training: { ...(config['training'] as object), epochs: 1 } },
        { loadDataset: loadConfigDataset },
      );
      expect(result.status).toBe('completed');
      expect(Number.isFinite(result.epochs[0]!.trainLoss)).toBe(true);
    });
  }
});
