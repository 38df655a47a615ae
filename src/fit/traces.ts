import { UserError } from '../core/errors.js';

/** One device's measured pulse response: the weight after every pulse, in order. */
export interface Trace {
  device: string;
  /** Direction of pulse k (true = up); entry 0 is the starting point, its direction unused. */
  up: boolean[];
  /** The weight after pulse k; entry 0 is the state before the first step used. */
  weights: number[];
}

/** A row of a measured trace file (CSV or JSON), as read. */
export interface TraceRow {
  pulse: unknown;
  direction: unknown;
  weight?: unknown;
  conductance?: unknown;
  device?: unknown;
}

/** How conductances map to weights: [gMin, gMax] → [−1, 1]. */
export interface ConductanceRange {
  gMin: number;
  gMax: number;
}

const number = (value: unknown): number => (typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN);

/**
 * Groups rows into one trace per device, ordered by pulse number. Every row needs a finite pulse
 * number, a direction `up` or `down`, and a finite `weight` (or a `conductance` with a range);
 * the first bad row is one error naming its line, field and value.
 */
export function tracesFromRows(rows: readonly TraceRow[], source: string, range: ConductanceRange | null, rowName: (i: number) => string = (i) => `line ${i + 2}`): Trace[] {
  if (rows.length === 0) throw new UserError(source, 'no rows', 'must hold at least one trace: rows of pulse, direction, weight (and device)');
  const byDevice = new Map<string, { pulse: number; up: boolean; weight: number }[]>();
  rows.forEach((row, i) => {
    const where = `${source}: ${rowName(i)}`;
    const pulse = number(row.pulse);
    if (!Number.isFinite(pulse)) throw new UserError(`${where}: pulse`, row.pulse, 'must be a number (the pulse index)');
    const direction = String(row.direction ?? '').trim().toLowerCase();
    if (direction !== 'up' && direction !== 'down') throw new UserError(`${where}: direction`, row.direction, 'must be up or down');
    let weight: number;
    if (row.weight !== undefined && row.weight !== '') {
      weight = number(row.weight);
      if (!Number.isFinite(weight)) throw new UserError(`${where}: weight`, row.weight, 'must be a finite number');
    } else if (row.conductance !== undefined && row.conductance !== '') {
      if (!range) throw new UserError(`${where}: conductance`, row.conductance, 'needs --g-min and --g-max to map conductances to weights');
      const g = number(row.conductance);
      if (!Number.isFinite(g)) throw new UserError(`${where}: conductance`, row.conductance, 'must be a finite number');
      weight = (2 * (g - range.gMin)) / (range.gMax - range.gMin) - 1;
    } else {
      throw new UserError(`${where}`, 'no value', 'must have a weight (or a conductance with --g-min/--g-max)');
    }
    const device = row.device === undefined || row.device === '' ? 'device' : String(row.device);
    const list = byDevice.get(device) ?? [];
    list.push({ pulse, up: direction === 'up', weight });
    byDevice.set(device, list);
  });
  return [...byDevice].map(([device, points]) => {
    points.sort((a, b) => a.pulse - b.pulse);
    if (points.length < 3) throw new UserError(`${source}: device ${device}`, points.length, 'must have at least 3 pulses to fit');
    return { device, up: points.map((p) => p.up), weights: points.map((p) => p.weight) };
  });
}

/** The steps of a trace: the weight before pulse k, its direction and the change it made. */
export interface Steps {
  w: Float64Array;
  up: Uint8Array;
  dw: Float64Array;
}

export function stepsOf(trace: Trace): Steps {
  const n = trace.weights.length - 1;
  const steps = { w: new Float64Array(n), up: new Uint8Array(n), dw: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    steps.w[k] = trace.weights[k]!;
    steps.up[k] = trace.up[k + 1] ? 1 : 0;
    steps.dw[k] = trace.weights[k + 1]! - trace.weights[k]!;
  }
  return steps;
}
