/**
 * Live training (issue 19 §3): a config (quick controls over a YAML editor that holds all of it),
 * the embedded dataset or dropped IDX files, start / pause / resume / stop, live loss, accuracy,
 * pulses by purpose and by tile, the weights and SPs of a layer as heatmaps, runs compared side
 * by side with the HTML report's own vega-lite specs, and the config (YAML) and results (JSON)
 * to take to the CLI, which reproduces the run bit for bit.
 */
import { deviceNames, renderSvg, reportSpecs, type ExperimentResult, type LiveEvent } from '../../src/index.js';
import { Chart } from './charts.js';
import { algorithmChoices, choiceOf, numberOf, type Config } from './config.js';
import { ConfigEditor, dropZone } from './config-editor.js';
import { element, numberField, selectField, table } from './dom.js';
import type { Engine, RunMessage } from './engine.js';
import { download } from './export.js';
import { Heatmap } from './heatmap.js';
import type { DroppedFile } from './protocol.js';

/** Live weights and pulses every this many batches (and at each epoch's end). */
const LIVE_EVERY = 5;
/** The progress line is rewritten every this many batches. */
const PROGRESS_EVERY = 5;

/** Networks a newcomer can pick without writing layers (the YAML editor takes any). */
const NETWORKS: Record<string, { label: string; layers: unknown[] }> = {
  mlp: {
    label: 'MLP 196-64-10, sigmoid (the default)',
    layers: [{ type: 'flatten' }, { type: 'linear', outputs: 64, bias: 'digital', analog: true }, { type: 'sigmoid' }, { type: 'linear', outputs: 10, bias: 'digital', analog: true }],
  },
  deep: {
    label: 'MLP 196-128-64-10, ReLU',
    layers: [{ type: 'flatten' }, { type: 'linear', outputs: 128 }, { type: 'relu' }, { type: 'linear', outputs: 64 }, { type: 'relu' }, { type: 'linear', outputs: 10 }],
  },
  cnn: {
    label: 'CNN: conv 8×3×3, ReLU, max-pool 2, linear 10',
    layers: [{ type: 'conv2d', channels: 8, kernel: 3, padding: 1 }, { type: 'relu' }, { type: 'maxpool', kernel: 2 }, { type: 'flatten' }, { type: 'linear', outputs: 10 }],
  },
};

/** Drops the points at `x` and after it (a replayed stretch of a resumed run) from a series' columns. */
function keepBefore(x: number, xs: number[], ...columns: unknown[][]): void {
  if (xs.length === 0 || xs[xs.length - 1]! < x) return; // the usual case: a new point
  const at = xs.findIndex((value) => value >= x);
  if (at < 0) return;
  for (const column of [xs, ...columns]) column.length = Math.min(column.length, at);
}

function configHeader(config: Config): string[] {
  const header = ['aimsim config from the playground; run it with: npx aimsim run <this file>'];
  const data = (config['data'] ?? {}) as Config;
  if (data['dataset'] && data['dataset'] !== 'embedded-fashion-mnist' && !data['path']) header.push('data.path: the folder holding the dataset files (fashion-mnist defaults to Debian’s)');
  return header;
}

interface RunView {
  id: number;
  label: string;
  config: Config;
  status: 'starting' | 'running' | 'paused' | 'done' | 'stopped' | 'failed';
  losses: { step: number[]; loss: number[] };
  epochs: { epoch: number[]; accuracy: number[] };
  pulses: { step: number[]; byPurpose: Record<string, number[]>; byTile: Record<string, number[]> };
  live: LiveEvent | null;
  result: ExperimentResult | null;
  partial: ExperimentResult | null;
  batchesPerEpoch: number;
  /** Its row in the runs table: built once, its cells updated in place (focus stays). */
  row: { status: HTMLElement; accuracy: HTMLElement; pick: HTMLInputElement; files: HTMLElement; json: HTMLButtonElement | null };
}

/** The quick controls: each shows its part of the config, and writes it back. */
interface QuickControl {
  root: HTMLElement;
  sync(config: Config): void;
}

export class Training {
  private config: Config;
  private files: DroppedFile[] = [];
  private readonly editor = new ConfigEditor(
    'config-yaml', 'Config (YAML, the CLI’s format: every field of `aimsim schema`)', (config) => configHeader(config),
    (config) => {
      this.config = config;
      this.syncQuick();
      this.changed(config);
    },
    () => this.setButtons(),
  );
  private readonly quick = element('fieldset', { class: 'fields quick' });
  private readonly controls: QuickControl[];
  /** State changes, announced; the progress line below is not (it changes every few batches). */
  private readonly status = element('p', { id: 'run-status', class: 'summary', role: 'status', 'aria-live': 'polite' });
  private readonly progress = element('p', { id: 'run-progress', class: 'summary' });
  private readonly startButton = element('button', { type: 'button', id: 'run-start' }, 'Start');
  private readonly pauseButton = element('button', { type: 'button', id: 'run-pause', disabled: '' }, 'Pause');
  private readonly stopButton = element('button', { type: 'button', id: 'run-stop', disabled: '' }, 'Stop');
  private readonly runsBody = element('tbody');
  private readonly compareArea = element('div', { class: 'compare', id: 'compare' });
  private readonly layerChoice = element('select', { id: 'layer-choice' });
  private readonly loss: Chart;
  private readonly accuracy: Chart;
  private readonly purposes: Chart;
  private readonly tiles: Chart;
  private readonly weightsMap: Heatmap;
  private readonly spMap: Heatmap;
  private readonly runs: RunView[] = [];
  private current: RunView | null = null;
  private shown: RunView | null = null;

  private readonly engine: Engine;
  private readonly changed: (config: Config) => void;

  constructor(root: HTMLElement, engine: Engine, config: Config, changed: (config: Config) => void) {
    this.engine = engine;
    this.changed = changed;
    this.config = config;
    const controls = element('section', { class: 'controls', 'aria-label': 'run set-up' });
    this.controls = this.quickControls();
    this.quick.append(...this.controls.map((control) => control.root));
    const files = dropZone('data-files', 'Dataset files (optional): the four IDX files of Fashion-MNIST or MNIST, dropped here or chosen', 'none: the embedded 14×14 Fashion-MNIST subset needs no files', (dropped) => {
      this.files = dropped;
      if (this.editor.problem !== null) return; // the user's YAML is mid-edit: leave it to them
      const data = { ...(this.config['data'] as Config | undefined) };
      if ((data['dataset'] ?? 'embedded-fashion-mnist') === 'embedded-fashion-mnist') data['dataset'] = 'fashion-mnist';
      this.setConfig({ ...this.config, data });
    });
    this.startButton.addEventListener('click', () => this.start());
    this.pauseButton.addEventListener('click', () => this.pauseOrResume());
    this.stopButton.addEventListener('click', () => this.current && this.engine.control('stop', this.current.id));
    const buttons = element('div', { class: 'buttons' });
    buttons.append(this.startButton, this.pauseButton, this.stopButton);
    const exportYaml = element('button', { type: 'button', id: 'config-export' }, 'Export config YAML');
    exportYaml.addEventListener('click', () => download(`${String(this.config['name'] ?? 'playground')}.yaml`, this.editor.yaml(this.config), 'text/yaml'));
    buttons.append(exportYaml);

    controls.append(
      element('h3', {}, 'Run'), this.quick, files, this.editor.root, buttons, this.status, this.progress,
    );

    const plots = element('section', { class: 'plots', 'aria-label': 'live training' });
    this.loss = new Chart(plots, { title: 'Training loss per mini-batch', x: 'step', y: 'cross-entropy', series: ['loss'] });
    this.accuracy = new Chart(plots, { title: 'Test accuracy after each epoch', x: 'epoch', y: 'accuracy %', series: ['test accuracy'], points: true });
    this.purposes = new Chart(plots, { title: 'Pulses so far, by purpose', x: 'step', y: 'pulses', series: [] });
    this.tiles = new Chart(plots, { title: 'Pulses so far, by layer and tile', x: 'step', y: 'pulses', series: [] });
    const maps = element('div', { class: 'maps' });
    maps.append(element('label', { for: 'layer-choice' }, 'Layer'), this.layerChoice);
    this.layerChoice.addEventListener('change', () => this.drawMaps());
    plots.append(maps);
    this.weightsMap = new Heatmap(maps, 'Weights');
    this.spMap = new Heatmap(maps, 'Symmetric points of the gradient array (SP − reference)');

    const runsSection = element('section', { class: 'runs', 'aria-label': 'runs' });
    const runs = table('runs', ['compare', 'run', 'status', 'test accuracy', 'files'], this.runsBody);
    const compareButton = element('button', { type: 'button', id: 'compare-button' }, 'Compare selected runs');
    compareButton.addEventListener('click', () => void this.compare());
    runsSection.append(element('h3', {}, 'Runs'), runs, compareButton, this.compareArea);

    root.append(controls, plots, runsSection);
    this.setConfig(config);
  }

  private quickControls(): QuickControl[] {
    const section = (config: Config, name: string) => (config[name] ?? {}) as Config;
    const set = (path: [string, string], value: unknown) => {
      const next = { ...section(this.config, path[0]), [path[1]]: value };
      if (value === undefined) delete next[path[1]];
      this.setConfig({ ...this.config, [path[0]]: next });
    };
    const networkKey = (config: Config) => {
      const layers = JSON.stringify(section(config, 'network')['layers'] ?? NETWORKS['mlp']!.layers);
      return Object.entries(NETWORKS).find(([, n]) => JSON.stringify(n.layers) === layers)?.[0] ?? 'custom layers';
    };
    const network = selectField('quick-network', 'Network', Object.entries(NETWORKS).map(([k, n]) => [k, n.label]), (v) => this.setConfig({ ...this.config, network: { layers: NETWORKS[v]!.layers } }));
    const device = selectField('quick-device', 'Device', deviceNames().map((n) => [n, n]), (v) => this.setConfig({ ...this.config, device: v }));
    const algorithm = selectField('quick-algorithm', 'Algorithm', algorithmChoices(), (v) => this.setConfig({ ...this.config, algorithm: v }));
    const lr = numberField('quick-lr', 'Learning rate', 0, (v) => set(['training', 'lr'], v), { integer: false, above: true });
    const epochs = numberField('quick-epochs', 'Epochs', 1, (v) => set(['training', 'epochs'], v));
    const batch = numberField('quick-batch', 'Mini-batch', 1, (v) => set(['training', 'batch'], v));
    const limit = numberField('quick-train-limit', 'Training samples (0 = all)', 0, (v) => set(['data', 'trainLimit'], v >= 1 ? v : undefined));
    const seed = numberField('quick-seed', 'Seed', 0, (v) => this.setConfig({ ...this.config, seed: v }));
    return [
      { root: network.root, sync: (c) => network.show({ value: networkKey(c) }) },
      { root: device.root, sync: (c) => device.show(choiceOf(c['device'] ?? 'soft-bounds-reference')) },
      { root: algorithm.root, sync: (c) => algorithm.show(choiceOf(c['algorithm'] ?? 'c-ttv2')) },
      { root: lr.root, sync: (c) => lr.show(numberOf(section(c, 'training')['lr'], 0.1)) },
      { root: epochs.root, sync: (c) => epochs.show(numberOf(section(c, 'training')['epochs'], 10)) },
      { root: batch.root, sync: (c) => batch.show(numberOf(section(c, 'training')['batch'], 10)) },
      { root: limit.root, sync: (c) => limit.show(numberOf(section(c, 'data')['trainLimit'], 0)) },
      { root: seed.root, sync: (c) => seed.show(numberOf(c['seed'], 0)) },
    ];
  }

  private syncQuick(): void {
    for (const control of this.controls) control.sync(this.config);
  }

  /** A new config from the quick controls, a drop or the URL: the editor and the controls show it. */
  setConfig(config: Config): void {
    this.config = config;
    this.editor.show(config);
    this.syncQuick();
    this.changed(config);
    this.setButtons();
  }

  private setButtons(): void {
    const active = this.current && (this.current.status === 'running' || this.current.status === 'starting' || this.current.status === 'paused');
    // A config whose YAML does not parse is not started (the last one that parsed is not what the
    // user sees), and the quick controls wait too: writing the YAML anew would drop the user's text.
    this.startButton.disabled = Boolean(active) || this.editor.problem !== null;
    this.quick.disabled = this.editor.problem !== null;
    this.pauseButton.disabled = !active || this.current?.status === 'starting';
    this.pauseButton.textContent = this.current?.status === 'paused' ? 'Resume' : 'Pause';
    this.stopButton.disabled = !active;
    document.body.dataset['run'] = this.current?.status ?? 'idle';
  }

  private start(): void {
    const config = structuredClone(this.config);
    const label = `${String(config['name'] ?? 'experiment')} #${this.runs.length + 1}`;
    const run: RunView = {
      id: 0, label, config, status: 'starting',
      losses: { step: [], loss: [] }, epochs: { epoch: [], accuracy: [] }, pulses: { step: [], byPurpose: {}, byTile: {} },
      live: null, result: null, partial: null, batchesPerEpoch: 1, row: this.addRow(label, config),
    };
    run.id = this.engine.train(config, LIVE_EVERY, this.files, (message) => this.onMessage(run, message));
    this.runs.push(run);
    this.current = run;
    this.shown = run;
    this.status.textContent = 'starting…';
    this.progress.textContent = '';
    this.status.classList.remove('error');
    this.updateRow(run);
    this.setButtons();
  }

  private pauseOrResume(): void {
    const run = this.current;
    if (!run) return;
    if (run.status === 'paused') {
      run.status = 'running';
      run.partial = null;
      this.status.classList.remove('error');
      this.engine.control('resume', run.id);
    } else this.engine.control('pause', run.id);
    this.setButtons();
  }

  private onMessage(run: RunView, message: RunMessage): void {
    if (message.type === 'error') {
      run.status = 'failed';
      this.status.textContent = message.message;
      this.status.classList.add('error');
    } else if (message.type === 'died') {
      run.status = 'paused';
      run.partial = null; // no result was made at the death; a Stop now keeps none
      this.status.textContent = message.message;
      this.status.classList.add('error');
    } else if (message.type === 'paused') {
      run.status = 'paused';
      this.status.textContent = `paused after step ${run.losses.step.at(-1) ?? 0}; Resume continues from the checkpoint bit for bit`;
    } else if (message.type === 'stopped') {
      run.status = 'stopped';
      run.result = run.partial;
      this.status.textContent = 'stopped';
    } else if (message.type === 'event') {
      const event = message.event;
      if (event.type === 'start') {
        run.status = 'running';
        run.batchesPerEpoch = event.batchesPerEpoch;
        this.status.textContent = `${event.dataset}: ${event.network}`;
      } else if (event.type === 'batch') {
        const step = (event.epoch - 1) * event.batchesPerEpoch + event.batch;
        // A run resumed from an earlier checkpoint (after a kernel thread died) replays steps.
        keepBefore(step, run.losses.step, run.losses.loss);
        run.losses.step.push(step);
        run.losses.loss.push(event.loss);
        if (event.batch % PROGRESS_EVERY === 0 || event.batch === event.batchesPerEpoch) {
          this.progress.textContent = `epoch ${event.epoch}, step ${event.batch}/${event.batchesPerEpoch}, loss ${event.loss.toFixed(4)}`;
        }
      } else if (event.type === 'live') {
        this.takeLive(run, event);
      } else if (event.type === 'epoch') {
        keepBefore(event.metrics.epoch, run.epochs.epoch, run.epochs.accuracy);
        run.epochs.epoch.push(event.metrics.epoch);
        run.epochs.accuracy.push(100 * event.metrics.testAccuracy);
      } else if (event.type === 'done' && event.result.status === 'partial') {
        // A pause or a stop: the engine's next message says which; a stopped run keeps this result.
        run.partial = event.result;
      } else if (event.type === 'done') {
        run.result = event.result;
        run.status = 'done';
        const last = event.result.epochs.at(-1);
        this.status.textContent = last ? `done: test accuracy ${(100 * last.testAccuracy).toFixed(2)} % after ${last.epoch} epochs` : 'done';
      }
    }
    if (this.shown === run) this.drawCharts(run);
    this.updateRow(run);
    this.setButtons();
  }

  private takeLive(run: RunView, event: LiveEvent): void {
    const step = (event.epoch - 1) * run.batchesPerEpoch + event.batch;
    const { pulses } = run;
    keepBefore(step, pulses.step, ...Object.values(pulses.byPurpose), ...Object.values(pulses.byTile));
    const n = pulses.step.length;
    pulses.step.push(step);
    const add = (target: Record<string, number[]>, values: Record<string, number>) => {
      for (const [key, value] of Object.entries(values)) (target[key] ??= new Array<number>(n).fill(0)).push(value);
      for (const list of Object.values(target)) if (list.length === n) list.push(list.at(-1) ?? 0);
    };
    add(pulses.byPurpose, event.pulsesByPurpose);
    add(pulses.byTile, event.pulsesByTile);
    run.live = event;
  }

  private drawCharts(run: RunView): void {
    this.loss.setData(run.losses.step, [run.losses.loss]);
    this.accuracy.setData(run.epochs.epoch, [run.epochs.accuracy]);
    this.purposes.setSeries(Object.keys(run.pulses.byPurpose));
    this.purposes.setData(run.pulses.step, Object.values(run.pulses.byPurpose));
    this.tiles.setSeries(Object.keys(run.pulses.byTile));
    this.tiles.setData(run.pulses.step, Object.values(run.pulses.byTile));
    this.drawMaps();
  }

  /** The shown run's layers in the layer choice (kept when they are the same), then its maps. */
  private drawMaps(): void {
    const names = Object.keys(this.shown?.live?.layers ?? {});
    if (names.join() !== Array.from(this.layerChoice.options, (o) => o.value).join()) {
      const chosen = this.layerChoice.value;
      this.layerChoice.replaceChildren(...names.map((name) => element('option', { value: name }, name)));
      if (names.includes(chosen)) this.layerChoice.value = chosen;
    }
    const layer = this.shown?.live?.layers[this.layerChoice.value];
    if (!layer) {
      const why = this.shown?.live ? 'the network has no analog layer' : 'no live data yet';
      this.weightsMap.draw(null, 0, 0, why);
      this.spMap.draw(null, 0, 0, why);
      return;
    }
    this.weightsMap.draw(layer.weights, layer.rows, layer.cols);
    const spColumns = layer.symmetricPoints ? layer.symmetricPoints.length / layer.rows : layer.cols;
    this.spMap.draw(layer.symmetricPoints, layer.rows, spColumns, layer.symmetricPoints ? '' : 'a layer on several tiles, or one without pulsed devices');
  }

  /** A row for a new run in the runs table: its cells are kept and updated in place. */
  private addRow(label: string, config: Config): RunView['row'] {
    const row = element('tr');
    const pick = element('input', { type: 'checkbox', 'aria-label': `compare ${label}`, class: 'compare-pick', disabled: '' });
    const show = element('button', { type: 'button', class: 'link' }, label);
    show.addEventListener('click', () => {
      this.shown = this.runs.find((run) => run.label === label) ?? this.shown;
      if (this.shown) this.drawCharts(this.shown);
    });
    const yaml = element('button', { type: 'button', class: 'export-yaml' }, 'config.yaml');
    yaml.addEventListener('click', () => download('config.yaml', this.editor.yaml(config), 'text/yaml'));
    const cells = { pick: element('td'), show: element('td'), status: element('td'), accuracy: element('td'), files: element('td') };
    cells.pick.append(pick);
    cells.show.append(show);
    cells.files.append(yaml);
    row.append(...Object.values(cells));
    this.runsBody.append(row);
    return { status: cells.status, accuracy: cells.accuracy, pick, files: cells.files, json: null };
  }

  private updateRow(run: RunView): void {
    const accuracy = run.epochs.accuracy.at(-1);
    run.row.status.textContent = run.status;
    run.row.accuracy.textContent = accuracy === undefined ? '–' : `${accuracy.toFixed(2)} %${run.result ? '' : ' (so far)'}`;
    run.row.pick.disabled = !run.result;
    if (run.result && !run.row.json) {
      const json = element('button', { type: 'button', class: 'export-json' }, 'results.json');
      json.addEventListener('click', () => download('results.json', JSON.stringify(run.result, null, 2), 'application/json'));
      run.row.files.append(' ', json);
      run.row.json = json;
    }
  }

  /** The HTML report's figures for the picked finished runs, side by side in one set of plots. */
  private async compare(): Promise<void> {
    const picked = this.runs.filter((run) => run.result && run.row.pick.checked);
    if (picked.length === 0) {
      this.compareArea.textContent = 'Pick finished runs to compare (the boxes in the first column).';
      return;
    }
    this.compareArea.textContent = 'drawing…';
    let figures: { title: string; svg: string }[];
    try {
      const specs = reportSpecs(picked.map((run) => ({ label: run.label, result: run.result! })));
      figures = await Promise.all(specs.map(async ({ title, spec }) => ({ title, svg: await renderSvg(spec) })));
    } catch (error) {
      this.compareArea.textContent = `The comparison could not be drawn: ${(error as Error).message}`;
      return;
    }
    this.compareArea.replaceChildren(...figures.map(({ title, svg }) => {
      const figure = element('figure', { class: 'report-figure' });
      figure.append(element('figcaption', {}, title));
      const holder = element('div', { role: 'img', 'aria-label': title });
      holder.innerHTML = svg;
      figure.append(holder);
      return figure;
    }));
  }

  /** For the page's test hook: the finished runs' results, in order. */
  results(): ExperimentResult[] {
    return this.runs.flatMap((run) => (run.result ? [run.result] : []));
  }
}
