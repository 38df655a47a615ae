import { configDifference } from '../config/diff.js';
import type { ExperimentConfig } from '../config/experiment.js';
import { parseExperiment, type ExperimentResult } from '../experiment/run.js';

/** A run in a report, with the label that tells it apart from the others. */
export interface ReportRun {
  label: string;
  result: ExperimentResult;
}

/**
 * Labels runs by name; runs whose names collide (e.g. variants made with `--set`, all named
 * `experiment`) are told apart by their folder, or by their position when no folder is known.
 */
export function labelRuns(results: readonly ExperimentResult[], folders?: readonly string[]): ReportRun[] {
  const count = new Map<string, number>();
  for (const r of results) count.set(r.name, (count.get(r.name) ?? 0) + 1);
  return results.map((result, i) => ({
    result,
    label: count.get(result.name)! === 1 ? result.name : folders?.[i] ? `${result.name} (${folders[i]})` : `${result.name} #${i + 1}`,
  }));
}

const describeChoice = (value: unknown, key: 'preset' | 'kind'): string => {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const { [key]: name, preset, ...rest } = value as Record<string, unknown>;
  const head = String(preset ?? name ?? '?');
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return fields.length ? `${head} (${fields.join(', ')})` : head;
};

/** What ran, named whatever the defaults: dataset, network, device, algorithm, lr, batch, epochs, seed. */
export function runSetup(result: ExperimentResult): Record<string, string> {
  const c: ExperimentConfig = result.config;
  const limits = [c.data.trainLimit ? `${c.data.trainLimit} train` : '', c.data.testLimit ? `${c.data.testLimit} test` : ''].filter(Boolean).join(', ');
  const overrides = c.network.layers.filter((l) => (l.type === 'linear' || l.type === 'conv2d') && (l.device !== undefined || l.algorithm !== undefined)).length;
  const { lr, lrDecayEvery, lrDecayFactor } = c.training;
  return {
    dataset: `${result.dataset}${limits ? ` (first ${limits} samples)` : ''}`,
    network: result.network ?? c.network.layers.map((l) => l.type).join(' → '),
    device: describeChoice(c.device, 'preset') + (overrides ? ` (${overrides} layers override device or algorithm)` : ''),
    algorithm: describeChoice(c.algorithm, 'kind'),
    lr: `${lr}${lrDecayEvery ? `, × ${lrDecayFactor} every ${lrDecayEvery} epochs` : ''}`,
    batch: String(c.training.batch),
    epochs: result.epochs.length === c.training.epochs ? String(c.training.epochs) : `${result.epochs.length} of ${c.training.epochs}`,
    seed: String(c.seed),
  };
}

/** Data tables of one or more runs, the content of report.json (no new computation). */
export function reportData(runs: readonly ReportRun[]) {
  const defaults = parseExperiment({});
  return {
    runs: runs.map(({ label, result: r }) => ({
      label,
      name: r.name,
      status: r.status,
      dataset: r.dataset,
      setup: runSetup(r),
      changedFromDefaults: configDifference(r.config, defaults),
      final: r.epochs[r.epochs.length - 1] ?? null,
      epochs: r.epochs,
      pulses: Object.fromEntries(Object.entries(r.layers).map(([layer, report]) => [layer, report.pulsesByPurpose])),
      inference: r.inference ?? null,
    })),
  };
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function lineChart(title: string, values: object[], y: string, yTitle: string, extra: { dash?: string; logY?: boolean } = {}): Record<string, unknown> {
  return {
    $schema: SCHEMA,
    title,
    width: 420,
    height: 240,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: y, type: 'quantitative', title: yTitle, scale: extra.logY ? { type: 'log' } : { zero: false } },
      color: { field: 'run', type: 'nominal', title: null },
      ...(extra.dash ? { strokeDash: { field: extra.dash, type: 'nominal', title: null } } : {}),
    },
  };
}

/** The vega-lite specs of a report: curves, pulses and histograms, several runs overlaid. */
export function reportSpecs(runs: readonly ReportRun[]): { title: string; spec: Record<string, unknown> }[] {
  const perEpoch = runs.flatMap(({ label, result }) =>
    result.epochs.map((m) => ({ run: label, epoch: m.epoch, testAccuracy: 100 * m.testAccuracy, pulses: Object.values(m.pulsesByPurpose).reduce((a, b) => a + b, 0) })),
  );
  const losses = runs.flatMap(({ label, result }) =>
    result.epochs.flatMap((m) => [
      { run: label, epoch: m.epoch, split: 'train', loss: m.trainLoss },
      ...(m.testLoss !== undefined ? [{ run: label, epoch: m.epoch, split: 'test', loss: m.testLoss }] : []),
    ]),
  );
  const pulses = runs.flatMap(({ label, result }) =>
    Object.entries(result.layers).flatMap(([layer, report]) => Object.entries(report.pulsesByPurpose).filter(([, n]) => n > 0).map(([purpose, n]) => ({ run: label, layer, purpose, pulses: n }))),
  );
  const bars = (kind: 'weights' | 'symmetricPoints') =>
    runs.flatMap(({ label, result }) =>
      Object.entries(result.snapshots).flatMap(([layer, snap]) => {
        const h = snap[kind];
        return h ? h.counts.map((count, i) => ({ run: label, layer, from: h.edges[i]!, to: h.edges[i + 1]!, count })) : [];
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
    { title: 'Loss', spec: lineChart('Cross-entropy per epoch (solid: train, dashed: test)', losses, 'loss', 'cross-entropy', { dash: 'split' }) },
    { title: 'Test accuracy', spec: lineChart('Test accuracy per epoch', perEpoch, 'testAccuracy', 'accuracy (%)') },
    { title: 'Pulses per epoch', spec: lineChart('Pulses per epoch (all layers and purposes)', perEpoch, 'pulses', 'pulses') },
    {
      // One panel per purpose with its own scale: transfer pulses are often 100× fewer than
      // update pulses and would vanish in one stacked bar.
      title: 'Pulses by layer and purpose',
      spec: {
        $schema: SCHEMA,
        title: 'Total pulses by layer, one panel per purpose (own scale each)',
        data: { values: pulses },
        facet: { column: { field: 'purpose', type: 'nominal', title: null } },
        spec: {
          width: 200,
          mark: 'bar',
          encoding: {
            y: { field: 'layer', type: 'nominal', title: null },
            yOffset: { field: 'run' },
            x: { field: 'pulses', type: 'quantitative', axis: { format: '~s' } },
            color: { field: 'run', type: 'nominal', title: null },
            tooltip: [{ field: 'run' }, { field: 'layer' }, { field: 'purpose' }, { field: 'pulses', type: 'quantitative' }],
          },
        },
        resolve: { scale: { x: 'independent' } },
      },
    },
    { title: 'Weights', spec: histogramSpec('Final effective weights', bars('weights'), 'weight') },
  ];
  const sp = bars('symmetricPoints');
  if (sp.length > 0) specs.push({ title: 'Symmetric points', spec: histogramSpec('Symmetric points of the gradient arrays (SP − reference)', sp, 'symmetric point') });
  const drift = inferenceChart(runs);
  if (drift) specs.push({ title: 'Accuracy after programming', spec: drift });
  const chip = hardwareChart(runs);
  if (chip) specs.push({ title: 'Hardware estimate', spec: chip });
  return specs;
}

/** The run's estimated time (and energy, where set) on chip by purpose (docs/hardware-cost.md). */
function hardwareChart(runs: readonly ReportRun[]): Record<string, unknown> | null {
  const values = runs.flatMap(({ label, result }) => {
    const run = result.hardware?.run;
    // A run without analog tiles (digital SGD) has nothing on chip.
    if (!run || (run.total.time === 0 && run.total.energy === 0)) return [];
    const parts = { ...run.byPurpose, digital: run.digital };
    return Object.entries(parts).flatMap(([purpose, cost]) => [
      { run: label, purpose, quantity: 'time (s)', value: cost.time },
      ...(cost.energy > 0 ? [{ run: label, purpose, quantity: 'energy (J)', value: cost.energy }] : []),
    ]);
  });
  if (values.length === 0) return null;
  return {
    $schema: SCHEMA,
    title: 'Estimated on-chip cost of the whole run by purpose (test: the test-set reads)',
    data: { values },
    facet: { column: { field: 'quantity', type: 'nominal', title: null } },
    spec: {
      width: 260,
      height: { step: 14 },
      mark: 'bar',
      encoding: {
        y: { field: 'purpose', type: 'nominal', title: null },
        yOffset: { field: 'run', type: 'nominal' },
        x: { field: 'value', type: 'quantitative', title: null, axis: { format: '~s' } },
        color: { field: 'run', type: 'nominal', title: null },
      },
    },
    resolve: { scale: { x: 'independent' } },
  };
}

/** Test accuracy against read-out time (log axis), mean ± std over the draws (docs/inference.md). */
function inferenceChart(runs: readonly ReportRun[]): Record<string, unknown> | null {
  const values = runs.flatMap(({ label, result }) =>
    (result.inference?.points ?? [])
      .filter((p) => p.t > 0)
      .map((p) => ({ run: label, t: p.t, accuracy: 100 * p.mean, low: 100 * (p.mean - p.std), high: 100 * (p.mean + p.std) })),
  );
  if (values.length === 0) return null;
  const x = { field: 't', type: 'quantitative', title: 'seconds after programming', scale: { type: 'log' } };
  return {
    $schema: SCHEMA,
    title: 'Test accuracy over time after programming (band: ± 1 std over the draws)',
    width: 420,
    height: 220,
    data: { values },
    layer: [
      { mark: { type: 'errorband', opacity: 0.25 }, encoding: { x, y: { field: 'low', type: 'quantitative', title: 'accuracy (%)' }, y2: { field: 'high' }, color: { field: 'run', type: 'nominal', title: null } } },
      { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'accuracy', type: 'quantitative', scale: { zero: false } }, color: { field: 'run', type: 'nominal', title: null } } },
    ],
  };
}

const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** A self-contained HTML page: what ran, a summary table, the SVG plots inline and the config differences. */
export function reportHtml(runs: readonly ReportRun[], svgs: readonly { title: string; svg: string }[]): string {
  const data = reportData(runs);
  const setupKeys = Object.keys(data.runs[0]?.setup ?? {});
  const setup = `<table><tr><th>run</th>${setupKeys.map((k) => `<th class="text">${k}</th>`).join('')}</tr>\n${data.runs
    .map((r) => `<tr><td>${escape(r.label)}</td>${setupKeys.map((k) => `<td class="text">${escape((r.setup as Record<string, string>)[k] ?? '')}</td>`).join('')}</tr>`)
    .join('\n')}</table>`;
  const rows = data.runs
    .map((r) => {
      const f = r.final;
      const total = Object.values(r.pulses).reduce((sum, byPurpose) => sum + Object.values(byPurpose).reduce((a, b) => a + b, 0), 0);
      return `<tr><td>${escape(r.label)}</td><td>${r.status}</td><td>${r.epochs.length}</td><td>${f ? f.trainLoss.toFixed(4) : '–'}</td><td>${f?.testLoss !== undefined ? f.testLoss.toFixed(4) : '–'}</td><td>${f ? (100 * f.testAccuracy).toFixed(2) + ' %' : '–'}</td><td>${total.toExponential(3)}</td><td>${r.epochs.reduce((a, m) => a + m.seconds, 0).toFixed(1)} s</td></tr>`;
    })
    .join('\n');
  const diffs = data.runs
    .map((r) => `<h3>${escape(r.label)}</h3><pre>${escape(Object.entries(r.changedFromDefaults).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join('\n') || '(all defaults)')}</pre>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>aimsim report: ${escape(runs.map((r) => r.label).join(', '))}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:1200px}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child,td.text,th.text{text-align:left}figure{margin:1.5rem 0}pre{background:#f6f6f6;padding:8px}</style>
</head><body>
<h1>aimsim report</h1>
<h2>What ran</h2>
${setup}
<h2>Results</h2>
<table><tr><th>run</th><th>status</th><th>epochs</th><th>final train loss</th><th>final test loss</th><th>final test accuracy</th><th>pulses</th><th>time</th></tr>
${rows}
</table>
${svgs.map((s) => `<figure><figcaption><strong>${escape(s.title)}</strong></figcaption>${s.svg}</figure>`).join('\n')}
<h2>Config (difference from the defaults)</h2>
${diffs}
</body></html>
`;
}
