// Builds the benchmark CLI (bench/cli.ts) into one file, dist-bench/bench.mjs, that needs only the
// `webgpu` package at run time, so it can travel to a GPU machine without node_modules. The WGSL
// is imported with Vite's `?raw`; wgsl-raw-plugin.mjs loads it as text. ONNX Runtime's wasm (27 MB)
// and its glue cannot be inlined sensibly: they are copied beside the bundle, where ORT looks for
// them (next to import.meta.url); without them only the ORT peers fail.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wgslRawPlugin } from './wgsl-raw-plugin.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// `--outdir DIR` builds elsewhere (several builds side by side, e.g. before/after comparisons).
const outArg = process.argv.indexOf('--outdir');
const outdir = outArg > 0 ? resolve(process.argv[outArg + 1]) : resolve(root, 'dist-bench');
// ORT imports its wasm glue (.mjs) and binary (.wasm) from beside the bundle in Node.
const ORT_FILES = ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'];

await mkdir(outdir, { recursive: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ['bench/cli.ts'],
  outfile: resolve(outdir, 'bench.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // ESM builds of TF.js and ONNX Runtime rather than their CommonJS Node entries.
  mainFields: ['module', 'main'],
  external: ['webgpu'],
  plugins: [wgslRawPlugin],
  // CommonJS modules inside the bundle may still require() Node built-ins.
  banner: { js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);" },
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});
// The selection check (bench/selection-check.ts): every alternative the kernel-selection rules
// choose between, timed on the adapter at hand; no peers, so no ORT files.
await build({
  absWorkingDir: root,
  entryPoints: ['bench/selection-check.ts'],
  outfile: resolve(outdir, 'selection.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['webgpu'],
  plugins: [wgslRawPlugin],
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
for (const f of ORT_FILES) await copyFile(resolve(root, 'node_modules/onnxruntime-web/dist', f), resolve(outdir, f));
const bytes = Object.values(result.metafile.outputs).reduce((a, o) => a + o.bytes, 0);
console.error(`build-bench: ${outdir}/bench.mjs (${(bytes / 2 ** 20).toFixed(1)} MiB), selection.mjs and ${ORT_FILES.join(", ")}`);
