/**
 * Fractional max pooling (docs/unpool-fractional.md) on both backends, ranks 2 and 3, both
 * layouts, float32 and float16: seeded random cases against the reference (windows computed from
 * the samples independently of the host table code), the seed generator, named edge cases (out ==
 * 1, out + k − 1 == in, samples at 0 and just below 1, NaN, ties, all -inf), out-of-range indices in
 * the backward op, the internal table's lifetime, a split at a small binding limit, and bad input.
 */
import { describe, expect, it } from 'vitest';
import { narrowToHalves, widenHalves } from '../src/half.js';
import { createPooling, type Pooling, type Tensor } from '../src/index.js';
import type { FractionalShape } from '../src/kernels/fractional-pool.js';
import { runInSlices } from '../src/host/cpu-chunks.js';
import { fractionalOps, intervalStarts, seededSamples, windowStartTable } from '../src/ops/fractional-pool.js';
import * as ref from '../src/reference/fractional-pool.js';
import type { TensorLayout } from '../src/types.js';
import { expectRejected, type BadCall } from './helpers/bad-call.js';
import { expectBitExact } from './helpers/compare.js';
import { useBothContexts } from './helpers/contexts.js';
import { countQueueCalls, testAdapterKind } from './helpers/gpu.js';
import { count, LAYOUTS } from './helpers/nd-windows.js';
import { randomInt, seededRandom } from './helpers/random.js';

const both = useBothContexts();
let splitPool: Pooling | undefined;
const split = async () => (splitPool ??= await createPooling({ backend: 'webgpu', nodeAdapter: testAdapterKind(), maxStorageBufferBindingSize: 4096 }));

const forward = (p: Pooling, rank: 2 | 3) => (rank === 2 ? p.fractionalMaxPool2d.bind(p) : p.fractionalMaxPool3d.bind(p));
const backward = (p: Pooling, rank: 2 | 3) => (rank === 2 ? p.fractionalMaxPool2dBackward.bind(p) : p.fractionalMaxPool3dBackward.bind(p));
const BELOW_ONE = Math.fround(1 - 2 ** -24);

interface Case {
  name: string;
  layout: TensorLayout;
  s: FractionalShape;
  options: Record<string, unknown>;
  samples: Float32Array;
  x: Float32Array;
  dy: Float32Array;
}

function drawCase(rand: () => number, rank: 2 | 3, i: number): Case {
  const N = randomInt(rand, 1, 2);
  const C = randomInt(rand, 1, 4);
  const inSize = Array.from({ length: rank }, () => randomInt(rand, 2, rank === 3 ? 7 : 14));
  const kernel = inSize.map((n) => randomInt(rand, 1, Math.min(3, n)));
  const outSize = inSize.map((n, a) => randomInt(rand, 1, n - kernel[a]! + 1));
  const options: Record<string, unknown> = { kernelSize: kernel, outputSize: outSize };
  const samples = Float32Array.from({ length: N * C * rank }, () => {
    const r = rand();
    return r < 0.1 ? 0 : r < 0.2 ? BELOW_ONE : rand();
  });
  const layout = LAYOUTS[rank][i % 2]! as TensorLayout;
  const s: FractionalShape = { rank, N, C, inSize, outSize, kernel };
  const x = Float32Array.from({ length: N * C * count(inSize) }, () => Math.round((rand() * 2 - 1) * 16) / 16);
  if (rand() < 0.3) for (let j = 0; j < x.length; j++) if (rand() < 0.05) x[j] = rand() < 0.5 ? NaN : -Infinity;
  const dy = Float32Array.from({ length: N * C * count(outSize) }, () => Math.round((rand() * 2 - 1) * 64) / 64);
  return { name: `#${i} ${rank}-D ${[N, C, ...inSize].join('x')} k${kernel.join('x')} → ${outSize.join('x')} ${layout}`, layout, s, options, samples, x, dy };
}

const CASES: Case[] = (() => {
  const rand = seededRandom(0xf4ac);
  const out: Case[] = [];
  for (const rank of [2, 3] as const) for (let i = 0; i < 10; i++) out.push(drawCase(rand, rank, i));
  return out;
})();

const contexts: [string, () => Pooling | Promise<Pooling>][] = [...both.each, ['webgpu split at 4 KiB', split]];

describe.each(contexts)('fractionalMaxPool on %s', (_name, context) => {
  for (const dtype of ['float32', 'float16'] as const) {
    it(`seeded cases, forward (with and without indices) and backward, ${dtype}`, async () => {
      const p = await context();
      for (const c of CASES) {
        const shape = [c.s.N, c.s.C, ...c.s.inSize];
        const outShape = [c.s.N, c.s.C, ...c.s.outSize];
        const cl = c.layout === LAYOUTS[c.s.rank][1];
        const xs = dtype === 'float16' ? widenHalves(narrowToHalves(c.x)) : c.x;
        const dys = dtype === 'float16' ? widenHalves(narrowToHalves(c.dy)) : c.dy;
        const want = ref.fractionalMaxPoolForward(xs, cl, c.s, c.samples);
        const x = p.tensor(c.x, shape, { layout: c.layout, dtype } as never) as Tensor;
        const r = await forward(p, c.s.rank as 2 | 3)(x, { ...c.options, samples: c.samples, returnIndices: true } as never);
        expect(r.output.shape, c.name).toEqual(outShape);
        expect(r.output.dtype, c.name).toBe(dtype);
        expectBitExact(await r.output.readFloat32(), want.output, `${c.name} output`);
        expectBitExact((await r.indices!.read()) as Int32Array, want.indices, `${c.name} indices`);
        const plain = await forward(p, c.s.rank as 2 | 3)(x, { ...c.options, samples: Array.from(c.samples) } as never);
        expect(plain.indices).toBeUndefined();
        expectBitExact(await plain.output.readFloat32(), want.output, `${c.name} output without indices`);
        const dy = p.tensor(c.dy, outShape, { layout: c.layout, dtype } as never) as Tensor;
        const dx = await backward(p, c.s.rank as 2 | 3)(dy, r.indices!, { inputShape: shape, kernelSize: c.options.kernelSize as number[] });
        expect(dx.shape).toEqual(shape);
        // dy holds multiples of 1/64: every sum is exact in f32 whatever the order of the adds.
        expectBitExact(await dx.readFloat32(), ref.fractionalMaxPoolBackward(dys, want.indices, cl, c.s), `${c.name} dx`);
        for (const t of [x, r.output, r.indices!, plain.output, dy, dx]) t.destroy();
      }
    });
  }

  it('channels-last vec4 form (C = 4, 8) and kernels past the fixed sizes (k 4), both layouts, forward and backward', async () => {
    const p = await context();
    const rand = seededRandom(0xf4c4);
    const shapes: FractionalShape[] = [
      { rank: 2, N: 2, C: 4, inSize: [9, 8], outSize: [4, 5], kernel: [2, 3] },
      { rank: 2, N: 1, C: 8, inSize: [7, 9], outSize: [3, 5], kernel: [4, 2] },
      { rank: 3, N: 1, C: 4, inSize: [5, 4, 6], outSize: [2, 3, 3], kernel: [2, 2, 4] },
    ];
    for (const s of shapes) {
      for (const layout of LAYOUTS[s.rank]) {
        const shape = [s.N, s.C, ...s.inSize];
        const outShape = [s.N, s.C, ...s.outSize];
        const cl = layout === LAYOUTS[s.rank][1];
        const data = Float32Array.from({ length: count(shape) }, () => Math.round((rand() * 2 - 1) * 16) / 16);
        for (let j = 0; j < data.length; j++) if (rand() < 0.03) data[j] = rand() < 0.5 ? NaN : -Infinity;
        const samples = Float32Array.from({ length: s.N * s.C * s.rank }, () => Math.fround(rand() * 0.999));
        const want = ref.fractionalMaxPoolForward(data, cl, s, samples);
        const x = p.tensor(data, shape, { layout });
        const r = await forward(p, s.rank as 2 | 3)(x, { kernelSize: s.kernel, outputSize: s.outSize, samples, returnIndices: true } as never);
        const name = `${s.rank}-D ${shape.join('x')} k${s.kernel.join('x')} ${layout}`;
        expectBitExact(await r.output.readFloat32(), want.output, `${name} output`);
        expectBitExact((await r.indices!.read()) as Int32Array, want.indices, `${name} indices`);
        const plain = await forward(p, s.rank as 2 | 3)(x, { kernelSize: s.kernel, outputSize: s.outSize, samples } as never);
        expectBitExact(await plain.output.readFloat32(), want.output, `${name} output without indices`);
        const gy = Float32Array.from({ length: count(outShape) }, () => Math.round((rand() * 2 - 1) * 64) / 64);
        const dy = p.tensor(gy, outShape, { layout });
        const dx = await backward(p, s.rank as 2 | 3)(dy, r.indices!, { inputShape: shape });
        expectBitExact(await dx.readFloat32(), ref.fractionalMaxPoolBackward(gy, want.indices, cl, s), `${name} dx`);
        for (const t of [x, r.output, r.indices!, plain.output, dy, dx]) t.destroy();
      }
    }
  });

  it('seed: the same windows on every backend (the library generator), another seed other windows', async () => {
    const p = await context();
    const shape = [2, 3, 13, 11];
    const data = Float32Array.from({ length: count(shape) }, (_v, i) => Math.sin(i * 12.9898) * 1000);
    const x = p.tensor(data, shape);
    const s: FractionalShape = { rank: 2, N: 2, C: 3, inSize: [13, 11], outSize: [5, 4], kernel: [2, 2] };
    const a = await p.fractionalMaxPool2d(x, { kernelSize: 2, outputSize: [5, 4], seed: 1234, returnIndices: true });
    const want = ref.fractionalMaxPoolForward(data, false, s, seededSamples(1234, 12));
    expectBitExact((await a.indices!.read()) as Int32Array, want.indices, 'seed 1234');
    const b = await p.fractionalMaxPool2d(x, { kernelSize: 2, outputSize: [5, 4], seed: 99, returnIndices: true });
    expect(Array.from((await b.indices!.read()) as Int32Array)).not.toEqual(Array.from(want.indices));
    // Math.random samples: still windows of the right size, every index inside its window's plane.
    const c = await p.fractionalMaxPool2d(x, { kernelSize: 2, outputRatio: 0.5, returnIndices: true });
    expect(c.output.shape).toEqual([2, 3, 6, 5]);
    for (const v of (await c.indices!.read()) as Int32Array) expect(v >= 0 && v < 143).toBe(true);
    for (const t of [x, a.output, a.indices!, b.output, b.indices!, c.output, c.indices!]) t.destroy();
  });

  it('edge cases: out == 1, out + k − 1 == in, ties (first), all -inf (first element), NaN (last)', async () => {
    const p = await context();
    // One row of 6: k 2. out 1: the window starts at in − k = 4. out 5 == 6 − 2 + 1: starts 0..4.
    const x = p.tensor([3, 3, 1, -Infinity, -Infinity, -Infinity], [1, 1, 1, 6]);
    const one = await p.fractionalMaxPool2d(x, { kernelSize: [1, 2], outputSize: [1, 1], samples: [0.5, 0], returnIndices: true });
    expect(Array.from(await one.output.readFloat32())).toEqual([-Infinity]);
    expect(Array.from((await one.indices!.read()) as Int32Array)).toEqual([4]);
    const all = await p.fractionalMaxPool2d(x, { kernelSize: [1, 2], outputSize: [1, 5], samples: [0, 0], returnIndices: true });
    expect(Array.from(await all.output.readFloat32())).toEqual([3, 3, 1, -Infinity, -Infinity]);
    expect(Array.from((await all.indices!.read()) as Int32Array)).toEqual([0, 1, 2, 3, 4]);
    // u just below 1 (w first in the samples): f32(1 + u) rounds to 2, so window 1 starts at 2,
    // not 1, as in PyTorch (torch 2.13: indices [0, 2, 3, 4, 4]).
    const high = await p.fractionalMaxPool2d(x, { kernelSize: [1, 2], outputSize: [1, 5], samples: [BELOW_ONE, 0], returnIndices: true });
    expect(Array.from(await high.output.readFloat32())).toEqual([3, 1, -Infinity, -Infinity, -Infinity]);
    expect(Array.from((await high.indices!.read()) as Int32Array)).toEqual([0, 2, 3, 4, 4]);
    high.output.destroy();
    const nan = p.tensor([NaN, 1, NaN, 2, 5, 0], [1, 1, 2, 3]);
    const r = await p.fractionalMaxPool2d(nan, { kernelSize: [2, 3], outputSize: [1, 1], samples: [0, 0], returnIndices: true });
    expect(Number.isNaN((await r.output.readFloat32())[0])).toBe(true);
    expect(Array.from((await r.indices!.read()) as Int32Array)).toEqual([2]);
    for (const t of [x, one.output, one.indices!, all.output, all.indices!, nan, r.output, r.indices!]) t.destroy();
  });
});

describe('windows', () => {
  it("PyTorch's float32 intervals: where double arithmetic gives another start, float32's is kept", () => {
    // in 11, out 4, k 1, u = f32(0.7): f32(f32(2 + u)·f32(10/3)) = 9.0000… truncates to 9, minus
    // int(u·alpha) = 2 → 7; in double (2.7·3.333…) = 8.999… → 8 − 2 = 6. PyTorch (fixture '2-D
    // float32 alpha') gives 7.
    const u = Math.fround(0.7);
    expect(Array.from(intervalStarts(11, 4, 1, u))).toEqual([0, 3, 7, 10]);
    expect(ref.fractionalIntervals(11, 4, 1, u)).toEqual([0, 3, 7, 10]);
    const f64 = [0, 1, 2].map((i) => Math.trunc((i + u) * (10 / 3)) - Math.trunc(u * (10 / 3)));
    expect(f64).toEqual([0, 3, 6]);
    // A large axis: starts grow by at least 1 and end at in − k.
    const big = intervalStarts(200, 97, 3, Math.fround(0.3));
    expect(Array.from(big)).toEqual(ref.fractionalIntervals(200, 97, 3, Math.fround(0.3)));
    expect(big[96]).toBe(197);
    for (let i = 1; i < 97; i++) expect(big[i]! - big[i - 1]!).toBeGreaterThanOrEqual(1);
  });

  it('seededSamples: mulberry32, 24-bit floats in [0, 1)', () => {
    const s = seededSamples(7, 1000);
    for (const u of s) expect(u >= 0 && u < 1 && Number.isInteger(u * 2 ** 24)).toBe(true);
    expect(Array.from(seededSamples(7, 4))).toEqual(Array.from(s.subarray(0, 4)));
  });
});

describe('backward: out-of-range indices', () => {
  it('WebGPU skips them', async () => {
    for (const p of [both.webgpu(), await split()]) {
      const dy = p.tensor([1, 2, 3, 4], [1, 1, 2, 2]);
      const idx = p.tensor([-1, 3, 3, 16], [1, 1, 2, 2], { dtype: 'int32' });
      const dx = await p.fractionalMaxPool2dBackward(dy, idx, { inputShape: [1, 1, 4, 4] });
      const want = new Float32Array(16);
      want[3] = 5;
      expectBitExact(await dx.readFloat32(), want, 'dx');
      for (const t of [dy, idx, dx]) t.destroy();
    }
  });

  it('the CPU backend refuses them, naming value and position', async () => {
    const p = both.cpu();
    const dy = p.tensor([1, 2, 3, 4], [1, 1, 2, 2]);
    const idx = p.tensor([0, 3, 16, 1], [1, 1, 2, 2], { dtype: 'int32' });
    await expect(p.fractionalMaxPool2dBackward(dy, idx, { inputShape: [1, 1, 4, 4] })).rejects.toThrow(/invalid indices = 16: indices element 2 .*\[0, 16\)/);
  });
});

describe('the window table', () => {
  it('is destroyed after the run, also when the run fails', async () => {
    const p = await split();
    const x = p.tensor(new Float32Array(16), [1, 1, 4, 4]);
    const before = p.stats().liveBuffers;
    const r = await p.fractionalMaxPool2d(x, { kernelSize: 2, outputSize: [2, 2], seed: 1 });
    expect(p.stats().liveBuffers).toBe(before + 1);
    r.output.destroy();
    // A plane larger than one binding cannot be split: the run fails after the table's upload.
    const big = p.tensor(new Float32Array(40 * 40), [1, 1, 40, 40]);
    const beforeBig = p.stats().liveBuffers;
    await expect(p.fractionalMaxPool2d(big, { kernelSize: 2, outputSize: [39, 39], seed: 1 })).rejects.toThrow(/too large to split/);
    expect(p.stats().liveBuffers).toBe(beforeBig);
    for (const t of [x, big]) t.destroy();
  });
});

/** The call with its arguments made now (tensor creation writes to the queue), run later. */
function lazy<A extends unknown[]>(f: (...args: A) => Promise<unknown>, ...args: A): () => Promise<unknown> {
  return () => f(...args);
}

describe('bad input', () => {
  const calls = (): BadCall[] => {
    const t = (p: Pooling, shape: number[], layout?: TensorLayout) => p.tensor(new Float32Array(count(shape)), shape, layout ? { layout } : {});
    const ix = (p: Pooling, shape: number[], layout?: TensorLayout) => p.tensor(new Int32Array(count(shape)), shape, { dtype: 'int32', ...(layout ? { layout } : {}) });
    const op = 'fractionalMaxPool2d';
    const bop = 'fractionalMaxPool2dBackward';
    const fwd = (p: Pooling, o: unknown, shape = [1, 2, 8, 8]) => lazy(p.fractionalMaxPool2d.bind(p), t(p, shape), o as never);
    const bwd = (p: Pooling, o: unknown, dyShape = [1, 2, 3, 3], idxShape = dyShape, idxLayout?: TensorLayout) => lazy(p.fractionalMaxPool2dBackward.bind(p), t(p, dyShape), ix(p, idxShape, idxLayout), o as never);
    return [
      { name: 'x of the wrong rank', op, option: 'x.shape', value: '[1, 2, 8]', rule: /rank-4/, call: (p) => fwd(p, { kernelSize: 2, outputSize: 3 }, [1, 2, 8]) },
      { name: 'no kernelSize', op, option: 'kernelSize', value: 'undefined', rule: /required/, call: (p) => fwd(p, { outputSize: 3 }) },
      { name: 'neither output option', op, option: 'outputSize', value: 'undefined', rule: /exactly one of outputSize and outputRatio/, call: (p) => fwd(p, { kernelSize: 2 }) },
      { name: 'both output options', op, option: 'outputRatio', value: '0.5', rule: /exactly one/, call: (p) => fwd(p, { kernelSize: 2, outputSize: 3, outputRatio: 0.5 }) },
      { name: 'outputSize 0', op, option: 'outputSize', value: '0', rule: />= 1/, call: (p) => fwd(p, { kernelSize: 2, outputSize: 0 }) },
      { name: 'outputRatio 0', op, option: 'outputRatio', value: '0', rule: /finite number > 0/, call: (p) => fwd(p, { kernelSize: 2, outputRatio: 0 }) },
      { name: 'outputRatio NaN', op, option: 'outputRatio', value: 'NaN', rule: /finite number > 0/, call: (p) => fwd(p, { kernelSize: 2, outputRatio: NaN }) },
      { name: 'outputRatio Infinity', op, option: 'outputRatio', value: 'Infinity', rule: /finite number > 0/, call: (p) => fwd(p, { kernelSize: 2, outputRatio: [0.5, Infinity] }) },
      { name: 'outputRatio giving 0', op, option: 'outputRatio', value: '0.1', rule: /must be >= 1/, call: (p) => fwd(p, { kernelSize: 2, outputRatio: 0.1 }) },
      { name: 'out + k − 1 > in', op, option: 'outputSize', value: '[8, 3]', rule: /along H, output 8 \+ kernel 2 − 1 must not exceed the input 8/, call: (p) => fwd(p, { kernelSize: 2, outputSize: [8, 3] }) },
      { name: 'kernel larger than the input', op, option: 'kernelSize', value: '9', rule: /larger than the input 8/, call: (p) => fwd(p, { kernelSize: 9, outputSize: 1 }) },
      { name: 'samples of the wrong count', op, option: 'samples', value: '[0, 0, 0]', rule: /N·C·rank = 4/, call: (p) => fwd(p, { kernelSize: 2, outputSize: 3, samples: [0, 0, 0] }) },
      { name: 'sample 1', op, option: 'samples', value: '[0, 0, 1, 0]', rule: /samples\[2\] = 1 .*\[0, 1\)/, call: (p) => fwd(p, { kernelSize: 2, outputSize: 3, samples: [0, 0, 1, 0] }) },
      { name: 'sample rounding to 1 in float32', op, option: 'samples', value: 'Float64Array(4)', rule: /samples\[1\] = 0.99999999 \(float32 1\)/, call: (p) => fwd(p, { kernelSize: 2, outputSize: 3, samples: Float64Array.of(0, 0.99999999, 0, 0) }) },
      { name: 'negative sample', op, option: 'samples', value: '[0, -0.1, 0, 0]', rule: /\[0, 1\)/, call: (p) => fwd(p, { kernelSize: 2, outputSize: 3, samples: [0, -0.1, 0, 0] }) },
      { name: 'sample not a number', op, option: 'samples', value: '[0, "a", 0, 0]', rule: /must be a number/, call: (p) => fwd(p, { kernelSize: 2, outputSize: 3, samples: [0, 'a', 0, 0] }) },
      { name: 'samples not an array', op, option: 'samples', value: '5', rule: /must be an array/, call: (p) => fwd(p, { kernelSize: 2, outputSize: 3, samples: 5 }) },
      { name: 'seed not an integer', op, option: 'seed', value: '1.5', rule: /integer in \[0, 2\^32\)/, call: (p) => fwd(p, { kernelSize: 2, outputSize: 3, seed: 1.5 }) },
      { name: 'seed and samples', op, option: 'seed', value: '3', rule: /not both/, call: (p) => fwd(p, { kernelSize: 2, outputSize: 3, seed: 3, samples: [0, 0, 0, 0] }) },
      { name: 'returnIndices not a boolean', op, option: 'returnIndices', value: '1', rule: /boolean/, call: (p) => fwd(p, { kernelSize: 2, outputSize: 3, returnIndices: 1 }) },
      { name: 'unknown key', op, option: 'stride', value: '2', rule: /unknown option/, call: (p) => fwd(p, { kernelSize: 2, outputSize: 3, stride: 2 }) },
      { name: 'no inputShape', op: bop, option: 'inputShape', value: 'undefined', rule: /required/, call: (p) => bwd(p, {}) },
      { name: 'inputShape of the wrong rank', op: bop, option: 'inputShape', value: '[1, 2, 8]', rule: /rank-4/, call: (p) => bwd(p, { inputShape: [1, 2, 8] }) },
      { name: 'dy of another C', op: bop, option: 'dy', value: '[1, 3, 3, 3]', rule: /N and C must be inputShape's/, call: (p) => bwd(p, { inputShape: [1, 2, 8, 8] }, [1, 3, 3, 3]) },
      { name: 'indices of another shape', op: bop, option: 'indices', value: '[1, 2, 3, 4]', rule: /dy's shape/, call: (p) => bwd(p, { inputShape: [1, 2, 8, 8] }, [1, 2, 3, 3], [1, 2, 3, 4]) },
      { name: 'indices of another layout', op: bop, option: 'indices', value: 'NHWC', rule: /layout must match/, call: (p) => bwd(p, { inputShape: [1, 2, 8, 8] }, [1, 2, 3, 3], [1, 2, 3, 3], 'NHWC') },
      { name: 'unknown backward key', op: bop, option: 'backward', value: '"gather"', rule: /unknown option/, call: (p) => bwd(p, { inputShape: [1, 2, 8, 8], backward: 'gather' }) },
    ];
  };

  it.each(['webgpu', 'cpu'] as const)('each bad call is a PoolingError naming op and option, nothing dispatched (%s); the context still works', async (backend) => {
    const p = backend === 'webgpu' ? both.webgpu() : both.cpu();
    const queue = backend === 'webgpu' ? countQueueCalls(p) : () => 0;
    for (const b of calls()) {
      const run = b.call(p) as () => Promise<unknown>;
      await expectRejected({ ...b, call: () => run() }, p, queue);
    }
    const x = p.tensor([1, 5, 2, 4, 3, 0, 7, 6, 8], [1, 1, 3, 3]);
    const r = await p.fractionalMaxPool2d(x, { kernelSize: 2, outputSize: 2, samples: [0, 0], returnIndices: true });
    expect(Array.from(await r.output.readFloat32())).toEqual([5, 5, 7, 8]);
  });
});

describe('CPU backend, plane slices (src/host/cpu-chunks.ts)', () => {
  it('the descriptors run in slices of planes or images with the whole-call result (forward and backward, float32 and float16)', async () => {
    const rand = seededRandom(41);
    for (const layout of ['NCHW', 'NHWC'] as const) {
      const s: FractionalShape = { rank: 2, N: 3, C: 4, inSize: [9, 8], outSize: [4, 5], kernel: [2, 3] };
      const x = Float32Array.from({ length: 3 * 4 * 72 }, () => Math.round(rand() * 64) / 64);
      const samples = Float32Array.from({ length: 24 }, () => rand());
      const starts = windowStartTable(s, layout === 'NHWC', samples);
      const dy = Float32Array.from({ length: 3 * 4 * 20 }, () => Math.round(rand() * 64) / 64);
      for (const dtype of ['float32', 'float16'] as const) {
        const ops = fractionalOps(dtype);
        const value = (a: Float32Array) => (dtype === 'float16' ? (narrowToHalves(a) as unknown as Float32Array) : a);
        const kinds: string[] = [];
        const options = { fixedWork: 100, directBelow: 0, onSlice: (kind: string) => kinds.push(kind) };
        const p = { g: s, layout, withIndices: true };
        const whole = ops.forward[2].cpu(p, { x: value(x), window_starts: starts });
        const sliced = await runInSlices(ops.forward[2], p, { x: value(x), window_starts: starts }, options);
        expect(sliced.y).toEqual(whole.y);
        expect(sliced.indices).toEqual(whole.indices);
        expect(sliced.indices).toEqual(ref.fractionalMaxPoolForward(x, layout === 'NHWC', s, samples).indices);
        const bp = { g: s, layout };
        const indices = whole.indices as Int32Array;
        const dx = await runInSlices(ops.backward[2], bp, { dy: value(dy), indices }, options);
        expect(dx.dx).toEqual(ops.backward[2].cpu(bp, { dy: value(dy), indices }).dx);
        expect(kinds.length).toBeGreaterThan(2);
        expect(new Set(kinds)).toEqual(new Set(['planes']));
      }
    }
  });
});
