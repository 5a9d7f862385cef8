// Builds the library: dist/index.js (one ESM file, shaders inlined, Dawn's binding left external so
// it loads only in Node), the TF.js plug-in dist/tfjs.js, and their .d.ts files.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { wgslRawPlugin } from './wgsl-raw-plugin.mjs';

rmSync('dist', { recursive: true, force: true });
// One build with code splitting: the library and the TF.js plug-in share their common code in a
// chunk, so both entries see the same PoolingError class (instanceof works across them).
await esbuild.build({
  entryPoints: { index: 'src/index.ts', tfjs: 'src/tfjs/index.ts' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  // Dawn's binding loads only in Node; TF.js is the application's, never bundled.
  external: ['webgpu', 'node:*', '@tensorflow/*'],
  plugins: [wgslRawPlugin],
});
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
console.log('built dist/index.js, dist/tfjs.js and dist/*.d.ts');
