import { defineConfig } from 'vitest/config';

export default defineConfig({
  build: { outDir: 'dist-page', target: 'es2022' },
  test: {
    include: ['test/**/*.test.ts'],
    // GPU suites share one software adapter; running them one file at a time keeps timings sane on 2 cores.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
