import { readFileSync } from 'node:fs';

/** This installation's version (package.json), for `--version` and the sweep plans. */
export function aimsimVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
