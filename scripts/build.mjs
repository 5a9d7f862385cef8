// Builds the library: dist/index.js (one ESM file, shaders inlined, Dawn's binding left external so
// it loads only in Node), the TF.js plug-in dist/tfjs.js, and their .d.ts files. `--outdir DIR`
// builds elsewhere (the packaging test does, so that it never races other tests' builds of dist/).
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { wgslRawPlugin } from './wgsl-raw-plugin.mjs';

const at = process.argv.indexOf('--outdir');
const out = at > 0 ? process.argv[at + 1] : 'dist';
rmSync(out, { recursive: true, force: true });
// One build with code splitting: the library and the TF.js plug-in share their common code in a
// chunk, so both entries see the same PoolingError class (instanceof works across them).
await esbuild.build({
  entryPoints: { index: 'src/index.ts', tfjs: 'src/tfjs/index.ts' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  outdir: out,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  // Dawn's binding loads only in Node; TF.js is the application's, never bundled.
  external: ['webgpu', 'node:*', '@tensorflow/*'],
  plugins: [wgslRawPlugin],
});
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', out], { stdio: 'inherit' });
// CommonJS consumers load the same ESM files (require(esm), Node >= 20.19), so there is one copy of
// every class at run time. Their TypeScript (module node16/nodenext in a CommonJS file) needs
// declarations it reads as CommonJS: the same .d.ts files under a package.json that says so.
for (const file of readdirSync(out, { recursive: true, encoding: 'utf8' })) {
  if (file.endsWith('.d.ts')) cpSync(`${out}/${file}`, `${out}/cjs/${file}`);
}
writeFileSync(`${out}/cjs/package.json`, '{ "type": "commonjs" }\n');
console.log(`built ${out}/index.js, ${out}/tfjs.js, ${out}/*.d.ts and their CommonJS view ${out}/cjs/*.d.ts`);
