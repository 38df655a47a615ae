import type { StudyResult } from '../experiment/study.js';

/** Vega-lite spec: ‖W − W_opt‖ or f − f* against steps for every run (first seed), one panel per condition. */
export function studyPlotSpec(result: StudyResult): Record<string, unknown> {
  const loss = result.plotMetric === 'excess-loss';
  const values = result.rows.flatMap((row) =>
    row.curve.steps.map((step, i) => ({
      step,
      value: Math.max((loss ? row.curve.excessLoss : row.curve.distance)[i]!, loss ? 1e-12 : 1e-6),
      run: row.name,
      condition: row.condition || 'runs',
    })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `Least-squares study: ${loss ? 'loss above the optimum' : 'distance to the optimum'}`, subtitle: `seed ${result.seeds[0]}; table: mean ± std over ${result.seeds.length} seeds` },
    data: { values },
    facet: { column: { field: 'condition', type: 'nominal', title: null, sort: [...new Set(values.map((v) => v.condition))] } },
    spec: {
      width: 380,
      height: 260,
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'step' },
        y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: loss ? 'f(W) − f(W_opt)' : '‖W − W_opt‖_F' },
        color: { field: 'run', type: 'nominal', title: null, sort: null },
      },
    },
    resolve: { scale: { color: 'shared' } },
  };
}
