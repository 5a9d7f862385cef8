// `npm run fuzz -- --seconds N`: bundles the fuzz harness (test/fuzz/cli.ts, shaders inlined, Dawn's
// binding external) with esbuild, as scripts/build.mjs does the library, then runs it.
import { spawnSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import { wgslRawPlugin } from './wgsl-raw-plugin.mjs';

const outfile = 'dist-fuzz/fuzz.mjs';
await esbuild.build({
  entryPoints: ['test/fuzz/cli.ts'],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outfile,
  external: ['webgpu'],
  plugins: [wgslRawPlugin],
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
