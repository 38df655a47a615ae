/**
 * Kernel threads on browser Web Workers (issue 8), in headless Chromium: test/browser/threads.html
 * starts the engine in a module worker, which runs the same tile work with 1 and 2 kernel threads
 * (test/browser/threads-engine.js) and posts the numbers back here. The page and its worker import
 * the library's src/ and are bundled with Vite, as a user's app would be (the library's
 * dependencies include CommonJS packages, which browsers do not load unbundled); a local server
 * sends the cross-origin-isolation headers SharedArrayBuffer needs.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { HEADLESS_FLAGS, chromiumOrSkip } from '../support/chromium.js';

const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json' };

interface Run {
  conductance: number[];
  outputs: number[];
  counters: { pulses: Record<string, { up: number; down: number }> };
  resident: boolean;
  threadedCalls: number;
}
interface Report {
  error?: string;
  unavailable?: string | null;
  runs?: Record<'1' | '2', Run>;
  mainThread?: string | null;
  death?: { thrown: string | null; seconds?: number };
  crossOriginIsolated?: boolean;
}

function serve(root: string, onResult: (report: Report) => void): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-store' };
    if (request.method === 'POST' && request.url === '/result') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        response.writeHead(204, headers).end();
        onResult(JSON.parse(body) as Report);
      });
      return;
    }
    const path = normalize(join(root, decodeURIComponent((request.url ?? '/').split('?')[0]!)));
    if (!path.startsWith(root) || !existsSync(path)) {
      response.writeHead(404, headers).end();
      return;
    }
    response.writeHead(200, { ...headers, 'Content-Type': types[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ server, port: (server.address() as { port: number }).port })));
}

let server: Server | null = null;
afterAll(() => void server?.close());

describe('kernel threads in the browser (Web Workers)', () => {
  it('give the same pulses, conductances and MVM outputs as one thread, run from a worker; the page’s main thread is refused clearly; a crashed kernel worker fails the engine’s call instead of hanging it', async (context) => {
    const browser = chromiumOrSkip(context);
    const site = mkdtempSync(join(tmpdir(), 'aimsim-threads-page-'));
    await build({
      configFile: false, root: resolve('test/browser'), base: './', logLevel: 'error', worker: { format: 'es' },
      build: { outDir: site, emptyOutDir: true, target: 'es2022', rollupOptions: { input: resolve('test/browser/threads.html') } },
    });
    let settle: (report: Report) => void = () => {};
    const result = new Promise<Report>((done) => (settle = done));
    const started = await serve(site, (report) => settle(report));
    server = started.server;
    const chromium = spawn(browser, [
      ...HEADLESS_FLAGS,
      `--user-data-dir=${mkdtempSync(join(tmpdir(), 'chromium-'))}`, `http://127.0.0.1:${started.port}/threads.html`,
    ], { stdio: 'ignore' });
    let report: Report;
    try {
      report = await Promise.race([result, new Promise<Report>((done) => setTimeout(() => done({ error: 'no result from the page within 60 s' }), 60_000))]);
    } finally {
      chromium.kill('SIGKILL');
    }
    expect(report.error).toBeUndefined();
    expect(report.crossOriginIsolated).toBe(true);
    expect(report.unavailable).toBeNull();
    expect(report.mainThread).toMatch(/Atomics\.wait is not allowed on the page’s main thread: run the engine in a Web Worker/);
    const one = report.runs!['1'];
    const two = report.runs!['2'];
    expect(one.resident && two.resident).toBe(true);
    expect(one.threadedCalls).toBe(0);
    expect(two.threadedCalls).toBeGreaterThan(20); // the updates and the MVMs really ran split
    const pulses = one.counters.pulses['update']!;
    expect(pulses.up + pulses.down).toBeGreaterThan(1000);
    expect(two.counters).toEqual(one.counters);
    expect(two.conductance).toEqual(one.conductance);
    expect(two.outputs).toEqual(one.outputs);
    // A crashed kernel worker fails the engine's next call with one line, at once.
    expect(report.death).toEqual({ thrown: 'a kernel thread died (out of memory, or it crashed), so the run stops', seconds: expect.any(Number) });
    expect(report.death!.seconds!).toBeLessThan(10);
  }, 90_000);
});
