/**
 * Seeds of the claim tests (DEVELOPERS.md "Claims hold for any seed"): `AIMSIM_CLAIM_SEEDS`
 * (a comma-separated list of at least 5 integers) when set, else the test's own.
 */
import { readFileSync } from 'node:fs';
import { runStudy, type StudyResult, type StudyRow } from '../../src/experiment/study.js';

export function claimSeeds(defaults: readonly number[]): number[] {
  const text = process.env['AIMSIM_CLAIM_SEEDS'];
  if (text === undefined || text.trim() === '') return [...defaults];
  const seeds = text.split(',').map((s) => Number(s.trim()));
  if (seeds.length < 5 || seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`AIMSIM_CLAIM_SEEDS must list at least 5 non-negative integers, got "${text}"`);
  return seeds;
}

/** An example study with only the runs `keep` selects, run with `seeds` and `base` overrides. */
export function runExampleStudy(file: string, keep: (run: { name: string; condition?: string }) => boolean, seeds: readonly number[], base: Record<string, unknown> = {}): StudyResult {
  const study = JSON.parse(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8')) as { base: Record<string, unknown>; runs: { name: string; condition?: string }[] };
  return runStudy({ ...study, seeds: [...seeds], base: { ...study.base, ...base }, runs: study.runs.filter(keep) });
}

/** The row of a run, by name and condition. */
export function row(result: StudyResult, name: string, condition: string): StudyRow {
  const found = result.rows.find((r) => r.name === name && r.condition === condition);
  if (!found) throw new Error(`no row "${name}" / "${condition}"`);
  return found;
}

export const median = (values: readonly number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export const geometricMean = (values: readonly number[]): number => Math.exp(values.reduce((a, v) => a + Math.log(v), 0) / values.length);

/** The fraction of seeds for which `holds(i)` is true. */
export const fraction = (n: number, holds: (i: number) => boolean): number => Array.from({ length: n }, (_, i) => holds(i)).filter(Boolean).length / n;

/** Per seed, a ÷ b. */
export const ratios = (a: readonly number[], b: readonly number[]): number[] => a.map((v, i) => v / b[i]!);
