import { summarize } from '../core/stats.js';
import { buildDevice } from '../devices/registry.js';
import { resolveDevice } from '../devices/resolve.js';
import type { DeviceConfig } from '../devices/registry.js';
import { Rng } from '../rng/index.js';
import type { ModelFit } from './fit-device.js';
import { replayTrace } from './simulate.js';
import type { Trace } from './traces.js';

/** Noisy replays behind the band of the plot. */
const DRAWS = 40;

/**
 * The data of the first device against its own fit under the same pulses: the noise-free trace,
 * and the mean ± 1 std of `DRAWS` replays with the fitted c2c noise (vega-lite).
 */
export function fitPlotSpec(fit: ModelFit, traces: readonly Trace[]): Record<string, unknown> {
  const trace = traces[0]!;
  const { kind, ...fields } = fit.devices[0]!.config;
  const noisy = resolveDevice(kind as string, fields) as DeviceConfig;
  const exact = resolveDevice(kind as string, { ...fields, ...('dwMinStd' in fields ? { dwMinStd: 0 } : {}) });
  const mean = replayTrace(buildDevice(exact, 1, Rng.stream(0, 'fit-plot')), trace, Rng.stream(0, 'fit-plot', 'mean'));
  const device = buildDevice(noisy, 1, Rng.stream(0, 'fit-plot'));
  const draws = Array.from({ length: DRAWS }, (_, d) => replayTrace(device, trace, Rng.stream(0, 'fit-plot', d)));
  const values = trace.weights.map((w, pulse) => {
    const { mean: m, std: s } = summarize(draws.map((draw) => draw[pulse]!));
    return { pulse, data: w, model: mean[pulse]!, low: m - s, high: m + s };
  });
  const x = { field: 'pulse', type: 'quantitative', title: 'pulse' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${trace.device}: data (dots), fitted ${fit.kind} (line), ± 1 std of ${DRAWS} noisy replays (band)`,
    width: 560,
    height: 260,
    data: { values },
    layer: [
      { mark: { type: 'area', opacity: 0.25, color: '#4c78a8' }, encoding: { x, y: { field: 'low', type: 'quantitative', title: 'weight' }, y2: { field: 'high' } } },
      { mark: { type: 'point', size: 8, color: '#333', opacity: 0.6 }, encoding: { x, y: { field: 'data', type: 'quantitative' } } },
      { mark: { type: 'line', color: '#e45756' }, encoding: { x, y: { field: 'model', type: 'quantitative' } } },
    ],
  };
}
