/**
 * Part of `npm run bench:cpu`: the CPU backend through the public API (tensor made once; each call is
 * the op, the read of its output and the destroy) against TF.js's wasm backend, which runs XNNPACK's
 * pooling (tf.maxPool / tf.avgPool / tf.maxPool3d / tf.avgPool3d, then data() and dispose), NHWC.
 * Our two layouts stand beside the same TF.js time, since NHWC is what a TF.js user gets. Ours on
 * one thread and on the context's threads ('auto'); TF.js wasm on one thread (its threaded build
 * needs a browser: in Node it reports no multithread support). Batches of each side alternate and
 * each side reports its best batch mean (BATCHES=n, default 8). Each case's outputs, ours and TF.js
 * wasm's, are compared with TF.js's CPU backend first (max |Δ|). Prints docs/cpu-backend.md's table.
 *
 * Run with the hooks that load WGSL as text: tsx --import ./scripts/wgsl-hooks.mjs bench/cpu-vs-xnnpack.ts
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { createPooling, type Pooling, type Tensor } from '../src/index.js';
import { reorder } from './reorder.js';
import { bestOfAlternating, type Side } from './best-batch.js';
import { seededValues } from './workload.js';

const BATCHES = Number(process.env.BATCHES ?? 8);

setThreadsCount(1);
await tf.setBackend('wasm');
await tf.ready();
const tfThreads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) ? 'yes' : 'no';
const tfSimd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'SIMD' : 'no SIMD';
const one = await createPooling({ backend: 'cpu', threads: 1 });
const many = await createPooling({ backend: 'cpu' });


interface Case {
  name: string;
  op: 'max' | 'avg';
  /** N, C, then spatial sizes (2 or 3). */
  shape: number[];
  k: number;
  s: number;
  p: number;
}

const CASES: Case[] = [
  { name: 'max 1×64×56×56 k3 s2', op: 'max', shape: [1, 64, 56, 56], k: 3, s: 2, p: 0 },
  { name: 'max 1×64×112×112 k3 s2 p1', op: 'max', shape: [1, 64, 112, 112], k: 3, s: 2, p: 1 },
  { name: 'max 1×64×224×224 k2 s2', op: 'max', shape: [1, 64, 224, 224], k: 2, s: 2, p: 0 },
  { name: 'max 1×192×28×28 k3 s1 p1', op: 'max', shape: [1, 192, 28, 28], k: 3, s: 1, p: 1 },
  { name: 'avg 1×64×112×112 k3 s2 p1', op: 'avg', shape: [1, 64, 112, 112], k: 3, s: 2, p: 1 },
  { name: 'max 8×64×112×112 k3 s2 p1', op: 'max', shape: [8, 64, 112, 112], k: 3, s: 2, p: 1 },
  { name: 'avg 8×64×112×112 k3 s2 p1', op: 'avg', shape: [8, 64, 112, 112], k: 3, s: 2, p: 1 },
  { name: 'max3d 1×32×16×56×56 k2 s2', op: 'max', shape: [1, 32, 16, 56, 56], k: 2, s: 2, p: 0 },
  { name: 'avg3d 1×32×16×56×56 k3 s2', op: 'avg', shape: [1, 32, 16, 56, 56], k: 3, s: 2, p: 0 },
];

const channelsLast = (shape: number[]) => [shape[0]!, ...shape.slice(2), shape[1]!];

/** TF.js's result on its CPU backend: what both sides are compared with. */
async function tfCpuResult(c: Case, x: Float32Array): Promise<Float32Array> {
  await tf.setBackend('cpu');
  try {
    return await tfSide(c, x).result();
  } finally {
    await tf.setBackend('wasm');
  }
}

function tfSide(c: Case, x: Float32Array): { run: Side; result: () => Promise<Float32Array> } {
  const input = tf.tensor(x, channelsLast(c.shape));
  const rank = c.shape.length - 2;
  const pad = c.p === 0 ? 'valid' : [[0, 0], ...Array.from({ length: rank }, () => [c.p, c.p]), [0, 0]];
  const call = (): tf.Tensor => {
    if (rank === 2) return c.op === 'max' ? tf.maxPool(input as tf.Tensor4D, c.k, c.s, pad as never) : tf.avgPool(input as tf.Tensor4D, c.k, c.s, pad as never);
    // TF.js's 3-D pools take 'valid' or 'same' (which pads after rather than before), so the 3-D
    // cases are unpadded.
    return c.op === 'max' ? tf.maxPool3d(input as tf.Tensor5D, c.k, c.s, 'valid') : tf.avgPool3d(input as tf.Tensor5D, c.k, c.s, 'valid');
  };
  return {
    run: async () => {
      const y = call();
      await y.data();
      y.dispose();
    },
    result: async () => {
      const y = call();
      const d = (await y.data()) as Float32Array;
      y.dispose();
      return d;
    },
  };
}

function oursSide(pool: Pooling, c: Case, x: Float32Array, layout: 'first' | 'last'): { run: Side; result: () => Promise<Float32Array> } {
  const rank = c.shape.length - 2;
  const names = { 2: ['NCHW', 'NHWC'], 3: ['NCDHW', 'NDHWC'] } as const;
  const tensorLayout = names[rank as 2 | 3][layout === 'first' ? 0 : 1];
  // The same values in each layout: x is NHWC-ordered data (as TF.js's), so NCHW gets it transposed.
  const data = layout === 'last' ? x : reorder(x, c.shape, 'first');
  // Shapes are logical (channel-first) in both layouts; the layout says how the data is ordered.
  const t = pool.tensor(data, c.shape, { layout: tensorLayout });
  const opts = { kernelSize: c.k, stride: c.s, padding: c.p };
  // TF.js's average leaves the padding out of the divisor.
  const avg = { ...opts, countIncludePad: false };
  const call = async (): Promise<Tensor> => {
    if (rank === 2) return c.op === 'max' ? (await pool.maxPool2d(t, opts)).output : pool.avgPool2d(t, avg);
    return c.op === 'max' ? (await pool.maxPool3d(t, opts)).output : pool.avgPool3d(t, avg);
  };
  return {
    run: async () => {
      const y = await call();
      await y.read();
      y.destroy();
    },
    result: async () => {
      const y = await call();
      const d = (await y.readFloat32()) as Float32Array;
      y.destroy();
      return layout === 'last' ? d : reorder(d, [...y.shape], 'last');
    },
  };
}


/** Largest |a − b| over the outputs, or Infinity when their sizes differ. */
function maxDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function row(cells: (string | number)[]): void {
  console.log('| ' + cells.map((c) => (typeof c === 'number' ? c.toFixed(3) : c)).join(' | ') + ' |');
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

console.log(`TF.js wasm: ${tfSimd}, threads: ${tfThreads} (1 used); ours: 1 thread and ${many.threads} threads ('auto')`);
row(['case', 'layout', 'ours 1T (ms)', `ours ${many.threads}T (ms)`, 'TF.js wasm 1T (ms)', '1T / TF.js', `${many.threads}T / TF.js`, `${many.threads}T speed-up`, 'ours: max \\|Δ\\| vs TF.js CPU', 'TF.js wasm: max \\|Δ\\| vs TF.js CPU']);
row(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']);
for (const c of CASES) {
  const n = c.shape.reduce((a, b) => a * b, 1);
  const x = seededValues(n, n);
  const want = await tfCpuResult(c, x);
  const peer = tfSide(c, x);
  const peerDiff = maxDiff(await peer.result(), want);
  for (const layout of ['first', 'last'] as const) {
    const a = oursSide(one, c, x, layout);
    const b = oursSide(many, c, x, layout);
    const diff = Math.max(maxDiff(await a.result(), want), maxDiff(await b.result(), want));
    const t = await bestOfAlternating({ one: a.run, many: b.run, tf: peer.run }, BATCHES);
    const name = c.shape.length === 4 ? (layout === 'first' ? 'NCHW' : 'NHWC') : layout === 'first' ? 'NCDHW' : 'NDHWC';
    row([c.name, name, t.one!, t.many!, t.tf!, ratio(t.one!, t.tf!), ratio(t.many!, t.tf!), ratio(t.one!, t.many!), diff.toExponential(1), peerDiff.toExponential(1)]);
  }
}
one.destroy();
many.destroy();
