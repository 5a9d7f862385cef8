/**
 * Part of `npm run bench:cpu`: the rest of the family on the CPU backend (1-D, 3-D, LP pooling)
 * through the public API, against ONNX Runtime Web's wasm EP on one thread, which has them all
 * (MaxPool / AveragePool / LpPool of any rank; TF.js wasm has no 1-D or LP pooling). Each timed
 * call: ours, the op on a tensor made beforehand, the read of its output and the destroy; ORT, one
 * `session.run` of a one-node model (its input copied in and its output out). ORT takes
 * channel-first data, so its time stands beside both of our layouts. Batches alternate, best batch
 * mean (BATCHES=n, default 8); every output is compared with ORT's (max |Δ|). Max unpooling is not
 * here: ORT's MaxUnpool takes indices in its own flattened-over-N·C format, a different op.
 *
 * Run with the hooks that load WGSL as text: tsx --import ./scripts/wgsl-hooks.mjs bench/cpu-family-vs-ort.ts
 */
import * as ort from 'onnxruntime-web';
import { createPooling, type Pooling, type Tensor } from '../src/index.js';
import { onnxPoolModel, type OnnxPoolOp } from './peers/onnx-model.js';
import { reorder } from './reorder.js';
import { bestOfAlternating, type Side } from './best-batch.js';
import { seededValues } from './workload.js';

ort.env.wasm.numThreads = 1;
const BATCHES = Number(process.env.BATCHES ?? 8);
const one = await createPooling({ backend: 'cpu', threads: 1 });
const many = await createPooling({ backend: 'cpu' });


interface Case {
  name: string;
  op: 'max' | 'avg' | 'lp';
  shape: number[];
  k: number;
  s: number;
}

const CASES: Case[] = [
  { name: 'maxPool1d 1×80×16000 k3 s3 (SincNet-style front end)', op: 'max', shape: [1, 80, 16000], k: 3, s: 3 },
  { name: 'avgPool1d 1×64×16000 k4 s4', op: 'avg', shape: [1, 64, 16000], k: 4, s: 4 },
  { name: 'maxPool3d 1×32×16×56×56 k2 s2', op: 'max', shape: [1, 32, 16, 56, 56], k: 2, s: 2 },
  { name: 'avgPool3d 1×32×16×56×56 k3 s2', op: 'avg', shape: [1, 32, 16, 56, 56], k: 3, s: 2 },
  { name: 'lpPool2d p=2 1×64×112×112 k3 s2', op: 'lp', shape: [1, 64, 112, 112], k: 3, s: 2 },
];

const LAYOUTS: Record<number, [string, string]> = { 3: ['NCL', 'NLC'], 4: ['NCHW', 'NHWC'], 5: ['NCDHW', 'NDHWC'] };


async function call(pool: Pooling, c: Case, t: Tensor): Promise<Tensor> {
  const opts = { kernelSize: c.k, stride: c.s };
  const rank = c.shape.length - 2;
  if (c.op === 'lp') return pool.lpPool2d(t, { ...opts, normType: 2 });
  if (c.op === 'max') return (await (rank === 1 ? pool.maxPool1d(t, opts) : pool.maxPool3d(t, opts))).output;
  return rank === 1 ? pool.avgPool1d(t, opts) : pool.avgPool3d(t, opts);
}

function oursSide(pool: Pooling, c: Case, x: Float32Array, last: boolean): { run: Side; result: () => Promise<{ data: Float32Array; shape: readonly number[] }> } {
  const layout = LAYOUTS[c.shape.length]![last ? 1 : 0];
  const t = pool.tensor(last ? reorder(x, c.shape, 'last') : x, c.shape, { layout: layout as never });
  return {
    run: async () => {
      const y = await call(pool, c, t);
      await y.read();
      y.destroy();
    },
    result: async () => {
      const y = await call(pool, c, t);
      const data = await y.readFloat32();
      const shape = y.shape;
      y.destroy();
      return { data: last ? reorder(data, shape, 'first') : data, shape };
    },
  };
}

const ONNX_OP: Record<Case['op'], OnnxPoolOp> = { max: 'MaxPool', avg: 'AveragePool', lp: 'LpPool' };

function row(cells: (string | number)[]): void {
  console.log('| ' + cells.map((v) => (typeof v === 'number' ? v.toFixed(3) : v)).join(' | ') + ' |');
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

console.log(`ONNX Runtime Web ${ort.env.versions.web} wasm EP, 1 thread; ours: 1 thread and ${many.threads} threads ('auto')`);
row(['case', 'layout', 'ours 1T (ms)', `ours ${many.threads}T (ms)`, 'ORT wasm 1T (ms)', '1T / ORT', `${many.threads}T / ORT`, 'max \\|Δ\\| vs ORT']);
row(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:']);
for (const c of CASES) {
  const n = c.shape.reduce((a, b) => a * b, 1);
  const x = seededValues(n, n);
  const probe = await oursSide(one, c, x, false).result();
  const session = await ort.InferenceSession.create(onnxPoolModel({ op: ONNX_OP[c.op], input: c.shape, output: probe.shape, kernel: c.k, stride: c.s, pad: 0, p: 2 }), { executionProviders: ['wasm'] });
  const input = new ort.Tensor('float32', x, c.shape);
  const peer = async () => (await session.run({ x: input })).y!;
  const want = (await peer()).data as Float32Array;
  for (const last of [false, true]) {
    const a = oursSide(one, c, x, last);
    const b = oursSide(many, c, x, last);
    let diff = 0;
    for (const side of [a, b]) {
      const got = (await side.result()).data;
      if (got.length !== want.length) diff = Infinity;
      else for (let i = 0; i < got.length; i++) diff = Math.max(diff, Math.abs(got[i]! - want[i]!));
    }
    const t = await bestOfAlternating({ one: a.run, many: b.run, ort: peer }, BATCHES);
    row([c.name, LAYOUTS[c.shape.length]![last ? 1 : 0]!, t.one!, t.many!, t.ort!, ratio(t.one!, t.ort!), ratio(t.many!, t.ort!), diff.toExponential(1)]);
  }
  await session.release();
}
one.destroy();
many.destroy();
