/**
 * The aimsim playground (issue 19): two views over one engine worker, their state in the URL.
 * `window.aimsimPlayground` lets tests (test/playground/) read what the page computed.
 */
import defaultYaml from '../../examples/00-default.yaml?raw';
import leastSquaresStudy from '../../examples/01-least-squares-study.json';
import { parse } from 'yaml';
import { deviceNames } from '../../src/index.js';
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
// A link may name a device this version does not have (a typo, a renamed preset).
if (!deviceNames().includes(state.device.name)) {
  notice.textContent = `the link’s device ${JSON.stringify(state.device.name)} is not a preset or kind of this version; showing ${defaults.device.name}`;
  state.device = defaults.device;
}

// Threads: `?threads=N` in the address, else the cores the browser reports, at most 4 (the
// kernels split rows; more rarely pays). The numbers are the same for every count.
const asked = Number(new URLSearchParams(location.search).get('threads'));
const engine = new Engine(Number.isInteger(asked) && asked >= 1 && asked <= 16 ? asked : Math.min(4, Math.max(1, navigator.hardwareConcurrency || 1)));
const threadsLine = document.getElementById('threads')!;
function showThreads(threads: number, why: string | null): void {
  threadsLine.classList.toggle('problem', threads === 0);
  if (threads === 0) threadsLine.textContent = `engine: ${why}`;
  else threadsLine.textContent = threads > 1 ? `engine: ${threads} kernel threads (cross-origin isolated)` : `engine: 1 thread${why ? ` (${why})` : ''}; the numbers are the same`;
  document.body.dataset['threads'] = String(threads);
}
void engine.ready.then(({ threads, why }) => showThreads(threads, why));
engine.onThreads = showThreads;

const current: SharedState = structuredClone(state);
// The address follows the set-up, a moment after the last change (browsers limit how often a
// page may rewrite it).
let written = location.hash;
let timer: ReturnType<typeof setTimeout> | null = null;
function remember(): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    written = encodeState(current);
    history.replaceState(null, '', written);
  }, 250);
}
// Another playground link pasted into this tab: load its set-up.
window.addEventListener('hashchange', () => {
  if (location.hash !== written) location.reload();
});

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
    const target = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = tabs[(target + tabs.length) % tabs.length]!;
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
