/** Issue 14: `--set` reaches into lists and keeps the defaults of the sections it edits. */
import { describe, expect, it } from 'vitest';
import { configWithSets } from '../../src/cli/commands/run.js';
import { parseValue, setPath } from '../../src/cli/set-values.js';
import { parseExperiment } from '../../src/experiment/run.js';

const parsed = (file: unknown, ...sets: string[]) => parseExperiment(configWithSets(file === null ? null : { path: 'x.yaml', value: file, locate: () => null }, sets));

describe('--set paths', () => {
  it('network.layers.1.outputs=32 edits the default network in place', () => {
    const config = parsed(null, 'network.layers.1.outputs=32');
    expect(config.network.layers.map((l) => l.type)).toEqual(['flatten', 'linear', 'sigmoid', 'linear']);
    expect(config.network.layers[1]).toMatchObject({ type: 'linear', outputs: 32 });
    expect(config.network.layers[3]).toMatchObject({ type: 'linear', outputs: 10 });
  });

  it('a file’s own list is indexed; an index past the end is one line naming the list', () => {
    const file = { network: { layers: [{ type: 'flatten' }, { type: 'linear', outputs: 10 }] } };
    expect(parsed(file, 'network.layers.1.bias=analog').network.layers[1]).toMatchObject({ bias: 'analog' });
    expect(() => parsed(file, 'network.layers.5.outputs=3')).toThrow('usage error at --set: network.layers is a list of 2: use an index from 0 to 1 (or 2 to append), got "network.layers.5.outputs"');
    expect(() => parsed(file, 'network.layers.x.outputs=3')).toThrow(/network\.layers is a list of 2/);
  });

  it('a field of the default device or algorithm keeps the default preset and its values', () => {
    const config = parsed(null, 'device.dwMin=0.01', 'algorithm.fastLr=0.2');
    expect(config.device).toEqual({ preset: 'soft-bounds-reference', subtractSymmetryPoint: true, dwMin: 0.01 });
    expect(config.algorithm).toEqual({ preset: 'c-ttv2', inChopProb: 0.01, fastLr: 0.2, autoGranularity: 1000 });
  });

  it('a field of a device or algorithm given by name opens the name up: reram-es → { preset: reram-es, … }', () => {
    const config = parsed({ device: 'reram-es', algorithm: 'agad' }, 'device.dwMin=0.01', 'algorithm.fastLr=0.3');
    expect(config.device).toEqual({ preset: 'reram-es', dwMin: 0.01 });
    expect(config.algorithm).toEqual({ preset: 'agad', fastLr: 0.3 });
  });

  it('null unsets a field, so its default applies: --set calibration=null drops the file’s calibration', () => {
    const config = parsed({ calibration: { pulses: 100 }, training: { lr: 0.3 } }, 'calibration=null', 'training.lr=null');
    expect(config.calibration).toBeUndefined();
    expect(config.training.lr).toBe(0.1);
    expect(parseValue('null')).toBeNull();
    // unsetting inside a missing section creates nothing; a list element cannot be unset
    expect(parsed({}, 'calibration.pulses=null').calibration).toBeUndefined();
    expect(() => parsed({ network: { layers: [{ type: 'flatten' }, { type: 'linear', outputs: 10 }] } }, 'network.layers.1=null')).toThrow('usage error at --set: cannot unset a list element (null); set the whole list instead, got "network.layers.1"');
  });

  it('values: numbers, booleans, YAML and JSON flow collections, strings', () => {
    expect(parseValue('1e-3')).toBe(0.001);
    expect(parseValue('false')).toBe(false);
    expect(parseValue('{preset: reram-es, dwMin: 0.01}')).toEqual({ preset: 'reram-es', dwMin: 0.01 });
    expect(parseValue('[{"type": "flatten"}]')).toEqual([{ type: 'flatten' }]);
    expect(parseValue('soft-bounds')).toBe('soft-bounds');
    expect(() => parseValue('{a: 1')).toThrow(/^usage error at --set: must be a YAML or JSON value when it starts with \[ or \{ \(.*\), got "\{a: 1"$/);
    const target: Record<string, unknown> = { training: 3 };
    expect(() => setPath(target, 'training.lr', 1)).toThrow('usage error at --set: cannot set inside training, which is 3, got "training.lr"');
    expect(() => setPath(target, 'a..b', 1)).toThrow(/must be a dotted path/);
  });
});
