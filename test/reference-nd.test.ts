/**
 * The N-d reference (src/reference/nd-pool.ts), the oracle of the 1-D and 3-D ops, checked two ways:
 * (a) at rank 2 it must equal the 2-D reference (src/reference/max-pool.ts, avg-pool.ts, which the
 * GPU kernels have long been held to) on seeded random windows of every option, both layouts, and
 * at rank 1 the 2-D reference run on the one-row plane (planeGeometry), and a rank-3 window with
 * size-1 leading axes must equal its rank-1 form; (b) named edge cases at ranks 1 and 3 whose
 * results are worked out by hand from docs/semantics.md: the ceil-mode last window, NaN, ties (-0/+0),
 * infinities, windows with no real element, dilation with padding, the divisor with dilation.
 */
import { describe, expect, it } from 'vitest';
import { PoolingError } from '../src/errors.js';
import { planeGeometry, resolveWindow } from '../src/geometry.js';
import { resolveAvgPool, resolveAvgWindow, resolveMaxPool, resolveMaxWindow } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { AvgPoolParams, AvgWindow, MaxPoolParams, MaxWindow, SpatialRank } from '../src/types.js';
import { expectBitExact } from './helpers/compare.js';
import { count, fromLayout, inLayout, toChannelsLast } from './helpers/nd-windows.js';
import { pick, randomData, randomInt, seededRandom } from './helpers/random.js';
import { describeWindow, randomWindow, windowOptions } from './helpers/windows.js';

const f32 = (a: readonly number[]) => Float32Array.from(a);
const i32 = (a: readonly number[]) => Int32Array.from(a);

const maxWindow = (rank: SpatialRank, shape: number[], o: Record<string, unknown>): MaxWindow => resolveMaxWindow('maxPoolNd', rank, shape, o);
const avgWindow = (rank: SpatialRank, shape: number[], o: Record<string, unknown>): AvgWindow => resolveAvgWindow('avgPoolNd', rank, shape, o);

describe('N-d reference at rank 2 equals the 2-D reference', () => {
  const rand = seededRandom(2024);
  const drawShape = () => [randomInt(rand, 1, 2), randomInt(rand, 1, 4), randomInt(rand, 1, 13), randomInt(rand, 1, 13)] as [number, number, number, number];
  for (let i = 0; i < 60; i++) {
    const c = randomWindow(rand, drawShape, true);
    const padValue = rand() < 0.3 ? 0 : -Infinity;
    const countIncludePad = rand() < 0.5;
    const divisorOverride = rand() < 0.2 ? randomInt(rand, 1, 9) : undefined;
    const data = randomData(rand, count(c.shape));
    const [N, C, H, W] = c.shape;
    for (const channelsLast of [false, true]) {
      const layout = channelsLast ? 'NHWC' : 'NCHW';
      const x = channelsLast ? toChannelsLast(data, N, C, H * W) : data;
      it(`#${i} max ${describeWindow(c)}${padValue === 0 ? ' pad0' : ''} ${layout}`, () => {
        const options = { ...windowOptions(c), padValue };
        const g = maxWindow(2, c.shape, options);
        const p: MaxPoolParams = resolveMaxPool('maxPool2d', c.shape, options);
        const got = ref.maxPoolNdForward(x, channelsLast, g);
        const want = ref.maxPool2dForward(x, layout, p);
        expectBitExact(got.output, want.output, 'values');
        expectBitExact(got.indices, want.indices, 'indices');
        const dy = randomData(seededRandom(i), want.indices.length, false);
        expectBitExact(ref.maxPoolNdBackward(dy, want.indices, channelsLast, g), ref.maxPool2dBackward(dy, want.indices, layout, p), 'dx');
      });
      it(`#${i} avg ${describeWindow(c)}${countIncludePad ? '' : ' exclude-pad'}${divisorOverride ? ` divisor ${divisorOverride}` : ''} ${layout}`, () => {
        const options = { ...windowOptions(c), countIncludePad, ...(divisorOverride ? { divisorOverride } : {}) };
        const g = avgWindow(2, c.shape, options);
        const p: AvgPoolParams = resolveAvgPool('avgPool2d', c.shape, options);
        const want = ref.avgPool2dForward(x, layout, p);
        expectBitExact(ref.avgPoolNdForward(x, channelsLast, g), want, 'averages');
        const dy = randomData(seededRandom(i + 1000), want.length, false);
        expectBitExact(ref.avgPoolNdBackward(dy, channelsLast, g), ref.avgPool2dBackward(dy, layout, p), 'dx');
      });
    }
  }
});

/** Random 1-D window options over length L (pads below the effective kernel), or null when no output fits. */
function random1d(rand: () => number, L: number): Record<string, unknown> | null {
  const k = randomInt(rand, 1, 6);
  const d = rand() < 0.4 ? randomInt(rand, 1, 4) : 1;
  const e = d * (k - 1) + 1;
  const o: Record<string, unknown> = { kernelSize: [k], stride: [randomInt(rand, 1, 4)], dilation: [d], ceilMode: rand() < 0.5 };
  o.padding = pick(rand, [0, [randomInt(rand, 0, e - 1)], [randomInt(rand, 0, e - 1), randomInt(rand, 0, e - 1)], 'same', 'same-lower', 'valid']);
  try {
    resolveWindow('test', 1, [1, 1, L], o);
    return o;
  } catch {
    return null;
  }
}

/** The same 1-D options as the last axis of a 3-D window whose leading axes are 1 long with 1-tap windows. */
function as3d(o: Record<string, unknown>): Record<string, unknown> {
  const axis = (v: unknown, lead: number) => [lead, lead, ...(v as number[])];
  const padding = Array.isArray(o.padding) ? (o.padding.length === 2 ? [0, 0, o.padding[0], 0, 0, o.padding[1]] : axis(o.padding, 0)) : o.padding;
  return { ...o, kernelSize: axis(o.kernelSize, 1), stride: axis(o.stride, 1), dilation: axis(o.dilation, 1), padding };
}

describe('N-d reference at rank 1 equals the 2-D reference on a one-row plane, and its rank-3 form', () => {
  const rand = seededRandom(77);
  for (let i = 0; i < 40; i++) {
    const N = randomInt(rand, 1, 2);
    const C = randomInt(rand, 1, 3);
    const L = randomInt(rand, 1, 20);
    const o = random1d(rand, L);
    if (o === null) continue;
    const padValue = rand() < 0.3 ? 0 : -Infinity;
    const countIncludePad = rand() < 0.5;
    const data = randomData(rand, N * C * L);
    for (const channelsLast of [false, true]) {
      const x = channelsLast ? toChannelsLast(data, N, C, L) : data;
      const layout = channelsLast ? 'NHWC' : 'NCHW';
      it(`#${i} ${N}x${C}x${L} ${JSON.stringify(o)}${padValue === 0 ? ' pad0' : ''}${countIncludePad ? '' : ' exclude-pad'} ${channelsLast ? 'NLC' : 'NCL'}`, () => {
        const g = maxWindow(1, [N, C, L], { ...o, padValue });
        const g3 = maxWindow(3, [N, C, 1, 1, L], { ...as3d(o), padValue });
        const want = ref.maxPool2dForward(x, layout, { ...planeGeometry(g), padWithZero: g.padWithZero });
        const got = ref.maxPoolNdForward(x, channelsLast, g);
        expectBitExact(got.output, want.output, 'values');
        expectBitExact(got.indices, want.indices, 'indices');
        const got3 = ref.maxPoolNdForward(x, channelsLast, g3);
        expectBitExact(got3.output, want.output, 'values (rank 3)');
        expectBitExact(got3.indices, want.indices, 'indices (rank 3)');
        const dy = randomData(seededRandom(i), want.output.length, false);
        expectBitExact(ref.maxPoolNdBackward(dy, want.indices, channelsLast, g), ref.maxPool2dBackward(dy, want.indices, layout, planeGeometry(g)), 'max dx');

        const a = avgWindow(1, [N, C, L], { ...o, countIncludePad });
        const a3 = avgWindow(3, [N, C, 1, 1, L], { ...as3d(o), countIncludePad });
        const p = { ...planeGeometry(a), countIncludePad: a.countIncludePad, divisorOverride: a.divisorOverride };
        const avg = ref.avgPool2dForward(x, layout, p);
        expectBitExact(ref.avgPoolNdForward(x, channelsLast, a), avg, 'averages');
        expectBitExact(ref.avgPoolNdForward(x, channelsLast, a3), avg, 'averages (rank 3)');
        expectBitExact(ref.avgPoolNdBackward(dy, channelsLast, a), ref.avgPool2dBackward(dy, layout, p), 'avg dx');
        expectBitExact(ref.avgPoolNdBackward(dy, channelsLast, a3), ref.avgPool2dBackward(dy, layout, p), 'avg dx (rank 3)');
      });
    }
  }
});

/** Runs the max reference in both layouts and checks channel-first values and indices against `want`. */
function expectMax(x: Float32Array, rank: SpatialRank, shape: number[], o: Record<string, unknown>, values: readonly number[], indices: readonly number[]): MaxWindow {
  const g = maxWindow(rank, shape, o);
  const outShape = [shape[0]!, shape[1]!, ...g.outSize];
  for (const channelsLast of [false, true]) {
    const got = ref.maxPoolNdForward(inLayout(x, shape, channelsLast), channelsLast, g);
    expectBitExact(fromLayout(got.output, outShape, channelsLast), f32(values), `values${channelsLast ? ' (channels-last)' : ''}`);
    expectBitExact(fromLayout(got.indices, outShape, channelsLast), i32(indices), `indices${channelsLast ? ' (channels-last)' : ''}`);
  }
  return g;
}

/** Equal as values: NaN equals any NaN (arithmetic NaNs differ in sign bit by machine), -0 differs from +0. */
function expectSameValues(got: Float32Array, want: Float32Array, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    if (!(Object.is(got[i], want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i])))) expect.fail(`${what}: element ${i} is ${got[i]}, want ${want[i]}`);
  }
}

function expectAvg(x: Float32Array, rank: SpatialRank, shape: number[], o: Record<string, unknown>, values: readonly number[]): AvgWindow {
  const g = avgWindow(rank, shape, o);
  const outShape = [shape[0]!, shape[1]!, ...g.outSize];
  for (const channelsLast of [false, true]) {
    const got = ref.avgPoolNdForward(inLayout(x, shape, channelsLast), channelsLast, g);
    expectSameValues(fromLayout(got, outShape, channelsLast), f32(values), `averages${channelsLast ? ' (channels-last)' : ''}`);
  }
  return g;
}

describe('N-d reference edge cases, rank 1', () => {
  it('1x1x5 k2 s2 ceil: the last window holds one element (overhang never counts)', () => {
    const x = f32([1, 2, 3, 4, 5]);
    const o = { kernelSize: 2, stride: 2, ceilMode: true };
    expectMax(x, 1, [1, 1, 5], o, [2, 4, 5], [1, 3, 4]);
    const g = expectAvg(x, 1, [1, 1, 5], o, [1.5, 3.5, 5]);
    expectBitExact(ref.avgPoolNdBackward(f32([2, 4, 6]), false, g), f32([1, 1, 2, 2, 6]), 'dx');
  });

  it('1x1x6 k3 s2 p1 ceil: the last window has a declared pad (counts) and an overhang (never)', () => {
    const x = f32([1, 2, 3, 4, 5, 6]);
    const o = { kernelSize: 3, stride: 2, padding: 1, ceilMode: true };
    expectMax(x, 1, [1, 1, 6], o, [2, 4, 6, 6], [1, 3, 5, 5]);
    expectAvg(x, 1, [1, 1, 6], o, [1, 3, 5, 3]);
    expectAvg(x, 1, [1, 1, 6], { ...o, countIncludePad: false }, [1.5, 3, 5, 6]);
    expectAvg(x, 1, [1, 1, 6], { ...o, divisorOverride: 4 }, [0.75, 2.25, 3.75, 1.5]);
  });

  it('1x1x5 k2 s2 p1 ceil: no window starts in the end padding', () => {
    expect(maxWindow(1, [1, 1, 5], { kernelSize: 2, stride: 2, padding: 1, ceilMode: true }).outSize).toEqual([3]);
    expect(maxWindow(1, [1, 1, 5], { kernelSize: 2, stride: 2, padding: 1 }).outSize).toEqual([3]);
    expect(maxWindow(1, [1, 1, 6], { kernelSize: 2, stride: 2, padding: 1, ceilMode: true }).outSize).toEqual([4]);
  });

  it('1x1x5 k5: NaN propagates with the last NaN index', () => {
    expectMax(f32([1, NaN, 3, NaN, 2]), 1, [1, 1, 5], { kernelSize: 5 }, [NaN], [3]);
    expectMax(f32([1, NaN, 3, 9, 2]), 1, [1, 1, 5], { kernelSize: 2, stride: 1 }, [NaN, NaN, 9, 9], [1, 1, 3, 3]);
    expectAvg(f32([1, NaN, 3, 9, 2]), 1, [1, 1, 5], { kernelSize: 2, stride: 1 }, [NaN, NaN, 6, 5.5]);
  });

  it('1x1x6 k2 s2: ties go to the first maximum, -0 and +0 kept in scan order', () => {
    expectMax(f32([2, 2, -0, 0, 0, -0]), 1, [1, 1, 6], { kernelSize: 2 }, [2, -0, 0], [0, 2, 4]);
  });

  it('1x2x4 k2 s2 p1: infinities; an all -inf window gets its first real index, not -1', () => {
    const x = f32([-Infinity, -Infinity, -Infinity, -Infinity, 1, Infinity, -Infinity, Infinity]);
    expectMax(x, 1, [1, 2, 4], { kernelSize: 2, padding: 1 }, [-Infinity, -Infinity, -Infinity, 1, Infinity, Infinity], [0, 1, 3, 0, 1, 3]);
    // Zero padding: the padded tap comes first and wins over -inf; later real elements must beat 0.
    expectMax(x, 1, [1, 2, 4], { kernelSize: 2, padding: 1, padValue: 0 }, [0, -Infinity, 0, 1, Infinity, Infinity], [-1, 1, -1, 0, 1, 3]);
    expectAvg(f32([1, Infinity, -Infinity, 2]), 1, [1, 1, 4], { kernelSize: 2, stride: 1 }, [Infinity, NaN, -Infinity]);
  });

  it('1x1x2 k2 s1 d4 p3: windows with no real element give -inf / index -1 and no gradient', () => {
    const o = { kernelSize: 2, dilation: 4, padding: 3, stride: 1 };
    const g = expectMax(f32([5, 6]), 1, [1, 1, 2], o, [6, -Infinity, -Infinity, 5], [1, -1, -1, 0]);
    expectBitExact(ref.maxPoolNdBackward(f32([1, 2, 3, 4]), i32([1, -1, -1, 0]), false, g), f32([4, 1]), 'dx');
    expectMax(f32([5, 6]), 1, [1, 1, 2], { ...o, padValue: 0 }, [6, 0, 0, 5], [1, -1, -1, 0]);
    expectMax(f32([-5, -6]), 1, [1, 1, 2], { ...o, padValue: 0 }, [0, 0, 0, 0], [-1, -1, -1, -1]);
    const include = expectAvg(f32([5, 6]), 1, [1, 1, 2], o, [3, 0, 0, 2.5]);
    expectBitExact(ref.avgPoolNdBackward(f32([1, 2, 3, 4]), false, include), f32([2, 0.5]), 'dx (count pad)');
    const exclude = expectAvg(f32([5, 6]), 1, [1, 1, 2], { ...o, countIncludePad: false }, [6, 0, 0, 5]);
    expectBitExact(ref.avgPoolNdBackward(f32([1, 2, 3, 4]), false, exclude), f32([4, 1]), 'dx (real only)');
  });

  it('1x1x5 k3 d2 p2: dilation with padding, divisor counts dilated taps', () => {
    const x = f32([1, 2, 3, 4, 5]);
    const o = { kernelSize: 3, dilation: 2, padding: 2, stride: 1 };
    expectMax(x, 1, [1, 1, 5], o, [3, 4, 5, 4, 5], [2, 3, 4, 3, 4]);
    expectAvg(x, 1, [1, 1, 5], o, [4 / 3, 2, 3, 2, 8 / 3]);
    expectAvg(x, 1, [1, 1, 5], { ...o, countIncludePad: false }, [2, 3, 3, 3, 4]);
  });

  it('1x1x7 k2 d3 s2 ceil: a dilated tap in the overhang never counts', () => {
    const x = f32([0, 1, 2, 3, 4, 5, 6]);
    const o = { kernelSize: 2, dilation: 3, stride: 2, ceilMode: true };
    expectMax(x, 1, [1, 1, 7], o, [3, 5, 4], [3, 5, 4]);
    expectAvg(x, 1, [1, 1, 7], o, [1.5, 3.5, 4]);
    expectAvg(x, 1, [1, 1, 7], { ...o, countIncludePad: false }, [1.5, 3.5, 4]);
    expectAvg(x, 1, [1, 1, 7], { ...o, divisorOverride: 2 }, [1.5, 3.5, 2]);
  });

  it('1x1x5: an index outside [0, L) or outside its window is dropped (the index rule); a wrong length is a PoolingError', () => {
    const g = maxWindow(1, [1, 1, 5], { kernelSize: 5 });
    expect(Array.from(ref.maxPoolNdBackward(f32([1]), i32([5]), false, g))).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(ref.maxPoolNdBackward(f32([1]), i32([-2]), true, g))).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(ref.maxPoolNdBackward(f32([1]), i32([4]), true, g))).toEqual([0, 0, 0, 0, 1]);
    // kernelSize 2, stride 2: windows [0, 1] and [2, 3]; index 1 is not in the second one.
    const g2 = maxWindow(1, [1, 1, 5], { kernelSize: 2 });
    expect(Array.from(ref.maxPoolNdBackward(f32([1, 2]), i32([1, 1]), false, g2))).toEqual([0, 1, 0, 0, 0]);
    expect(() => ref.maxPoolNdBackward(f32([1]), i32([0, 1]), false, g2)).toThrow(PoolingError);
    expect(() => ref.maxPoolNdForward(f32([1, 2]), false, g)).toThrow(PoolingError);
  });
});

describe('N-d reference edge cases, rank 3', () => {
  it('1x2x3x3x3 k2 s2 ceil: the last windows hold the far faces, edges and corner', () => {
    const x = new Float32Array(54);
    for (let i = 0; i < 27; i++) {
      x[i] = i;
      x[27 + i] = 100 + i;
    }
    const values: number[] = [];
    const indices: number[] = [];
    for (const c of [0, 1]) {
      for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) for (let e = 0; e < 2; e++) {
        const i = 9 * Math.min(2 * a + 1, 2) + 3 * Math.min(2 * b + 1, 2) + Math.min(2 * e + 1, 2);
        values.push(100 * c + i);
        indices.push(i);
      }
    }
    const o = { kernelSize: 2, stride: 2, ceilMode: true };
    expectMax(x, 3, [1, 2, 3, 3, 3], o, values, indices);
    // Mean over each window's real elements; the overhang never counts, so the corner window's divisor is 1.
    const means: number[] = [];
    for (const c of [0, 1]) {
      for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) for (let e = 0; e < 2; e++) {
        let sum = 0;
        let n = 0;
        for (let d = 2 * a; d < Math.min(2 * a + 2, 3); d++) for (let h = 2 * b; h < Math.min(2 * b + 2, 3); h++) for (let w = 2 * e; w < Math.min(2 * e + 2, 3); w++) {
          sum += 100 * c + 9 * d + 3 * h + w;
          n++;
        }
        means.push(sum / n);
      }
    }
    expect(means[0]).toBe(6.5);
    expect(means[7]).toBe(26);
    expectAvg(x, 3, [1, 2, 3, 3, 3], o, means);
  });

  it('1x1x2x2x2 k2: NaN (last NaN index) and ties (first maximum)', () => {
    expectMax(f32([1, NaN, 3, 7, NaN, 2, 9, 0]), 3, [1, 1, 2, 2, 2], { kernelSize: 2 }, [NaN], [4]);
    expectMax(f32([1, 5, 3, 7, 2, 2, 9, 9]), 3, [1, 1, 2, 2, 2], { kernelSize: 2 }, [9], [6]);
    expectMax(f32([-0, 0, 0, -0]), 3, [1, 1, 1, 1, 4], { kernelSize: [1, 1, 2] }, [-0, 0], [0, 2]);
  });

  it('1x1x2x2x2 k2 s2 p(0,0,1): all -inf windows get their first real index; zero padding wins over -inf', () => {
    const x = new Float32Array(8).fill(-Infinity);
    const o = { kernelSize: 2, stride: 2, padding: [0, 0, 1] };
    expectMax(x, 3, [1, 1, 2, 2, 2], o, [-Infinity, -Infinity], [0, 1]);
    expectMax(x, 3, [1, 1, 2, 2, 2], { ...o, padValue: 0 }, [0, 0], [-1, -1]);
    x[5] = Infinity;
    expectMax(x, 3, [1, 1, 2, 2, 2], o, [-Infinity, Infinity], [0, 5]);
    expectMax(x, 3, [1, 1, 2, 2, 2], { ...o, padValue: 0 }, [0, Infinity], [-1, 5]);
  });

  it('1x1x1x1x2 k(1,1,2) s1 d(1,1,4) p(0,0,3): windows with no real element', () => {
    const o = { kernelSize: [1, 1, 2], dilation: [1, 1, 4], padding: [0, 0, 3], stride: 1 };
    const g = expectMax(f32([5, 6]), 3, [1, 1, 1, 1, 2], o, [6, -Infinity, -Infinity, 5], [1, -1, -1, 0]);
    expectBitExact(ref.maxPoolNdBackward(f32([1, 2, 3, 4]), i32([1, -1, -1, 0]), true, g), f32([4, 1]), 'dx');
    expectMax(f32([-5, -6]), 3, [1, 1, 1, 1, 2], { ...o, padValue: 0 }, [0, 0, 0, 0], [-1, -1, -1, -1]);
    expectAvg(f32([5, 6]), 3, [1, 1, 1, 1, 2], { ...o, countIncludePad: false }, [6, 0, 0, 5]);
    // Dilation 3 with padding 1 over 2x2x2: both taps of every axis fall in the padding.
    const o2 = { kernelSize: 2, dilation: 3, padding: 1 };
    expect(maxWindow(3, [1, 1, 2, 2, 2], o2).outSize).toEqual([1, 1, 1]);
    const x2 = f32([1, 2, 3, 4, 5, 6, 7, 8]);
    expectMax(x2, 3, [1, 1, 2, 2, 2], o2, [-Infinity], [-1]);
    expectMax(x2, 3, [1, 1, 2, 2, 2], { ...o2, padValue: 0 }, [0], [-1]);
    expectAvg(x2, 3, [1, 1, 2, 2, 2], o2, [0]);
    expectAvg(x2, 3, [1, 1, 2, 2, 2], { ...o2, countIncludePad: false }, [0]);
    const g3 = avgWindow(3, [1, 1, 2, 2, 2], o2);
    expectBitExact(ref.avgPoolNdBackward(f32([1]), false, g3), new Float32Array(8), 'avg dx');
  });

  it('1x1x3x3x3 ones k2 d2 p1: the divisor counts dilated taps per axis and multiplies', () => {
    const x = new Float32Array(27).fill(1);
    const real = [1, 2, 1];
    const o = { kernelSize: 2, dilation: 2, padding: 1, stride: 1 };
    const prod: number[] = [];
    for (const a of real) for (const b of real) for (const e of real) prod.push(a * b * e);
    expectAvg(x, 3, [1, 1, 3, 3, 3], o, prod.map((v) => v / 8));
    expectAvg(x, 3, [1, 1, 3, 3, 3], { ...o, countIncludePad: false }, prod.map(() => 1));
    const g = expectAvg(x, 3, [1, 1, 3, 3, 3], { ...o, divisorOverride: 4 }, prod.map((v) => v / 4));
    // Backward with dy = 1: every real element gets 1/4 from each window that covers it.
    const dx = ref.avgPoolNdBackward(new Float32Array(27).fill(1), false, g);
    expect(dx[13]).toBe(8 / 4); // the centre: covered by the 8 corner windows
    expect(dx[0]).toBe(1 / 4); // a corner: only window (1, 1, 1)
  });

  it('1x1x2x2x2 k2 s1 p1: countIncludePad, exclude and divisorOverride at the corners', () => {
    const x = f32([1, 2, 3, 4, 5, 6, 7, 8]);
    const gi = avgWindow(3, [1, 1, 2, 2, 2], { kernelSize: 2, stride: 1, padding: 1 });
    expect(gi.outSize).toEqual([3, 3, 3]);
    const inc = ref.avgPoolNdForward(x, false, gi);
    expect(inc[0]).toBe(1 / 8);
    expect(inc[13]).toBe(36 / 8);
    expect(inc[26]).toBe(8 / 8);
    const exc = ref.avgPoolNdForward(x, true, avgWindow(3, [1, 1, 2, 2, 2], { kernelSize: 2, stride: 1, padding: 1, countIncludePad: false }));
    expect([exc[0], exc[1], exc[13], exc[26]]).toEqual([1, 1.5, 4.5, 8]);
    const ovr = ref.avgPoolNdForward(x, false, avgWindow(3, [1, 1, 2, 2, 2], { kernelSize: 2, stride: 1, padding: 1, divisorOverride: 3 }));
    expect([ovr[0], ovr[13]]).toEqual([f32([1 / 3])[0], 12]);
  });

  it('1x1x2x2x2: an index outside [0, D·H·W) is dropped (the index rule); a wrong length is a PoolingError', () => {
    const g = maxWindow(3, [1, 1, 2, 2, 2], { kernelSize: 2 });
    expect(Array.from(ref.maxPoolNdBackward(f32([1]), i32([8]), false, g))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(ref.maxPoolNdBackward(f32([1]), i32([-3]), false, g))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(ref.maxPoolNdBackward(f32([2]), i32([7]), false, g))).toEqual([0, 0, 0, 0, 0, 0, 0, 2]);
    expect(() => ref.maxPoolNdBackward(f32([1, 1]), i32([7]), false, g)).toThrow(PoolingError);
  });
});
