import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Statistical tests pulse hundreds of thousands of devices; give them room on 2 shared cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
