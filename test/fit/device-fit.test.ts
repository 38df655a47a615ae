/** Issue 18: `aimsim device fit` recovers known devices from simulated traces (docs/device-fit.md). */
import { describe, expect, it } from 'vitest';
import { buildDevice } from '../../src/devices/registry.js';
import { resolveDevice } from '../../src/devices/resolve.js';
import { Rng } from '../../src/rng/index.js';
import { fitDevice, fitModel } from '../../src/fit/fit-device.js';
import { simulateTrace } from '../../src/fit/simulate.js';
import { tracesFromRows, type Trace } from '../../src/fit/traces.js';

const oneDevice = { dwMinDtod: 0, wMaxDtod: 0, wMinDtod: 0, upDownDtod: 0 };

/** `devices` traces of a device config: 3 cycles of 150 up and 150 down pulses from 0. */
function traces(kind: string, fields: Record<string, unknown>, seed: number, devices = 1, pulses = 150, cycles = 3): Trace[] {
  const device = buildDevice(resolveDevice(kind, fields), devices, Rng.stream(seed, 'devices'));
  return Array.from({ length: devices }, (_, k) => simulateTrace(device, k, 0, pulses, cycles, Rng.stream(seed, 'pulses', k)));
}

describe('fits recover the parameters of simulated devices (seeds 1–3)', () => {
  for (const noise of [0.02, 0.1, 0.3]) {
    it(`soft bounds, c2c noise ${noise}: Δw_min ±10 %, bounds ±10 % of the range, up/down ±0.05, noise ±25 %`, () => {
      const truth = { dwMin: 0.01, upDown: 0.2, wMax: 0.8, wMin: -0.6, dwMinStd: noise };
      const truthSp = buildDevice(resolveDevice('soft-bounds', { ...truth, ...oneDevice }), 1, Rng.stream(0, 'sp')).symmetricPoint(0);
      for (const seed of [1, 2, 3]) {
        const fit = fitModel('soft-bounds', traces('soft-bounds', { ...truth, ...oneDevice }, seed));
        const f = fit.devices[0]!.fields;
        expect(Math.abs(f['dwMin']! / truth.dwMin - 1)).toBeLessThan(0.1);
        expect(Math.abs(f['wMax']! - truth.wMax)).toBeLessThan(0.14);
        expect(Math.abs(f['wMin']! - truth.wMin)).toBeLessThan(0.14);
        expect(Math.abs(f['upDown']! - truth.upDown)).toBeLessThan(0.05);
        expect(Math.abs(fit.devices[0]!.noise / noise - 1)).toBeLessThan(0.25);
        // States and SP of the fitted device: (b^max − b^min)/Δw_min and the closed-form SP.
        expect(fit.states).toBeCloseTo((f['wMax']! - f['wMin']!) / f['dwMin']!, 6);
        expect(Math.abs(fit.symmetricPoint - truthSp)).toBeLessThan(0.05);
      }
    });
  }

  it('linear step: γ± within 0.1, the bounds from the range', () => {
    const truth = { dwMin: 0.01, upDown: -0.1, wMax: 0.8, wMin: -0.8, gammaUp: 0.5, gammaDown: 0.3, dwMinStd: 0.1 };
    for (const seed of [1, 2, 3]) {
      const f = fitModel('linear-step', traces('linear-step', { ...truth, ...oneDevice, gammaUpDtod: 0, gammaDownDtod: 0 }, seed)).devices[0]!.fields;
      expect(Math.abs(f['gammaUp']! - truth.gammaUp)).toBeLessThan(0.1);
      expect(Math.abs(f['gammaDown']! - truth.gammaDown)).toBeLessThan(0.1);
      expect(Math.abs(f['dwMin']! / truth.dwMin - 1)).toBeLessThan(0.1);
    }
  });

  it('power step: the exponent within 15 %', () => {
    // A strongly saturating device (γ = 2.5) driven over its range.
    const truth = { dwMin: 0.05, upDown: 0, wMax: 1, wMin: -1, powGamma: 2.5, powUpDown: 0, dwMinStd: 0.1 };
    for (const seed of [1, 2, 3]) {
      const f = fitModel('pow-step', traces('pow-step', { ...truth, ...oneDevice, powGammaDtod: 0 }, seed)).devices[0]!.fields;
      expect(Math.abs(f['powGamma']! / truth.powGamma - 1)).toBeLessThan(0.15);
    }
  });

  it('auto ranks the models by BIC and picks the one that made the data', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['soft-bounds', { dwMin: 0.01, upDown: 0.2, wMax: 0.8, wMin: -0.6, dwMinStd: 0.1 }],
      ['linear-step', { dwMin: 0.01, upDown: -0.1, wMax: 0.8, wMin: -0.8, gammaUp: 0.5, gammaDown: 0.3, dwMinStd: 0.1, gammaUpDtod: 0, gammaDownDtod: 0 }],
    ];
    for (const [kind, fields] of cases) {
      const ranking = fitDevice(traces(kind, { ...fields, ...oneDevice }, 4), 'auto');
      expect(ranking.map((r) => r.bic)).toEqual([...ranking.map((r) => r.bic)].sort((a, b) => a - b));
      // linear-step with γ = 1 is soft bounds: on soft-bounds data the two may tie within 2 BIC units.
      const best = ranking.filter((r) => r.bic <= ranking[0]!.bic + 2).map((r) => r.kind);
      expect(best).toContain(kind);
    }
  });

  it('a piecewise fit follows a curve no parametric model has', () => {
    // Steps with a bump in the middle and a dip on either side; every node ≥ 0.6, so 400 pulses
    // of 0.01 reach both hard bounds and the node grid (the observed range) is [−1, 1].
    const up = [1.5, 1, 0.6, 1.2, 2, 1.2, 0.6, 0.8, 0.6];
    const down = [0.6, 0.8, 0.6, 1.2, 2, 1.2, 0.6, 1, 1.5];
    const t = traces('piecewise-step', { dwMin: 0.01, wMax: 1, wMin: -1, piecewiseUp: up, piecewiseDown: down, dwMinStd: 0.05, ...oneDevice }, 5, 1, 400, 3);
    const fit = fitModel('piecewise-step', t);
    const f = fit.devices[0]!.fields;
    // Nodes are relative to Δw_min (fixed at the median step), so the absolute steps Δw_min·v are
    // compared: the inner nodes come back within 15 % (the end nodes mostly meet clipped steps).
    const dwMin = fit.config['dwMin'] as number;
    for (const i of [1, 2, 3, 4, 5, 6, 7]) {
      expect(Math.abs((dwMin * f[`piecewiseUp.${i}`]!) / (0.01 * up[i]!) - 1)).toBeLessThan(0.15);
      expect(Math.abs((dwMin * f[`piecewiseDown.${i}`]!) / (0.01 * down[i]!) - 1)).toBeLessThan(0.15);
    }
    expect(fit.bic).toBeLessThan(fitModel('soft-bounds', t).bic);
  });

  it('several devices: the mean device and the device-to-device spreads', () => {
    const truth = { dwMin: 0.01, upDown: 0, wMax: 0.8, wMin: -0.8, dwMinStd: 0.05, dwMinDtod: 0.2, wMaxDtod: 0.1, wMinDtod: 0.1, upDownDtod: 0 };
    const fit = fitModel('soft-bounds', traces('soft-bounds', truth, 6, 24, 120, 2));
    expect(fit.devices).toHaveLength(24);
    expect(Math.abs((fit.config['dwMin'] as number) / truth.dwMin - 1)).toBeLessThan(0.12);
    // The sample std of 24 devices is within ±30 % of the truth (2 standard errors).
    expect(Math.abs((fit.config['dwMinDtod'] as number) / 0.2 - 1)).toBeLessThan(0.3);
    expect(fit.config['wMaxDtod']).toBeGreaterThan(0.05);
    expect(fit.config['wMaxDtod']).toBeLessThan(0.16);
  });
});

describe('awkward data', () => {
  it('a trace that saturates at its soft bounds still gives Δw_min within 15 % (the step far from the bounds)', () => {
    const truth = { dwMin: 0.02, upDown: 0, wMax: 0.5, wMin: -0.5, dwMinStd: 0.1 };
    const f = fitModel('soft-bounds', traces('soft-bounds', { ...truth, ...oneDevice }, 7, 1, 400, 2)).devices[0]!.fields;
    expect(Math.abs(f['dwMin']! / truth.dwMin - 1)).toBeLessThan(0.15);
    expect(Math.abs(f['upDown']!)).toBeLessThan(0.05);
  });

  it('data on one side of 0: auto leaves out the models whose bounds bracket 0; asking for one is one line', () => {
    const t = traces('soft-bounds', { dwMin: 0.01, upDown: 0, wMax: 0.8, wMin: -0.6, dwMinStd: 0.1, ...oneDevice }, 8).map((trace) => ({ ...trace, weights: trace.weights.map((w) => w + 2) }));
    const ranking = fitDevice(t, 'auto');
    expect(ranking.map((r) => r.kind)).not.toContain('soft-bounds');
    expect(ranking.map((r) => r.kind)).not.toContain('linear-step');
    // The best remaining model explains the steps down to the true c2c noise (0.1).
    expect(Math.abs(ranking[0]!.devices[0]!.noise / 0.1 - 1)).toBeLessThan(0.25);
    expect(() => fitModel('soft-bounds', t)).toThrow(/^config error at --model: needs every trace to reach both sides of weight 0/);
  });
});

describe('trace files', () => {
  it('rows become one ordered trace per device; conductances map [g_min, g_max] to [−1, 1]', () => {
    const rows = [
      { pulse: '2', direction: 'down', conductance: '20', device: 'a' },
      { pulse: '0', direction: 'up', conductance: '10', device: 'a' },
      { pulse: '1', direction: 'up', conductance: '30', device: 'a' },
    ];
    expect(tracesFromRows(rows, 'f.csv', { gMin: 10, gMax: 30 })).toEqual([{ device: 'a', up: [true, true, false], weights: [-1, 1, 0] }]);
  });

  it('a bad row is one line naming the line, the field and the value', () => {
    const row = (direction: string, weight: string) => ({ pulse: '0', direction, weight });
    expect(() => tracesFromRows([row('up', '0'), row('sideways', '1')], 'f.csv', null)).toThrow(/^config error at f\.csv: line 3: direction: must be up or down, got "sideways"$/);
    expect(() => tracesFromRows([row('up', 'x')], 'f.csv', null)).toThrow(/^config error at f\.csv: line 2: weight: must be a finite number, got "x"$/);
    expect(() => tracesFromRows([{ pulse: '0', direction: 'up', conductance: '3' }], 'f.csv', null)).toThrow(/needs --g-min and --g-max/);
    expect(() => tracesFromRows([row('up', '0'), row('up', '0')], 'f.csv', null)).toThrow(/must have at least 3 pulses/);
  });
});
