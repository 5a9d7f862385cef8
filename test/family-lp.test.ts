/**
 * LP pooling (docs/lp-pooling.md) through the public API on WebGPU and on the CPU backend, against
 * the f64 reference (src/reference/lp-pool.ts): seeded random windows of rank 1-3 (padding in every
 * form, dilation, ceil mode) with p ∈ {1, 2, 3, 0.5, 2.5}, both memory orders, float32 and float16,
 * forward and backward (every backward form on WebGPU). Then named edge cases, the split path at a
 * small binding limit, and the bad-input suite (each a PoolingError naming op and option, nothing
 * dispatched, the context usable afterwards).
 *
 * Tolerances: float32 |got − want| <= atol + rtol·|want| with atol = 1e-5·terms·scale (terms: taps
 * per window forward, windows per element backward; scale: the largest |want| of the case, at least
 * 1) and rtol 1e-5 for p = 1, 2 or 4e-5 for pow (f32 pow on the GPU); float16 within one half-ulp
 * of the result's binade plus that float32 tolerance (f32 compute, rounded to half once).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveWindow } from '../src/geometry.js';
import { narrowToHalves, widenHalves } from '../src/half.js';
import { createPooling, PoolingError, type Pooling, type Tensor } from '../src/index.js';
import { lpBackwardPlan, lpForwardPlan } from '../src/kernels/lp-pool.js';
import { chooseLpBackwardForm } from '../src/ops/lp-pool.js';
import * as ref from '../src/reference/lp-pool.js';
import type { SpatialRank, WindowGeometry } from '../src/types.js';
import { useBothContexts } from './helpers/contexts.js';
import { countQueueCalls, withCleanErrorScope } from './helpers/gpu.js';
import { API_DRAW, count, describeConfig, drawNdConfig, LAYOUTS, overlap, type NdDrawSpec } from './helpers/nd-windows.js';
import { expectHalvesClose, expectLpClose } from './helpers/lp-tolerance.js';
import { pick, randomData, randomInt, seededRandom } from './helpers/random.js';

const contexts = useBothContexts();

type Options = Record<string, unknown>;

function lpPool(p: Pooling, rank: SpatialRank, x: Tensor, o: Options): Promise<Tensor> {
  return rank === 1 ? p.lpPool1d(x, o as never) : rank === 2 ? p.lpPool2d(x, o as never) : p.lpPool3d(x, o as never);
}

function lpPoolBackward(p: Pooling, rank: SpatialRank, dy: Tensor, x: Tensor, y: Tensor, o: Options): Promise<Tensor> {
  return rank === 1 ? p.lpPool1dBackward(dy, x, y, o as never) : rank === 2 ? p.lpPool2dBackward(dy, x, y, o as never) : p.lpPool3dBackward(dy, x, y, o as never);
}

const P_VALUES = [1, 2, 3, 0.5, 2.5] as const;

/** Small shapes only (the reference visits every tap); kernels and strides as the N-d suites draw them. */
const LP_DRAW: NdDrawSpec = {
  ...API_DRAW,
  drawShape(rand, rank) {
    const axes = (lo: number, hi: number) => Array.from({ length: rank }, () => randomInt(rand, lo, hi));
    if (rank === 1) return [randomInt(rand, 1, 2), pick(rand, [1, 3, 4, 8]), ...axes(1, 40)];
    if (rank === 2) return [randomInt(rand, 1, 2), pick(rand, [1, 2, 4, 5]), ...axes(1, 14)];
    return [1, pick(rand, [1, 2, 4, 3]), ...axes(1, 7)];
  },
};

interface LpCase {
  i: number;
  rank: SpatialRank;
  shape: number[];
  options: Options;
  normType: number;
  desc: string;
  x: Float32Array;
  dySeed: number;
}

function lpCases(rank: SpatialRank, seed: number, n: number): LpCase[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const c = drawNdConfig(rand, rank, LP_DRAW);
    const normType = P_VALUES[(i + rank) % P_VALUES.length]!;
    return { i, rank, shape: c.shape, options: { ...c.window, normType }, normType, desc: `${describeConfig(c)} p${normType}`, x: randomData(rand, count(c.shape)), dySeed: seed * 100 + i };
  });
}

/** Reorders channel-first data [N, C, ...spatial] to channels-last. */
function toLast(data: Float32Array, shape: readonly number[]): Float32Array {
  const [N, C] = shape as [number, number];
  const vol = count(shape.slice(2));
  const out = new Float32Array(data.length);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let v = 0; v < vol; v++) out[(n * vol + v) * C + c] = data[(n * C + c) * vol + v]!;
  return out;
}

const windowOf = (rank: SpatialRank, shape: number[], o: Options): WindowGeometry => resolveWindow('test', rank, shape, o);

/** Runs forward and backward of one case on a context and checks both against the reference. */
async function checkCase(p: Pooling, c: LpCase, li: 0 | 1, dtype: 'float32' | 'float16', backward?: 'gather' | 'scatter' | 'auto'): Promise<void> {
  const layout = LAYOUTS[c.rank][li];
  const channelsLast = li === 1;
  const g = windowOf(c.rank, c.shape, c.options);
  const outShape = [g.N, g.C, ...g.outSize];
  // float16 data: the halves' values, so that the reference sees what the kernels see.
  const asStored = (v: Float32Array) => (dtype === 'float16' ? widenHalves(narrowToHalves(v)) : v);
  const xData = asStored(c.x);
  const xMem = channelsLast ? toLast(xData, c.shape) : xData;
  const dyData = asStored(randomData(seededRandom(c.dySeed), count(outShape)));
  const dyMem = channelsLast ? toLast(dyData, outShape) : dyData;
  const x = p.tensor(xMem, c.shape, { layout, dtype } as never) as Tensor;
  const y = await lpPool(p, c.rank, x, c.options);
  expect(y.shape).toEqual(outShape);
  expect(y.layout).toBe(layout);
  expect(y.dtype).toBe(dtype);
  const yGot = await y.readFloat32();
  const yWant = ref.lpPoolNdForward(xMem, channelsLast, g, c.normType);
  if (dtype === 'float32') expectLpClose(yGot, yWant, count(g.kernel), c.normType, 'y');
  else expectHalvesClose(yGot, yWant, count(g.kernel), c.normType, 'y');
  const dy = p.tensor(dyMem, outShape, { layout, dtype } as never) as Tensor;
  const dx = await lpPoolBackward(p, c.rank, dy, x, y, { ...c.options, inputShape: c.shape, ...(backward ? { backward } : {}) });
  expect(dx.shape).toEqual(c.shape);
  expect(dx.layout).toBe(layout);
  expect(dx.dtype).toBe(dtype);
  const dxGot = await dx.readFloat32();
  // The reference's backward takes the y the op was given (the kernels' own forward output).
  const dxWant = ref.lpPoolNdBackward(dyMem, xMem, yGot, channelsLast, g, c.normType);
  if (dtype === 'float32') expectLpClose(dxGot, dxWant, overlap(g), c.normType, 'dx');
  else expectHalvesClose(dxGot, dxWant, overlap(g), c.normType, 'dx');
  for (const t of [x, y, dy, dx]) t.destroy();
}

const SEEDED: Record<SpatialRank, LpCase[]> = { 1: lpCases(1, 8101, 10), 2: lpCases(2, 8102, 10), 3: lpCases(3, 8103, 8) };

describe.each(contexts.each)('LP pooling on %s matches the reference', (name, get) => {
  for (const rank of [1, 2, 3] as const) {
    describe(`lpPool${rank}d`, () => {
      for (const c of SEEDED[rank]) {
        // Layout and dtype alternate over the cases (every combination occurs per rank); both backward forms on WebGPU.
        const li = (c.i % 2) as 0 | 1;
        const dtype = c.i % 4 < 2 ? 'float32' : 'float16';
        const backward = name === 'webgpu' ? (['scatter', 'gather', 'auto'] as const)[c.i % 3] : undefined;
        it(`#${c.i} ${c.desc} ${LAYOUTS[rank][li]} ${dtype}${backward ? ` ${backward}` : ''}`, async () => {
          const p = get();
          if (name === 'webgpu') await withCleanErrorScope(p, () => checkCase(p, c, li, dtype, backward));
          else await checkCase(p, c, li, dtype);
        });
      }
    });
  }

  it('channels-last with C % 4 == 0 (the vec4 forward) for every p kind', async () => {
    const p = get();
    for (const [k, normType] of [1, 2, 2.5].entries()) {
      const shape = [2, 8, 5, 7];
      const c: LpCase = { i: k, rank: 2, shape, options: { kernelSize: [3, 2], stride: [2, 1], padding: [1, 0, 0, 1], dilation: [1, 2], ceilMode: true, normType }, normType, desc: '', x: randomData(seededRandom(8200 + k), count(shape)), dySeed: 8210 + k };
      await checkCase(p, c, 1, 'float32');
      await checkCase(p, c, 1, 'float16');
    }
  });

  // ---- named edge cases ----

  async function run1d(p: Pooling, data: number[], o: Options): Promise<{ y: number[]; dx: number[] }> {
    const x = p.tensor(data, [1, 1, data.length], { layout: 'NCL' });
    const y = await p.lpPool1d(x, o as never);
    const dy = p.tensor(new Float32Array(y.size).fill(1), y.shape, { layout: 'NCL' });
    const dx = await p.lpPool1dBackward(dy, x, y, { ...o, inputShape: [1, 1, data.length] } as never);
    const r = { y: Array.from(await y.readFloat32()), dx: Array.from(await dx.readFloat32()) };
    for (const t of [x, y, dy, dx]) t.destroy();
    return r;
  }

  const near = (got: number[], want: number[]) => {
    expect(got.length).toBe(want.length);
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 5));
  };

  it('hand-worked values: p = 1, p = 2, odd p on negative inputs, padding, dilation and the ceil-mode overhang', async () => {
    const p = get();
    // p = 2: sqrt(9 + 16) = 5; dx = x / y.
    const l2 = await run1d(p, [3, 4], { normType: 2, kernelSize: 2 });
    near(l2.y, [5]);
    near(l2.dx, [0.6, 0.8]);
    // p = 1: Σ|x|; dx = sign(x).
    const l1 = await run1d(p, [-1, 2, -3, 0], { normType: 1, kernelSize: 2 });
    near(l1.y, [3, 3]);
    near(l1.dx, [-1, 1, -1, 0]);
    // Odd p on negative inputs: the absolute value, so y = 9^(1/3) and dx = sign(x)·x²·y^(−2).
    const l3 = await run1d(p, [-1, -2], { normType: 3, kernelSize: 2 });
    near(l3.y, [Math.cbrt(9)]);
    near(l3.dx, [-1 / 9 ** (2 / 3), -4 / 9 ** (2 / 3)]);
    // Padding adds 0: windows [pad, 3], [3, 4], [4, pad].
    near((await run1d(p, [3, 4], { normType: 2, kernelSize: 2, stride: 1, padding: 1 })).y, [3, 5, 4]);
    // Ceil mode: the last window overhangs by one and adds nothing: [1, 2], [3, 4], [5].
    const ceil = await run1d(p, [1, 2, 3, 4, 5], { normType: 2, kernelSize: 2, stride: 2, ceilMode: true });
    near(ceil.y, [Math.sqrt(5), 5, 5]);
    near(ceil.dx, [1 / Math.sqrt(5), 2 / Math.sqrt(5), 0.6, 0.8, 1]);
    // General p with dilation 2 and 'same' padding (1 each side): taps o − 1 and o + 1.
    const gen = await run1d(p, [0.5, -1.5, 2, 0.25, -1], { normType: 2.5, kernelSize: 2, stride: 1, dilation: 2, padding: 'same' });
    const lp = (v: number[]) => v.reduce((s, e) => s + Math.abs(e) ** 2.5, 0) ** (1 / 2.5);
    near(gen.y, [lp([-1.5]), lp([0.5, 2]), lp([-1.5, 0.25]), lp([2, -1]), lp([0.25])]);
  });

  it('all-zero windows give y = 0 and dx = 0 (never NaN) for every p', async () => {
    const p = get();
    for (const normType of [0.5, 1, 2, 3, 2.5]) {
      const r = await run1d(p, [0, 0, 0, 1, 0, 0], { normType, kernelSize: 3, stride: 1, padding: 1 });
      expect(r.y.every((v) => Number.isFinite(v))).toBe(true);
      expect([r.y[0], r.y[1], r.y[5]]).toEqual([0, 0, 0]);
      expect(r.dx.every((v) => Number.isFinite(v))).toBe(true);
      // dx is 0 at every zero element (sign(0) = 0), also for p < 1; the 1 gets dy·(|x|/y)^(p−1) = 1 from each of its 3 windows.
      for (const i of [0, 1, 2, 4, 5]) expect(r.dx[i]).toBe(0);
      expect(r.dx[3]).toBeCloseTo(3, 5);
      const zeros = await run1d(p, [0, 0, 0, 0], { normType, kernelSize: 2 });
      expect(zeros.y).toEqual([0, 0]);
      expect(zeros.dx).toEqual([0, 0, 0, 0]);
    }
  });

  it("overflow: ∞ stays ∞; the GPU's f32 |x|^p overflows where the CPU's f64 sum does not", async () => {
    const p = get();
    // 3e38 + 3e38 overflows f32 on both backends (the CPU's f64 sum rounds to f32 ∞).
    expect((await run1d(p, [3e38, 3e38], { normType: 1, kernelSize: 2 })).y).toEqual([Infinity]);
    // 1e20² = 1e40 overflows f32 (the GPU's terms) but not f64 (the CPU's): documented.
    const big = (await run1d(p, [1e20, 1e20], { normType: 2, kernelSize: 2 })).y[0]!;
    if (name === 'webgpu') expect(big).toBe(Infinity);
    else expect(big / (Math.SQRT2 * 1e20)).toBeCloseTo(1, 6);
    expect((await run1d(p, [Infinity, 1], { normType: 3, kernelSize: 2 })).y).toEqual([Infinity]);
  });
});

// ---- the split path (WebGPU): every tensor several times a tiny binding limit ----

describe('LP pooling at a 2048-byte binding limit splits and matches the reference', () => {
  let split: Pooling;
  let splitBindGroups = 0;
  let restore = () => {};
  beforeAll(async () => {
    const device = (contexts.webgpu().impl as unknown as { device: GPUDevice }).device;
    const original = device.createBindGroup;
    device.createBindGroup = (d: GPUBindGroupDescriptor) => {
      if ([...d.entries].some((e) => (e.resource as GPUBufferBinding).size !== undefined)) splitBindGroups++;
      return original.call(device, d);
    };
    restore = () => void (device.createBindGroup = original);
    split = await createPooling({ device, maxStorageBufferBindingSize: 2048 });
  });
  afterAll(() => {
    split?.destroy();
    restore();
  });

  const CASES: { rank: SpatialRank; shape: number[]; options: Options }[] = [
    { rank: 3, shape: [2, 2, 8, 6, 5], options: { normType: 2, kernelSize: 3, stride: 2, padding: 1 } },
    { rank: 1, shape: [3, 4, 90], options: { normType: 2.5, kernelSize: 4, stride: 1, dilation: 3, padding: [5, 2], ceilMode: true } },
    { rank: 2, shape: [2, 4, 16, 13], options: { normType: 1, kernelSize: 3, stride: [1, 2], dilation: [2, 1], padding: [2, 1, 0, 2] } },
  ];
  CASES.forEach((c, k) => {
    for (const li of [0, 1] as const) {
      for (const backward of ['gather', 'scatter'] as const) {
        it(`${c.shape.join('x')} ${LAYOUTS[c.rank][li]} ${JSON.stringify(c.options)} ${backward}`, async () => {
          const before = splitBindGroups;
          const lc: LpCase = { i: k, rank: c.rank, shape: c.shape, options: c.options, normType: c.options.normType as number, desc: '', x: randomData(seededRandom(8300 + k), count(c.shape)), dySeed: 8310 + k };
          await checkCase(split, lc, li, 'float32', backward);
          expect(splitBindGroups - before).toBeGreaterThan(2);
        });
      }
    }
  });

  it('plans carry a split rule for the forward (scalar and vec4) and both backward forms', () => {
    const g = windowOf(2, [1, 4, 6, 6], { kernelSize: 2 });
    expect(lpForwardPlan(g, false, 2).split).toBeDefined();
    expect(lpForwardPlan(g, true, 2).label).toContain('vec4');
    expect(lpBackwardPlan(g, false, 3, 'gather').zeroDx).toBe(false);
    expect(lpBackwardPlan(g, false, 3, 'scatter').zeroDx).toBe(true);
    // 'auto' (docs/lp-pooling.md): the gather for its near form and for overlapping undilated
    // windows; the scatter for dilated taps and for windows that never overlap (beyond the near form).
    expect(chooseLpBackwardForm(windowOf(2, [1, 1, 6, 6], { kernelSize: 3, stride: 1 }), 'auto')).toBe('gather');
    expect(chooseLpBackwardForm(windowOf(2, [1, 1, 6, 6], { kernelSize: 3, stride: [1, 2] }), 'auto')).toBe('gather');
    expect(chooseLpBackwardForm(windowOf(3, [1, 1, 6, 6, 6], { kernelSize: 3, stride: 1 }), 'auto')).toBe('gather');
    expect(chooseLpBackwardForm(windowOf(3, [1, 1, 6, 6, 6], { kernelSize: 2, stride: 2 }), 'auto')).toBe('scatter');
    expect(chooseLpBackwardForm(windowOf(1, [1, 1, 64], { kernelSize: 4, stride: 1, dilation: 2 }), 'auto')).toBe('scatter');
    expect(chooseLpBackwardForm(windowOf(2, [1, 1, 6, 6], { kernelSize: 2, stride: 2 }), 'auto')).toBe('gather');
    expect(chooseLpBackwardForm(g, 'gather')).toBe('gather');
    // A new p is a uniform value, not a new pipeline: the constants do not change.
    expect(lpForwardPlan(g, false, 2.5).constants).toEqual(lpForwardPlan(g, false, 3.5).constants);
  });
});

// ---- bad input ----

describe.each(contexts.each)('LP pooling bad input on %s', (name, get) => {
  it('every bad argument is a PoolingError naming op and option, before any dispatch; the context stays usable', async () => {
    const p = get();
    const x = p.tensor(randomData(seededRandom(1), 2 * 3 * 8), [2, 3, 8], { layout: 'NCL' });
    const xLast = p.tensor(randomData(seededRandom(2), 2 * 3 * 8), [2, 3, 8], { layout: 'NLC' });
    const xHalf = p.tensor(randomData(seededRandom(3), 2 * 3 * 8), [2, 3, 8], { layout: 'NCL', dtype: 'float16' });
    const x2d = p.tensor(randomData(seededRandom(4), 2 * 3 * 16), [2, 3, 4, 4]);
    const idx = p.tensor(new Int32Array(48), [2, 3, 8], { dtype: 'int32' });
    const ok = { normType: 2, kernelSize: 2 };
    const y = await p.lpPool1d(x, ok);
    const dy = p.tensor(new Float32Array(y.size).fill(1), y.shape, { layout: 'NCL' });
    const dyHalf = p.tensor(new Float32Array(y.size).fill(1), y.shape, { layout: 'NCL', dtype: 'float16' });
    const dyLast = p.tensor(new Float32Array(y.size).fill(1), y.shape, { layout: 'NLC' });
    const dyWrong = p.tensor(new Float32Array(2 * 3 * 3), [2, 3, 3], { layout: 'NCL' });
    const back = { ...ok, inputShape: [2, 3, 8] };
    const forward: [string, unknown, string][] = [
      ['normType 0', { ...ok, normType: 0 }, 'normType'],
      ['normType negative', { ...ok, normType: -2 }, 'normType'],
      ['normType NaN', { ...ok, normType: NaN }, 'normType'],
      ['normType Infinity', { ...ok, normType: Infinity }, 'normType'],
      ['normType -Infinity', { ...ok, normType: -Infinity }, 'normType'],
      ['normType a string', { ...ok, normType: '2' }, 'normType'],
      ['normType missing', { kernelSize: 2 }, 'normType'],
      ['kernelSize missing', { normType: 2 }, 'kernelSize'],
      ['kernelSize 0', { normType: 2, kernelSize: 0 }, 'kernelSize'],
      ['kernelSize too large', { normType: 2, kernelSize: 9 }, 'kernelSize'],
      ['stride 0', { ...ok, stride: 0 }, 'stride'],
      ['dilation 0', { ...ok, dilation: 0 }, 'dilation'],
      ['padding not below the kernel', { ...ok, padding: 2 }, 'padding'],
      ['padding a bad string', { ...ok, padding: 'full' }, 'padding'],
      ['ceilMode not a boolean', { ...ok, ceilMode: 1 }, 'ceilMode'],
      ['an unknown key', { ...ok, countIncludePad: true }, 'countIncludePad'],
      ['options not an object', 2, 'options'],
    ];
    const queueCalls = name === 'webgpu' ? countQueueCalls(p) : () => 0;
    const before = queueCalls();
    const expectError = async (call: () => Promise<unknown>, op: string, option: string, what: string) => {
      const e = await call().then(
        () => null,
        (err: unknown) => err,
      );
      expect(e, what).toBeInstanceOf(PoolingError);
      expect((e as PoolingError).op, what).toBe(op);
      expect((e as PoolingError).option, what).toBe(option);
      expect((e as PoolingError).message, what).toContain(option);
    };
    for (const [what, o, option] of forward) await expectError(() => p.lpPool1d(x, o as never), 'lpPool1d', option, what);
    // Inherited options are not seen.
    await expectError(() => p.lpPool1d(x, Object.create({ normType: 2, kernelSize: 2 }) as never), 'lpPool1d', 'normType', 'inherited options');
    await expectError(() => p.lpPool1d(x2d, ok), 'lpPool1d', 'x.shape', 'a 2-D input to the 1-D op');
    await expectError(() => p.lpPool2d(x, ok), 'lpPool2d', 'x.shape', 'a 1-D input to the 2-D op');
    await expectError(() => p.lpPool1d(idx as never, ok), 'lpPool1d', 'x', 'an int32 tensor');
    await expectError(() => p.lpPool1d({} as never, ok), 'lpPool1d', 'x', 'not a tensor');
    for (const [what, o, option] of forward.slice(0, -1)) await expectError(() => p.lpPool1dBackward(dy, x, y, { ...(o as object), inputShape: [2, 3, 8] } as never), 'lpPool1dBackward', option, `backward: ${what}`);
    const backwardCases: [string, () => Promise<unknown>, string][] = [
      ['inputShape missing', () => p.lpPool1dBackward(dy, x, y, ok as never), 'inputShape'],
      ['inputShape of another rank', () => p.lpPool1dBackward(dy, x, y, { ...ok, inputShape: [2, 3, 8, 1] } as never), 'inputShape'],
      ['x not of inputShape', () => p.lpPool1dBackward(dy, x, y, { ...ok, inputShape: [2, 3, 9] } as never), 'x'],
      ['dy of a wrong shape', () => p.lpPool1dBackward(dyWrong, x, y, back as never), 'dy'],
      ['y of a wrong shape', () => p.lpPool1dBackward(dy, x, dyWrong, back as never), 'y'],
      ['x of a wrong shape', () => p.lpPool1dBackward(dy, x2d, y, back as never), 'x'],
      ['x of another dtype', () => p.lpPool1dBackward(dy, xHalf, y, back as never), 'x'],
      ['y of another dtype', () => p.lpPool1dBackward(dy, x, dyHalf, back as never), 'y'],
      ['dy of another dtype', () => p.lpPool1dBackward(dyHalf, x, y, back as never), 'x'],
      ['x of another layout', () => p.lpPool1dBackward(dy, xLast, y, back as never), 'x'],
      ['y of another layout', () => p.lpPool1dBackward(dy, x, dyLast, back as never), 'y'],
      ['indices as y', () => p.lpPool1dBackward(dy, x, idx as never, back as never), 'y'],
      ['a bad backward form', () => p.lpPool1dBackward(dy, x, y, { ...back, backward: 'atomic' } as never), 'backward'],
      ['an unknown key', () => p.lpPool1dBackward(dy, x, y, { ...back, padValue: 0 } as never), 'padValue'],
    ];
    for (const [what, call, option] of backwardCases) await expectError(call, 'lpPool1dBackward', option, what);
    expect(queueCalls() - before, 'queue calls of refused calls').toBe(0);
    // Still usable.
    const again = await p.lpPool1d(x, ok);
    expectLpClose(await again.readFloat32(), await y.readFloat32(), 2, 2, 'after the errors');
    for (const t of [x, xLast, xHalf, x2d, idx, y, dy, dyHalf, dyLast, dyWrong, again]) t.destroy();
  });
});
