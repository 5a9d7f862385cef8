import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The kernel suites run a second time on Dawn's OpenGL ES backend (Mesa llvmpipe, compatibility level): a stricter adapter. */
const KERNEL_SUITES = ['test/forward-gpu.test.ts', 'test/forward-edge.test.ts', 'test/forward-w4.test.ts', 'test/forward-specialised.test.ts', 'test/dispatch.test.ts', 'test/backward-*.test.ts', 'test/index-rule.test.ts', 'test/subnormal-max.test.ts', 'test/nd-forward-gpu.test.ts', 'test/nd-backward-gpu.test.ts', 'test/nd-gather-kernels.test.ts', 'test/nd-split.test.ts', 'test/family-*.test.ts', 'test/nan-ignore.test.ts', 'test/empty-windows.test.ts', 'test/tfjs-suites.test.ts', 'test/tuning.test.ts', 'test/onnx-examples.test.ts', 'test/onnx-runtime-oracle.test.ts', 'test/nd-forward-w4.test.ts'];

export default defineConfig({
  build: {
    outDir: 'dist-page',
    target: 'es2022',
    // Two pages: the benchmark (index.html) and the GPU pipeline demo (demo.html).
    rollupOptions: { input: { main: fileURLToPath(new URL('index.html', import.meta.url)), demo: fileURLToPath(new URL('demo.html', import.meta.url)) } },
  },
  test: {
    setupFiles: ['test/setup/load-cpu-runtime.ts'],
    // GPU suites share one software adapter; running them one file at a time keeps timings sane on 2 cores.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'default', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'opengles', include: KERNEL_SUITES, env: { POOLING_TEST_ADAPTER: 'opengles' } } },
    ],
  },
});
