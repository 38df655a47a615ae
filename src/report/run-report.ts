import { configDifference } from '../config/diff.js';
import { parseExperiment, type ExperimentResult } from '../experiment/run.js';

/** Data tables of one or more runs, the content of report.json (no new computation). */
export function reportData(runs: readonly ExperimentResult[]) {
  const defaults = parseExperiment({});
  return {
    runs: runs.map((r) => ({
      name: r.name,
      status: r.status,
      dataset: r.dataset,
      changedFromDefaults: configDifference(r.config, defaults),
      final: r.epochs[r.epochs.length - 1] ?? null,
      epochs: r.epochs,
      pulses: Object.fromEntries(Object.entries(r.layers).map(([layer, report]) => [layer, report.pulsesByPurpose])),
    })),
  };
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function lineChart(title: string, values: object[], y: string, yTitle: string): Record<string, unknown> {
  return {
    $schema: SCHEMA,
    title,
    width: 420,
    height: 240,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: y, type: 'quantitative', title: yTitle, scale: { zero: false } },
      color: { field: 'run', type: 'nominal', title: null },
    },
  };
}

/** The vega-lite specs of a report: curves, pulses and histograms, several runs overlaid. */
export function reportSpecs(runs: readonly ExperimentResult[]): { title: string; spec: Record<string, unknown> }[] {
  const perEpoch = runs.flatMap((r) =>
    r.epochs.map((m) => ({ run: r.name, epoch: m.epoch, trainLoss: m.trainLoss, testAccuracy: 100 * m.testAccuracy, pulses: Object.values(m.pulsesByPurpose).reduce((a, b) => a + b, 0) })),
  );
  const pulses = runs.flatMap((r) =>
    Object.entries(r.layers).flatMap(([layer, report]) => Object.entries(report.pulsesByPurpose).map(([purpose, n]) => ({ run: r.name, layer, purpose, pulses: n }))),
  );
  const bars = (kind: 'weights' | 'symmetricPoints') =>
    runs.flatMap((r) =>
      Object.entries(r.snapshots).flatMap(([layer, snap]) => {
        const h = snap[kind];
        return h ? h.counts.map((count, i) => ({ run: r.name, layer, from: h.edges[i]!, to: h.edges[i + 1]!, count })) : [];
      }),
    );
  const histogramSpec = (title: string, values: object[], xTitle: string) => ({
    $schema: SCHEMA,
    title,
    data: { values },
    facet: { row: { field: 'run', type: 'nominal', title: null }, column: { field: 'layer', type: 'nominal', title: null } },
    spec: {
      width: 220,
      height: 160,
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'from', type: 'quantitative', bin: 'binned', title: xTitle },
        x2: { field: 'to' },
        y: { field: 'count', type: 'quantitative' },
      },
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  });
  const specs = [
    { title: 'Training loss', spec: lineChart('Training loss per epoch', perEpoch, 'trainLoss', 'cross-entropy') },
    { title: 'Test accuracy', spec: lineChart('Test accuracy per epoch', perEpoch, 'testAccuracy', 'accuracy (%)') },
    { title: 'Pulses per epoch', spec: lineChart('Pulses per epoch (all layers and purposes)', perEpoch, 'pulses', 'pulses') },
    {
      title: 'Pulses by layer and purpose',
      spec: {
        $schema: SCHEMA,
        title: 'Total pulses by layer and purpose',
        data: { values: pulses },
        mark: 'bar',
        width: 420,
        encoding: {
          y: { field: 'layer', type: 'nominal', title: null },
          yOffset: { field: 'run' },
          x: { field: 'pulses', type: 'quantitative', stack: 'zero' },
          color: { field: 'purpose', type: 'nominal' },
          tooltip: [{ field: 'run' }, { field: 'layer' }, { field: 'purpose' }, { field: 'pulses', type: 'quantitative' }],
        },
      },
    },
    { title: 'Weights', spec: histogramSpec('Final effective weights', bars('weights'), 'weight') },
  ];
  const sp = bars('symmetricPoints');
  if (sp.length > 0) specs.push({ title: 'Symmetric points', spec: histogramSpec('Symmetric points of the gradient arrays (SP − reference)', sp, 'symmetric point') });
  return specs;
}

const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** A self-contained HTML page: the SVG plots inline, a summary table and the config differences. */
export function reportHtml(runs: readonly ExperimentResult[], svgs: readonly { title: string; svg: string }[]): string {
  const data = reportData(runs);
  const rows = data.runs
    .map((r) => {
      const f = r.final;
      const total = Object.values(r.pulses).reduce((sum, byPurpose) => sum + Object.values(byPurpose).reduce((a, b) => a + b, 0), 0);
      return `<tr><td>${escape(r.name)}</td><td>${escape(r.dataset)}</td><td>${r.status}</td><td>${r.epochs.length}</td><td>${f ? f.trainLoss.toFixed(4) : '–'}</td><td>${f ? (100 * f.testAccuracy).toFixed(2) + ' %' : '–'}</td><td>${total.toExponential(3)}</td><td>${r.epochs.reduce((a, m) => a + m.seconds, 0).toFixed(1)} s</td></tr>`;
    })
    .join('\n');
  const diffs = data.runs
    .map((r) => `<h3>${escape(r.name)}</h3><pre>${escape(Object.entries(r.changedFromDefaults).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join('\n') || '(all defaults)')}</pre>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>aimsim report: ${escape(runs.map((r) => r.name).join(', '))}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:1200px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}figure{margin:1.5rem 0}pre{background:#f6f6f6;padding:8px}</style>
</head><body>
<h1>aimsim report</h1>
<table><tr><th>run</th><th>dataset</th><th>status</th><th>epochs</th><th>final train loss</th><th>final test accuracy</th><th>pulses</th><th>time</th></tr>
${rows}
</table>
${svgs.map((s) => `<figure><figcaption><strong>${escape(s.title)}</strong></figcaption>${s.svg}</figure>`).join('\n')}
<h2>Config (difference from the defaults)</h2>
${diffs}
</body></html>
`;
}
