import type { InferenceResult } from './evaluate.js';

const UNITS: [number, string][] = [
  [31536000, 'y'],
  [86400, 'd'],
  [3600, 'h'],
  [60, 'min'],
  [1, 's'],
];

/** A read-out time for people: 31536000 → `1 y`, 2592000 → `30 d`, 0.5 → `0.5 s`. */
export function formatDuration(seconds: number): string {
  for (const [size, unit] of UNITS) if (seconds >= size) return `${Number((seconds / size).toPrecision(3))} ${unit}`;
  return `${Number(seconds.toPrecision(3))} s`;
}

/** One line per read-out time, e.g. `inference at 1 d: test accuracy 61.20 ± 0.85 % (5 draws)`. */
export function formatInference(result: InferenceResult): string[] {
  const head = `inference (${result.noise.kind} noise, ${result.source === 'program' ? 'weights programmed' : 'trained conductances'}, drift compensation ${result.driftCompensation}):`;
  return [head, ...result.points.map((p) => `  t = ${formatDuration(p.t)}: test accuracy ${(100 * p.mean).toFixed(2)} ± ${(100 * p.std).toFixed(2)} % (${result.repeats} draws)`)];
}
