import { summarize } from '../core/stats.js';
import type { ExperimentResult } from './result.js';

export interface SweepPoint {
  /** The grid values of this point, by dotted path. */
  values: Record<string, unknown>;
  seeds: number[];
}

/** One run of a sweep: a grid point with one seed. Cells are numbered point-major, seed-minor. */
export interface SweepCell {
  index: number;
  point: number;
  seed: number;
  /** The cell's run folder under the sweep's output, e.g. `runs/p002-s1`. */
  folder: string;
}

export interface SweepRow {
  values: Record<string, unknown>;
  testAccuracy: { mean: number; std: number };
  trainLoss: { mean: number; std: number };
  pulses: { mean: number; std: number };
  seconds: number;
  /** The run folders of the point's seeds, relative to the sweep folder. */
  runs?: string[];
}

/** The cartesian product of `[path, values]` grids, in order (the last grid varies fastest). */
export function crossGrids(grids: readonly (readonly [string, readonly unknown[]])[]): Record<string, unknown>[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [path, values] of grids) points = points.flatMap((p) => values.map((v) => ({ ...p, [path]: v })));
  return points;
}

/** The cells of a sweep, in its stable order: every seed of point 0, then of point 1, … */
export function sweepCells(points: readonly SweepPoint[]): SweepCell[] {
  const width = Math.max(3, String(points.length - 1).length);
  const cells: SweepCell[] = [];
  points.forEach((point, p) => {
    for (const seed of point.seeds) cells.push({ index: cells.length, point: p, seed, folder: `runs/p${String(p).padStart(width, '0')}-s${seed}` });
  });
  return cells;
}

/**
 * The cells of shard `shard` of `shards` (0-based): cell k goes to shard k mod shards. Stable: the
 * same grid, seeds and shard count always give a cell the same shard, and neighbouring cells
 * (the seeds of one point) spread over shards.
 */
export function cellsOfShard(cells: readonly SweepCell[], shard: number, shards: number): SweepCell[] {
  return cells.filter((cell) => cell.index % shards === shard);
}

/** Mean ± std over seeds of the final epoch's metrics, per grid point. */
export function summarizeSweep(points: readonly SweepPoint[], results: readonly ExperimentResult[][], folders?: readonly string[][]): SweepRow[] {
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
      ...(folders ? { runs: [...folders[i]!] } : {}),
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
