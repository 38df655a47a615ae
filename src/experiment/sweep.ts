import { UserError } from '../core/errors.js';
import { summarize } from '../core/stats.js';
import type { ExperimentResult } from './run.js';

export interface SweepPoint {
  /** The grid values of this point, by dotted path. */
  values: Record<string, unknown>;
  seeds: number[];
}

export interface SweepRow {
  values: Record<string, unknown>;
  testAccuracy: { mean: number; std: number };
  trainLoss: { mean: number; std: number };
  pulses: { mean: number; std: number };
  seconds: number;
}

/** Parses `--grid path=v1,v2,...` (repeatable) into the cartesian product of points. */
export function parseGrid(grids: readonly string[], parseValue: (text: string) => unknown): Record<string, unknown>[] {
  let points: Record<string, unknown>[] = [{}];
  for (const grid of grids) {
    const eq = grid.indexOf('=');
    if (eq <= 0 || eq === grid.length - 1) throw new UserError('--grid', grid, 'must be path=value1,value2,…', 'usage error');
    const path = grid.slice(0, eq);
    const values = grid.slice(eq + 1).split(',').map(parseValue);
    points = points.flatMap((p) => values.map((v) => ({ ...p, [path]: v })));
  }
  return points;
}

/** Mean ± std over seeds of the final epoch's metrics, per grid point. */
export function summarizeSweep(points: readonly SweepPoint[], results: readonly ExperimentResult[][]): SweepRow[] {
  return points.map((point, i) => {
    const runs = results[i]!;
    const last = runs.map((r) => r.epochs[r.epochs.length - 1]!);
    const total = (r: ExperimentResult) => Object.values(r.layers).reduce((s, l) => s + l.totalPulses, 0);
    const stat = (v: number[]) => {
      const s = summarize(v);
      return { mean: s.mean, std: s.std };
    };
    return {
      values: point.values,
      testAccuracy: stat(last.map((m) => m.testAccuracy)),
      trainLoss: stat(last.map((m) => m.trainLoss)),
      pulses: stat(runs.map(total)),
      seconds: runs.reduce((s, r) => s + r.epochs.reduce((a, m) => a + m.seconds, 0), 0),
    };
  });
}

export function sweepTable(rows: readonly SweepRow[]): string {
  const keys = Object.keys(rows[0]?.values ?? {});
  const head = `| ${[...keys, 'test accuracy', 'train loss', 'pulses'].join(' | ')} |`;
  const line = `|${' --- |'.repeat(keys.length + 3)}`;
  const body = rows.map(
    (r) =>
      `| ${[
        ...keys.map((k) => JSON.stringify(r.values[k])),
        `${(100 * r.testAccuracy.mean).toFixed(2)} ± ${(100 * r.testAccuracy.std).toFixed(2)} %`,
        `${r.trainLoss.mean.toFixed(4)} ± ${r.trainLoss.std.toFixed(4)}`,
        r.pulses.mean.toExponential(3),
      ].join(' | ')} |`,
  );
  return [head, line, ...body].join('\n');
}
