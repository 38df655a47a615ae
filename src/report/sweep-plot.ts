import type { SweepRow } from '../experiment/sweep.js';

/**
 * Vega-lite spec: final test accuracy per grid point, mean as a bar and ± std as an error bar.
 * Horizontal, so every point's label (its grid values) is written out in full on the left.
 */
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
  const y = { field: 'point', type: 'nominal', title: null, sort: values.map((v) => v.point), axis: { labelLimit: 0, labelFontSize: 11 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: `final test accuracy, mean ± std over ${seeds} seed${seeds === 1 ? '' : 's'}` },
    data: { values },
    width: 360,
    height: { step: 26 },
    layer: [
      { mark: { type: 'bar', opacity: 0.8 }, encoding: { y, x: { field: 'accuracy', type: 'quantitative', title: 'test accuracy (%)', scale: { domain: [0, 100] } } } },
      { mark: { type: 'rule' }, encoding: { y, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } },
      { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { y, x: { field: 'high', type: 'quantitative' }, text: { field: 'accuracy', type: 'quantitative', format: '.1f' } } },
    ],
  };
}
