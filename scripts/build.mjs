// Builds the library: dist/index.js (one ESM file, shaders inlined, Dawn's binding left external so
// it loads only in Node) and its .d.ts files.
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
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
console.log('built dist/index.js and dist/*.d.ts');
