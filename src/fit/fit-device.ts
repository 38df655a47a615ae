import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { UserError } from '../core/errors.js';
import { summarize } from '../core/stats.js';
import { buildDevice, deviceFieldNames, type DeviceConfig } from '../devices/registry.js';
import { resolveDevice } from '../devices/resolve.js';
import type { DeviceResponse } from '../devices/response.js';
import { Rng } from '../rng/index.js';
import { stepsOf, type Steps, type Trace } from './traces.js';
import { exp, log } from '../core/math.js';

export const fitModels = ['soft-bounds', 'linear-step', 'pow-step', 'exp-step', 'piecewise-step', 'limited-state'] as const;
export type FitModel = (typeof fitModels)[number];

/** What the data say before any fit: the observed range and the typical step. */
interface DataSummary {
  hi: number;
  lo: number;
  range: number;
  /** Median |Δw| over the steps that moved (the piecewise scale, the limited-state level). */
  step: number;
  /** 90th percentile of |Δw|: near the largest steps, which a soft bound does not shrink yet. */
  bigStep: number;
}

/** A fitted parameter: its schema field, start value and allowed interval given the data. */
interface Parameter {
  field: string;
  init: (d: DataSummary) => number;
  min: (d: DataSummary) => number;
  max: (d: DataSummary) => number;
}

interface ModelSpec {
  parameters: (d: DataSummary) => Parameter[];
  /** Fields fixed from the data (e.g. the node grid's bounds), beside the fitted ones. */
  fixed: (d: DataSummary) => Record<string, unknown>;
  /** Whether the model's c2c noise is the relative `dwMinStd` (limited-state's is its switching). */
  relativeNoise: boolean;
  /** Further starting values of some parameters (the fit keeps the best start). */
  starts?: (d: DataSummary) => Record<string, number>[];
  /** The model needs b^min ≤ 0 ≤ b^max, so the data must reach both sides of 0. */
  bracketZero?: boolean;
  /** Fields taken from the data (the bounds, a step): parameters too, for the BIC. */
  dataParameters?: number;
}

/** Piecewise nodes fitted: equally spaced on [b^min, b^max] (piecewise-step's grid). */
export const PIECEWISE_NODES = 9;

/** A fitted bound beyond the data; `bracketZero` keeps b^max > 0 > b^min (soft bounds). */
const bound = (side: 'wMax' | 'wMin', bracketZero: boolean): Parameter =>
  side === 'wMax'
    ? { field: 'wMax', init: (d) => d.hi + 0.1 * d.range, min: (d) => (bracketZero ? Math.max(d.hi - 0.05 * d.range, 1e-9) : d.hi - 0.05 * d.range), max: (d) => d.hi + 20 * d.range }
    : { field: 'wMin', init: (d) => d.lo - 0.1 * d.range, min: (d) => d.lo - 20 * d.range, max: (d) => (bracketZero ? Math.min(d.lo + 0.05 * d.range, -1e-9) : d.lo + 0.05 * d.range) };
// Δw_min is the step far from the bounds: start from the large steps, allow up to the range.
const dwMin: Parameter = { field: 'dwMin', init: (d) => d.bigStep, min: (d) => d.step / 100, max: (d) => Math.max(d.range, d.bigStep) };
const upDown: Parameter = { field: 'upDown', init: () => 0, min: () => -0.95, max: () => 0.95 };
const plain = (field: string, init: number, min: number, max: number): Parameter => ({ field, init: () => init, min: () => min, max: () => max });
const nodes = (field: string, count: number): Parameter[] =>
  Array.from({ length: count }, (_, i) => ({ field: `${field}.${i}`, init: () => 1, min: () => 1e-6, max: () => 50 }));

const MODELS: Record<FitModel, ModelSpec> = {
  'soft-bounds': { parameters: () => [dwMin, upDown, bound('wMax', true), bound('wMin', true)], fixed: () => ({}), relativeNoise: true, bracketZero: true },
  // The slopes of linear-step are γ·Δw/b: with free bounds γ and b trade off, so the bounds are
  // the observed range (where the hard bounds clip the trace).
  'linear-step': {
    parameters: () => [dwMin, upDown, plain('gammaUp', 0.1, -2, 2), plain('gammaDown', 0.1, -2, 2)],
    fixed: (d) => ({ wMax: Math.max(d.hi, 1e-9), wMin: Math.min(d.lo, -1e-9) }),
    relativeNoise: true,
    bracketZero: true,
    dataParameters: 2,
  },
  // Bounds and exponent trade off when the trace does not reach its bounds: several starts.
  'pow-step': {
    parameters: () => [dwMin, upDown, bound('wMax', false), bound('wMin', false), plain('powGamma', 1, 0.05, 10), plain('powUpDown', 0, -0.95, 0.95)],
    fixed: () => ({}),
    relativeNoise: true,
    starts: (d): Record<string, number>[] => [{ powGamma: 2 }, { wMax: d.hi + d.range, wMin: d.lo - d.range }, { powGamma: 2, wMax: d.hi + d.range, wMin: d.lo - d.range }],
  },
  // a = 1, b = 0 lose nothing (A·e^{γ(a'z + b')} = (A·e^{γb'})·e^{γa'z}); the exponentials are
  // fitted from several starting steepnesses, each with A putting the step's zero at the range end.
  'exp-step': {
    parameters: () => [dwMin, upDown, plain('aUp', 0.1, 1e-9, 1e6), plain('aDown', 0.1, 1e-9, 1e6), plain('gammaUp', 2, 1e-6, 50), plain('gammaDown', 2, 1e-6, 50)],
    starts: (d) =>
      [1, 3, 10].map((gamma) => ({ gammaUp: gamma, gammaDown: gamma, aUp: exp((-gamma * 2 * d.hi) / d.range), aDown: exp((gamma * 2 * d.lo) / d.range) })),
    fixed: (d) => ({ wMax: d.hi, wMin: d.lo, a: 1, b: 0 }),
    relativeNoise: true,
    dataParameters: 2,
  },
  'piecewise-step': {
    parameters: () => [...nodes('piecewiseUp', PIECEWISE_NODES), ...nodes('piecewiseDown', PIECEWISE_NODES)],
    fixed: (d) => ({ dwMin: d.step, wMax: d.hi, wMin: d.lo }),
    relativeNoise: true,
    dataParameters: 3,
  },
  'limited-state': {
    parameters: () => [upDown],
    fixed: (d) => ({ wMax: d.hi, wMin: d.lo, nStates: Math.max(1, Math.round(d.range / d.step)) }),
    relativeNoise: false,
    dataParameters: 3,
  },
};

function summarise(steps: Steps[]): DataSummary {
  let hi = -Infinity;
  let lo = Infinity;
  const moved: number[] = [];
  for (const s of steps) {
    for (let k = 0; k < s.w.length; k++) {
      hi = Math.max(hi, s.w[k]!, s.w[k]! + s.dw[k]!);
      lo = Math.min(lo, s.w[k]!, s.w[k]! + s.dw[k]!);
      if (s.dw[k] !== 0) moved.push(Math.abs(s.dw[k]!));
    }
  }
  moved.sort((a, b) => a - b);
  const step = moved.length ? moved[moved.length >> 1]! : 0;
  const bigStep = moved.length ? moved[Math.floor(0.9 * (moved.length - 1))]! : 0;
  if (!(hi > lo) || !(step > 0)) throw new UserError('traces', 'constant', 'must move: every weight is the same, so there is nothing to fit');
  return { hi, lo, range: hi - lo, step, bigStep };
}

/** Field values (dotted `piecewiseUp.3` names gathered into arrays) as device overrides. */
function overrides(kind: FitModel, fields: Record<string, number>, fixed: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...fixed };
  for (const [field, value] of Object.entries(fields)) {
    const [name, index] = field.split('.');
    if (index === undefined) out[name!] = value;
    else ((out[name!] ??= []) as number[])[Number(index)] = value;
  }
  // One mean device: no device-to-device spread, no stuck devices.
  for (const name of deviceFieldNames(kind)) if (name.endsWith('Dtod')) out[name] = 0;
  return out;
}

/** The device of one set of field values (its expected steps, SP and pulses). */
function meanDevice(kind: FitModel, fields: Record<string, number>, fixed: Record<string, unknown>, noise = 0): { config: DeviceConfig; device: DeviceResponse } {
  const config = resolveDevice(kind, { ...overrides(kind, fields, fixed), ...(MODELS[kind].relativeNoise ? { dwMinStd: noise } : {}) }, 'fit');
  return { config, device: buildDevice(config, 1, Rng.stream(0, 'fit')) };
}

/**
 * Expected Δw of step k: +Δ⁺(w) for an up pulse, −Δ⁻(w) for a down pulse, clipped to the hard
 * bounds as every pulse is (a device at b^max does not move up, whatever Δ⁺(b^max) is).
 */
function expectedStep(device: DeviceResponse, steps: Steps, k: number): number {
  const w = steps.w[k]!;
  const next = steps.up[k] ? w + device.expectedUp(0, w) : w - device.expectedDown(0, w);
  return Math.min(Math.max(next, device.hidden.bmin[0]!), device.hidden.bmax[0]!) - w;
}

export interface DeviceFit {
  device: string;
  fields: Record<string, number>;
  /** This device alone as a device config (its fields, the fixed ones, its c2c noise). */
  config: Record<string, unknown>;
  /** Residual sum of squares and step count. */
  rss: number;
  n: number;
  /** Relative c2c noise: √(Σ r² / Σ e²) over the steps (the model's `dwMinStd`). */
  noise: number;
}

/** Least-squares fit (Levenberg–Marquardt, in parameters scaled to their start values) of one device. */
function fitOne(kind: FitModel, steps: Steps, summary: DataSummary, device: string): DeviceFit {
  const spec = MODELS[kind];
  const parameters = spec.parameters(summary);
  const fixed = spec.fixed(summary);
  const scale = parameters.map((p) => Math.max(Math.abs(p.init(summary)), Math.abs(p.max(summary) - p.min(summary)) / 100, 1e-12));
  // The solver neither clamps its start nor its difference steps: every value is clamped here.
  const clamp = (value: number, p: Parameter) => Math.min(Math.max(value, p.min(summary)), p.max(summary));
  const toFields = (theta: ArrayLike<number>) => Object.fromEntries(parameters.map((p, i) => [p.field, clamp(theta[i]! * scale[i]!, p)]));
  const n = steps.w.length;
  const run = (start: Record<string, number>) =>
    levenbergMarquardt(
      { x: Array.from({ length: n }, (_, k) => k), y: Array.from(steps.dw) },
      (theta) => {
        const { device: d } = meanDevice(kind, toFields(theta), fixed);
        return (k) => expectedStep(d, steps, k);
      },
      {
        initialValues: parameters.map((p, i) => clamp(start[p.field] ?? p.init(summary), p) / scale[i]!),
        minValues: parameters.map((p, i) => p.min(summary) / scale[i]!),
        maxValues: parameters.map((p, i) => p.max(summary) / scale[i]!),
        gradientDifference: 1e-4,
        centralDifference: true,
        damping: 1e-2,
        maxIterations: 300,
        errorTolerance: 1e-14,
      },
    );
  const runs = parameters.length ? [{}, ...(spec.starts?.(summary) ?? [])].map(run) : [];
  const fitted = runs.length ? runs.reduce((best, r) => (r.parameterError < best.parameterError ? r : best)).parameterValues : [];
  const fields = toFields(fitted);
  const { device: d } = meanDevice(kind, fields, fixed);
  let rss = 0;
  let expectedSquares = 0;
  for (let k = 0; k < n; k++) {
    const e = expectedStep(d, steps, k);
    rss += (steps.dw[k]! - e) ** 2;
    expectedSquares += e * e;
  }
  const noise = expectedSquares > 0 ? Math.sqrt(rss / expectedSquares) : 0;
  return { device, fields, config: { kind, ...overrides(kind, fields, fixed), ...(spec.relativeNoise ? { dwMinStd: noise } : {}) }, rss, n, noise };
}

export interface ModelFit {
  kind: FitModel;
  /** Per device, then the mean device with its spreads. */
  devices: DeviceFit[];
  /** The fitted device's config fields (mean values, c2c noise and d2d spreads by their schema names). */
  config: Record<string, unknown>;
  /** Bayesian information criterion over all steps: n·ln(RSS/n) + k·ln n (lower is better). */
  bic: number;
  parameters: number;
  /** Levels across the range, (b^max − b^min)/Δw_min, and the SP of the mean device. */
  states: number;
  symmetricPoint: number;
}

const mean = (values: number[]) => summarize(values).mean;

/**
 * The device-to-device spread of each fitted field, by its schema name: relative spreads of the
 * step size, the bounds and the exponent, absolute ones of the asymmetries (aihwkit-model.md §2.1).
 */
const SPREADS: readonly [field: string, spread: string, relative: boolean][] = [
  ['dwMin', 'dwMinDtod', true],
  ['wMax', 'wMaxDtod', true],
  ['wMin', 'wMinDtod', true],
  ['upDown', 'upDownDtod', false],
  ['gammaUp', 'gammaUpDtod', false],
  ['gammaDown', 'gammaDownDtod', false],
  ['powGamma', 'powGammaDtod', true],
];

/** The device-to-device spreads of the fitted fields that the model has, by their schema names. */
function spreads(kind: FitModel, fits: DeviceFit[]): Record<string, number> {
  if (fits.length < 2) return {};
  const names = new Set(deviceFieldNames(kind));
  const out: Record<string, number> = {};
  for (const [field, spread, relative] of SPREADS) {
    if (fits[0]!.fields[field] === undefined || !names.has(spread)) continue;
    const { mean: m, std } = summarize(fits.map((f) => f.fields[field]!));
    out[spread] = relative ? std / Math.abs(m) : std;
  }
  return out;
}

/** Fits one model to the traces of one or more devices. */
export function fitModel(kind: FitModel, traces: readonly Trace[]): ModelFit {
  const steps = traces.map(stepsOf);
  const summary = summarise(steps);
  const reason = notApplicable(kind, steps);
  if (reason) throw new UserError('--model', kind, reason);
  const fits = traces.map((trace, i) => fitOne(kind, steps[i]!, summarise([steps[i]!]), trace.device));
  const spec = MODELS[kind];
  const fixed = spec.fixed(summary);
  const meanFields = Object.fromEntries(Object.keys(fits[0]!.fields).map((field) => [field, mean(fits.map((f) => f.fields[field]!))]));
  const noise = mean(fits.map((f) => f.noise));
  const { device } = meanDevice(kind, meanFields, fixed, noise);
  const fitted = { ...overrides(kind, meanFields, fixed), ...(spec.relativeNoise ? { dwMinStd: noise } : {}), ...spreads(kind, fits) };
  const n = fits.reduce((a, f) => a + f.n, 0);
  const rss = fits.reduce((a, f) => a + f.rss, 0);
  const k = (spec.parameters(summary).length + (spec.dataParameters ?? 0)) * fits.length;
  const hidden = device.hidden;
  return {
    kind,
    devices: fits,
    config: { kind, ...fitted },
    bic: n * log(Math.max(rss, 1e-300) / n) + k * log(n),
    parameters: k,
    states: (hidden.bmax[0]! - hidden.bmin[0]!) / device.granularity,
    symmetricPoint: device.symmetricPoint(0),
  };
}

/** Why a model cannot describe the data, or null. */
function notApplicable(kind: FitModel, steps: Steps[]): string | null {
  if (!MODELS[kind].bracketZero) return null;
  for (const s of steps) {
    const { hi, lo } = summarise([s]);
    if (!(hi > 0 && lo < 0)) return `needs every trace to reach both sides of weight 0 (its bounds bracket 0), and one spans [${Number(lo.toPrecision(4))}, ${Number(hi.toPrecision(4))}]: map conductances with --g-min/--g-max to [−1, 1]`;
  }
  return null;
}

/** BIC differences below this are no evidence either way (Kass & Raftery 1995). */
export const BIC_TIE = 2;

/**
 * `auto`: every model, ranked by BIC, lowest first. Models within BIC_TIE of the lowest are tied,
 * and the tie goes to the one earliest in `fitModels` (the simpler family: soft bounds before
 * linear step, which contains it at γ = 1), which is put first.
 */
export function fitDevice(traces: readonly Trace[], model: FitModel | 'auto'): ModelFit[] {
  const steps = traces.map(stepsOf);
  // `auto` leaves out the models the data cannot have come from (e.g. soft bounds on a trace
  // that stays above 0); one model asked for by name is an error instead.
  const kinds = model === 'auto' ? fitModels.filter((kind) => notApplicable(kind, steps) === null) : [model];
  const fits = kinds.map((kind) => fitModel(kind, traces)).sort((a, b) => a.bic - b.bic);
  const tied = fits.filter((f) => f.bic <= fits[0]!.bic + BIC_TIE);
  const chosen = tied.reduce((a, b) => (fitModels.indexOf(b.kind) < fitModels.indexOf(a.kind) ? b : a));
  return [chosen, ...fits.filter((f) => f !== chosen)];
}
