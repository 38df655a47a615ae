/** The benchmark configs (bench/aihwkit-defaults/) stay valid configs; the benchmark runs them. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../src/experiment/run.js';
import { loadConfigFile } from '../src/node/config-file.js';

const dir = new URL('../bench/aihwkit-defaults/', import.meta.url).pathname;

describe('bench/aihwkit-defaults', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  it('has the six configs of the aihwkit comparison', () => {
    expect(files.map((f) => f.replace('.yaml', '')).sort()).toEqual(['agad', 'cs', 'cttv2', 'fp', 'sb', 'tt']);
  });
  for (const file of files) {
    it(`${file} is a valid config of the FMNIST MLP, batch 10, lr 0.05, one epoch`, () => {
      const config = parseExperiment(loadConfigFile(join(dir, file)));
      expect([config.training.batch, config.training.lr, config.training.epochs]).toEqual([10, 0.05, 1]);
      expect(config.network.layers.filter((l) => l.type === 'linear').map((l) => (l as { outputs: number }).outputs)).toEqual([256, 128, 10]);
      // aihwkit's default mapping (MappingParameter: 512 × 512), as in the runs compared with.
      expect(config.mapping).toEqual({ maxInputSize: 512, maxOutputSize: 512 });
    });
  }
});
