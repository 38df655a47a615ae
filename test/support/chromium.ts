/**
 * Finds a Chromium for the browser tests (issue 14): `CHROME_PATH`, then a Chromium or Chrome on
 * PATH, then one that a browser-automation npm package has already placed in its cache. Nothing is
 * downloaded. Without one the browser tests are skipped with a one-line reason, unless
 * `AIMSIM_REQUIRE_BROWSER=1` (set by .ci/run, which installs Debian's chromium) makes that a failure.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { TestContext } from 'vitest';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

function executable(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Chromium binaries inside the caches of playwright and puppeteer (never fetched here). */
function cachedBrowsers(): string[] {
  const found: string[] = [];
  const roots: [string, string[]][] = [
    [join(homedir(), '.cache', 'ms-playwright'), ['chrome-linux/chrome', 'chrome-linux64/chrome']],
    [join(homedir(), '.cache', 'puppeteer', 'chrome'), ['chrome-linux64/chrome']],
  ];
  for (const [root, tails] of roots) {
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root).sort().reverse()) for (const tail of tails) found.push(join(root, entry, tail));
  }
  return found;
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env['CHROME_PATH']) return executable(env['CHROME_PATH']) ? env['CHROME_PATH'] : null;
  for (const dir of (env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    for (const name of NAMES) if (executable(join(dir, name))) return join(dir, name);
  }
  return cachedBrowsers().find(executable) ?? null;
}

/**
 * The Chromium to use in a test, or a skip with the reason (a failure when the browser is
 * required). Call it first in a browser test.
 */
export function chromiumOrSkip(context: TestContext): string {
  const path = findChromium();
  if (path) return path;
  const reason = process.env['CHROME_PATH']
    ? `CHROME_PATH=${process.env['CHROME_PATH']} is not a file`
    : 'no Chromium found (set CHROME_PATH, or install one, e.g. Debian’s chromium)';
  if (process.env['AIMSIM_REQUIRE_BROWSER'] === '1') throw new Error(`browser required (AIMSIM_REQUIRE_BROWSER=1) but ${reason}`);
  console.warn(`skipped "${context.task.name}": ${reason}`);
  return context.skip(reason);
}

/** The flags that keep headless Chromium off the network (the machine has none) and quiet. */
export const HEADLESS_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];
