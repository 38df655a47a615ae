import type { DeviceCharacterization, Trace } from '../tile/characterize-device.js';

type Row = { pulse: number; mean: number; low: number; high: number; series: string };

function rows(trace: Trace, series: string): Row[] {
  return trace.pulse.map((pulse, i) => ({
    pulse,
    mean: trace.mean[i]!,
    low: trace.mean[i]! - trace.std[i]!,
    high: trace.mean[i]! + trace.std[i]!,
    series,
  }));
}

function panel(title: string, values: Row[], yTitle: string, rule?: { value: number; label: string }) {
  const x = { field: 'pulse', type: 'quantitative', title: 'pulse number' } as const;
  const layers: unknown[] = [
    { mark: { type: 'area', opacity: 0.25 }, encoding: { x, y: { field: 'low', type: 'quantitative', title: yTitle }, y2: { field: 'high' } } },
    { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y: { field: 'mean', type: 'quantitative' } } },
  ];
  if (rule) {
    layers.push({
      data: { values: [{ y: rule.value, label: rule.label }] },
      mark: { type: 'rule', strokeDash: [4, 3], color: '#c0392b' },
      encoding: { y: { field: 'y', type: 'quantitative' }, tooltip: [{ field: 'label' }] },
    });
  }
  return { title, width: 520, height: 220, data: { values }, layer: layers };
}

/**
 * Vega-lite spec of a device characterisation: the response curve (N up then N down pulses) and
 * the alternating sequence with the mean symmetric point; mean ± std over devices as a band.
 */
export function devicePlotSpec(result: DeviceCharacterization): Record<string, unknown> {
  const sp = result.symmetricPoint;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `aimsim device ${result.name} (${result.kind})`, subtitle: `${result.devices} devices, seed ${result.seed}; band = ±1 std over devices` },
    vconcat: [
      panel(`Response: ${result.response.pulses} up then ${result.response.pulses} down pulses`, rows(result.response, 'response'), 'weight w'),
      panel(
        `Alternating ± pulses; dashed: mean symmetric point ${sp.effective.mean.toPrecision(3)}`,
        rows(result.alternating, 'alternating'),
        'weight w',
        { value: sp.effective.mean, label: 'mean SP' },
      ),
    ],
  };
}
