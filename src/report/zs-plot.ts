import type { ZsStudyResult } from '../experiment/zs-study.js';

/** Vega-lite spec: relative SP-mean error against N per Δw_min, and the minimal N against Δw_min (log-log). */
export function zsPlotSpec(result: ZsStudyResult): Record<string, unknown> {
  const tolerance = result.tolerance;
  const errors = result.points.map((p) => ({ pulses: p.pulses, error: Math.max(p.meanError.mean, 1e-7), dwMin: String(p.dwMin) }));
  const minimal = result.minimalBudget.filter((m) => m.pulses !== null).map((m) => ({ dwMin: m.dwMin, pulses: m.pulses }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Zero-shifting: SP estimation error vs pulse budget', subtitle: `mean over ${result.seeds.length} seeds` },
    hconcat: [
      {
        width: 360,
        height: 260,
        layer: [
          {
            data: { values: errors },
            mark: { type: 'line', point: true },
            encoding: {
              x: { field: 'pulses', type: 'quantitative', scale: { type: 'log' }, title: 'pulses per device N' },
              y: { field: 'error', type: 'quantitative', scale: { type: 'log' }, title: '|mean r − mean w⋄| / |mean w⋄|' },
              color: { field: 'dwMin', type: 'nominal', title: 'Δw_min', sort: errors.map((e) => e.dwMin) },
            },
          },
          { data: { values: [{ y: tolerance }] }, mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { y: { field: 'y', type: 'quantitative' } } },
        ],
      },
      {
        width: 300,
        height: 260,
        data: { values: minimal },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'dwMin', type: 'quantitative', scale: { type: 'log' }, title: 'Δw_min' },
          y: { field: 'pulses', type: 'quantitative', scale: { type: 'log' }, title: `smallest N with ≤ ${100 * tolerance} % error` },
        },
      },
    ],
  };
}
