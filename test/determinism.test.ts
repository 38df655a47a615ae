/** Spec README fact 6: the same config and seed give bit-identical weights and pulse counts. */
import { describe, expect, it } from 'vitest';
import { deviceKinds, resolveDevice } from '../src/devices/index.js';
import { Rng } from '../src/rng/index.js';
import { AnalogTile, type TileOptions } from '../src/tile/index.js';

function run(options: TileOptions, steps: number, tile = new AnalogTile(options), from = 0): AnalogTile {
  const data = Rng.stream(77, 'data');
  for (let t = 0; t < from + steps; t++) {
    const x = Float64Array.from({ length: 4 * options.cols }, () => data.normal());
    const d = Float64Array.from({ length: 4 * options.rows }, () => data.normal());
    if (t < from) continue;
    const y = tile.forward(x, 4);
    tile.backward(d, 4);
    tile.update(x, d, 4, 0.05 * (1 + Math.tanh(y[0]!)));
    tile.diffuse();
  }
  return tile;
}

const options: TileOptions = {
  rows: 6,
  cols: 5,
  device: resolveDevice('reram-sb', { diffusion: 0.001 }),
  forward: { wNoise: 0.01 },
  seed: 123,
};

describe('determinism (spec README fact 6)', () => {
  it('the same config and seed give bit-identical weights and pulse counts', () => {
    const a = run(options, 30);
    const b = run(options, 30);
    expect(Array.from(a.weights())).toEqual(Array.from(b.weights()));
    expect(a.counters.snapshot()).toEqual(b.counters.snapshot());
    expect(a.counters.totalPulses()).toBeGreaterThan(0);
  });

  for (const kind of deviceKinds) {
    it(`${kind}: two runs with one seed are bit-identical, pulses and all`, () => {
      const config: TileOptions = { ...options, device: resolveDevice(kind) };
      const a = run(config, 8);
      const b = run(config, 8);
      expect(Array.from(a.weights())).toEqual(Array.from(b.weights()));
      expect(a.counters.snapshot()).toEqual(b.counters.snapshot());
    });
  }

  it('another seed gives other numbers', () => {
    const a = run(options, 5);
    const b = run({ ...options, seed: 124 }, 5);
    expect(Array.from(a.weights())).not.toEqual(Array.from(b.weights()));
  });

  it('a tile restored from a saved state continues bit-identically', () => {
    const straight = run(options, 20);
    const first = run(options, 10);
    const resumed = new AnalogTile(options);
    resumed.restoreState(first.saveState());
    run(options, 10, resumed, 10);
    expect(Array.from(resumed.weights())).toEqual(Array.from(straight.weights()));
    expect(resumed.counters.snapshot()).toEqual(straight.counters.snapshot());
  });
});
