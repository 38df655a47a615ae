import { z } from 'zod';
import { zodIssueToUserError } from '../config/zod-error.js';
import { summarize } from '../core/stats.js';
import { prepareLeastSquares, type LeastSquaresResult } from './least-squares.js';

/** A study: named least-squares runs, each repeated over seeds, sharing a base config. */
export const studySchema = z
  .object({
    description: z.string().default('').describe('what the study shows'),
    seeds: z.array(z.number().int().min(0)).min(1).default([0, 1, 2]).describe('each run is repeated with each seed (device draws, data and W_opt)'),
    base: z.record(z.string(), z.unknown()).default({}).describe('fields shared by every run (see the least-squares run schema)'),
    plotMetric: z.enum(['distance', 'excess-loss']).default('distance').describe('what the plot shows against steps: ‖W − W_opt‖ or f(W) − f(W_opt)'),
    target: z.number().gt(0).optional().describe('a distance ‖W − W_opt‖ to reach: each row then reports the pulses (calibration included) spent until it was first reached'),
    runs: z
      .array(z.object({ name: z.string(), condition: z.string().default('') }).loose())
      .min(1)
      .describe('the runs: a name, an optional condition label, and the fields that differ from base'),
  })
  .strict();
export type StudyInput = z.input<typeof studySchema>;

export interface StudyRow {
  name: string;
  condition: string;
  algorithm: string;
  /** ‖W − W_opt‖_F at the end, mean and std over seeds. */
  finalDistance: { mean: number; std: number };
  /** Mean over the last 20 % of the recorded points, mean and std over seeds. */
  tailDistance: { mean: number; std: number; perSeed: number[] };
  /** f(W) − f(W_opt) averaged over the last 20 % of the records, mean and std over seeds. */
  tailExcessLoss: { mean: number; std: number; perSeed: number[] };
  /** ⟨W, W_opt⟩/‖W_opt‖² at the end: 1 on target, < 1 pulled toward 0 (the SP of a zero-shifted array). */
  projection: { mean: number; std: number; perSeed: number[] };
  /** Pulses over all tiles and purposes, mean over seeds. */
  pulses: number;
  pulsesByPurpose: Record<string, number>;
  transfers: number;
  /** Algorithm diagnostics at the end, mean over seeds. */
  diagnostics: Record<string, number>;
  /** Pulses (all purposes) until ‖W − W_opt‖ first fell to `target`, per seed (null: never), when the study sets a target. */
  pulsesToTarget?: (number | null)[];
  /** Gradient steps until the target was first reached, per seed (null: never). */
  stepsToTarget?: (number | null)[];
  /** P-SP26's pulse-cycle cost: calibration budget N + steps × BL of the gradient update (all devices pulse in parallel). */
  cyclesToTarget?: (number | null)[];
  /** Distance and excess-loss curves of the first seed. */
  curve: { steps: number[]; distance: number[]; excessLoss: number[] };
}

export interface StudyResult {
  description: string;
  plotMetric: 'distance' | 'excess-loss';
  seeds: number[];
  rows: StudyRow[];
}

function merge(base: Record<string, unknown>, run: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(run)) {
    const current = out[key];
    const mergeable = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
    out[key] = mergeable(current) && mergeable(value) ? { ...(current as object), ...(value as object) } : value;
  }
  return out;
}

function meanRecord(records: readonly Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + v / records.length;
  return out;
}

/** `series` at the first record where the distance reached `target` (null if it never did). */
function reached(result: LeastSquaresResult, target: number, series: readonly number[]): number | null {
  const i = result.distance.findIndex((d) => d <= target);
  return i < 0 ? null : series[i]!;
}

/** Runs every run of a study with every seed; `onRun` reports progress. */
export function runStudy(input: unknown, onRun?: (name: string, seed: number) => void): StudyResult {
  const parsed = studySchema.safeParse(input);
  if (!parsed.success) throw zodIssueToUserError(parsed.error, input, 'study', undefined, studySchema);
  const study = parsed.data;
  // Validate and build every run first, so a mistake in the last run fails before any training.
  const prepared = study.runs.map((run) => {
    const { condition: _condition, ...fields } = run;
    const config = merge(study.base, fields);
    const task = (config['task'] ?? {}) as Record<string, unknown>;
    return study.seeds.map((seed) => prepareLeastSquares({ ...config, seed, task: { ...task, seed } }));
  });
  const rows: StudyRow[] = study.runs.map((run, r) => {
    const { condition } = run;
    const cost = prepared[r]![0]!.cycleCost;
    const results: LeastSquaresResult[] = prepared[r]!.map((p, s) => {
      onRun?.(run.name, study.seeds[s]!);
      return p.train();
    });
    const final = summarize(results.map((r) => r.finalDistance));
    const tails = results.map((r) => r.tailDistance);
    const tail = summarize(tails);
    const losses = results.map((r) => r.tailExcessLoss);
    const loss = summarize(losses);
    const projections = results.map((r) => {
      let dot = 0;
      let norm = 0;
      for (let k = 0; k < r.optimum.length; k++) {
        dot += r.weights[k]! * r.optimum[k]!;
        norm += r.optimum[k]! ** 2;
      }
      return norm > 0 ? dot / norm : 1;
    });
    const projection = summarize(projections);
    const byPurpose: Record<string, number> = {};
    for (const r of results) for (const [purpose, n] of Object.entries(r.report.pulsesByPurpose)) byPurpose[purpose] = (byPurpose[purpose] ?? 0) + n / results.length;
    return {
      name: run.name,
      condition,
      algorithm: results[0]!.algorithm,
      finalDistance: { mean: final.mean, std: final.std },
      tailDistance: { mean: tail.mean, std: tail.std, perSeed: tails },
      tailExcessLoss: { mean: loss.mean, std: loss.std, perSeed: losses },
      projection: { mean: projection.mean, std: projection.std, perSeed: projections },
      pulses: summarize(results.map((r) => r.report.totalPulses)).mean,
      pulsesByPurpose: byPurpose,
      transfers: summarize(results.map((r) => r.report.transfers)).mean,
      diagnostics: meanRecord(results.map((r) => r.diagnostics)),
      ...(study.target !== undefined
        ? {
            pulsesToTarget: results.map((r) => reached(r, study.target!, r.pulses)),
            stepsToTarget: results.map((r) => reached(r, study.target!, r.steps)),
            cyclesToTarget: results.map((result) => {
              const k = reached(result, study.target!, result.steps);
              return k === null ? null : cost.calibration + k * cost.bl;
            }),
          }
        : {}),
      curve: { steps: results[0]!.steps, distance: results[0]!.distance, excessLoss: results[0]!.loss.map((l) => l - results[0]!.optimalLoss) },
    };
  });
  return { description: study.description, plotMetric: study.plotMetric, seeds: study.seeds, rows };
}

/** The study as a markdown table (distances mean ± std over seeds). */
export function studyTable(result: StudyResult): string {
  const fmt = (v: number) => (Math.abs(v) >= 1e5 ? v.toExponential(2) : Number(v.toPrecision(3)).toString());
  const lines = [
    `| run | condition | algorithm | ‖W − W_opt‖ final | ‖W − W_opt‖ last 20 % | f − f* last 20 % | pulses | transfers |`,
    '|---|---|---|---|---|---|---|---|',
    ...result.rows.map(
      (r) =>
        `| ${r.name} | ${r.condition} | ${r.algorithm} | ${fmt(r.finalDistance.mean)} ± ${fmt(r.finalDistance.std)} | ${fmt(r.tailDistance.mean)} ± ${fmt(r.tailDistance.std)} | ${r.tailExcessLoss.mean.toExponential(2)} ± ${r.tailExcessLoss.std.toExponential(1)} | ${fmt(r.pulses)} | ${fmt(r.transfers)} |`,
    ),
  ];
  return lines.join('\n');
}
