/**
 * Adaptive pooling (docs/adaptive-pooling.md) through the public API of both contexts (WebGPU and
 * CPU), against the f64 reference (src/reference/adaptive.ts): seeded random shapes of rank 1-3
 * (output larger than the input, sizes that do not divide, null axes, one number for every axis),
 * both memory orders, float32 and float16, forward and backward; named edge cases (identity,
 * global, NaN / ±Infinity, ties and signed zeros, 1×1 inputs, the index rule); the fast CPU kernels
 * against the reference directly; and the split path at a small binding limit. Max values and
 * indices bit for bit; sums within SEMANTICS.md's f32 tolerance (one half-ulp for float16).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaptiveAvgPool, adaptiveAvgPoolBackward, adaptiveMaxPool, adaptiveMaxPoolBackward } from '../src/cpu/adaptive.js';
import { halfToNumber, narrowToHalves, widenHalves, halfFromNumber } from '../src/half.js';
import { createPooling, type Pooling, type Tensor } from '../src/index.js';
import { runInSlices } from '../src/host/cpu-chunks.js';
import { adaptiveForwardPlan, adaptiveBackwardPlan, GATHER_MAX_RUN } from '../src/kernels/adaptive-pool.js';
import { ADAPTIVE_OPS, adaptiveBackwardForm, adaptiveGeometry, evenWindow, HALF_ADAPTIVE_OPS } from '../src/ops/adaptive-pool.js';
import * as ref from '../src/reference/adaptive.js';
import type { SpatialRank, TensorLayout, WindowGeometry } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { useBothContexts } from './helpers/contexts.js';
import { withCleanErrorScope } from './helpers/gpu.js';
import { count, LAYOUTS } from './helpers/nd-windows.js';
import { pick, randomData, randomInt, seededRandom } from './helpers/random.js';

const both = useBothContexts();

type Size = number | (number | null)[];
const M = { 1: 'adaptiveMaxPool1d', 2: 'adaptiveMaxPool2d', 3: 'adaptiveMaxPool3d' } as const;
const A = { 1: 'adaptiveAvgPool1d', 2: 'adaptiveAvgPool2d', 3: 'adaptiveAvgPool3d' } as const;
const MB = { 1: 'adaptiveMaxPool1dBackward', 2: 'adaptiveMaxPool2dBackward', 3: 'adaptiveMaxPool3dBackward' } as const;
const AB = { 1: 'adaptiveAvgPool1dBackward', 2: 'adaptiveAvgPool2dBackward', 3: 'adaptiveAvgPool3dBackward' } as const;

const maxF = (p: Pooling, rank: SpatialRank, x: Tensor, outputSize: Size, returnIndices = true) => p[M[rank]](x, { outputSize, returnIndices });
// A float32 call's results are float32 tensors (the API types them as any float tensor).
type F32 = Promise<Tensor<'float32'>>;
const avgF = (p: Pooling, rank: SpatialRank, x: Tensor, outputSize: Size) => p[A[rank]](x, { outputSize }) as F32;
const maxB = (p: Pooling, rank: SpatialRank, dy: Tensor, idx: Tensor, inputShape: number[]) => p[MB[rank]](dy, idx, { inputShape }) as F32;
const avgB = (p: Pooling, rank: SpatialRank, dy: Tensor, inputShape: number[]) => p[AB[rank]](dy, { inputShape }) as F32;
/** The values of a float32 tensor. */
const values = async (t: Tensor | Promise<Tensor>) => (await (await t).read()) as Float32Array;

/** outputSize resolved as the API does: a number for every axis, null keeping the input size. */
function resolved(shape: readonly number[], size: Size): number[] {
  const inSize = shape.slice(2);
  return Array.isArray(size) ? size.map((o, a) => o ?? inSize[a]!) : inSize.map(() => size);
}

function geometry(shape: readonly number[], size: Size): WindowGeometry {
  return adaptiveGeometry((shape.length - 2) as SpatialRank, shape[0]!, shape[1]!, shape.slice(2), resolved(shape, size));
}

/** How many windows can hold one input element (the summation terms of a backward element). */
const overlap = (g: WindowGeometry) => g.inSize.reduce((p, I, a) => p * (Math.ceil(g.outSize[a]! / I) + 1), 1);

interface Case {
  i: number;
  rank: SpatialRank;
  shape: number[];
  size: Size;
}

/** Seeded shapes: inputs of a few elements per axis; outputs 1 to input + 3 (larger, non-dividing), null axes, one number. */
function drawCases(seed: number, n: number): Case[] {
  const rand = seededRandom(seed);
  const cases: Case[] = [];
  for (let i = 0; i < n; i++) {
    const rank = ((i % 3) + 1) as SpatialRank;
    const maxIn = rank === 1 ? 40 : rank === 2 ? 11 : 6;
    const spatial = Array.from({ length: rank }, () => randomInt(rand, 1, maxIn));
    const C = pick(rand, [1, 2, 3, 4, 5, 8]);
    const shape = [randomInt(rand, 1, 2), C, ...spatial];
    const kind = rand();
    const size: Size = kind < 0.2 ? randomInt(rand, 1, Math.min(...spatial) + 3) : spatial.map((I) => (rand() < 0.2 ? null : randomInt(rand, 1, I + 3)));
    cases.push({ i, rank, shape, size });
  }
  return cases;
}

/**
 * Even outputs (every axis I % O == 0), whose backward runs the windowed kernels (or, for a global
 * output with short rows off SwiftShader, the global kernel; 3-D averages the gather), and
 * outputs that shrink the input 4 times or more, whose max backward scatters: named, since the
 * draw above rarely divides every axis.
 */
const EVEN_CASES: Case[] = [
  { rank: 1, shape: [2, 3, 12], size: [4] },
  { rank: 2, shape: [2, 4, 8, 6], size: [4, 3] },
  { rank: 2, shape: [1, 8, 6, 6], size: [1, 1] },
  { rank: 2, shape: [1, 3, 10, 10], size: [1, 1] },
  { rank: 3, shape: [1, 2, 4, 6, 6], size: [2, 3, 3] },
  { rank: 3, shape: [1, 4, 3, 4, 5], size: [1, 1, 1] },
  // Shrinking by 4 or more without dividing: the max backward's scatter.
  { rank: 1, shape: [2, 3, 40], size: [7] },
  { rank: 2, shape: [1, 5, 13, 17], size: [5, 7] },
  { rank: 3, shape: [1, 2, 7, 9, 8], size: [3, 2, 3] },
].map((c, k) => ({ ...c, i: 18 + k }) as Case);

const CASES = [...drawCases(4242, 18), ...EVEN_CASES];

describe.each(both.each)('adaptive pooling on %s matches the reference (float32)', (name, get) => {
  for (const c of CASES) {
    for (const li of [0, 1] as const) {
      const layout = LAYOUTS[c.rank][li];
      it(`#${c.i} ${c.shape.join('x')} -> ${JSON.stringify(c.size)} ${layout}`, async () => {
        const p = get();
        const body = async () => {
          const rand = seededRandom(1000 * c.i + li);
          const g = geometry(c.shape, c.size);
          const outShape = [g.N, g.C, ...g.outSize];
          const data = randomData(rand, count(c.shape));
          const x = p.tensor(data, c.shape, { layout });
          const want = ref.adaptiveMaxPoolForward(data, li === 1, g);
          const { output, indices } = await maxF(p, c.rank, x, c.size);
          expect(output.shape).toEqual(outShape);
          expect(output.layout).toBe(layout);
          expect(indices!.layout).toBe(layout);
          expectBitExact(await output.read(), want.output, 'max values');
          expectBitExact((await indices!.read()) as Int32Array, want.indices, 'indices');
          const noIdx = await maxF(p, c.rank, x, c.size, false);
          expect(noIdx.indices).toBeUndefined();
          expectBitExact(await noIdx.output.read(), want.output, 'max values without indices');

          const terms = g.kernel.reduce((a, b) => a * b, 1);
          const y = await avgF(p, c.rank, x, c.size);
          expectClose(await y.read(), ref.adaptiveAvgPoolForward(data, li === 1, g), terms, 'averages');

          const dyData = randomData(rand, count(outShape), false);
          const dy = p.tensor(dyData, outShape, { layout });
          const dx = await maxB(p, c.rank, dy, indices!, c.shape);
          expect(dx.shape).toEqual(c.shape);
          expect(dx.layout).toBe(layout);
          expectClose(await dx.read(), ref.adaptiveMaxPoolBackward(dyData, want.indices, li === 1, g), overlap(g), 'max dx');
          const adx = await avgB(p, c.rank, dy, c.shape);
          expectClose(await values(adx), ref.adaptiveAvgPoolBackward(dyData, li === 1, g), overlap(g), 'avg dx');
          // The forward's options passed along to the backward ops.
          const adx2 = await p[AB[c.rank]](dy, { outputSize: c.size, inputShape: c.shape });
          expectBitExact(await values(adx2), await values(adx), 'avg dx with outputSize passed along');
          // 'auto' may scatter a max (atomic adds: the order of three or more terms on one element
          // is the GPU's); 'gather' is deterministic, and passing the forward's options along
          // changes nothing, bit for bit.
          const gdx = await p[MB[c.rank]](dy, indices!, { inputShape: c.shape, backward: 'gather' });
          expectClose(await values(gdx), ref.adaptiveMaxPoolBackward(dyData, want.indices, li === 1, g), overlap(g), 'max dx (gather)');
          const dx2 = await p[MB[c.rank]](dy, indices!, { outputSize: c.size, returnIndices: true, inputShape: c.shape, backward: 'gather' });
          expectBitExact(await values(dx2), await values(gdx), 'max dx with the forward options passed along');
          // The scatter, forced: the same sums within the tolerance, for both reductions.
          const sdx = await p[MB[c.rank]](dy, indices!, { inputShape: c.shape, backward: 'scatter' });
          expectClose(await values(sdx), ref.adaptiveMaxPoolBackward(dyData, want.indices, li === 1, g), overlap(g), 'max dx (scatter)');
          const sadx = await p[AB[c.rank]](dy, { inputShape: c.shape, backward: 'scatter' });
          expectClose(await values(sadx), ref.adaptiveAvgPoolBackward(dyData, li === 1, g), overlap(g), 'avg dx (scatter)');
          for (const t of [x, output, indices!, noIdx.output, y, dy, dx, adx, adx2, gdx, dx2, sdx, sadx]) t.destroy();
        };
        await (name === 'webgpu' ? withCleanErrorScope(p, body) : body());
      });
    }
  }
});

/** Within one half-ulp of the reference rounded once to half (as test/float16.test.ts). */
function expectHalvesClose(got: Uint16Array, wantF32: Float32Array, what: string): void {
  const rounded = narrowToHalves(wantF32);
  expect(got.length, what).toBe(rounded.length);
  for (let i = 0; i < got.length; i++) {
    const g = halfToNumber(got[i]!);
    const w = halfToNumber(rounded[i]!);
    if (Number.isNaN(w)) {
      expect(Number.isNaN(g), `${what}[${i}] NaN`).toBe(true);
      continue;
    }
    const ulp = Math.max(2 ** -24, 2 ** (Math.floor(Math.log2(Math.max(Math.abs(w), 2 ** -14))) - 10));
    if (!(Math.abs(g - w) <= ulp)) expect(`${what}[${i}] = ${g}`).toBe(`${what}[${i}] ≈ ${w} (f32 ${wantF32[i]})`);
  }
}

async function halves(t: Tensor): Promise<Uint16Array> {
  expect(t.dtype).toBe('float16');
  const data = (await t.read()) as ArrayBufferView;
  return new Uint16Array(data.buffer, data.byteOffset, t.size);
}

describe.each(both.each)('adaptive pooling on %s in float16', (_name, get) => {
  // The seeded draw, and the named shrinking cases (the max backward's scatter through halfStorage).
  for (const c of [...drawCases(1616, 6), ...EVEN_CASES.slice(-3)]) {
    const li = (c.i % 2) as 0 | 1;
    const layout = LAYOUTS[c.rank][li];
    it(`#${c.i} ${c.shape.join('x')} -> ${JSON.stringify(c.size)} ${layout}: max and indices exact, averages within a half-ulp`, async () => {
      const p = get();
      const rand = seededRandom(77 + c.i);
      const g = geometry(c.shape, c.size);
      const outShape = [g.N, g.C, ...g.outSize];
      const bits = Uint16Array.from({ length: count(c.shape) }, () => halfFromNumber((rand() * 2 - 1) * 2 ** randomInt(rand, -4, 6)));
      const xf = widenHalves(bits);
      const x = p.tensor(bits, c.shape, { layout, dtype: 'float16' });
      const want = ref.adaptiveMaxPoolForward(xf, li === 1, g);
      const { output, indices } = await maxF(p, c.rank, x, c.size);
      expect(Array.from(await halves(output))).toEqual(Array.from(narrowToHalves(want.output)));
      expect(Array.from((await indices!.read()) as Int32Array)).toEqual(Array.from(want.indices));
      const y = await avgF(p, c.rank, x, c.size);
      expectHalvesClose(await halves(y), ref.adaptiveAvgPoolForward(xf, li === 1, g), 'avg');
      const dyBits = Uint16Array.from({ length: count(outShape) }, () => halfFromNumber(rand() * 2 - 1));
      const dy = p.tensor(dyBits, outShape, { layout, dtype: 'float16' });
      const dx = await maxB(p, c.rank, dy, indices!, c.shape);
      expectHalvesClose(await halves(dx), ref.adaptiveMaxPoolBackward(widenHalves(dyBits), want.indices, li === 1, g), 'max dx');
      const adx = await avgB(p, c.rank, dy, c.shape);
      expectHalvesClose(await halves(adx), ref.adaptiveAvgPoolBackward(widenHalves(dyBits), li === 1, g), 'avg dx');
    });
  }
});

describe.each(both.each)('adaptive pooling edge cases on %s', (_name, get) => {
  it('O = I is the identity (indices are the positions); O = 1 is global pooling', async () => {
    const p = get();
    const data = new Float32Array([3, -1, 4, 1, -5, 9, 2, 6, -5, 3, 5, 8]);
    const x = p.tensor(data, [1, 2, 2, 3]);
    const { output, indices } = await p.adaptiveMaxPool2d(x, { outputSize: [null, 3], returnIndices: true });
    expectBitExact(await output.read(), data, 'identity max');
    expect(Array.from((await indices!.read()) as Int32Array)).toEqual([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5]);
    expectBitExact(await values(p.adaptiveAvgPool2d(x, { outputSize: [2, 3] })), data, 'identity avg');
    const g = await p.adaptiveMaxPool2d(x, { outputSize: 1, returnIndices: true });
    expect(Array.from(await g.output.read())).toEqual([9, 8]);
    expect(Array.from((await g.indices!.read()) as Int32Array)).toEqual([5, 5]);
    // WGSL division is accurate to 2.5 ulp, not correctly rounded: sums within tolerance.
    expectClose(await values(p.adaptiveAvgPool2d(x, { outputSize: [1, 1] })), new Float32Array([11 / 6, 19 / 6]), 6, 'global avg');
  });

  it('windows of PyTorch: [floor(o·I/O), ceil((o+1)·I/O)), overlapping and repeating when O > I', async () => {
    const p = get();
    const x = p.tensor([1, 2, 3, 4, 5], [1, 1, 5]);
    // I = 5, O = 3: [0, 2), [1, 4), [3, 5).
    expectClose(await values(p.adaptiveAvgPool1d(x, { outputSize: 3 })), new Float32Array([1.5, 3, 4.5]), 3, 'avg');
    const m = await p.adaptiveMaxPool1d(x, { outputSize: [3], returnIndices: true });
    expect(Array.from(await m.output.read())).toEqual([2, 4, 5]);
    expect(Array.from((await m.indices!.read()) as Int32Array)).toEqual([1, 3, 4]);
    // I = 2, O = 5: [0, 1), [0, 1), [0, 2), [1, 2), [1, 2).
    const small = p.tensor([10, 20], [1, 1, 2]);
    expectClose(await values(p.adaptiveAvgPool1d(small, { outputSize: 5 })), new Float32Array([10, 10, 15, 20, 20]), 2, 'avg');
    const up = await p.adaptiveMaxPool1d(small, { outputSize: 5, returnIndices: true });
    expect(Array.from((await up.indices!.read()) as Int32Array)).toEqual([0, 0, 1, 1, 1]);
    // Backward adds where windows repeat an element: dx = [1 + 1 + 0.5, 0.5 + 1 + 1] for avg.
    const ones = p.tensor([1, 1, 1, 1, 1], [1, 1, 5]);
    expect(Array.from(await values(p.adaptiveAvgPool1dBackward(ones, { inputShape: [1, 1, 2] })))).toEqual([2.5, 2.5]);
    expect(Array.from(await values(p.adaptiveMaxPool1dBackward(ones, up.indices!, { inputShape: [1, 1, 2] })))).toEqual([2, 3]);
  });

  it('NaN propagates (the last NaN wins), ±Infinity, ties keep the first, signed zeros keep the first', async () => {
    const p = get();
    const x = p.tensor([1, NaN, 5, NaN, -Infinity, -Infinity, 7, 7, -0, 0, Infinity, 2], [1, 1, 12]);
    const { output, indices } = await p.adaptiveMaxPool1d(x, { outputSize: 6, returnIndices: true });
    const out = await output.read();
    expect(Number.isNaN(out[0])).toBe(true);
    expect(Number.isNaN(out[1])).toBe(true);
    expect(Array.from(out.slice(2))).toEqual([-Infinity, 7, -0, Infinity]);
    expect(Object.is(out[4], -0)).toBe(true);
    expect(Array.from((await indices!.read()) as Int32Array)).toEqual([1, 3, 4, 6, 8, 10]);
    const avg = await values(p.adaptiveAvgPool1d(x, { outputSize: 6 }));
    expect(Number.isNaN(avg[0]) && Number.isNaN(avg[1])).toBe(true);
    expect(Array.from(avg.slice(2))).toEqual([-Infinity, 7, 0, Infinity]);
    // Windows of 1, 2 and 3 elements with NaN in the middle (O does not divide I).
    const y = p.tensor([2, NaN, 3, 1, NaN, 0, 8], [1, 1, 7]);
    const r = await p.adaptiveMaxPool1d(y, { outputSize: 3, returnIndices: true });
    const want = ref.adaptiveMaxPoolForward(new Float32Array([2, NaN, 3, 1, NaN, 0, 8]), false, geometry([1, 1, 7], 3));
    expectBitExact(await r.output.read(), want.output, 'values');
    expectBitExact((await r.indices!.read()) as Int32Array, want.indices, 'indices');
  });

  it('1×1 inputs: any output size repeats the one element; the backward sums every output', async () => {
    const p = get();
    for (const [rank, shape] of [
      [1, [2, 3, 1]],
      [2, [1, 4, 1, 1]],
      [3, [1, 2, 1, 1, 1]],
    ] as const) {
      const n = count(shape);
      const data = Float32Array.from({ length: n }, (_, i) => i - 1.5);
      for (const li of [0, 1] as const) {
        const layout = LAYOUTS[rank][li];
        const x = p.tensor(data, [...shape], { layout });
        const size = [3, 2, 4].slice(0, rank);
        const { output, indices } = await maxF(p, rank, x, size);
        const outVol = size.reduce((a, b) => a * b, 1);
        const g = geometry(shape, size);
        expectBitExact(await output.read(), ref.adaptiveMaxPoolForward(data, li === 1, g).output, 'values');
        expect(Array.from((await indices!.read()) as Int32Array)).toEqual(new Array(n * outVol).fill(0));
        const dy = p.tensor(new Float32Array(n * outVol).fill(0.5), output.shape, { layout });
        expect(Array.from(await (await maxB(p, rank, dy, indices!, [...shape])).read())).toEqual(new Array(n).fill(0.5 * outVol));
        expect(Array.from(await (await avgB(p, rank, dy, [...shape])).read())).toEqual(new Array(n).fill(0.5 * outVol));
      }
    }
  });

  it('the index rule: an index outside its own window (or the slice, or -1) is dropped', async () => {
    const p = get();
    // I = 6, O = 3: windows [0, 2), [2, 4), [4, 6).
    const dy = p.tensor([1, 2, 4], [1, 1, 3]);
    const idx = p.tensor(new Int32Array([1, 0, 5]), [1, 1, 3], { dtype: 'int32' });
    expect(Array.from(await values(p.adaptiveMaxPool1dBackward(dy, idx, { inputShape: [1, 1, 6] })))).toEqual([0, 1, 0, 0, 0, 4]);
    const bad = p.tensor(new Int32Array([-1, 3, 7]), [1, 1, 3], { dtype: 'int32' });
    expect(Array.from(await values(p.adaptiveMaxPool1dBackward(dy, bad, { inputShape: [1, 1, 6] })))).toEqual([0, 0, 0, 2, 0, 0]);
  });
});

describe('the fast CPU kernels match the reference directly (larger shapes, both layouts)', () => {
  const rand = seededRandom(31337);
  const shapes: [number[], Size][] = [
    [[2, 3, 97], 13],
    [[1, 5, 23, 17], [7, null]],
    [[2, 4, 9, 10, 11], [4, 13, 3]],
    [[1, 6, 5, 7, 3], [11, 2, 3]],
  ];
  for (const [shape, size] of shapes) {
    for (const channelsLast of [false, true]) {
      it(`${shape.join('x')} -> ${JSON.stringify(size)} ${channelsLast ? 'channels-last' : 'channel-first'}`, () => {
        const g = geometry(shape, size);
        const x = randomData(rand, count(shape));
        x[3] = NaN;
        const want = ref.adaptiveMaxPoolForward(x, channelsLast, g);
        const got = adaptiveMaxPool(x, channelsLast, g);
        expectBitExact(got.output, want.output, 'max');
        expectBitExact(got.indices, want.indices, 'indices');
        expectClose(adaptiveAvgPool(x, channelsLast, g), ref.adaptiveAvgPoolForward(x, channelsLast, g), 1, 'avg');
        const dy = randomData(rand, want.output.length, false);
        expectClose(adaptiveMaxPoolBackward(dy, want.indices, channelsLast, g), ref.adaptiveMaxPoolBackward(dy, want.indices, channelsLast, g), 1, 'max dx');
        expectClose(adaptiveAvgPoolBackward(dy, channelsLast, g), ref.adaptiveAvgPoolBackward(dy, channelsLast, g), 1, 'avg dx');
      });
    }
  }
});

describe('adaptive pooling at a 2048-byte binding limit splits and matches the reference', () => {
  let split: Pooling;
  let splitBindGroups = 0;
  let restore = () => {};
  beforeAll(async () => {
    const device = (both.webgpu().impl as unknown as { device: GPUDevice }).device;
    const original = device.createBindGroup;
    device.createBindGroup = (d: GPUBindGroupDescriptor) => {
      if ([...d.entries].some((e) => (e.resource as GPUBufferBinding).size !== undefined)) splitBindGroups++;
      return original.call(device, d);
    };
    restore = () => void (device.createBindGroup = original);
    split = await createPooling({ device, maxStorageBufferBindingSize: 2048 });
  });
  afterAll(() => {
    restore();
    split?.destroy();
  });
  const cases: [number[], Size][] = [
    [[2, 3, 9, 7, 5], [4, 10, null]],
    [[1, 4, 12, 30], [17, 5]],
    [[6, 3, 150], 101],
    [[2, 8, 6, 20], [5, 20]],
    // Rows longer than the gather's run (GATHER_MAX_RUN): several invocations per row.
    [[1, 3, 6, 40], [3, 13]],
  ];
  cases.forEach(([shape, size], i) => {
    for (const li of [0, 1] as const) {
      const rank = (shape.length - 2) as SpatialRank;
      const layout = LAYOUTS[rank][li];
      it(`${shape.join('x')} -> ${JSON.stringify(size)} ${layout}`, async () => {
        const rand = seededRandom(500 + 2 * i + li);
        const g = geometry(shape, size);
        const data = randomData(rand, count(shape));
        const want = ref.adaptiveMaxPoolForward(data, li === 1, g);
        await withCleanErrorScope(split, async () => {
          const x = split.tensor(data, shape, { layout });
          const before = splitBindGroups;
          const { output, indices } = await maxF(split, rank, x, size);
          expect(splitBindGroups - before, 'forward split dispatches').toBeGreaterThan(1);
          expectBitExact(await output.read(), want.output, 'max');
          expectBitExact((await indices!.read()) as Int32Array, want.indices, 'indices');
          expectClose(await (await avgF(split, rank, x, size)).read(), ref.adaptiveAvgPoolForward(data, li === 1, g), 64, 'avg');
          const dyData = randomData(rand, want.output.length, false);
          const dy = split.tensor(dyData, output.shape, { layout });
          const mid = splitBindGroups;
          expectClose(await (await maxB(split, rank, dy, indices!, shape)).read(), ref.adaptiveMaxPoolBackward(dyData, want.indices, li === 1, g), overlap(g), 'max dx');
          expect(splitBindGroups - mid, 'backward split dispatches').toBeGreaterThan(1);
          expectClose(await (await avgB(split, rank, dy, shape)).read(), ref.adaptiveAvgPoolBackward(dyData, li === 1, g), overlap(g), 'avg dx');
        });
      });
    }
  });
});

describe('plans and CPU slicing', () => {
  it('channels-last with C % 4 == 0 runs the vec4 forward, channel-first rows of 4+ the W4 one; an uneven backward is the gather (no clear step)', () => {
    const g = geometry([1, 8, 5, 6], [3, 4]);
    expect(adaptiveForwardPlan('max', g, true, true).label).toBe('adaptiveMaxPool2d.forward.vec4');
    expect(adaptiveForwardPlan('avg', g, true, false).label).toBe('adaptiveAvgPool2d.forward.vec4');
    // Channel-first rows of 4+ outputs (the W4 rule): four outputs of a row per invocation; 3: one.
    expect(adaptiveForwardPlan('max', g, false, true).label).toBe('adaptiveMaxPool2d.forward.w4');
    expect(adaptiveForwardPlan('max', g, false, true).entryPoint).toBe('main_w4_with_indices');
    expect(adaptiveForwardPlan('avg', geometry([1, 8, 5, 6], [3, 3]), false, false).label).toBe('adaptiveAvgPool2d.forward');
    expect(adaptiveForwardPlan('avg', geometry([1, 6, 5, 6], [3, 4]), true, false).label).toBe('adaptiveAvgPool2d.forward');
    expect(adaptiveBackwardPlan('max', g, true).entryPoint).toBe('gather');
    // One gather invocation per run of up to GATHER_MAX_RUN elements of a row: 2·3·3 runs of a 70-wide row.
    const long = adaptiveBackwardPlan('avg', geometry([1, 2, 3, 70], [2, 9]), false);
    expect([long.constants.RUN, long.uniform.values.end, long.split!.unitSize]).toEqual([GATHER_MAX_RUN, 18, 3]);
    expect(adaptiveBackwardPlan('avg', g, false).constants.RUN).toBe(6);
    for (const ops of [ADAPTIVE_OPS, HALF_ADAPTIVE_OPS]) {
      const steps = ops.maxPoolBackward[2].gpu({ g, layout: 'NHWC' }, { kind: 'llvmpipe' } as never).steps;
      expect(steps.every((s) => s.kind === 'kernel')).toBe(true);
    }
    // The uniform: in/out sizes, k the largest window, stride and dilation 1, no padding.
    const u = adaptiveForwardPlan('max', geometry([1, 1, 5], 3), false, true).uniform.values;
    expect([u.inW, u.outW, u.kW, u.sW, u.dW, u.pbW, u.peW, u.inH, u.outH]).toEqual([5, 3, 3, 1, 1, 0, 0, 1, 1]);
  });

  it('the backward form: the global kernel, the windowed kernels for even outputs, else the gather (adaptiveBackwardForm)', () => {
    const r50 = geometry([1, 16, 7, 7], [1, 1]);
    const vgg = geometry([1, 16, 14, 14], [7, 7]);
    const odd = geometry([1, 16, 13, 17], [5, 7]);
    const even3d = geometry([1, 4, 8, 14, 14], [4, 7, 7]);
    expect(adaptiveBackwardForm('avg', r50, 'llvmpipe')).toBe('global');
    expect(adaptiveBackwardForm('avg', r50, 'gpu')).toBe('global');
    expect(adaptiveBackwardForm('max', r50, 'swiftshader')).toBe('windowed');
    expect(adaptiveBackwardForm('avg', geometry([1, 16, 14, 14], [1, 1]), 'llvmpipe')).toBe('windowed');
    for (const kind of ['swiftshader', 'llvmpipe', 'gpu'] as const) {
      expect(adaptiveBackwardForm('max', vgg, kind)).toBe('windowed');
      expect(adaptiveBackwardForm('avg', vgg, kind)).toBe('windowed');
      // 221 inputs for 35 outputs: the max scatters; the average keeps the gather.
      expect(adaptiveBackwardForm('max', odd, kind)).toBe('scatter');
      expect(adaptiveBackwardForm('avg', odd, kind)).toBe('gather');
      expect(adaptiveBackwardForm('max', geometry([1, 4, 1000], [333]), kind)).toBe('gather');
      expect(adaptiveBackwardForm('max', even3d, kind)).toBe('windowed');
      expect(adaptiveBackwardForm('avg', even3d, kind)).toBe('gather');
    }
    expect(evenWindow(vgg)).toMatchObject({ kernel: [2, 2], stride: [2, 2], padBegin: [0, 0], padEnd: [0, 0] });
    expect(evenWindow(odd)).toBeUndefined();
    // Even, but windows past 256 elements: one windowed invocation would own a whole window.
    expect(adaptiveBackwardForm('max', geometry([1, 2, 20, 20], [1, 1]), 'swiftshader')).toBe('scatter');
    expect(adaptiveBackwardForm('avg', geometry([1, 2, 20, 20], [1, 1]), 'swiftshader')).toBe('gather');
    expect(adaptiveBackwardForm('avg', geometry([1, 2, 16, 16], [1, 1]), 'swiftshader')).toBe('windowed');
    // The windowed form runs the windowed op's own plan: its labels, not the adaptive kernels'.
    const labels = (steps: readonly { kind: string; plan?: { label: string } }[]) => steps.filter((s) => s.kind === 'kernel').map((s) => s.plan!.label);
    const device = { kind: 'swiftshader', adapter: 'swiftshader' } as never;
    const windowed = labels(ADAPTIVE_OPS.avgPoolBackward[2].gpu({ g: vgg, layout: 'NCHW' }, device).steps as never);
    expect(windowed.some((l) => l.startsWith('adaptive'))).toBe(false);
    expect(labels(ADAPTIVE_OPS.avgPoolBackward[2].gpu({ g: odd, layout: 'NCHW' }, device).steps as never)).toEqual(['adaptiveAvgPool2dBackward.gather']);
  });

  it('the CPU backend cuts a large call by planes (channel-first) or images (channels-last) with the same result', async () => {
    const rand = seededRandom(808);
    const cases: [number[], number[], TensorLayout][] = [
      [[2, 6, 9, 7], [4, 10], 'NCHW'],
      [[3, 4, 5, 4, 6], [2, 7, 3], 'NDHWC'],
    ];
    for (const [shape, size, layout] of cases) {
      const g = geometry(shape, size);
      const x = randomData(rand, count(shape));
      const channelsLast = layout === 'NDHWC';
      const rank = (shape.length - 2) as SpatialRank;
      const kinds: string[] = [];
      const opts = { directBelow: 0, fixedWork: 300, onSlice: (k: string) => kinds.push(k) };
      const m = await runInSlices(ADAPTIVE_OPS.maxPool[rank], { g, layout, withIndices: true }, { x }, opts);
      const want = ref.adaptiveMaxPoolForward(x, channelsLast, g);
      expectBitExact(m.y as Float32Array, want.output, 'sliced max');
      expectBitExact(m.indices as Int32Array, want.indices, 'sliced indices');
      const dy = randomData(rand, want.output.length, false);
      const dx = await runInSlices(ADAPTIVE_OPS.avgPoolBackward[rank], { g, layout }, { dy }, opts);
      expectClose(dx.dx as Float32Array, ref.adaptiveAvgPoolBackward(dy, channelsLast, g), overlap(g), 'sliced avg dx');
      expect(kinds.filter((k) => k === 'planes').length).toBeGreaterThan(2);
      expect(kinds).not.toContain('rows');
    }
  });
});
