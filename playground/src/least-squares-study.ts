/**
 * A playground least-squares run and the CLI's study: the run is one cell of a one-run study
 * (its seed seeds the task too, as `aimsim study` does), so the study reproduces it bit for bit.
 */
import { numberOf, type Config } from './config.js';

/** What the study file of one run is: its config as the base, its seed as the only seed. */
export function studyOf(config: Config): Config {
  const { seed, name, ...base } = config;
  const label = String(name ?? 'least-squares');
  return { description: `one run from the aimsim playground: ${label}`, seeds: [numberOf(seed, 0)], base, runs: [{ name: label }] };
}

/** The run config the engine trains: the task seeded with the run's seed, as a study does. */
export function seededRun(config: Config): Config {
  return { ...config, task: { ...((config['task'] ?? {}) as Config), seed: numberOf(config['seed'], 0) } };
}
