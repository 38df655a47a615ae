/**
 * The device explorer (issue 19 §2): a preset or kind, its fields in a form generated from the
 * schema, and at once the step sizes Δ±(g), the SPs over devices, the alternating sequence and
 * the pulse-by-pulse response of a few devices, computed by the engine's `characterizeDevice`
 * (the CLI's `aimsim device`). Export: the device as YAML for a config.
 */
import { deviceFieldsJsonSchema, devicePresets, deviceKinds, findDevicePreset, type DeviceCharacterization, type DeviceKind } from '../../src/index.js';
import { Chart, histogram } from './charts.js';
import type { Engine } from './engine.js';
import { download, toYaml } from './export.js';
import { element } from './dom.js';
import { renderSchemaForm, type FieldSchema } from './schema-form.js';
import type { DeviceState } from './url-state.js';

const fmt = (v: number | null) => (v === null ? '∞' : Number(v.toPrecision(4)).toString());

export class DeviceExplorer {
  private readonly form = element('div', { class: 'fields' });
  private readonly summary = element('p', { class: 'summary', role: 'status', 'aria-live': 'polite' });
  private readonly steps: Chart;
  private readonly symmetric: Chart;
  private readonly alternating: Chart;
  private readonly devices: Chart;
  private requested = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  last: DeviceCharacterization | null = null;

  private readonly engine: Engine;
  private state: DeviceState;
  private readonly changed: (state: DeviceState) => void;

  constructor(root: HTMLElement, engine: Engine, state: DeviceState, changed: (state: DeviceState) => void) {
    this.engine = engine;
    this.state = state;
    this.changed = changed;
    const controls = element('section', { class: 'controls', 'aria-label': 'device' });
    const chooser = element('select', { id: 'device-name' });
    const presets = element('optgroup', { label: 'presets (fitted to measured devices)' });
    for (const preset of devicePresets) presets.append(element('option', { value: preset.name }, `${preset.name} (${preset.kind})`));
    const kinds = element('optgroup', { label: 'model kinds (their defaults)' });
    for (const kind of deviceKinds) kinds.append(element('option', { value: kind }, kind));
    chooser.append(presets, kinds);
    chooser.value = state.name;
    chooser.addEventListener('change', () => this.update({ ...this.state, name: chooser.value, overrides: {} }, true));

    const options = element('div', { class: 'fields options' });
    renderSchemaForm(options, 'characterize', {
      devices: { type: 'number', minimum: 1, maximum: 10000, description: 'devices (device-to-device samples)' },
      pulses: { type: 'number', minimum: 0, maximum: 20000, description: 'pulses per direction of the response; 0 = 2 × states' },
      pairs: { type: 'number', minimum: 0, maximum: 60000, description: 'alternating up/down pairs; 0 = 3 × pulses' },
      seed: { type: 'number', minimum: 0, description: 'random seed' },
    }, state.options, (name, value) => this.update({ ...this.state, options: { ...this.state.options, [name]: Math.max(0, Math.round(Number(value))) } }));

    const exportButton = element('button', { type: 'button', id: 'device-export' }, 'Export device YAML');
    exportButton.addEventListener('click', () => download(`${this.state.name}.yaml`, this.yaml(), 'text/yaml'));
    const reset = element('button', { type: 'button', id: 'device-reset' }, 'Reset fields');
    reset.addEventListener('click', () => this.update({ ...this.state, overrides: {} }, true));

    controls.append(
      element('label', { for: 'device-name' }, 'Device preset or kind'), chooser,
      element('p', { class: 'citation', id: 'device-citation' }),
      element('h3', {}, 'Characterisation'), options,
      element('h3', {}, 'Device fields'), this.form,
      element('div', { class: 'buttons' }),
    );
    controls.lastElementChild!.append(exportButton, reset);

    const plots = element('section', { class: 'plots', 'aria-label': 'device plots' });
    plots.append(this.summary);
    this.steps = new Chart(plots, { title: 'Step size Δw of one pulse against the conductance g (mean device)', x: 'conductance g', y: 'Δw', series: ['up Δ⁺(g)', 'down Δ⁻(g)'] });
    this.symmetric = new Chart(plots, { title: 'Symmetric points over devices (SP − reference)', x: 'effective SP', y: 'devices', series: ['devices'], bars: true });
    this.alternating = new Chart(plots, { title: 'Alternating ± pulses from 0: mean ± std over devices', x: 'pulse', y: 'weight', series: ['mean', 'mean − std', 'mean + std'] });
    this.devices = new Chart(plots, { title: 'Pulse by pulse: N up then N down, first devices', x: 'pulse', y: 'weight', series: ['device 1', 'device 2', 'device 3', 'device 4', 'device 5'] });
    root.append(controls, plots);
    this.update(state, true);
  }

  private kind(): DeviceKind {
    return (findDevicePreset(this.state.name)?.kind ?? this.state.name) as DeviceKind;
  }

  /** The effective field values: the preset's over the kind's defaults, then the user's. */
  private values(): Record<string, unknown> {
    const fields = deviceFieldsJsonSchema(this.kind()) as Record<string, FieldSchema>;
    const defaults = Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.default]));
    return { ...defaults, ...(findDevicePreset(this.state.name)?.values ?? {}), ...this.state.overrides };
  }

  private update(state: DeviceState, redrawForm = false): void {
    this.state = state;
    this.changed(state);
    if (redrawForm) {
      const kind = this.kind();
      const citation = findDevicePreset(state.name)?.citation;
      document.getElementById('device-citation')!.textContent = citation ? `Source: ${citation}` : `Model kind ${kind} with its defaults.`;
      renderSchemaForm(this.form, 'device', deviceFieldsJsonSchema(kind) as Record<string, FieldSchema>, this.values(), (name, value) => {
        this.update({ ...this.state, overrides: { ...this.state.overrides, [name]: value } });
      });
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.compute(), 150);
  }

  private async compute(): Promise<void> {
    const id = ++this.requested;
    this.summary.textContent = 'computing…';
    this.summary.classList.remove('error');
    try {
      const result = await this.engine.characterize(this.state.name, this.state.overrides, this.state.options);
      if (id !== this.requested) return;
      this.last = result;
      this.draw(result);
    } catch (error) {
      if (id !== this.requested) return;
      this.summary.textContent = (error as Error).message;
      this.summary.classList.add('error');
    }
  }

  private draw(r: DeviceCharacterization): void {
    const sp = r.symmetricPoint;
    this.summary.replaceChildren(
      element('span', {}, `${r.devices} devices, seed ${r.seed} · granularity ${fmt(r.granularity)} · states ${r.states === null ? '∞' : fmt(Math.round(r.states * 10) / 10)} · `),
      element('span', { id: 'device-sp', 'data-value': String(sp.meanDevice), 'data-mean': String(sp.mean) }, `SP of the mean device ${fmt(sp.meanDevice)}`),
      element('span', {}, ` · SP over devices ${fmt(sp.mean)} ± ${fmt(sp.std)} (${sp.method}) · measured ${fmt(sp.measured.mean)} ± ${fmt(sp.measured.std)} · steps: ${r.equation}`),
    );
    const detail = r.detail!;
    this.steps.setData(detail.steps.conductance, [detail.steps.up, detail.steps.down]);
    const spHistogram = histogram(detail.symmetricPoints);
    this.symmetric.setData(spHistogram.centres, [spHistogram.counts]);
    const a = r.alternating;
    this.alternating.setData(a.pulse, [a.mean, a.mean.map((m, i) => m - a.std[i]!), a.mean.map((m, i) => m + a.std[i]!)]);
    this.devices.setSeries(detail.devices.weights.map((_, k) => `device ${k + 1}`));
    this.devices.setData(detail.devices.pulse, detail.devices.weights);
  }

  /** A config's `device` section: the preset or kind and the fields the user changed. */
  yaml(): string {
    const device = Object.keys(this.state.overrides).length === 0 ? this.state.name : { preset: this.state.name, ...this.state.overrides };
    return toYaml({ device }, [`aimsim device from the playground: ${this.state.name}`, 'use it in a config, or: aimsim device <preset> --set field=value']);
  }
}
