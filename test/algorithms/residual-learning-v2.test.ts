import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../../src/devices/index.js';
import { ResidualLearningV2, parseAlgorithmConfig } from '../../src/algorithms/index.js';
import { residualLearningV2Schema } from '../../src/algorithms/residual-learning-v2.js';

const exactStep = resolveDevice('constant-step', {
  dwMin: 0.001, dwMinDtod: 0, dwMinStd: 0, upDownDtod: 0, wMax: 1000, wMin: -1000, wMaxDtod: 0, wMinDtod: 0,
});

describe('Residual Learning v2 (papers.md §2.5)', () => {
  it('low-pass buffer H ← (1 − β)H + β·read, writes β·H only where |H| > Δw_min, then takes β·H off H', () => {
    const beta = 0.05;
    const p = [0.3, 0.0015, -0.2];
    const algo = new ResidualLearningV2(
      { rows: 3, cols: 1, device: exactStep, seed: 2 },
      residualLearningV2Schema.parse({
        kind: 'residual-learning-v2', transferLr: beta, transferForward: { isPerfect: true }, transferUpdate: { pulseType: 'expected' },
      }),
    );
    algo.fast.setWeights(Float64Array.from(p));
    const h = [0, 0, 0];
    const w = [0, 0, 0];
    let writes = 0;
    for (let step = 0; step < 60; step++) {
      algo.update([1], [0, 0, 0], 1, 0.1); // d = 0: P stays put, only the transfer runs
      for (let i = 0; i < 3; i++) {
        h[i] = (1 - beta) * h[i]! + beta * p[i]!;
        if (Math.abs(h[i]!) > 0.001) {
          w[i] = w[i]! + beta * h[i]!;
          h[i] = h[i]! - beta * h[i]!;
          writes++;
        }
      }
    }
    for (let i = 0; i < 3; i++) {
      expect(algo.buffer[i]).toBeCloseTo(h[i]!, 12);
      expect(algo.slow.weights()[i]).toBeCloseTo(w[i]!, 12);
    }
    // the middle element's buffer tends to 0.0015 but crosses 0.001 only after 22 reads
    expect(writes).toBeGreaterThan(60);
    expect(algo.slow.weights()[1]).toBeGreaterThan(0);
    expect(algo.slow.weights()[1]).toBeLessThan(algo.slow.weights()[0]!);
  });

  it('the composite is W + γ·P, and the presets rl-v1 / rl-v2 set γ = 0.4', () => {
    expect(parseAlgorithmConfig('rl-v1').config).toMatchObject({ kind: 'tiki-taka', gamma: 0.4 });
    expect(parseAlgorithmConfig('rl-v2').config).toMatchObject({ kind: 'residual-learning-v2', gamma: 0.4 });
    const algo = new ResidualLearningV2({ rows: 1, cols: 2, device: exactStep, seed: 1 }, residualLearningV2Schema.parse({ kind: 'residual-learning-v2' }));
    algo.fast.setWeights([0.5, -0.25]);
    algo.slow.setWeights([0.1, 0.2]);
    expect(Array.from(algo.weights())).toEqual([0.1 + 0.4 * 0.5, 0.2 - 0.4 * 0.25].map((v) => expect.closeTo(v, 12)));
  });
});
