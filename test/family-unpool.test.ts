/**
 * Max-unpooling (docs/unpool-fractional.md) on both backends, ranks 1-3, both layouts, float32 and
 * float16: seeded random cases (random indices, so duplicates occur) against the reference, the
 * round trip maxPool → maxUnpool, named edge cases (the duplicate rule with 2 and 3+ duplicates,
 * out-of-range indices, outputSize forms, NaN bits), a split at a small binding limit, and the
 * bad-input suite.
 */
import { describe, expect, it } from 'vitest';
import { createPooling, PoolingError, type Pooling, type Tensor } from '../src/index.js';
import type { UnpoolShape } from '../src/kernels/unpool.js';
import { widenHalves, narrowToHalves } from '../src/half.js';
import { runInSlices } from '../src/host/cpu-chunks.js';
import { unpoolOps } from '../src/ops/unpool.js';
import * as ref from '../src/reference/unpool.js';
import type { SpatialRank, TensorLayout } from '../src/types.js';
import { expectRejected, type BadCall } from './helpers/bad-call.js';
import { expectBitExact } from './helpers/compare.js';
import { useBothContexts } from './helpers/contexts.js';
import { countQueueCalls, testAdapterKind } from './helpers/gpu.js';
import { count, LAYOUTS, NEG_NAN } from './helpers/nd-windows.js';
import { randomInt, seededRandom } from './helpers/random.js';

const both = useBothContexts();
let splitPool: Pooling | undefined;
const split = async () => (splitPool ??= await createPooling({ backend: 'webgpu', nodeAdapter: testAdapterKind(), maxStorageBufferBindingSize: 4096 }));

const unpool = (p: Pooling, rank: SpatialRank) => [p.maxUnpool1d, p.maxUnpool2d, p.maxUnpool3d][rank - 1]!.bind(p);
const unpoolBackward = (p: Pooling, rank: SpatialRank) => [p.maxUnpool1dBackward, p.maxUnpool2dBackward, p.maxUnpool3dBackward][rank - 1]!.bind(p);

interface Case {
  name: string;
  rank: SpatialRank;
  layout: TensorLayout;
  s: UnpoolShape;
  options: Record<string, unknown>;
  x: Float32Array;
  indices: Int32Array;
  dy: Float32Array;
}

/** A random case: shapes, window options, indices drawn over the output volume (duplicates happen). */
function drawCase(rand: () => number, rank: SpatialRank, i: number): Case {
  const N = randomInt(rand, 1, 2);
  const C = randomInt(rand, 1, 5);
  const inSize = Array.from({ length: rank }, () => randomInt(rand, 1, rank === 3 ? 4 : 7));
  const kernel = inSize.map(() => randomInt(rand, 1, 3));
  const stride = kernel.map((k) => (rand() < 0.5 ? k : randomInt(rand, 1, 3)));
  const padding = kernel.map((k) => randomInt(rand, 0, Math.floor(k / 2)));
  let outSize = inSize.map((n, a) => (n - 1) * stride[a]! - 2 * padding[a]! + kernel[a]!);
  if (outSize.some((o) => o < 1)) return drawCase(rand, rank, i);
  const options: Record<string, unknown> = { kernelSize: kernel, stride, padding };
  if (rand() < 0.3) {
    outSize = outSize.map((o, a) => Math.max(1, o + randomInt(rand, -(stride[a]! - 1), stride[a]! - 1)));
    if (outSize.some((o, a) => !(o > (inSize[a]! - 1) * stride[a]! - 2 * padding[a]! + kernel[a]! - stride[a]!))) return drawCase(rand, rank, i);
    options.outputSize = rand() < 0.5 ? outSize : [N, C, ...outSize];
  }
  const layout = LAYOUTS[rank][i % 2]! as TensorLayout;
  const s: UnpoolShape = { rank, N, C, inSize, outSize };
  const xCount = N * C * count(inSize);
  const outVol = count(outSize);
  const x = Float32Array.from({ length: xCount }, () => Math.round((rand() * 2 - 1) * 64) / 64);
  const indices = Int32Array.from({ length: xCount }, () => randomInt(rand, 0, outVol - 1));
  const dy = Float32Array.from({ length: N * C * outVol }, () => Math.round((rand() * 2 - 1) * 64) / 64);
  return { name: `#${i} ${rank}-D ${[N, C, ...inSize].join('x')} → ${outSize.join('x')} ${JSON.stringify(options)} ${layout}`, rank, layout, s, options, x, indices, dy };
}

const CASES: Case[] = (() => {
  const rand = seededRandom(0x5eed_0001);
  const out: Case[] = [];
  for (const rank of [1, 2, 3] as const) for (let i = 0; i < 8; i++) out.push(drawCase(rand, rank, i));
  return out;
})();

async function values(t: Tensor): Promise<Float32Array> {
  return t.readFloat32();
}

const contexts: [string, () => Pooling | Promise<Pooling>][] = [...both.each, ['webgpu split at 4 KiB', split]];

describe.each(contexts)('maxUnpool on %s', (_name, context) => {
  for (const dtype of ['float32', 'float16'] as const) {
    it(`seeded cases, forward and backward, ${dtype}`, async () => {
      const p = await context();
      for (const c of CASES) {
        const shape = [c.s.N, c.s.C, ...c.s.inSize];
        const outShape = [c.s.N, c.s.C, ...c.s.outSize];
        const x = p.tensor(c.x, shape, { layout: c.layout, dtype } as never) as Tensor;
        const idx = p.tensor(c.indices, shape, { layout: c.layout, dtype: 'int32' });
        const dy = p.tensor(c.dy, outShape, { layout: c.layout, dtype } as never) as Tensor;
        // float16: the reference on the halves the tensors hold (unpooling moves values exactly).
        const xs = dtype === 'float16' ? widenHalves(narrowToHalves(c.x)) : c.x;
        const dys = dtype === 'float16' ? widenHalves(narrowToHalves(c.dy)) : c.dy;
        const channelsLast = c.layout === LAYOUTS[c.rank][1];
        const y = await unpool(p, c.rank)(x, idx, c.options as never);
        expect(y.shape, c.name).toEqual(outShape);
        expect(y.dtype, c.name).toBe(dtype);
        expect(y.layout, c.name).toBe(c.layout);
        expectBitExact(await values(y), ref.maxUnpoolForward(xs, c.indices, channelsLast, c.s), `${c.name} forward`);
        const dx = await unpoolBackward(p, c.rank)(dy, idx, c.options as never);
        expect(dx.shape, c.name).toEqual(shape);
        expectBitExact(await values(dx), ref.maxUnpoolBackward(dys, c.indices, channelsLast, c.s), `${c.name} backward`);
        for (const t of [x, idx, dy, y, dx]) t.destroy();
      }
    });
  }

  it('round trip: maxPool with indices, then maxUnpool, puts every maximum back (ranks 1-3, both layouts)', async () => {
    const p = await context();
    const rand = seededRandom(77);
    for (const rank of [1, 2, 3] as const) {
      for (const layout of LAYOUTS[rank]) {
        const inSize = Array.from({ length: rank }, () => randomInt(rand, 4, rank === 3 ? 6 : 9));
        const shape = [2, 3, ...inSize];
        const data = Float32Array.from({ length: count(shape) }, () => Math.round((rand() * 2 - 1) * 64) / 64);
        const x = p.tensor(data, shape, { layout });
        const opts = { kernelSize: 2, stride: 2 };
        const pool = [p.maxPool1d, p.maxPool2d, p.maxPool3d][rank - 1]!.bind(p);
        const { output, indices } = await pool(x, { ...opts, returnIndices: true });
        const y = await unpool(p, rank)(output, indices!, { ...opts, outputSize: inSize });
        const got = await y.readFloat32();
        const pooled = await output.readFloat32();
        const idx = (await indices!.read()) as Int32Array;
        const s: UnpoolShape = { rank, N: 2, C: 3, inSize: output.shape.slice(2), outSize: inSize };
        expectBitExact(got, ref.maxUnpoolForward(pooled, idx, layout === LAYOUTS[rank][1], s), `round trip ${rank}-D ${layout}`);
        // Every non-zero of the unpooled tensor is an input element at its own place.
        for (let i = 0; i < got.length; i++) if (got[i] !== 0) expect(got[i]).toBe(data[i]);
        for (const t of [x, output, indices!, y]) t.destroy();
      }
    }
  });

  it('fast path: indices inside their stride cells (stores), one foreign index (the fallback), C = 3, 4, 8 (vec4), both layouts', async () => {
    const p = await context();
    const rand = seededRandom(0xce11);
    let ran = 0;
    for (const rank of [1, 2, 3] as const) {
      for (const layout of LAYOUTS[rank]) {
        for (const C of [3, 4, 8]) {
          for (const foreign of [false, true]) {
            const inSize = Array.from({ length: rank }, () => randomInt(rand, 2, rank === 3 ? 3 : 4));
            const stride = inSize.map(() => randomInt(rand, 2, 3));
            const kernel = stride.map((st) => randomInt(rand, 1, st));
            const padding = kernel.map((k) => randomInt(rand, 0, Math.floor(k / 2)));
            const outSize = inSize.map((n, a) => (n - 1) * stride[a]! - 2 * padding[a]! + kernel[a]!);
            // Small enough that one image fits a binding of the 4 KiB split context.
            if (outSize.some((o) => o < 1) || C * count(outSize) > 900) continue;
            ran += C % 4 === 0 && layout === LAYOUTS[rank][1] ? 1 : 0;
            const N = 2;
            const shape = [N, C, ...inSize];
            const s: UnpoolShape = { rank, N, C, inSize, outSize };
            const xCount = count(shape);
            const channelsLast = layout === LAYOUTS[rank][1];
            const data = Float32Array.from({ length: xCount }, () => Math.round((rand() * 2 - 1) * 64) / 64);
            // Each element's index: a position of its own window (clipped to the output), as a max pool's.
            const idx = new Int32Array(xCount);
            const inVol = count(inSize);
            for (let e = 0; e < xCount; e++) {
              const v = channelsLast ? Math.floor(e / C) % inVol : e % inVol;
              const pos: number[] = [];
              let rest = v;
              for (let a = rank - 1; a >= 0; a--) {
                pos[a] = rest % inSize[a]!;
                rest = Math.floor(rest / inSize[a]!);
              }
              let flat = 0;
              for (let a = 0; a < rank; a++) {
                const lo = Math.max(pos[a]! * stride[a]! - padding[a]!, 0);
                const hi = Math.min(pos[a]! * stride[a]! - padding[a]! + kernel[a]!, outSize[a]!);
                const t = hi > lo ? randomInt(rand, lo, hi - 1) : -1;
                flat = t < 0 || flat < 0 ? -1 : flat * outSize[a]! + t;
              }
              idx[e] = flat;
            }
            if (foreign) idx[randomInt(rand, 0, xCount - 1)] = randomInt(rand, 0, count(outSize) - 1);
            const x = p.tensor(data, shape, { layout });
            const it = p.tensor(idx, shape, { layout, dtype: 'int32' });
            const y = await unpool(p, rank)(x, it, { kernelSize: kernel, stride, padding } as never);
            expectBitExact(await y.readFloat32(), ref.maxUnpoolForward(data, idx, channelsLast, s), `fast path ${rank}-D ${layout} C=${C} k${kernel} s${stride} p${padding} foreign=${foreign}`);
            for (const t of [x, it, y]) t.destroy();
          }
        }
      }
    }
    // The channels-last vec4 form ran on most of its draws.
    expect(ran).toBeGreaterThan(8);
  });

  it('duplicate indices: the largest source position wins (2, 3 and 5 duplicates), in both layouts', async () => {
    const p = await context();
    for (const layout of ['NCL', 'NLC'] as const) {
      // Two channels, five sources each; plane 0: sources 0,1 → 2; 2,3,4 → 0. plane 1: all five → 3.
      const x = layout === 'NCL' ? [1, 2, 3, 4, 5, 10, 20, 30, 40, 50] : [1, 10, 2, 20, 3, 30, 4, 40, 5, 50];
      const idx = layout === 'NCL' ? [2, 2, 0, 0, 0, 3, 3, 3, 3, 3] : [2, 3, 2, 3, 0, 3, 0, 3, 0, 3];
      const xt = p.tensor(x, [1, 2, 5], { layout });
      const it = p.tensor(idx, [1, 2, 5], { layout, dtype: 'int32' });
      const y = await p.maxUnpool1d(xt, it, { kernelSize: 1, stride: 1 });
      const want = [5, 0, 2, 0, 0, 0, 0, 0, 50, 0];
      const got = Array.from(await y.readFloat32());
      const channelFirst = layout === 'NCL' ? got : [...[0, 1, 2, 3, 4].map((v) => got[v * 2]!), ...[0, 1, 2, 3, 4].map((v) => got[v * 2 + 1]!)];
      expect(channelFirst).toEqual(want);
      const dy = p.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, 5], { layout: 'NCL' });
      if (layout === 'NCL') {
        const dx = await p.maxUnpool1dBackward(dy, it, { kernelSize: 1, stride: 1 });
        expect(Array.from(await dx.readFloat32())).toEqual([3, 3, 1, 1, 1, 9, 9, 9, 9, 9]);
        dx.destroy();
      }
      for (const t of [xt, it, y, dy]) t.destroy();
    }
  });

  it('NaN payloads, -0 and infinities move bit for bit', async () => {
    const p = await context();
    const data = Float32Array.from([NaN, NEG_NAN, -0, Infinity, -Infinity, 1e-40]);
    const x = p.tensor(data, [1, 1, 2, 3]);
    const idx = p.tensor([5, 4, 3, 2, 1, 0], [1, 1, 2, 3], { dtype: 'int32' });
    const y = await p.maxUnpool2d(x, idx, { kernelSize: 1 });
    expectBitExact(await y.readFloat32(), Float32Array.from([1e-40, -Infinity, Infinity, -0, NEG_NAN, NaN]), 'specials');
    for (const t of [x, idx, y]) t.destroy();
  });

  it('outputSize: spatial, full shape, and the bounds of PyTorch rule; 3-D', async () => {
    const p = await context();
    const x = p.tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 2, 2, 2]);
    const idx = p.tensor([0, 3, 5, 7, 9, 10, 12, 26], [1, 1, 2, 2, 2], { dtype: 'int32' });
    // Default 4x4x4 (k 2, s 2); 3x3x3 and 5x5x5 are within (default − 2, default + 2).
    for (const outputSize of [[3, 3, 3], [1, 1, 3, 3, 3], [5, 5, 5], [4, 3, 5]]) {
      const y = await p.maxUnpool3d(x, idx, { kernelSize: 2, outputSize });
      const spatial = outputSize.slice(-3);
      expect(y.shape).toEqual([1, 1, ...spatial]);
      const want = new Float32Array(count(spatial));
      [0, 3, 5, 7, 9, 10, 12, 26].forEach((v, i) => (want[v] = i + 1));
      expectBitExact(await y.readFloat32(), want, `outputSize ${JSON.stringify(outputSize)}`);
      y.destroy();
    }
    x.destroy();
    idx.destroy();
  });
});

describe('out-of-range indices', () => {
  it('WebGPU skips them (never written out of bounds; the gradient is 0 there)', async () => {
    for (const p of [both.webgpu(), await split()]) {
      const x = p.tensor([1, 2, 3, 4], [1, 1, 4]);
      const idx = p.tensor([-1, 6, 1, 2 ** 31 - 1], [1, 1, 4], { dtype: 'int32' });
      const y = await p.maxUnpool1d(x, idx, { kernelSize: 2 });
      expect(Array.from(await y.readFloat32())).toEqual([0, 3, 0, 0, 0, 0, 2, 0]);
      const dy = p.tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 8]);
      const dx = await p.maxUnpool1dBackward(dy, idx, { kernelSize: 2 });
      expect(Array.from(await dx.readFloat32())).toEqual([0, 7, 2, 0]);
      for (const t of [x, idx, y, dy, dx]) t.destroy();
    }
  });

  it('the CPU backend refuses them, naming the value and its position, and still works afterwards', async () => {
    const p = both.cpu();
    const x = p.tensor([1, 2, 3, 4], [1, 1, 4]);
    const idx = p.tensor([0, 1, 8, 2], [1, 1, 4], { dtype: 'int32' });
    await expect(p.maxUnpool1d(x, idx, { kernelSize: 2 })).rejects.toThrow(/invalid indices = 8: indices element 2 .*\[0, 8\)/);
    const dy = p.tensor(new Float32Array(8), [1, 1, 8]);
    await expect(p.maxUnpool1dBackward(dy, idx, { kernelSize: 2 })).rejects.toBeInstanceOf(PoolingError);
    const good = p.tensor([0, 1, 7, 2], [1, 1, 4], { dtype: 'int32' });
    const y = await p.maxUnpool1d(x, good, { kernelSize: 2 });
    expect(Array.from(await y.readFloat32())).toEqual([1, 2, 4, 0, 0, 0, 0, 3]);
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
    const op = 'maxUnpool2d';
    const bop = 'maxUnpool2dBackward';
    return [
      { name: 'x of the wrong rank', op, option: 'x.shape', value: '[1, 1, 4]', rule: /rank-4/, call: (p) => lazy(p.maxUnpool2d.bind(p), t(p, [1, 1, 4]), ix(p, [1, 1, 4]), { kernelSize: 2 }) },
      { name: 'float32 indices', op, option: 'indices', value: 'float32', rule: /int32 tensor/, call: (p) => lazy(p.maxUnpool2d.bind(p), t(p, [1, 1, 2, 2]), t(p, [1, 1, 2, 2]) as never, { kernelSize: 2 }) },
      { name: 'indices of another shape', op, option: 'indices', value: '[1, 1, 2, 3]', rule: /x's shape/, call: (p) => lazy(p.maxUnpool2d.bind(p), t(p, [1, 1, 2, 2]), ix(p, [1, 1, 2, 3]), { kernelSize: 2 }) },
      { name: 'indices of another layout', op, option: 'indices', value: 'NHWC', rule: /layout must match/, call: (p) => lazy(p.maxUnpool2d.bind(p), t(p, [1, 1, 2, 2]), ix(p, [1, 1, 2, 2], 'NHWC'), { kernelSize: 2 }) },
      { name: 'no kernelSize', op, option: 'kernelSize', value: 'undefined', rule: /required/, call: (p) => lazy(p.maxUnpool2d.bind(p), t(p, [1, 1, 2, 2]), ix(p, [1, 1, 2, 2]), {} as never) },
      { name: 'kernelSize 0', op, option: 'kernelSize', value: '0', rule: />= 1/, call: (p) => lazy(p.maxUnpool2d.bind(p), t(p, [1, 1, 2, 2]), ix(p, [1, 1, 2, 2]), { kernelSize: 0 }) },
      { name: 'stride of three entries', op, option: 'stride', value: '[1, 1, 1]', rule: /one entry per spatial axis/, call: (p) => lazy(p.maxUnpool2d.bind(p), t(p, [1, 1, 2, 2]), ix(p, [1, 1, 2, 2]), { kernelSize: 2, stride: [1, 1, 1] }) },
      { name: "padding 'same'", op, option: 'padding', value: '"same"', rule: /every pad must be an integer/, call: (p) => lazy(p.maxUnpool2d.bind(p), t(p, [1, 1, 2, 2]), ix(p, [1, 1, 2, 2]), { kernelSize: 2, padding: 'same' as never }) },
      { name: 'padding leaving no output', op, option: 'padding', value: '2', rule: /must be >= 1/, call: (p) => lazy(p.maxUnpool2d.bind(p), t(p, [1, 1, 1, 1]), ix(p, [1, 1, 1, 1]), { kernelSize: 2, padding: 2 }) },
      { name: 'outputSize of the wrong length', op, option: 'outputSize', value: '[4, 4, 4]', rule: /spatial output size/, call: (p) => lazy(p.maxUnpool2d.bind(p), t(p, [1, 1, 2, 2]), ix(p, [1, 1, 2, 2]), { kernelSize: 2, outputSize: [4, 4, 4] }) },
      { name: 'outputSize not an integer', op, option: 'outputSize', value: '[4, 4.5]', rule: /integer >= 1/, call: (p) => lazy(p.maxUnpool2d.bind(p), t(p, [1, 1, 2, 2]), ix(p, [1, 1, 2, 2]), { kernelSize: 2, outputSize: [4, 4.5] }) },
      { name: 'outputSize 0', op, option: 'outputSize', value: '[0, 4]', rule: /integer >= 1/, call: (p) => lazy(p.maxUnpool2d.bind(p), t(p, [1, 1, 2, 2]), ix(p, [1, 1, 2, 2]), { kernelSize: 2, outputSize: [0, 4] }) },
      { name: 'outputSize impossible (too large)', op, option: 'outputSize', value: '[6, 4]', rule: /strictly between 2 and 6/, call: (p) => lazy(p.maxUnpool2d.bind(p), t(p, [1, 1, 2, 2]), ix(p, [1, 1, 2, 2]), { kernelSize: 2, outputSize: [6, 4] }) },
      { name: 'outputSize impossible (too small)', op, option: 'outputSize', value: '[4, 2]', rule: /strictly between 2 and 6/, call: (p) => lazy(p.maxUnpool2d.bind(p), t(p, [1, 1, 2, 2]), ix(p, [1, 1, 2, 2]), { kernelSize: 2, outputSize: [4, 2] }) },
      { name: 'full outputSize with another C', op, option: 'outputSize', value: '[1, 2, 4, 4]', rule: /N and C/, call: (p) => lazy(p.maxUnpool2d.bind(p), t(p, [1, 1, 2, 2]), ix(p, [1, 1, 2, 2]), { kernelSize: 2, outputSize: [1, 2, 4, 4] }) },
      { name: 'unknown key', op, option: 'dilation', value: '2', rule: /unknown option/, call: (p) => lazy(p.maxUnpool2d.bind(p), t(p, [1, 1, 2, 2]), ix(p, [1, 1, 2, 2]), { kernelSize: 2, dilation: 2 } as never) },
      { name: 'options not an object', op, option: 'options', value: '3', rule: /options object/, call: (p) => lazy(p.maxUnpool2d.bind(p), t(p, [1, 1, 2, 2]), ix(p, [1, 1, 2, 2]), 3 as never) },
      { name: 'dy not the unpooled shape', op: bop, option: 'dy', value: '[1, 1, 4, 3]', rule: /unpooled shape/, call: (p) => lazy(p.maxUnpool2dBackward.bind(p), t(p, [1, 1, 4, 3]), ix(p, [1, 1, 2, 2]), { kernelSize: 2 }) },
      { name: 'dy of another layout', op: bop, option: 'indices', value: 'NCHW', rule: /layout must match/, call: (p) => lazy(p.maxUnpool2dBackward.bind(p), t(p, [1, 1, 4, 4], 'NHWC'), ix(p, [1, 1, 2, 2]), { kernelSize: 2 }) },
      { name: 'dy of the wrong rank', op: bop, option: 'dy.shape', value: '[1, 1, 4]', rule: /rank-4/, call: (p) => lazy(p.maxUnpool2dBackward.bind(p), t(p, [1, 1, 4]), ix(p, [1, 1, 2, 2]), { kernelSize: 2 }) },
    ];
  };

  it.each(['webgpu', 'cpu'] as const)('each bad call is a PoolingError naming op and option, nothing dispatched (%s); the context still works', async (backend) => {
    const p = backend === 'webgpu' ? both.webgpu() : both.cpu();
    const queue = backend === 'webgpu' ? countQueueCalls(p) : () => 0;
    for (const b of calls()) {
      // Tensor creation writes to the queue: the arguments are made first, then the call is counted.
      const run = b.call(p) as () => Promise<unknown>;
      await expectRejected({ ...b, call: () => run() }, p, queue);
    }
    const x = p.tensor([1, 2, 3, 4], [1, 1, 2, 2]);
    const idx = p.tensor([0, 3, 12, 15], [1, 1, 2, 2], { dtype: 'int32' });
    const y = await p.maxUnpool2d(x, idx, { kernelSize: 2 });
    const want = new Float32Array(16);
    [0, 3, 12, 15].forEach((v, i) => (want[v] = i + 1));
    expectBitExact(await y.readFloat32(), want, 'after the bad calls');
  });
});

describe('split at a 4 KiB binding limit', () => {
  it('runs by planes (channel-first) or images (channels-last) across many dispatches', async () => {
    const p = await split();
    const rand = seededRandom(9);
    for (const [layout, C] of [['NCHW', 4], ['NHWC', 1]] as const) {
      const s: UnpoolShape = { rank: 2, N: 3, C, inSize: [15, 15], outSize: [30, 30] };
      const shape = [3, C, 15, 15];
      const data = Float32Array.from({ length: count(shape) }, () => rand() * 2 - 1);
      const indices = Int32Array.from({ length: count(shape) }, () => randomInt(rand, 0, 899));
      const dyData = Float32Array.from({ length: 3 * C * 900 }, () => rand());
      const x = p.tensor(data, shape, { layout });
      const idx = p.tensor(indices, shape, { layout, dtype: 'int32' });
      const y = await p.maxUnpool2d(x, idx, { kernelSize: 2 });
      expectBitExact(await y.readFloat32(), ref.maxUnpoolForward(data, indices, layout === 'NHWC', s), `split forward ${layout}`);
      const dy = p.tensor(dyData, [3, C, 30, 30], { layout });
      const dx = await p.maxUnpool2dBackward(dy, idx, { kernelSize: 2 });
      expectBitExact(await dx.readFloat32(), ref.maxUnpoolBackward(dyData, indices, layout === 'NHWC', s), `split backward ${layout}`);
      for (const t of [x, idx, y, dy, dx]) t.destroy();
    }
  });

  it('a plane larger than one binding is a clear PoolingError; the context still works', async () => {
    const p = await split();
    const x = p.tensor(new Float32Array(2 * 40 * 40), [2, 1, 40, 40]);
    const idx = p.tensor(new Int32Array(2 * 40 * 40), [2, 1, 40, 40], { dtype: 'int32' });
    await expect(p.maxUnpool2d(x, idx, { kernelSize: 1 })).rejects.toThrow(/too large to split/);
    const small = p.tensor([1, 2], [1, 1, 2]);
    const si = p.tensor([1, 0], [1, 1, 2], { dtype: 'int32' });
    expect(Array.from(await (await p.maxUnpool1d(small, si, { kernelSize: 1 })).readFloat32())).toEqual([2, 1]);
  });
});

describe('CPU backend, plane slices (src/host/cpu-chunks.ts)', () => {
  it('the descriptors run in slices of planes or images with the whole-call result (forward and backward, float32 and float16)', async () => {
    const rand = seededRandom(31);
    for (const layout of ['NCHW', 'NHWC'] as const) {
      const s: UnpoolShape = { rank: 2, N: 3, C: 4, inSize: [5, 6], outSize: [10, 12] };
      const p = { g: s, layout };
      const x = Float32Array.from({ length: 3 * 4 * 30 }, () => rand());
      const indices = Int32Array.from({ length: x.length }, () => randomInt(rand, 0, 119));
      const dy = Float32Array.from({ length: 3 * 4 * 120 }, () => rand());
      for (const dtype of ['float32', 'float16'] as const) {
        const ops = unpoolOps(dtype);
        const value = (a: Float32Array) => (dtype === 'float16' ? (narrowToHalves(a) as unknown as Float32Array) : a);
        const kinds: string[] = [];
        const options = { fixedWork: 100, directBelow: 0, onSlice: (kind: string) => kinds.push(kind) };
        const y = await runInSlices(ops.forward[2], p, { x: value(x), indices }, options);
        expect(y.y).toEqual(ops.forward[2].cpu(p, { x: value(x), indices }).y);
        const dx = await runInSlices(ops.backward[2], p, { dy: value(dy), indices }, options);
        expect(dx.dx).toEqual(ops.backward[2].cpu(p, { dy: value(dy), indices }).dx);
        expect(kinds.length).toBeGreaterThan(2);
        expect(new Set(kinds)).toEqual(new Set(['planes']));
      }
    }
  });
});
