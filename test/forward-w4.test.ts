/**
 * The NCHW forward W4 kernels (one invocation per 4 outputs along a row), forced through their
 * plans whatever the selection rule says, against the CPU reference: seeded random shapes whose
 * outW is a multiple of 4, is not, or is below 4, with every padding form, dilation and ceil mode;
 * NaN, ±inf, ties and -0; windows with no real element; split dispatches. Max values and indices
 * bit for bit, averages within SEMANTICS.md's tolerance. Each case runs the W4 plan as the rule builds
 * it (the full-row form where the windows allow: planeW4FullRowConstants, with clamped taps for a
 * padded max) and forced to the clipped form: max bit for bit against the reference either way,
 * averages bit for bit between the two forms. Then the rule itself (docs/forward-selection.md).
 */
import { describe, expect, it } from 'vitest';
import type { BindingLimits } from '../src/host/split.js';
import { avgPoolForwardKernel, avgPoolForwardPlan } from '../src/kernels/avg-pool.js';
import { maxPoolForwardKernel, maxPoolForwardPlan } from '../src/kernels/max-pool.js';
import { resolveAvgPool, resolveMaxPool } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { AvgPoolParams, MaxPoolParams } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { useGpuPool, withCleanErrorScope } from './helpers/gpu.js';
import { pick, randomData, randomInt, seededRandom } from './helpers/random.js';
import { runPlan } from './helpers/run-plan.js';
import { describeWindow, randomWindow, windowOptions, type Shape, type WindowConfig } from './helpers/windows.js';

const pool = useGpuPool();
const device = () => (pool().impl as unknown as { device: GPUDevice }).device;
const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

async function checkMax(p: MaxPoolParams, data: Float32Array, withIndices: boolean, limits?: BindingLimits): Promise<number> {
  const want = ref.maxPool2dForward(data, 'NCHW', p);
  const n = want.output.length;
  let passes = 0;
  for (const fullTaps of [false, true]) {
    const plan = maxPoolForwardPlan(p, 'NCHW', withIndices, 'w4', true, fullTaps);
    expect(plan.label).toBe('maxPool2d.forward.w4');
    const form = fullTaps && plan.constants.W4_KW ? `full rows${plan.constants.W4_CLAMP ? ', clamped' : ''}` : 'clipped';
    const run = await withCleanErrorScope(pool(), () => runPlan(device(), plan, data, withIndices ? { y: n, indices: n } : { y: n }, limits));
    expectBitExact(new Float32Array(run.outputs.y!), want.output, `values (${form})`);
    if (withIndices) expectBitExact(new Int32Array(run.outputs.indices!), want.indices, `indices (${form})`);
    passes = run.passes;
  }
  return passes;
}

const canonicalNan = (v: Float32Array) => v.map((x) => (Number.isNaN(x) ? NaN : x));

async function checkAvg(p: AvgPoolParams, data: Float32Array, limits?: BindingLimits): Promise<number> {
  const want = ref.avgPool2dForward(data, 'NCHW', p);
  const ys: Float32Array[] = [];
  let passes = 0;
  for (const fullTaps of [true, false]) {
    const plan = avgPoolForwardPlan(p, 'NCHW', 'w4', fullTaps);
    expect(plan.label).toBe('avgPool2d.forward.w4');
    expect(plan.constants.W4_CLAMP, 'sums never clamp taps').toBeUndefined();
    const run = await withCleanErrorScope(pool(), () => runPlan(device(), plan, data, { y: want.length }, limits));
    ys.push(new Float32Array(run.outputs.y!));
    expectClose(ys[ys.length - 1]!, want, p.kH * p.kW, 'averages');
    passes = run.passes;
  }
  // Bit for bit but for NaN's sign and payload, which the adapters' float adds do not keep alike.
  expectBitExact(canonicalNan(ys[0]!), canonicalNan(ys[1]!), 'the full-row form against the clipped one');
  return passes;
}

type OutWKind = 'outW % 4 == 0' | 'outW % 4 != 0, > 4' | 'outW < 4';

function outWOf(c: WindowConfig): number {
  return resolveMaxPool('test', c.shape, windowOptions(c)).outW;
}

function fitsKind(outW: number, kind: OutWKind): boolean {
  if (kind === 'outW < 4') return outW < 4;
  if (kind === 'outW % 4 == 0') return outW % 4 === 0;
  return outW > 4 && outW % 4 !== 0;
}

/** An NCHW window from randomWindow whose outW falls in `kind`. */
function drawWindow(rand: () => number, kind: OutWKind, allowDilation: boolean): WindowConfig {
  const shape = (): Shape => [randomInt(rand, 1, 2), pick(rand, [1, 2, 3, 5]), randomInt(rand, 1, 24), kind === 'outW < 4' ? randomInt(rand, 1, 12) : randomInt(rand, 4, 60)];
  for (;;) {
    const c = randomWindow(rand, shape, allowDilation);
    if (fitsKind(outWOf(c), kind)) return { ...c, layout: 'NCHW' };
  }
}

/** Random values with the edge cases mixed in: NaN, ±inf, ±0 and repeated values (ties). */
function edgeData(rand: () => number, n: number): Float32Array {
  const specials = [NaN, Infinity, -Infinity, 0, -0, 0.5, 0.5, -1];
  const data = randomData(rand, n);
  for (let i = 0; i < n; i++) if (rand() < 0.3) data[i] = pick(rand, specials);
  return data;
}

const KINDS: OutWKind[] = ['outW % 4 == 0', 'outW % 4 != 0, > 4', 'outW < 4'];
const CONFIGS_PER_KIND = 24;

describe('maxPool2d W4 (NCHW) matches the reference bit for bit', () => {
  const rand = seededRandom(440);
  for (const kind of KINDS) {
    for (let i = 0; i < CONFIGS_PER_KIND; i++) {
      const c = drawWindow(rand, kind, true);
      const withIndices = rand() < 0.75;
      const edges = rand() < 0.4;
      const data = edges ? edgeData(rand, count(c.shape)) : randomData(rand, count(c.shape));
      const p = resolveMaxPool('maxPool2d', c.shape, windowOptions(c));
      it(`${kind} #${i} ${describeWindow(c)} outW ${p.outW}${withIndices ? ' +indices' : ''}${edges ? ' NaN/inf/-0' : ''}`, async () => {
        await checkMax(p, data, withIndices);
      });
    }
  }
});

describe('avgPool2d W4 (NCHW) matches the reference within tolerance', () => {
  const rand = seededRandom(441);
  for (const kind of KINDS) {
    for (let i = 0; i < CONFIGS_PER_KIND; i++) {
      const c = drawWindow(rand, kind, false);
      const countIncludePad = rand() < 0.5;
      const divisorOverride = rand() < 0.15 ? randomInt(rand, 1, 9) : undefined;
      const edges = rand() < 0.25;
      const data = edges ? edgeData(rand, count(c.shape)) : randomData(rand, count(c.shape), false);
      const opts = { kernelSize: c.kernelSize, stride: c.stride, padding: c.padding, ceilMode: c.ceilMode, countIncludePad, ...(divisorOverride ? { divisorOverride } : {}) };
      const p = resolveAvgPool('avgPool2d', c.shape, opts);
      it(`${kind} #${i} ${describeWindow(c)} outW ${p.outW}${countIncludePad ? '' : ' excludePad'}${divisorOverride ? ` div${divisorOverride}` : ''}${edges ? ' NaN/inf/-0' : ''}`, async () => {
        await checkAvg(p, data);
      });
    }
  }
});

describe('W4 edge cases', () => {
  it('1x2x3x9 k3 s1 p1 all -inf: each window points at its first real element', async () => {
    const shape: Shape = [1, 2, 3, 9];
    await checkMax(resolveMaxPool('maxPool2d', shape, { kernelSize: 3, stride: 1, padding: 1 }), new Float32Array(count(shape)).fill(-Infinity), true);
  });

  it('1x1x4x10 k3 s1 p1 all equal (+0 and -0 alternating): ties keep the first position', async () => {
    const shape: Shape = [1, 1, 4, 10];
    const data = new Float32Array(count(shape)).map((_, i) => (i % 2 ? -0 : 0));
    await checkMax(resolveMaxPool('maxPool2d', shape, { kernelSize: 3, stride: 1, padding: 1 }), data, true);
    await checkAvg(resolveAvgPool('avgPool2d', shape, { kernelSize: 3, stride: 1, padding: 1 }), data);
  });

  it('1x1x3x12 k2 s2 with NaN in several windows: the last NaN of each window wins', async () => {
    const shape: Shape = [1, 1, 3, 12];
    const data = new Float32Array(count(shape)).map((_, i) => (i % 5 === 0 ? NaN : i % 7 === 0 ? Infinity : i / 3));
    await checkMax(resolveMaxPool('maxPool2d', shape, { kernelSize: 2, stride: 2 }), data, true);
    await checkMax(resolveMaxPool('maxPool2d', shape, { kernelSize: 3, stride: 1, padding: 1 }), data, true);
    await checkAvg(resolveAvgPool('avgPool2d', shape, { kernelSize: 2, stride: 2 }), data);
  });

  it('1x1x1x2 k[1,2] d[1,3] p[0,2]: a window with no real element gives -inf and index -1', async () => {
    const shape: Shape = [1, 1, 1, 2];
    const p = resolveMaxPool('maxPool2d', shape, { kernelSize: [1, 2], dilation: [1, 3], padding: [0, 2], stride: 1 });
    const data = new Float32Array([1, 2]);
    expect(ref.maxPool2dForward(data, 'NCHW', p).indices).toContain(-1);
    await checkMax(p, data, true);
  });

  it('1x3x5x17 k3 s2 ceil, count_include_pad and divisor 0 at the overhang', async () => {
    const shape: Shape = [1, 3, 5, 17];
    const data = randomData(seededRandom(3), count(shape), false);
    for (const countIncludePad of [true, false]) {
      await checkAvg(resolveAvgPool('avgPool2d', shape, { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad }), data);
    }
    await checkMax(resolveMaxPool('maxPool2d', shape, { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }), data, true);
  });

  it('padWithZero: a forced W4 max runs the scalar kernel, which resolves zero padding', async () => {
    const shape: Shape = [1, 2, 6, 10];
    const opts = { kernelSize: 3, stride: 1, padding: 1, padValue: 0, returnIndices: true };
    const p = resolveMaxPool('maxPool2d', shape, opts);
    expect(p.padWithZero).toBe(true);
    expect(maxPoolForwardPlan(p, 'NCHW', true, 'w4').label).toBe('maxPool2d.forward');
    const data = randomData(seededRandom(5), count(shape)).map((v) => -Math.abs(v));
    const want = ref.maxPool2dForward(data, 'NCHW', p);
    const gpu = pool();
    const { output, indices } = await gpu.maxPool2d(gpu.tensor(data, shape), opts);
    expectBitExact(await output.read(), want.output, 'values');
    expectBitExact(await indices!.read(), want.indices, 'indices');
  });
});

describe('W4 full rows', () => {
  it('the constants: full rows where every window holds its W taps; clamped taps for a padded max only, undilated, every window real', () => {
    const max = (shape: Shape, window: Record<string, unknown>) => maxPoolForwardPlan(resolveMaxPool('maxPool2d', shape, window), 'NCHW', true, 'w4').constants;
    const avg = (shape: Shape, window: Record<string, unknown>) => avgPoolForwardPlan(resolveAvgPool('avgPool2d', shape, window), 'NCHW', 'w4').constants;
    expect(max([1, 1, 8, 16], { kernelSize: 2, stride: 2 })).toMatchObject({ W4_KW: 2, W4_SW: 2, W4_DW: 1 });
    expect(max([1, 1, 8, 16], { kernelSize: 3, stride: 2, padding: 1 })).toMatchObject({ W4_KW: 3, W4_CLAMP: 1 });
    expect(max([1, 1, 8, 17], { kernelSize: 3, stride: 2, ceilMode: true })).toMatchObject({ W4_KW: 3 });
    expect(max([1, 1, 8, 17], { kernelSize: 3, stride: 1, padding: 1, dilation: 2 }).W4_KW).toBeUndefined();
    expect(max([1, 1, 8, 20], { kernelSize: 3, stride: 1, dilation: [1, 2] })).toMatchObject({ W4_KW: 3, W4_DW: 2 });
    expect(avg([1, 1, 8, 16], { kernelSize: 3, stride: 2, padding: 1 }).W4_KW).toBeUndefined();
    expect(avg([1, 1, 8, 17], { kernelSize: 3, stride: 2 })).toMatchObject({ W4_KW: 3, W4_SW: 2 });
    expect(max([1, 1, 8, 7], { kernelSize: 2, stride: 2 }).W4_KW, 'fewer than 4 outputs a row').toBeUndefined();
  });

  // Clamped taps repeat a window's edge column: ties between it and its neighbours, NaN at the
  // edges, -0 beside +0, rows whose last group shifts back by 1-3 lanes.
  const cases: [Shape, Record<string, unknown>][] = [
    [[1, 2, 5, 13], { kernelSize: 3, stride: 2, padding: 1 }],
    [[1, 2, 4, 14], { kernelSize: 3, stride: 1, padding: 1 }],
    [[1, 1, 6, 22], { kernelSize: [2, 5], stride: [1, 3], padding: [1, 2] }],
    [[1, 2, 5, 18], { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }],
    [[1, 1, 3, 9], { kernelSize: 4, stride: 1, padding: 2 }],
    [[2, 1, 7, 19], { kernelSize: 2, stride: 2, ceilMode: true }],
  ];
  for (const [shape, window] of cases) {
    it(`${shape.join('x')} ${JSON.stringify(window)}: edges of equal values, NaN, -0`, async () => {
      const rand = seededRandom(count(shape) + 17);
      const W = shape[3];
      const specials = [NaN, 0, -0, 1, 1];
      // The first and last two columns of every row from the specials, the rest random with ties.
      const data = randomData(rand, count(shape)).map((v, i) => (i % W < 2 || i % W >= W - 2 ? pick(rand, specials) : rand() < 0.3 ? 1 : v));
      expect(maxPoolForwardPlan(resolveMaxPool('maxPool2d', shape, window), 'NCHW', true, 'w4').constants.W4_KW).toBeDefined();
      await checkMax(resolveMaxPool('maxPool2d', shape, window), data, true);
      await checkMax(resolveMaxPool('maxPool2d', shape, window), new Float32Array(count(shape)).fill(-Infinity), true);
    });
  }
});

describe('W4 split over several dispatches at a 2 KiB binding limit', () => {
  const limits = (): BindingLimits => ({ maxBindingSize: 2048, offsetAlignment: device().limits.minStorageBufferOffsetAlignment });
  const cases: [Shape, Record<string, unknown>][] = [
    [[2, 3, 13, 22], { kernelSize: 3, stride: 2, padding: 1 }],
    [[1, 4, 20, 19], { kernelSize: [2, 3], stride: [1, 1], ceilMode: true }],
    [[2, 2, 9, 30], { kernelSize: [3, 2], stride: [2, 1], padding: [1, 0, 2, 1] }],
  ];
  for (const [shape, window] of cases) {
    it(`${shape.join('x')} ${JSON.stringify(window)}`, async () => {
      const data = randomData(seededRandom(count(shape)), count(shape));
      expect(await checkMax(resolveMaxPool('maxPool2d', shape, window), data, true, limits())).toBeGreaterThan(1);
      expect(await checkMax(resolveMaxPool('maxPool2d', shape, { ...window, dilation: 2, padding: 0 }), data, false, limits())).toBeGreaterThan(1);
      expect(await checkAvg(resolveAvgPool('avgPool2d', shape, { ...window, countIncludePad: false }), data, limits())).toBeGreaterThan(1);
    });
  }
});

describe('selection rule (docs/forward-selection.md)', () => {
  const max = (shape: Shape, window: Record<string, unknown>) => resolveMaxPool('maxPool2d', shape, window);
  const avg = (shape: Shape, window: Record<string, unknown>) => resolveAvgPool('avgPool2d', shape, window);

  it.each([
    ['1x64x112x112 k3 s2 p1 (outW 56)', [1, 64, 112, 112], { kernelSize: 3, stride: 2, padding: 1 }, 'w4'],
    ['1x64x224x224 k2 s2 (outW 112)', [1, 64, 224, 224], { kernelSize: 2, stride: 2 }, 'w4'],
    ['1x1x8x10 k3 s1 d2 (outW 6)', [1, 1, 8, 10], { kernelSize: 3, stride: 1, dilation: 2 }, 'w4'],
    ['1x512x10x10 k2 s2 (outW 5: a group of one output per row)', [1, 512, 10, 10], { kernelSize: 2, stride: 2 }, 'scalar'],
    ['1x64x112x112 k3 s4 (outW 28)', [1, 64, 112, 112], { kernelSize: 3, stride: 4 }, 'w4'],
    ['1x8x6x6 k2 s2 (outW 3)', [1, 8, 6, 6], { kernelSize: 2, stride: 2 }, 'scalar'],
    ['1x8x6x8 k2 s2 pad0 value (zero padding)', [1, 8, 6, 8], { kernelSize: 2, stride: 2, padding: 1, padValue: 0 }, 'scalar'],
  ] as const)('max %s: %s', (_name, shape, window, kernel) => {
    const p = max([...shape], window);
    expect(maxPoolForwardKernel(p, 'NCHW')).toBe(kernel);
    expect(maxPoolForwardPlan(p, 'NCHW', true).label).toBe(kernel === 'w4' ? 'maxPool2d.forward.w4' : 'maxPool2d.forward');
    expect(maxPoolForwardPlan(p, 'NHWC', true).label).not.toMatch(/w4/);
  });

  it.each([
    ['1x64x112x112 k3 s2 p1 (outW 56)', [1, 64, 112, 112], { kernelSize: 3, stride: 2, padding: 1 }, 'w4'],
    ['1x192x28x28 k3 s1 p1 (outW 28)', [1, 192, 28, 28], { kernelSize: 3, stride: 1, padding: 1 }, 'w4'],
    ['1x64x224x224 k2 s2 (outW 112)', [1, 64, 224, 224], { kernelSize: 2, stride: 2 }, 'w4'],
    ['1x64x112x112 k3 s4 (stride > kernel)', [1, 64, 112, 112], { kernelSize: 3, stride: 4 }, 'scalar'],
    ['1x8x6x6 k2 s2 (outW 3)', [1, 8, 6, 6], { kernelSize: 2, stride: 2 }, 'scalar'],
    ['1x512x10x10 k2 s2 (outW 5)', [1, 512, 10, 10], { kernelSize: 2, stride: 2 }, 'scalar'],
    ['1x512x18x18 k2 s2 (outW 9)', [1, 512, 18, 18], { kernelSize: 2, stride: 2 }, 'w4'],
  ] as const)('avg %s: %s', (_name, shape, window, kernel) => {
    const p = avg([...shape], window);
    expect(avgPoolForwardKernel(p, 'NCHW')).toBe(kernel);
    expect(avgPoolForwardPlan(p, 'NCHW').label).toBe(kernel === 'w4' ? 'avgPool2d.forward.w4' : 'avgPool2d.forward');
    expect(avgPoolForwardPlan(p, 'NHWC').label).not.toMatch(/w4/);
  });
});
