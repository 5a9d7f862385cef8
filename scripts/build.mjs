// Builds the library: dist/index.js (one ESM file, shaders inlined, Dawn's binding left external so
// it loads only in Node), the TF.js plug-in dist/tfjs.js, and their .d.ts files.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { wgslRawPlugin } from './wgsl-raw-plugin.mjs';

rmSync('dist', { recursive: true, force: true });
await esbuild.build({
  entryPoints: ['src/index.ts'],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  outfile: 'dist/index.js',
  sourcemap: true,
  external: ['webgpu', 'node:*'],
  plugins: [wgslRawPlugin],
});
// The TF.js plug-in (webgpu-pooling/tfjs): TF.js itself is the application's, never bundled.
await esbuild.build({
  entryPoints: ['src/tfjs/index.ts'],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  outfile: 'dist/tfjs.js',
  sourcemap: true,
  external: ['@tensorflow/*', 'webgpu', 'node:*'],
  plugins: [wgslRawPlugin],
});
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
console.log('built dist/index.js, dist/tfjs.js and dist/*.d.ts');
