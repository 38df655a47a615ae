/** Command-line flags of the bench scripts: `--name value`. */

/** The value after `name`, or `fallback` when the flag is absent. */
export function stringFlag(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : fallback;
}

/** An integer ≥ 0 after `name`, or `fallback`; anything else is an error naming the flag. */
export function intFlag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be an integer >= 0 (got ${process.argv[at + 1]})`);
  return value;
}
