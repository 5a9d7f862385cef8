// The benchmark's option list: printed by the CLI (bench/cli.ts) and, for --help and --version, by
// scripts/bench.mjs before it sets anything up or builds anything. Plain JavaScript so the launcher
// can import it without a build.
import pkg from '../package.json' with { type: 'json' };

export const VERSION = `webgpu-pooling ${pkg.version}`;

/** The lists come from bench/cases.ts when the caller has them (the CLI); the launcher names the file. */
export function usage(lists = {}) {
  const cases = lists.caseIds ? lists.caseIds.join(', ') : 'see bench/cases.ts';
  const family = lists.familyIds ? lists.familyIds.join(', ') : 'see bench/family-cases.ts';
  const ops = lists.opNames ? lists.opNames.join(',') : 'the ops of bench/cases.ts';
  return `usage: npm run bench -- [options]
  --full                  full-size batches even on a software adapter (there the default is --quick)
  --quick                 every batch 1, 3-5 runs, 32 MiB copy (about 5 minutes on a 2-core software adapter)
  --cases a,b             case names (default all): ${cases}
  --ops a,b               ${ops} (default all)
  --layouts a,b           NCHW,NHWC (default both; for the 1-D and 3-D cases NCHW means NCL / NCDHW, NHWC NLC / NDHWC)
  --dtypes a,b            float32,float16: every case in each dtype, side by side (default: both in quick mode,
                          float32 in full mode); float16 rows have no peers (they run float32 only) and a
                          f16/f32 column of our kernel times
  --backward FORM         auto|scatter|gather: the backward option of our windowed backward calls (default auto, the library's rule)
  --backend webgpu|cpu    our backend under test (default webgpu; cpu: no GPU rows of ours)
  --adapter KIND          auto|vulkan|swiftshader|opengles (default auto)
  --peers a,b             tfjs,ort (ort = ort-wasm + ort-webgpu), or none (default all)
  --no-cpu                skip the timing rows of our CPU backend and the CPU reference (checks still run)
  --tfjs-stack            also time a small TF.js layer stack with and without our plug-in (webgpu-pooling/tfjs)
  --no-family             skip the rest of the pooling family (adaptive, LP, unpool, fractional; run by default on WebGPU)
  --family-only           only the family cases (and the copy kernel)
  --family-cases a,b      family case names (default all): ${family}
  --json                  BENCHMARKS.md's JSON lines on stdout (the table goes to stderr)
  --out FILE              also write the JSON lines to FILE
  --tuning                also run our ops on a context with tuning: 'measure' (rows 'ours-tuned', alternating
                          with the rules' context), and say what tuning chose and what measuring cost
  --wide                  every column of the table (peer times, GB/s, end-to-end times); by default it keeps
                          within about 120 columns: our time, %copy, the check and each peer's ratio
  --help, --version       this text / the version, without setting anything up`;
}
