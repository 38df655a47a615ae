import type { SweepRow } from '../experiment/sweep.js';

/** Vega-lite spec: final test accuracy per grid point, mean as a bar and ± std as an error bar. */
export function sweepPlotSpec(rows: readonly SweepRow[], title: string, seeds: number): Record<string, unknown> {
  const label = (values: Record<string, unknown>) =>
    Object.entries(values)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(', ') || 'base';
  const values = rows.map((r) => ({
    point: label(r.values),
    accuracy: 100 * r.testAccuracy.mean,
    low: 100 * (r.testAccuracy.mean - r.testAccuracy.std),
    high: 100 * (r.testAccuracy.mean + r.testAccuracy.std),
  }));
  const x = { field: 'point', type: 'nominal', title: null, sort: values.map((v) => v.point), axis: { labelAngle: -30, labelLimit: 260 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: `final test accuracy, mean ± std over ${seeds} seed${seeds === 1 ? '' : 's'}` },
    data: { values },
    width: Math.max(200, 70 * values.length),
    height: 240,
    layer: [
      { mark: { type: 'bar', opacity: 0.8 }, encoding: { x, y: { field: 'accuracy', type: 'quantitative', title: 'test accuracy (%)', scale: { domain: [0, 100] } } } },
      { mark: { type: 'rule' }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
      { mark: { type: 'text', dy: -8 }, encoding: { x, y: { field: 'high', type: 'quantitative' }, text: { field: 'accuracy', type: 'quantitative', format: '.1f' } } },
    ],
  };
}
