/**
 * ONNX semantics held against ONNX Runtime's own CPU kernels (onnxruntime-web 1.30, wasm EP, one
 * thread), which implement the ONNX operators the node tests define: 40 seeded random MaxPool (with
 * its Indices, both storage orders), AveragePool (count_include_pad 0 and 1) and LpPool (p = 1, 2,
 * 3) of rank 1 to 3, with per-axis kernels, strides, asymmetric pads, dilations, ceil_mode and
 * auto_pad, and MaxUnpool fed MaxPool's Indices, each one node built in code (bench/peers/onnx-model.ts) with its output shape left to
 * ONNX's inference. Ours runs the same call through the public API (ONNX attributes mapped as in
 * test/onnx-examples.test.ts) on the CPU backend and on WebGPU; shapes must agree exactly, max
 * values and indices bit for bit, averages and LP norms within a few float32 roundings.
 *
 * Where ONNX and PyTorch part, ours follows PyTorch (docs/semantics.md) and the draw avoids it:
 * ceil_mode with a last window that would start past the input and its left padding (PyTorch drops
 * it; ONNX Runtime's shape inference keeps it), and AveragePool with count_include_pad 1 under
 * ceil_mode (the overhang past the declared padding: PyTorch leaves it out of the divisor). One
 * draw is left out where ONNX Runtime parts from ONNX itself: auto_pad SAME with dilations, where it
 * sizes the padding from the undilated kernel and returns fewer outputs than the spec's
 * ceil(in / stride) (ours gives the spec's).
 */
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onnxPoolModel, type OnnxPoolModel } from '../bench/peers/onnx-model.js';
import { createPooling, type Pooling } from '../src/index.js';
import { testAdapterKind } from './helpers/gpu.js';
import { randomData, randomInt, seededRandom } from './helpers/random.js';

ort.env.wasm.numThreads = 1;

type Op = 'MaxPool' | 'AveragePool' | 'LpPool';

interface Case {
  op: Op;
  shape: number[];
  kernel: number[];
  strides: number[];
  dilations: number[];
  pads: number[];
  autoPad: 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER';
  ceilMode: boolean;
  countIncludePad: boolean;
  storageOrder: 0 | 1;
  p: number;
}

const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** PyTorch's output size along one axis (docs/semantics.md), or 0 where the window does not fit. */
function torchSize(n: number, k: number, s: number, d: number, pb: number, pe: number, ceil: boolean): number {
  const span = n + pb + pe - d * (k - 1) - 1;
  if (span < 0) return 0;
  let o = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (o - 1) * s >= n + pb) o--;
  return o;
}

function draw(rand: () => number, op: Op): Case {
  for (;;) {
    const rank = randomInt(rand, 1, 3);
    const axes = (f: () => number) => Array.from({ length: rank }, f);
    const spatial = axes(() => randomInt(rand, 2, rank === 3 ? 7 : 11));
    const shape = [randomInt(rand, 1, 2), randomInt(rand, 1, 4), ...spatial];
    const kernel = axes(() => randomInt(rand, 1, 4));
    const strides = axes(() => randomInt(rand, 1, 3));
    // ONNX Runtime's LpPool takes no dilations; AveragePool's need opset 19 (used below).
    const dilations = op !== 'LpPool' && rand() < 0.3 ? axes(() => randomInt(rand, 1, 2)) : axes(() => 1);
    const eff = kernel.map((k, a) => dilations[a]! * (k - 1) + 1);
    const autoPad = rand() < 0.2 ? (rand() < 0.5 ? 'SAME_UPPER' : 'SAME_LOWER') : 'NOTSET';
    // PyTorch's rule: a pad at most half the (effective) window.
    const pads = autoPad === 'NOTSET' ? [...eff, ...eff].map((e) => randomInt(rand, 0, Math.floor(e / 2))) : spatial.flatMap(() => [0, 0]);
    const ceilMode = autoPad === 'NOTSET' && rand() < 0.3;
    const countIncludePad = op === 'AveragePool' && !ceilMode && rand() < 0.5;
    const c: Case = { op, shape, kernel, strides, dilations, pads, autoPad, ceilMode, countIncludePad, storageOrder: rand() < 0.3 ? 1 : 0, p: [1, 2, 3][randomInt(rand, 0, 2)]! };
    // A ceil-mode window PyTorch drops (it would start past the input and its left padding) is where ONNX Runtime parts: redraw.
    const sizes = spatial.map((n, a) => torchSize(n, kernel[a]!, strides[a]!, dilations[a]!, pads[a]!, pads[rank + a]!, ceilMode));
    const onnxCeil = spatial.map((n, a) => Math.ceil((n + pads[a]! + pads[rank + a]! - dilations[a]! * (kernel[a]! - 1) - 1) / strides[a]!) + 1);
    if (sizes.some((o) => o < 1)) continue;
    if (ceilMode && sizes.some((o, a) => o !== onnxCeil[a])) continue;
    if (op === 'LpPool' && (c.dilations.some((d) => d > 1) || ceilMode)) continue;
    // auto_pad SAME with dilations: ONNX Runtime sizes the padding from the undilated kernel and
    // gives fewer outputs than the ONNX spec's ceil(in / stride), which ours gives: not drawn.
    if (autoPad !== 'NOTSET' && c.dilations.some((d) => d > 1)) continue;
    return c;
  }
}

const LAYOUTS = { 1: 'NCL', 2: 'NCHW', 3: 'NCDHW' } as const;

async function onnxRun(c: Case, x: Float32Array): Promise<{ y: Float32Array; shape: number[]; indices?: number[] }> {
  const rank = c.shape.length - 2;
  const model: OnnxPoolModel = {
    op: c.op,
    input: c.shape,
    output: c.shape.map(() => -1),
    kernelShape: c.kernel,
    strides: c.strides,
    ...(c.autoPad === 'NOTSET' ? { pads: c.pads } : { autoPad: c.autoPad }),
    ...(c.dilations.some((d) => d > 1) ? { dilations: c.dilations } : {}),
    ceilMode: c.ceilMode,
    countIncludePad: c.countIncludePad,
    p: c.p,
    ...(c.op === 'MaxPool' ? { withIndices: true, storageOrder: c.storageOrder } : {}),
    opset: 19,
  };
  const session = await ort.InferenceSession.create(onnxPoolModel(model), { executionProviders: ['wasm'] });
  try {
    const out = await session.run({ x: new ort.Tensor('float32', x, c.shape) });
    const y = out.y!;
    const indices = out.indices ? Array.from(out.indices.data as BigInt64Array, Number) : undefined;
    void rank;
    return { y: y.data as Float32Array, shape: [...y.dims], ...(indices ? { indices } : {}) };
  } finally {
    await session.release();
  }
}

async function oursRun(p: Pooling, c: Case, x: Float32Array): Promise<{ y: Float32Array; shape: number[]; indices?: number[] }> {
  const rank = c.shape.length - 2 as 1 | 2 | 3;
  const t = p.tensor(x, c.shape, { layout: LAYOUTS[rank] });
  const padding = c.autoPad === 'SAME_UPPER' ? 'same' : c.autoPad === 'SAME_LOWER' ? 'same-lower' : c.pads;
  const window = { kernelSize: c.kernel, stride: c.strides, dilation: c.dilations, padding, ceilMode: c.ceilMode };
  const pool = p as unknown as Record<string, (x: unknown, o: unknown) => Promise<any>>;
  if (c.op === 'MaxPool') {
    const r = await pool[`maxPool${rank}d`]!(t, { ...window, returnIndices: true, indexFormat: 'tensor', indexOrder: c.storageOrder === 1 ? 'column-major' : 'row-major' });
    return { y: await r.output.readFloat32(), shape: [...r.output.shape], indices: Array.from(await r.indices.read()) };
  }
  if (c.op === 'AveragePool') {
    const r = await pool[`avgPool${rank}d`]!(t, { ...window, countIncludePad: c.countIncludePad });
    return { y: await r.readFloat32(), shape: [...r.shape] };
  }
  const { dilation: _d, ...lp } = window;
  const r = await pool[`lpPool${rank}d`]!(t, { ...lp, normType: c.p });
  return { y: await r.readFloat32(), shape: [...r.shape] };
}

const CASES_PER_OP = 40;

/**
 * MaxUnpool from MaxPool's own Indices (ONNX's whole-tensor numbering), as ONNX models chain them:
 * ONNX Runtime's MaxPool gives the indices, then both MaxUnpools place x at them; windows that do
 * not overlap, and ones that do (several windows may name one position: the value is the same).
 */
async function unpoolCase(p: Pooling, rand: () => number, what: string): Promise<void> {
  const rank = randomInt(rand, 1, 3) as 1 | 2 | 3;
  const axes = (f: () => number) => Array.from({ length: rank }, f);
  const spatial = axes(() => randomInt(rand, 3, rank === 3 ? 7 : 11));
  const shape = [randomInt(rand, 1, 2), randomInt(rand, 1, 4), ...spatial];
  const kernel = axes(() => randomInt(rand, 1, 3));
  const strides = kernel.map((k) => (rand() < 0.7 ? k : randomInt(rand, 1, k)));
  const pads = [...kernel, ...kernel].map((k) => randomInt(rand, 0, Math.floor(k / 2)));
  const x = randomData(rand, count(shape), true);
  const pooled = await ort.InferenceSession.create(onnxPoolModel({ op: 'MaxPool', input: shape, output: shape.map(() => -1), kernelShape: kernel, strides, pads, withIndices: true, opset: 19 }), { executionProviders: ['wasm'] });
  const pr = await pooled.run({ x: new ort.Tensor('float32', x, shape) });
  await pooled.release();
  const y = pr.y!;
  // The pooled input's own shape: a floor-mode pool may leave trailing positions that the default
  // unpooled size ((o - 1)·s + k - pads) does not reach, and its indices may name them.
  const unpool = await ort.InferenceSession.create(onnxPoolModel({ op: 'MaxUnpool', input: [...y.dims], output: shape.map(() => -1), kernelShape: kernel, strides, pads, withOutputShape: true, opset: 19 }), { executionProviders: ['wasm'] });
  const ur = await unpool.run({ x: y, indices: pr.indices!, output_shape: new ort.Tensor('int64', BigInt64Array.from(shape.map(BigInt)), [shape.length]) });
  await unpool.release();
  const layout = LAYOUTS[rank];
  const yt = p.tensor(y.data as Float32Array, [...y.dims], { layout });
  const it = p.tensor(Int32Array.from(pr.indices!.data as BigInt64Array, Number), [...y.dims], { layout, dtype: 'int32' });
  const pool = p as unknown as Record<string, (x: unknown, i: unknown, o: unknown) => Promise<any>>;
  const got = await pool[`maxUnpool${rank}d`]!(yt, it, { kernelSize: kernel, stride: strides, padding: pads, outputSize: spatial, indexFormat: 'tensor' });
  const c = `${what} ${JSON.stringify({ shape, kernel, strides, pads })}`;
  expect([...got.shape], `${c}: shape`).toEqual([...ur.y!.dims]);
  expect(Array.from(await got.readFloat32()), `${c}: values`).toEqual(Array.from(ur.y!.data as Float32Array));
}

for (const backend of ['cpu', 'webgpu'] as const) {
  describe(`ONNX Runtime's kernels as the ONNX oracle, ${backend} backend`, () => {
    let p: Pooling;
    beforeAll(async () => {
      p = await createPooling(backend === 'cpu' ? { backend } : { backend, nodeAdapter: testAdapterKind() });
    });
    afterAll(() => p.destroy());

    it('MaxUnpool: 30 seeded calls from MaxPool\'s Indices, rank 1-3', async () => {
      const rand = seededRandom(4242);
      for (let i = 0; i < 30; i++) await unpoolCase(p, rand, `MaxUnpool #${i}`);
    });

    for (const op of ['MaxPool', 'AveragePool', 'LpPool'] as const) {
      it(`${op}: ${CASES_PER_OP} seeded calls, rank 1-3, per-axis attributes`, async () => {
        const rand = seededRandom(op.length * 7919);
        const drawn = new Set<string>();
        for (let i = 0; i < CASES_PER_OP; i++) {
          const c = draw(rand, op);
          const rank = c.shape.length - 2;
          drawn.add(`rank ${rank}`);
          if (c.ceilMode) drawn.add('ceil_mode');
          if (c.autoPad !== 'NOTSET') drawn.add(c.autoPad);
          if (c.dilations.some((d) => d > 1)) drawn.add('dilations');
          if (c.pads.some((v, a) => a < rank && v !== c.pads[a + rank])) drawn.add('asymmetric pads');
          if (op === 'MaxPool' && c.storageOrder === 1) drawn.add('storage_order 1');
          if (op === 'AveragePool' && c.countIncludePad) drawn.add('count_include_pad');
          const x = randomData(rand, count(c.shape), op === 'MaxPool');
          const what = `${op} #${i} ${JSON.stringify(c)}`;
          const want = await onnxRun(c, x);
          const got = await oursRun(p, c, x);
          expect(got.shape, `${what}: shape`).toEqual(want.shape);
          if (op === 'MaxPool') {
            expect(Array.from(got.y), `${what}: values`).toEqual(Array.from(want.y));
            expect(got.indices, `${what}: indices`).toEqual(want.indices);
          } else {
            const terms = count(c.kernel);
            want.y.forEach((v, k) => {
              const tol = 4 * terms * 1.2e-7 * Math.max(1, Math.abs(v));
              if (!(Math.abs(got.y[k]! - v) <= tol)) expect.fail(`${what}: element ${k}: ours ${got.y[k]}, ONNX Runtime ${v}`);
            });
          }
        }
        // The draw reached every attribute it may take for this op.
        const expected = ['rank 1', 'rank 2', 'rank 3', 'SAME_UPPER', 'SAME_LOWER', 'asymmetric pads', ...(op === 'LpPool' ? [] : ['ceil_mode', 'dilations']), ...(op === 'MaxPool' ? ['storage_order 1'] : []), ...(op === 'AveragePool' ? ['count_include_pad'] : [])];
        expect([...drawn].sort()).toEqual(expect.arrayContaining(expected));
      });
    }
  });
}
