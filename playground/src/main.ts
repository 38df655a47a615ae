/**
 * The aimsim playground (issue 19): two views over one engine worker, their state in the URL.
 * `window.aimsimPlayground` lets tests (test/playground/) read what the page computed.
 */
import defaultYaml from '../../examples/00-default.yaml?raw';
import leastSquaresStudy from '../../examples/01-least-squares-study.json';
import { parse } from 'yaml';
import { DeviceExplorer } from './device-explorer.js';
import { Engine } from './engine.js';
import { LeastSquaresView } from './least-squares.js';
import { Training } from './training.js';
import { decodeState, encodeState, type SharedState, type View } from './url-state.js';
import './style.css';

const defaults: SharedState = {
  view: 'device',
  device: { name: 'soft-bounds-reference', overrides: {}, options: { devices: 100, pulses: 0, pairs: 0, seed: 0 } },
  train: parse(defaultYaml) as Record<string, unknown>,
  leastSquares: defaultLeastSquares(),
};

/** Chopped TTv2 on the asymmetric device of examples/01-least-squares-study.json (its base and run). */
function defaultLeastSquares(): Record<string, unknown> {
  const run = leastSquaresStudy.runs.find((r) => r.name === 'Chopped TTv2')!;
  const { condition: _condition, ...fields } = run;
  return { ...leastSquaresStudy.base, ...fields, steps: 10000, evaluateEvery: 100, seed: 0 };
}

const { state, problem } = decodeState(location.hash, defaults);
const notice = document.getElementById('notice')!;
if (problem) notice.textContent = problem;

// Threads: `?threads=N` in the address, else the cores the browser reports, at most 4 (the
// kernels split rows; more rarely pays). The numbers are the same for every count.
const asked = Number(new URLSearchParams(location.search).get('threads'));
const engine = new Engine(Number.isInteger(asked) && asked >= 1 && asked <= 16 ? asked : Math.min(4, Math.max(1, navigator.hardwareConcurrency || 1)));
const threadsLine = document.getElementById('threads')!;
void engine.ready.then(({ threads, why }) => {
  threadsLine.textContent = threads > 1 ? `engine: ${threads} kernel threads (cross-origin isolated)` : `engine: 1 thread${why ? ` (${why})` : ''}; the numbers are the same`;
  document.body.dataset['threads'] = String(threads);
});

const current: SharedState = structuredClone(state);
const remember = () => history.replaceState(null, '', encodeState(current));

const views: Record<View, HTMLElement> = {
  device: document.getElementById('view-device')!,
  train: document.getElementById('view-train')!,
  'least-squares': document.getElementById('view-least-squares')!,
};
const explorer = new DeviceExplorer(views.device, engine, current.device, (device) => {
  current.device = device;
  remember();
});
const training = new Training(views.train, engine, current.train, (config) => {
  current.train = config;
  remember();
});

const leastSquares = new LeastSquaresView(views['least-squares'], engine, current.leastSquares, (config) => {
  current.leastSquares = config;
  remember();
});

function show(view: View): void {
  current.view = view;
  for (const [name, section] of Object.entries(views)) section.hidden = name !== view;
  for (const tab of document.querySelectorAll<HTMLButtonElement>('[role="tab"]')) {
    const selected = tab.dataset['view'] === view;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
  }
  remember();
}
const tabs = Array.from(document.querySelectorAll<HTMLButtonElement>('[role="tab"]'));
tabs.forEach((tab, i) => {
  tab.addEventListener('click', () => show(tab.dataset['view'] as View));
  // Arrow keys move between tabs (WAI-ARIA tabs pattern).
  tab.addEventListener('keydown', (event) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = tabs[(i + step + tabs.length) % tabs.length]!;
    next.focus();
    show(next.dataset['view'] as View);
  });
});
show(current.view);

(window as unknown as { aimsimPlayground: unknown }).aimsimPlayground = {
  engineReady: engine.ready,
  device: () => explorer.last,
  results: () => training.results(),
  leastSquaresResults: () => leastSquares.results(),
  state: () => structuredClone(current),
};
