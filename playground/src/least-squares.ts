/**
 * Least squares, live (issue 19 §3): the papers' toy task, min ½‖W·x − y‖², trained on the
 * devices by the algorithms, as `aimsim study` runs one cell of a study (the seed seeds the task
 * too). The config is a least-squares run (the study's run fields); its task data may come from
 * dropped files (`task.file`, or `task.A` etc. naming a .npy or .json). The distance ‖W − W*‖ of
 * every run of the session is drawn on one plot, with the pulses, and W, W* and W − W* as
 * heatmaps. Export: a one-run study (YAML) that `aimsim study` reproduces bit for bit, and the
 * result (JSON).
 */
import type { LeastSquaresRecord, LeastSquaresResult } from '../../src/index.js';
import { Chart } from './charts.js';
import { algorithmChoices, choiceOf, numberOf, type Config } from './config.js';
import { ConfigEditor, dropZone } from './config-editor.js';
import type { Engine, RunMessage } from './engine.js';
import { download, toYaml } from './export.js';
import { Heatmap } from './heatmap.js';
import type { DroppedFile } from './protocol.js';
import { element, numberField, selectField, table, type Field } from './dom.js';
import { seededRun, studyOf } from './least-squares-study.js';

interface LeastSquaresRun {
  id: number;
  label: string;
  config: Config;
  status: 'running' | 'done' | 'stopped' | 'failed';
  steps: number[];
  distance: number[];
  pulses: number[];
  shape: { rows: number; cols: number; optimum: Float64Array } | null;
  last: LeastSquaresRecord | null;
  result: LeastSquaresResult | null;
  /** Its row's cells, updated in place (focus stays). */
  row: { status: HTMLElement; distance: HTMLElement; pulses: HTMLElement; files: HTMLElement; json: HTMLButtonElement | null };
}

export class LeastSquaresView {
  private config: Config;
  private files: DroppedFile[] = [];
  private readonly engine: Engine;
  private readonly changed: (config: Config) => void;
  private readonly quick = element('fieldset', { class: 'fields quick' });
  private readonly syncQuick: (config: Config) => void;
  private readonly editor: ConfigEditor;
  /** State changes, announced; the progress line is not (it changes with every record). */
  private readonly status = element('p', { id: 'ls-status', class: 'summary', role: 'status', 'aria-live': 'polite' });
  private readonly progress = element('p', { id: 'ls-progress', class: 'summary' });
  private readonly startButton = element('button', { type: 'button', id: 'ls-start' }, 'Start');
  private readonly stopButton = element('button', { type: 'button', id: 'ls-stop', disabled: '' }, 'Stop');
  private readonly runsBody = element('tbody');
  private readonly distance: Chart;
  private readonly pulses: Chart;
  private readonly weights: Heatmap;
  private readonly optimum: Heatmap;
  private readonly error: Heatmap;
  private readonly runs: LeastSquaresRun[] = [];
  private current: LeastSquaresRun | null = null;

  constructor(root: HTMLElement, engine: Engine, config: Config, changed: (config: Config) => void) {
    this.engine = engine;
    this.changed = changed;
    this.config = config;
    this.editor = new ConfigEditor(
      'ls-yaml', 'Least-squares run (YAML: the fields of a study’s run)', () => ['a least-squares run from the aimsim playground'],
      (edited) => {
        this.config = edited;
        this.syncQuick(edited);
        this.changed(edited);
      },
      () => this.setButtons(),
    );
    this.syncQuick = this.quickControls();
    const files = dropZone('ls-files', 'Task data (optional): .json or .npy files that task.file, task.A, task.optimum, task.b or task.initialWeights name', 'none: the task draws its data from the seed', (dropped) => {
      this.files = dropped;
      if (this.editor.problem !== null) return; // the user's YAML is mid-edit: leave it to them
      const task = { ...((this.config['task'] ?? {}) as Config) };
      // One JSON dropped and none named yet: take it as the task's file.
      const json = dropped.filter((f) => f.name.endsWith('.json'));
      if (json.length === 1 && task['file'] === undefined) this.setConfig({ ...this.config, task: { ...task, file: json[0]!.name } });
    });
    this.startButton.addEventListener('click', () => this.start());
    this.stopButton.addEventListener('click', () => this.current && this.engine.control('stop', this.current.id));
    const exportStudy = element('button', { type: 'button', id: 'ls-export' }, 'Export as study YAML');
    exportStudy.addEventListener('click', () => download('study.yaml', this.studyYaml(this.config), 'text/yaml'));
    const buttons = element('div', { class: 'buttons' });
    buttons.append(this.startButton, this.stopButton, exportStudy);
    const controls = element('section', { class: 'controls', 'aria-label': 'least-squares set-up' });
    controls.append(element('h3', {}, 'Least-squares run'), this.quick, files, this.editor.root, buttons, this.status, this.progress);

    const plots = element('section', { class: 'plots', 'aria-label': 'least-squares plots' });
    this.distance = new Chart(plots, { title: 'Distance ‖W − W*‖ to the optimum, every run of this session', x: 'step', y: '‖W − W*‖', series: [], logY: true });
    this.pulses = new Chart(plots, { title: 'Pulses so far (all arrays and purposes), every run', x: 'step', y: 'pulses', series: [] });
    const maps = element('div', { class: 'maps' });
    plots.append(maps);
    this.weights = new Heatmap(maps, 'W (trained, effective)');
    this.optimum = new Heatmap(maps, 'W* (the optimum)');
    this.error = new Heatmap(maps, 'W − W*');

    const runsSection = element('section', { class: 'runs', 'aria-label': 'least-squares runs' });
    runsSection.append(element('h3', {}, 'Runs'), table('ls-runs', ['run', 'status', 'final ‖W − W*‖', 'pulses', 'files'], this.runsBody));
    root.append(controls, plots, runsSection);
    this.setConfig(config);
  }

  /** A new config from the quick controls, a drop or the URL: the editor and the controls show it. */
  setConfig(config: Config): void {
    this.config = config;
    this.editor.show(config);
    this.syncQuick(config);
    this.changed(config);
    this.setButtons();
  }

  /** Builds the quick controls once; the function returned shows a config in them. */
  private quickControls(): (config: Config) => void {
    const set = (key: string, value: unknown) => this.setConfig({ ...this.config, [key]: value });
    const algorithm = selectField('ls-algorithm', 'Algorithm', algorithmChoices(), (v) => set('algorithm', v));
    const fields: [Field<number>, string, number][] = [
      [numberField('ls-lr', 'Learning rate', 0, (v) => set('lr', v), { integer: false, above: true }), 'lr', 0.01],
      [numberField('ls-steps', 'Steps', 1, (v) => set('steps', v)), 'steps', 2000],
      [numberField('ls-seed', 'Seed (devices, data and W*)', 0, (v) => set('seed', v)), 'seed', 0],
    ];
    this.quick.append(algorithm.root, ...fields.map(([field]) => field.root));
    return (config) => {
      algorithm.show(choiceOf(config['algorithm'] ?? 'sgd'));
      for (const [field, key, fallback] of fields) field.show(numberOf(config[key], fallback));
    };
  }

  private setButtons(): void {
    const running = this.current?.status === 'running';
    this.startButton.disabled = running || this.editor.problem !== null;
    this.quick.disabled = this.editor.problem !== null;
    this.stopButton.disabled = !running;
    document.body.dataset['leastSquares'] = this.current?.status ?? 'idle';
  }

  private studyYaml(config: Config): string {
    return toYaml(studyOf(config), ['a one-run study from the aimsim playground; run it with: npx aimsim study <this file> --out results.json', 'task files (task.file, task.A, …) are read next to this file']);
  }

  private start(): void {
    const config = structuredClone(this.config);
    const run: LeastSquaresRun = {
      id: 0, label: `${String(config['name'] ?? 'least-squares')} #${this.runs.length + 1}`, config, status: 'running',
      steps: [], distance: [], pulses: [], shape: null, last: null, result: null, row: this.addRow(config),
    };
    run.id = this.engine.leastSquares(seededRun(config), this.files, (message) => this.onMessage(run, message));
    this.runs.push(run);
    this.current = run;
    this.status.textContent = 'running…';
    this.progress.textContent = '';
    this.status.classList.remove('error');
    this.update(run);
  }

  private onMessage(run: LeastSquaresRun, message: RunMessage): void {
    if (message.type === 'least-squares-start') {
      run.shape = { rows: message.rows, cols: message.cols, optimum: message.optimum };
    } else if (message.type === 'least-squares-record') {
      run.steps.push(message.record.step);
      run.distance.push(message.record.distance);
      run.pulses.push(message.record.pulses);
      run.last = message.record;
      this.progress.textContent = `step ${message.record.step}: ‖W − W*‖ = ${message.record.distance.toPrecision(4)}`;
    } else if (message.type === 'least-squares-done') {
      run.result = message.result;
      run.status = message.result.stoppedAt === undefined ? 'done' : 'stopped';
      this.status.textContent = `${run.status}: ‖W − W*‖ = ${message.result.finalDistance.toPrecision(4)} after ${message.result.steps.at(-1)} steps, ${message.result.report.totalPulses.toLocaleString('en')} pulses`;
    } else if (message.type === 'error') {
      run.status = 'failed';
      this.status.textContent = message.message;
      this.status.classList.add('error');
    }
    this.update(run);
  }

  private update(run: LeastSquaresRun): void {
    this.setButtons();
    this.drawCurves();
    if (run.shape && run.last) {
      const { rows, cols, optimum } = run.shape;
      // One colour scale for the three maps: that of W*.
      const range = optimum.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || undefined;
      this.weights.draw(run.last.weights, rows, cols, '', range);
      this.optimum.draw(optimum, rows, cols, '', range);
      this.error.draw(run.last.weights.map((w, k) => w - optimum[k]!), rows, cols, '', range);
    }
    this.renderRow(run);
  }

  /** Every run's curve on one step axis (runs recorded at other steps leave gaps). */
  private drawCurves(): void {
    const shown = this.runs.filter((run) => run.steps.length > 0);
    const steps = [...new Set(shown.flatMap((run) => run.steps))].sort((a, b) => a - b);
    const column = (run: LeastSquaresRun, values: number[]) => {
      const at = new Map(run.steps.map((s, i) => [s, values[i]!]));
      return steps.map((s) => at.get(s) ?? null);
    };
    this.distance.setSeries(shown.map((run) => run.label));
    this.distance.setData(steps, shown.map((run) => column(run, run.distance.map((d) => Math.max(d, 1e-12)))));
    this.pulses.setSeries(shown.map((run) => run.label));
    this.pulses.setData(steps, shown.map((run) => column(run, run.pulses)));
  }

  private addRow(config: Config): LeastSquaresRun['row'] {
    const row = element('tr');
    const label = `${String(config['name'] ?? 'least-squares')} #${this.runs.length + 1}`;
    const study = element('button', { type: 'button', class: 'export-yaml' }, 'study.yaml');
    study.addEventListener('click', () => download('study.yaml', this.studyYaml(config), 'text/yaml'));
    const cells = { label: element('td', {}, label), status: element('td'), distance: element('td'), pulses: element('td'), files: element('td') };
    cells.files.append(study);
    row.append(...Object.values(cells));
    this.runsBody.append(row);
    return { status: cells.status, distance: cells.distance, pulses: cells.pulses, files: cells.files, json: null };
  }

  private renderRow(run: LeastSquaresRun): void {
    const distance = run.result?.finalDistance ?? run.distance.at(-1);
    run.row.status.textContent = run.status;
    run.row.distance.textContent = distance === undefined ? '–' : distance.toPrecision(4);
    run.row.pulses.textContent = (run.result?.report.totalPulses ?? run.pulses.at(-1) ?? 0).toLocaleString('en');
    if (run.result && !run.row.json) {
      const json = element('button', { type: 'button', class: 'export-json' }, 'result.json');
      json.addEventListener('click', () => download('result.json', JSON.stringify(run.result, null, 2), 'application/json'));
      run.row.files.append(' ', json);
      run.row.json = json;
    }
  }

  /** For the page's test hook: the finished runs' results, in order. */
  results(): LeastSquaresResult[] {
    return this.runs.flatMap((run) => (run.result ? [run.result] : []));
  }
}
