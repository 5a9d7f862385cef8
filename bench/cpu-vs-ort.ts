/**
 * `npm run bench:cpu`: the CPU backend's kernels (src/cpu) against ONNX Runtime Web's wasm EP on
 * one thread, on the quick benchmark shapes, forward (ORT has no backward ops): our WebAssembly
 * SIMD kernels, our JavaScript kernels (SIMD off), ORT, and the f64 reference for scale. Batches of
 * each side alternate; each side reports its best batch mean, so load from other processes shows
 * up as noise rather than bias. BATCHES=n changes the 12 batches. Prints docs/cpu-backend.md's rows.
 */
import * as ort from 'onnxruntime-web';
import * as fast from '../src/cpu/index.js';
import { loadSimdKernels, setSimdEnabled, simdAvailable } from '../src/cpu/simd.js';
import { resolveAvgPool, resolveMaxPool } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { Layout } from '../src/types.js';
import { onnxPoolModel, type OnnxPoolOp } from './peers/onnx-model.js';
import { batchMs, bestOfAlternating, type Side } from './best-batch.js';
import { seededValues } from './workload.js';

ort.env.wasm.numThreads = 1;
const BATCHES = Number(process.env.BATCHES ?? 12);

/** Uniform data in [-1, 1), seeded by its length: the same input for every side. */
function data(n: number): Float32Array {
  return seededValues(n, n);
}

/** The same call with the SIMD kernels off: the JavaScript kernels. */
function withoutSimd(f: Side): Side {
  return () => {
    setSimdEnabled(false);
    try {
      return f();
    } finally {
      setSimdEnabled(true);
    }
  };
}


async function ortSide(op: OnnxPoolOp, input: number[], output: number[], w?: { kernel: number; stride: number; pad: number }): Promise<Side> {
  const session = await ort.InferenceSession.create(onnxPoolModel({ op, input, output, ...(w ?? {}) }), { executionProviders: ['wasm'] });
  const x = new ort.Tensor('float32', data(input.reduce((a, b) => a * b)), input);
  return () => session.run({ x });
}

function row(cells: (string | number)[]): void {
  console.log('| ' + cells.map((c) => (typeof c === 'number' ? c.toFixed(3) : c)).join(' | ') + ' |');
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

await loadSimdKernels();
console.log(`WebAssembly SIMD kernels: ${simdAvailable() ? 'on' : 'NOT AVAILABLE (both columns run JavaScript)'}`);
row(['op', 'input, window', 'layout', 'ours SIMD (ms)', 'ours SIMD +indices (ms)', 'ours JS (ms)', 'ORT wasm 1T (ms)', 'SIMD / ORT', 'JS / ORT', 'reference (ms)']);
row(['---', '---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']);

const windowed: [string, number[], number, number, number][] = [
  ['issue 5', [1, 64, 56, 56], 3, 2, 0],
  ['r50stem_b1', [1, 64, 112, 112], 3, 2, 1],
  ['vgg quick', [1, 64, 224, 224], 2, 2, 0],
  ['incep quick', [1, 192, 28, 28], 3, 1, 1],
];
for (const [label, shape, k, s, pad] of windowed) {
  const opts = { kernelSize: k, stride: s, padding: pad };
  const pm = resolveMaxPool('maxPool2d', shape, opts);
  const pa = resolveAvgPool('avgPool2d', shape, opts);
  const out = [pm.N, pm.C, pm.outH, pm.outW];
  const x = data(shape.reduce((a, b) => a * b));
  const ortMax = await ortSide('MaxPool', shape, out, { kernel: k, stride: s, pad });
  const ortAvg = await ortSide('AveragePool', shape, out, { kernel: k, stride: s, pad });
  const name = `${shape.join('x')} k${k} s${s} p${pad} (${label})`;
  for (const layout of ['NCHW', 'NHWC'] as Layout[]) {
    const max = () => fast.maxPool2dForward(x, layout, pm, false);
    const m = await bestOfAlternating({ simd: max, idx: () => fast.maxPool2dForward(x, layout, pm, true), js: withoutSimd(max), ort: ortMax }, BATCHES);
    const mr = await batchMs(() => ref.maxPool2dForward(x, layout, pm), 2);
    row(['max', name, layout, m.simd!, m.idx!, m.js!, m.ort!, ratio(m.simd!, m.ort!), ratio(m.js!, m.ort!), mr]);
    const avg = () => fast.avgPool2dForward(x, layout, pa);
    const a = await bestOfAlternating({ simd: avg, js: withoutSimd(avg), ort: ortAvg }, BATCHES);
    const ar = await batchMs(() => ref.avgPool2dForward(x, layout, pa), 2);
    row(['avg', name, layout, a.simd!, '—', a.js!, a.ort!, ratio(a.simd!, a.ort!), ratio(a.js!, a.ort!), ar]);
  }
}
for (const shape of [[1, 2048, 7, 7], [1, 64, 512, 512]]) {
  const [N, C, H, W] = shape as [number, number, number, number];
  const planes = { N, C, H, W };
  const x = data(N * C * H * W);
  const ortMax = await ortSide('GlobalMaxPool', shape, [N, C, 1, 1]);
  const ortAvg = await ortSide('GlobalAveragePool', shape, [N, C, 1, 1]);
  const name = `${shape.join('x')} global`;
  for (const layout of ['NCHW', 'NHWC'] as Layout[]) {
    const max = () => fast.globalMaxPool(x, layout, planes);
    const m = await bestOfAlternating({ simd: max, js: withoutSimd(max), ort: ortMax }, BATCHES);
    row(['global max', name, layout, m.simd!, '(always)', m.js!, m.ort!, ratio(m.simd!, m.ort!), ratio(m.js!, m.ort!), await batchMs(() => ref.globalMaxPool(x, layout, planes), 2)]);
    const avg = () => fast.globalAvgPool(x, layout, planes);
    const a = await bestOfAlternating({ simd: avg, js: withoutSimd(avg), ort: ortAvg }, BATCHES);
    row(['global avg', name, layout, a.simd!, '—', a.js!, a.ort!, ratio(a.simd!, a.ort!), ratio(a.js!, a.ort!), await batchMs(() => ref.globalAvgPool(x, layout, planes), 2)]);
  }
}
