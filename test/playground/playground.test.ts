/// <reference lib="dom" />
/**
 * The playground (issue 19) in a real Chromium: the built static site (`npm run playground:build`,
 * here through Vite's API into a temporary folder) is served with the cross-origin-isolation
 * headers, and Playwright drives it as a user would.
 * - Live training: 50 steps of the default config run in the page's engine worker (2 kernel
 *   threads) and give the numbers `aimsim run` gives on the exported config.yaml (one thread), bit
 *   for bit; so does a run paused and resumed midway, and one from a host without the isolation
 *   headers (one thread in the page).
 * - The controls: Start waits while the YAML does not parse, quick controls and YAML stay in step,
 *   and Stop ends a run keeping its partial result.
 * - Device explorer: the SPs the page shows for a closed-form case are the CLI's.
 * - Least squares on a dropped task file: `aimsim study` on the exported study gives its curve.
 * - Basics of accessibility: every control has a name, the tabs work from the keyboard, and the
 *   three views fit a phone's width. Screenshots of each view (1280 px and phone) go to
 *   test-output/playground/ (or $AIMSIM_TEST_OUTPUT/playground/).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { characterizeDevice, resolveDevice, runExperiment, type ExperimentResult, type LeastSquaresResult } from '../../src/index.js';
import { encodeState, type SharedState } from '../../playground/src/url-state.js';
import { HEADLESS_FLAGS, chromiumOrSkip, findChromium } from '../support/chromium.js';

const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const shots = join(resolve(process.env['AIMSIM_TEST_OUTPUT'] ?? 'test-output'), 'playground');

/** A static host for the built site; `isolated`: with the headers cross-origin isolation needs. */
function serve(root: string, isolated: boolean): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    let path = normalize(join(root, decodeURIComponent((request.url ?? '/').split('?')[0]!)));
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
    const headers = isolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};
    if (!path.startsWith(root) || !existsSync(path)) {
      response.writeHead(404, headers).end();
      return;
    }
    response.writeHead(200, { ...headers, 'Content-Type': types[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })));
}

/** What must agree bit for bit: everything but the wall-clock seconds. */
function numbers(result: ExperimentResult): unknown {
  const copy = JSON.parse(JSON.stringify(result)) as ExperimentResult;
  for (const epoch of copy.epochs) epoch.seconds = 0;
  return copy;
}

const defaultConfig = parse(readFileSync('examples/00-default.yaml', 'utf8')) as Record<string, unknown>;
/** The default config, cut to 50 steps: 500 samples in mini-batches of 10, one epoch. */
const fiftySteps = {
  ...defaultConfig,
  data: { ...(defaultConfig['data'] as object), trainLimit: 500, testLimit: 2000 },
  training: { ...(defaultConfig['training'] as object), epochs: 1 },
};
const deviceState: SharedState['device'] = { name: 'soft-bounds', overrides: { upDown: 0.2, dwMinDtod: 0, wMaxDtod: 0, wMinDtod: 0, upDownDtod: 0 }, options: { devices: 64, pulses: 0, pairs: 0, seed: 3 } };
/** A least-squares run whose data come from a dropped file (A and W* of a 3 × 4 task). */
const leastSquaresConfig = {
  name: 'dropped task',
  task: { inputs: 4, outputs: 3, noise: 0, file: 'task.json' },
  device: { preset: 'soft-bounds-reference', upDown: 0.2, dwMin: 0.004, subtractSymmetryPoint: true },
  algorithm: 'ttv1', lr: 0.1, steps: 1000, evaluateEvery: 50, seed: 5, reduction: 'mean',
};
const taskFile = JSON.stringify({
  A: Array.from({ length: 16 }, (_, i) => [1, 2, 3, 4].map((j) => Math.sin(i * 7 + j * 3))),
  optimum: [[0.3, -0.2, 0.1, 0.4], [-0.1, 0.25, 0.35, -0.3], [0.2, 0.1, -0.4, 0.05]],
});
const state = (view: SharedState['view']): SharedState => ({ view, device: deviceState, train: fiftySteps, leastSquares: leastSquaresConfig });

let servers: Server[] = [];
let browser: Browser | null = null;
let site = '';
/** The same site from a host that sends no isolation headers (GitHub Pages, say). */
let plainSite = '';

beforeAll(async () => {
  if (!findChromium() && process.env['AIMSIM_REQUIRE_BROWSER'] !== '1') return;
  const outDir = mkdtempSync(join(tmpdir(), 'aimsim-playground-'));
  await build({ configFile: resolve('playground/vite.config.ts'), build: { outDir, emptyOutDir: true }, logLevel: 'error' });
  const isolated = await serve(outDir, true);
  const plain = await serve(outDir, false);
  servers = [isolated.server, plain.server];
  site = isolated.url;
  plainSite = plain.url;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const server of servers) server.close();
});

async function open(context: Parameters<typeof chromiumOrSkip>[0], hash: string, viewport = { width: 1280, height: 1000 }, base = site): Promise<{ page: Page; errors: string[] }> {
  const executablePath = chromiumOrSkip(context);
  browser ??= await chromium.launch({ executablePath, args: HEADLESS_FLAGS.filter((flag) => flag !== '--headless') });
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(`${base}${hash}`);
  await page.waitForFunction(() => document.body.dataset['threads'] !== undefined, null, { timeout: 60_000 });
  return { page, errors };
}

async function runTo(page: Page, status: string): Promise<void> {
  await page.waitForFunction((s) => document.body.dataset['run'] === s || document.body.dataset['run'] === 'failed', status, { timeout: 120_000 });
  expect(await page.evaluate(() => document.body.dataset['run']), await page.textContent('#run-status') ?? '').toBe(status);
}

/**
 * Makes the page click `button` itself the moment its progress line shows step 10–29 of the next
 * run (a 50-step run is too quick for a round trip from here).
 */
function clickAtStep10(page: Page, button: string): Promise<void> {
  return page.evaluate((id) => {
    const progress = document.getElementById('run-progress')!;
    const observer = new MutationObserver(() => {
      if (!/step (1[0-9]|2[0-9])\//.test(progress.textContent ?? '')) return;
      observer.disconnect();
      document.getElementById(id)!.click();
    });
    observer.observe(progress, { childList: true, characterData: true, subtree: true });
  }, button);
}

const pageResults = (page: Page) => page.evaluate(() => (window as unknown as { aimsimPlayground: { results(): unknown[] } }).aimsimPlayground.results()) as Promise<ExperimentResult[]>;

describe('the playground in Chromium', () => {
  it('trains 50 steps of the default config with the numbers of `aimsim run` on its exported config, also when paused and resumed', async (context) => {
    const { page, errors } = await open(context, encodeState(state('train')));
    expect(await page.evaluate(() => document.body.dataset['threads'])).toBe('2'); // cross-origin isolated: kernel threads
    // Keyboard only: focus Start and press Enter.
    await page.focus('#run-start');
    await page.keyboard.press('Enter');
    await runTo(page, 'done');
    // The run's exported config.yaml through `aimsim run`: the page's results.json, bit for bit.
    const dir = mkdtempSync(join(tmpdir(), 'aimsim-playground-run-'));
    const download = page.waitForEvent('download');
    await page.click('#runs .export-yaml');
    copyFileSync(await (await download).path(), join(dir, 'config.yaml'));
    expect(await main(['run', join(dir, 'config.yaml'), '--out', join(dir, 'run')], { stdout: () => {}, stderr: () => {} })).toBe(0);
    const expected = numbers(JSON.parse(readFileSync(join(dir, 'run', 'results.json'), 'utf8')) as ExperimentResult);
    const [first] = await pageResults(page);
    expect(first!.epochs[0]!.pulsesByPurpose['update']).toBeGreaterThan(1e6);
    expect(numbers(first!)).toEqual(expected);
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'train-1280.png'), fullPage: true });

    // Pause after a few steps, resume from the engine's checkpoint: the same numbers.
    // The page clicks Pause itself the moment the status shows step 10 (the run is too quick for a
    // round trip from here); the engine stops after the batch it is on when the message arrives.
    await clickAtStep10(page, 'run-pause');
    await page.click('#run-start');
    await runTo(page, 'paused');
    await page.click('#run-pause');
    await runTo(page, 'done');
    const [, resumed] = await pageResults(page);
    expect(numbers(resumed!)).toEqual(expected);

    // Compare the two runs with the report's figures.
    await page.locator('.compare-pick').nth(0).check();
    await page.locator('.compare-pick').nth(1).check();
    await page.click('#compare-button');
    await page.waitForSelector('#compare svg', { timeout: 60_000 });
    expect(errors).toEqual([]);
  }, 240_000);

  it('on a host without the isolation headers, runs on one thread with the same numbers', async (context) => {
    const { page, errors } = await open(context, encodeState(state('train')), undefined, plainSite);
    expect(await page.evaluate(() => document.body.dataset['threads'])).toBe('1');
    expect(await page.textContent('#threads')).toMatch(/1 thread \(SharedArrayBuffer needs a cross-origin-isolated page/);
    await page.click('#run-start');
    await runTo(page, 'done');
    const [result] = await pageResults(page);
    expect(numbers(result!)).toEqual(numbers(await runExperiment(fiftySteps)));
    expect(errors).toEqual([]);
  }, 120_000);

  it('holds Start while the YAML does not parse, keeps quick controls and YAML in step, and stops a run keeping its partial result', async (context) => {
    const { page, errors } = await open(context, encodeState(state('train')));
    // Invalid YAML: Start and the quick controls wait; the user's text is not rewritten.
    const good = await page.inputValue('#config-yaml');
    await page.fill('#config-yaml', `${good}\n  : [unclosed`);
    expect(await page.isDisabled('#run-start')).toBe(true);
    expect(await page.isDisabled('#quick-epochs')).toBe(true);
    expect(await page.textContent('#config-yaml-problem')).toMatch(/^YAML: /);
    await page.fill('#config-yaml', good);
    expect(await page.isDisabled('#run-start')).toBe(false);
    // A quick control writes the YAML; a value below its minimum is put back.
    await page.selectOption('#quick-device', 'reram-sb');
    expect(parse(await page.inputValue('#config-yaml'))).toMatchObject({ device: 'reram-sb' });
    await page.fill('#quick-epochs', '-1');
    await page.press('#quick-epochs', 'Tab');
    expect(await page.inputValue('#quick-epochs')).toBe('1');
    // Stop at step 10 or later: the run ends as stopped, with its partial results to export.
    await clickAtStep10(page, 'run-stop');
    await page.click('#run-start');
    await runTo(page, 'stopped');
    const [stopped] = await pageResults(page);
    expect(stopped!.status).toBe('partial');
    expect(await page.locator('#runs .export-json').count()).toBe(1);
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows the CLI’s symmetric points for a closed-form device, and exports it as YAML', async (context) => {
    const { page, errors } = await open(context, encodeState(state('device')));
    await page.waitForSelector('#device-sp', { timeout: 60_000 });
    const shown = await page.locator('#device-sp').evaluate((node) => ({ meanDevice: Number(node.dataset['value']), mean: Number(node.dataset['mean']) }));
    const cli = characterizeDevice('soft-bounds', resolveDevice('soft-bounds', deviceState.overrides), deviceState.options);
    expect(cli.symmetricPoint.method).toBe('closed-form');
    // Soft bounds with up/down asymmetry 0.2: SP = (b_max·(1+a) + b_min·(1−a))/2... here the CLI's value, exactly.
    expect(shown.meanDevice).toBe(cli.symmetricPoint.meanDevice);
    expect(shown.mean).toBe(cli.symmetricPoint.mean);
    expect(Math.abs(shown.meanDevice)).toBeGreaterThan(0.01);
    const download = page.waitForEvent('download');
    await page.click('#device-export');
    const file = await (await download).path();
    expect(parse(readFileSync(file, 'utf8'))).toEqual({ device: { preset: 'soft-bounds', ...deviceState.overrides } });
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'device-1280.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);

  it('trains least squares on a dropped task file; the exported study gives the same numbers in `aimsim study`', async (context) => {
    const { page, errors } = await open(context, encodeState(state('least-squares')));
    await page.setInputFiles('#ls-files', { name: 'task.json', mimeType: 'application/json', buffer: Buffer.from(taskFile) });
    await page.waitForFunction(() => /task\.json/.test(document.getElementById('ls-files-list')?.textContent ?? ''));
    await page.click('#ls-start');
    await page.waitForFunction(() => ['done', 'failed'].includes(document.body.dataset['leastSquares'] ?? ''), null, { timeout: 60_000 });
    expect(await page.evaluate(() => document.body.dataset['leastSquares']), await page.textContent('#ls-status') ?? '').toBe('done');
    const [result] = (await page.evaluate(() => (window as unknown as { aimsimPlayground: { leastSquaresResults(): unknown[] } }).aimsimPlayground.leastSquaresResults())) as LeastSquaresResult[];
    expect(result!.steps.at(-1)).toBe(1000);
    expect(result!.distance[0]! / result!.finalDistance).toBeGreaterThan(1.5); // it learned
    // The study file the page exports, beside the task file, run by the CLI.
    const dir = mkdtempSync(join(tmpdir(), 'aimsim-playground-study-'));
    const download = page.waitForEvent('download');
    await page.click('#ls-runs .export-yaml');
    copyFileSync(await (await download).path(), join(dir, 'study.yaml'));
    writeFileSync(join(dir, 'task.json'), taskFile);
    const quiet = { stdout: () => {}, stderr: () => {} };
    expect(await main(['study', join(dir, 'study.yaml'), '--out', join(dir, 'out.json')], quiet)).toBe(0);
    const row = (JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { rows: { curve: { steps: number[]; distance: number[] }; pulses: number; finalDistance: { mean: number } }[] }).rows[0]!;
    expect(row.curve.steps).toEqual(result!.steps);
    expect(row.curve.distance).toEqual(result!.distance);
    expect(row.finalDistance.mean).toBe(result!.finalDistance);
    expect(row.pulses).toBe(result!.report.totalPulses);
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'least-squares-1280.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);

  it('names every control, works from the keyboard, and fits a phone', async (context) => {
    const { page, errors } = await open(context, encodeState(state('device')), { width: 390, height: 844 });
    await page.waitForSelector('#device-sp', { timeout: 60_000 });
    const views = ['device', 'train', 'least-squares'];
    for (const [i, view] of views.entries()) {
      if (i > 0) {
        // Arrow keys move between the tabs (WAI-ARIA tabs).
        await page.focus(`#tab-${views[i - 1]}`);
        await page.keyboard.press('ArrowRight');
        expect(await page.getAttribute(`#tab-${view}`, 'aria-selected')).toBe('true');
        expect(await page.evaluate(() => document.activeElement?.id)).toBe(`tab-${view}`);
      }
      const unnamed = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('input, select, textarea, button'))
        .filter((control) => control.offsetParent !== null)
        .filter((control) => !((control as HTMLInputElement).labels?.length || control.getAttribute('aria-label') || (control.tagName === 'BUTTON' && control.textContent?.trim())))
        .map((control) => control.outerHTML.slice(0, 80)));
      expect(unnamed, `${view} view`).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${view} view fits 390 px`).toBeLessThanOrEqual(390);
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, `${view}-phone.png`), fullPage: true });
    }
    expect(errors).toEqual([]);
  }, 120_000);
});
