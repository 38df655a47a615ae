import { z } from 'zod';
import { LIMITS, boundedInt } from '../core/limits.js';
import { zodIssueToUserError } from '../config/zod-error.js';
import { summarize } from '../core/stats.js';
import { zeroShift, zeroShiftingSchema } from '../calibration/index.js';
import { resolveDevice } from '../devices/index.js';
import { AnalogTile } from '../tile/index.js';

/** A zero-shifting study: SP estimation error against the pulse budget N and the step dwMin (papers.md §5 claim 5). */
export const zsStudySchema = z
  .object({
    kind: z.literal('zero-shifting').describe('marks a zero-shifting study for `aimsim study`'),
    description: z.string().default('').describe('what the study shows'),
    device: z.object({ preset: z.string() }).loose().describe('device preset and fields; dwMin is swept'),
    rows: boundedInt(LIMITS.dimension, 'array rows').default(32),
    cols: boundedInt(LIMITS.dimension, 'array columns').default(32),
    dwMins: z.array(z.number().gt(0)).min(1).describe('the swept Δw_min values'),
    budgets: z.array(z.number().int().min(1)).min(1).describe('pulse budgets N at which the estimate is evaluated (one run per dwMin up to the largest)'),
    variant: zeroShiftingSchema.shape.variant,
    tolerance: z.number().gt(0).default(0.01).describe('relative error of the SP mean that counts as calibrated (1 % in P-SP26 Fig. 1b)'),
    seeds: z.array(z.number().int().min(0)).min(1).default([0, 1, 2]).describe('each dwMin is repeated with each seed (device draws and pulse noise)'),
  })
  .strict();

export interface ZsPoint {
  dwMin: number;
  pulses: number;
  /** |mean(r) − mean(w⋄)| / |mean(w⋄)| over the array, mean and std over seeds. */
  meanError: { mean: number; std: number };
  /** |std(r) − std(w⋄)| / std(w⋄). */
  stdError: { mean: number; std: number };
  /** RMS of r − w⋄ over the devices, mean over seeds. */
  rmsError: number;
}

export interface ZsStudyResult {
  description: string;
  seeds: number[];
  points: ZsPoint[];
  /**
   * Per dwMin, the smallest budget whose mean error is ≤ tolerance for every seed, and for each
   * seed on its own (null: none of the budgets).
   */
  minimalBudget: { dwMin: number; pulses: number | null; perSeed: (number | null)[] }[];
  tolerance: number;
}

/** Runs ZS on a fresh array per (dwMin, seed) and measures the error of the per-device SP estimate. */
export function runZsStudy(input: unknown, onRun?: (dwMin: number, seed: number) => void): ZsStudyResult {
  const parsed = zsStudySchema.safeParse(input);
  if (!parsed.success) throw zodIssueToUserError(parsed.error, input, 'study', undefined, zsStudySchema);
  const study = parsed.data;
  const { preset, ...fields } = study.device;
  // Validate every device before any run.
  const devices = study.dwMins.map((dwMin) => resolveDevice(preset, { ...fields, dwMin }));
  const budgets = [...new Set(study.budgets)].sort((a, b) => a - b);
  const points: ZsPoint[] = [];
  const minimalBudget: ZsStudyResult['minimalBudget'] = [];
  study.dwMins.forEach((dwMin, d) => {
    const perBudget = budgets.map(() => ({ mean: [] as number[], std: [] as number[], rms: [] as number[] }));
    for (const seed of study.seeds) {
      onRun?.(dwMin, seed);
      const tile = new AnalogTile({ rows: study.rows, cols: study.cols, device: devices[d]!, seed, name: 'zs-study' });
      const sp = tile.conductanceSymmetricPoints();
      const truth = summarize(sp);
      const result = zeroShift(tile, zeroShiftingSchema.parse({ variant: study.variant, pulses: budgets[budgets.length - 1], programming: 'none' }), seed, budgets);
      budgets.forEach((n, b) => {
        const r = result.snapshots.get(n)!;
        const estimate = summarize(r);
        let square = 0;
        for (let k = 0; k < r.length; k++) square += (r[k]! - sp[k]!) ** 2;
        perBudget[b]!.mean.push(Math.abs(estimate.mean - truth.mean) / Math.abs(truth.mean));
        perBudget[b]!.std.push(Math.abs(estimate.std - truth.std) / truth.std);
        perBudget[b]!.rms.push(Math.sqrt(square / r.length));
      });
    }
    budgets.forEach((pulses, b) => {
      const m = summarize(perBudget[b]!.mean);
      const s = summarize(perBudget[b]!.std);
      points.push({ dwMin, pulses, meanError: { mean: m.mean, std: m.std }, stdError: { mean: s.mean, std: s.std }, rmsError: summarize(perBudget[b]!.rms).mean });
    });
    const first = budgets.findIndex((_, b) => perBudget[b]!.mean.every((e) => e <= study.tolerance));
    const perSeed = study.seeds.map((_, s) => {
      const b = budgets.findIndex((_, k) => perBudget[k]!.mean[s]! <= study.tolerance);
      return b < 0 ? null : budgets[b]!;
    });
    minimalBudget.push({ dwMin, pulses: first < 0 ? null : budgets[first]!, perSeed });
  });
  return { description: study.description, seeds: study.seeds, points, minimalBudget, tolerance: study.tolerance };
}

/** The study as markdown: the error table and the minimal budget per dwMin. */
export function zsStudyTable(result: ZsStudyResult): string {
  const fmt = (v: number) => Number(v.toPrecision(3)).toString();
  return [
    '| Δw_min | N | rel. error of SP mean | rel. error of SP std | RMS error |',
    '|---|---|---|---|---|',
    ...result.points.map((p) => `| ${p.dwMin} | ${p.pulses} | ${fmt(p.meanError.mean)} ± ${fmt(p.meanError.std)} | ${fmt(p.stdError.mean)} ± ${fmt(p.stdError.std)} | ${fmt(p.rmsError)} |`),
    '',
    '| Δw_min | smallest N with ≤ tolerance (every seed) | N·Δw_min |',
    '|---|---|---|',
    ...result.minimalBudget.map((m) => `| ${m.dwMin} | ${m.pulses ?? '> largest budget'} | ${m.pulses === null ? '–' : fmt(m.pulses * m.dwMin)} |`),
  ].join('\n');
}
