/**
 * The plan of a sweep (issue 17): the base config, the grid and the seeds, expanded into cells
 * in a stable order. Every shard and `aimsim sweep collect` work from the same plan, kept as
 * `sweep-plan.json` in the output folder; a shard whose plan differs (another config, grid or
 * aimsim version) is refused, so one folder never mixes two sweeps.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError, formatValue } from '../core/errors.js';
import { firstDifference } from '../experiment/checkpoint.js';
import { parseExperiment } from '../experiment/run.js';
import { crossGrids, sweepCells, type SweepCell, type SweepPoint } from '../experiment/sweep.js';
import { writeFileAtomic } from '../node/index.js';
import { readConfigFile, withFilePositions } from '../node/config-file.js';
import { configWithSets } from './commands/run.js';
import { parseGridValues, setPath, splitAssignment } from './set-values.js';
import { aimsimVersion } from './version.js';

export const PLAN_FILE = 'sweep-plan.json';

export interface SweepPlan {
  format: 1;
  aimsim: string;
  name: string;
  /** The base config (the file with every --set applied). */
  base: Record<string, unknown>;
  /** The --grid arguments as given. */
  grid: string[];
  seeds: number;
  points: SweepPoint[];
  cells: SweepCell[];
}

/** `--grid path=v1,v2` or `--grid 'path=[v1, {…}]'` → [path, values]; errors name --grid. */
function parseGrid(grid: string): [string, unknown[]] {
  const form = 'path=value1,value2,… or path=[value1, {…}]';
  const [path, text] = splitAssignment(grid, '--grid', form);
  if (text.trim() === '') throw new UserError('--grid', grid, `must be ${form}`, 'usage error');
  return [path, parseGridValues(text)];
}

/** The config of one cell: the base with the point's grid values and the cell's seed. */
export function cellConfig(plan: SweepPlan, cell: SweepCell): Record<string, unknown> {
  const config = structuredClone(plan.base);
  const defaults = parseExperiment({});
  for (const [key, value] of Object.entries(plan.points[cell.point]!.values)) setPath(config, key, value, defaults, '--grid');
  config['seed'] = cell.seed;
  return config;
}

/** Expands and validates a sweep from the CLI's arguments (every cell's config is checked). */
export async function planSweep(path: string | undefined, sets: readonly string[], grids: readonly string[], seeds: number): Promise<SweepPlan> {
  const file = path ? readConfigFile(path) : null;
  const base = configWithSets(file, sets, path);
  const points: SweepPoint[] = crossGrids(grids.map(parseGrid)).map((values) => ({ values, seeds: Array.from({ length: seeds }, (_, s) => s) }));
  const name = (await withFilePositions(file, () => parseExperiment(base))).name;
  const plan: SweepPlan = { format: 1, aimsim: aimsimVersion(), name, base, grid: [...grids], seeds, points, cells: sweepCells(points) };
  // Validate every cell before any runs, pointing into the file where possible.
  for (const cell of plan.cells) await withFilePositions(file, () => parseExperiment(cellConfig(plan, cell)));
  return plan;
}

export function readPlan(dir: string): SweepPlan {
  const path = join(dir, PLAN_FILE);
  if (!existsSync(path)) throw new UserError('sweep folder', dir, `must hold ${PLAN_FILE} (written by aimsim sweep or aimsim sweep --emit)`, 'usage error');
  try {
    const plan = JSON.parse(readFileSync(path, 'utf8')) as SweepPlan;
    if (plan.format !== 1 || !Array.isArray(plan.cells) || !Array.isArray(plan.points)) throw new Error('not a sweep plan');
    return plan;
  } catch (error) {
    throw new UserError(path, 'unreadable', `must be a sweep plan written by aimsim (${error instanceof Error ? error.message : String(error)})`, 'usage error');
  }
}

/**
 * Writes the plan into the folder, or checks that the one there is the same sweep (several shards
 * may start at once: each writes the same content atomically).
 */
export function writeOrCheckPlan(dir: string, plan: SweepPlan): void {
  const path = join(dir, PLAN_FILE);
  if (existsSync(path)) {
    const existing = readPlan(dir);
    const difference = firstDifference({ ...existing, cells: undefined }, { ...plan, cells: undefined });
    if (difference) {
      throw new UserError('--out', dir, `holds another sweep (${PLAN_FILE}: ${difference.path} is ${formatValue(difference.a)}, this sweep has ${formatValue(difference.b)}); use another --out`, 'usage error');
    }
    return;
  }
  writeFileAtomic(path, JSON.stringify(plan, null, 2));
}
