/**
 * The playground's build (issue 19): a static site from playground/, importing the library's own
 * src/. The dev server and `vite preview` send the cross-origin-isolation headers that
 * SharedArrayBuffer needs, so the engine worker can start kernel threads; public/_headers asks the
 * same of static hosts that read it (Netlify, Cloudflare Pages). Without them the engine runs on
 * one thread, with the same numbers.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset paths: the site works from any folder of any static host.
  base: './',
  server: { headers: isolation, fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  preview: { headers: isolation },
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4000 },
});
