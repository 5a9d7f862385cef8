import { describe, it, expect } from 'vitest';
import { resolveAvgPool, resolveMaxPool } from '../src/params.js';
import type { AvgPoolParams, Layout, PlaneShape } from '../src/types.js';
import {
  avgPool2dBackward,
  avgPool2dForward,
  avgPoolDivisor,
  globalAvgPool,
  globalAvgPoolBackward,
  globalMaxPool,
  globalMaxPoolBackward,
  maxPool2dBackward,
  maxPool2dForward,
} from '../src/reference/index.js';
import { seededRandom } from './helpers/random.js';

type Shape = [number, number, number, number];

const f32 = (a: number[]) => Float32Array.from(a);
const i32 = (a: number[]) => Int32Array.from(a);
const arr = (a: ArrayLike<number>) => Array.from(a);
const mp = (shape: Shape, o: object) => resolveMaxPool('maxPool2d', shape, o);
const ap = (shape: Shape, o: object) => resolveAvgPool('avgPool2d', shape, o);
const plane = ([N, C, H, W]: Shape): PlaneShape => ({ N, C, H, W });

function randomF32(n: number, seed: number): Float32Array {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => r() * 4 - 2);
}

/** Distinct values k/8 + 1/16 (never 0, never tied, exact in f32) in shuffled order. */
function distinctF32(n: number, seed: number): Float32Array {
  const r = seededRandom(seed);
  const v = Array.from({ length: n }, (_, k) => (k - Math.floor(n / 2)) / 8 + 1 / 16);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [v[i], v[j]] = [v[j]!, v[i]!];
  }
  return Float32Array.from(v);
}

function toNHWC(x: ArrayLike<number>, [N, C, H, W]: Shape): Float32Array {
  const y = new Float32Array(x.length);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) y[((n * H + h) * W + w) * C + c] = x[((n * C + c) * H + h) * W + w]!;
  return y;
}

function toNCHW<T extends Float32Array | Int32Array>(y: T, [N, C, H, W]: Shape): T {
  const x = new (y.constructor as new (n: number) => T)(y.length);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) x[((n * C + c) * H + h) * W + w] = y[((n * H + h) * W + w) * C + c]!;
  return x;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/**
 * Central difference of f = sum(w * forward(x)) along v against the analytic dx . v. eps and v are
 * chosen by callers so that x +- eps*v is exact in f32.
 */
function finiteDifference(forward: (x: Float32Array) => Float32Array, dx: Float32Array, x: Float32Array, w: Float32Array, v: Float32Array, eps: number) {
  const shifted = (sign: number) => Float32Array.from(x, (xi, i) => xi + sign * eps * v[i]!);
  const fd = (dot(w, forward(shifted(1))) - dot(w, forward(shifted(-1)))) / (2 * eps);
  const analytic = dot(dx, v);
  const scale = dot(Float32Array.from(w, Math.abs), Float32Array.from(forward(x), Math.abs)) + Math.abs(analytic) + 1;
  return { fd, analytic, scale };
}

function integerDirection(n: number, seed: number): Float32Array {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => Math.floor(r() * 9) - 4);
}

describe('maxPool2d forward, hand-worked', () => {
  it('[1,1,4,4] k2 s2', () => {
    const x = f32(Array.from({ length: 16 }, (_, i) => i));
    const { output, indices } = maxPool2dForward(x, 'NCHW', mp([1, 1, 4, 4], { kernelSize: 2 }));
    expect(arr(output)).toEqual([5, 7, 13, 15]);
    expect(arr(indices)).toEqual([5, 7, 13, 15]);
  });

  it('[1,1,4,4] k2 s1 dilation 2 (effective kernel 3)', () => {
    // prettier-ignore
    const x = f32([3, 8, 1, 0,
                   7, 2, 9, 4,
                   5, 6, 0, 2,
                   1, 4, 3, 8]);
    const p = mp([1, 1, 4, 4], { kernelSize: 2, stride: 1, dilation: 2 });
    expect([p.outH, p.outW]).toEqual([2, 2]);
    const { output, indices } = maxPool2dForward(x, 'NCHW', p);
    // window (0,0) taps (0,0),(0,2),(2,0),(2,2) = 3,1,5,0 ...
    expect(arr(output)).toEqual([5, 8, 9, 8]);
    expect(arr(indices)).toEqual([8, 1, 6, 15]);
  });

  it('[1,1,3,3] k3 s2 pad1: padValue -Infinity skips padding, padValue 0 lets it win', () => {
    const x = f32([-1, -2, -3, -4, -5, -6, -7, -8, -9]);
    const inf = maxPool2dForward(x, 'NCHW', mp([1, 1, 3, 3], { kernelSize: 3, stride: 2, padding: 1 }));
    expect(arr(inf.output)).toEqual([-1, -2, -4, -5]);
    expect(arr(inf.indices)).toEqual([0, 1, 3, 4]);
    const zero = maxPool2dForward(x, 'NCHW', mp([1, 1, 3, 3], { kernelSize: 3, stride: 2, padding: 1, padValue: 0 }));
    expect(arr(zero.output)).toEqual([0, 0, 0, 0]);
    expect(arr(zero.indices)).toEqual([-1, -1, -1, -1]);
  });

  it('[1,1,1,2] k[1,2] s1 pad[0,1]: zero padding ties are first-wins, -0 and +0 kept apart', () => {
    const p0 = mp([1, 1, 1, 2], { kernelSize: [1, 2], stride: 1, padding: [0, 1], padValue: 0 });
    const pInf = mp([1, 1, 1, 2], { kernelSize: [1, 2], stride: 1, padding: [0, 1] });
    expect(p0.outW).toBe(3); // windows over columns [-1,0], [0,1], [1,2]
    // padded 0 seen before a real 0 wins the tie; a real 0 seen first keeps it
    const a = maxPool2dForward(f32([0, -3]), 'NCHW', p0);
    expect(arr(a.output)).toEqual([0, 0, 0]);
    expect(arr(a.indices)).toEqual([-1, 0, -1]);
    // real -0 against padded +0: no normalisation, the comparison decides
    const b = maxPool2dForward(f32([-0, -1]), 'NCHW', p0);
    expect(Object.is(b.output[0], 0)).toBe(true);
    expect(Object.is(b.output[1], -0)).toBe(true);
    expect(Object.is(b.output[2], 0)).toBe(true);
    expect(arr(b.indices)).toEqual([-1, 0, -1]);
    const c = maxPool2dForward(f32([-0, -1]), 'NCHW', pInf);
    expect(Object.is(c.output[0], -0)).toBe(true);
    expect(Object.is(c.output[1], -0)).toBe(true);
    expect(c.output[2]).toBe(-1);
    expect(arr(c.indices)).toEqual([0, 0, 1]);
  });

  it('[1,5,2,2] k2: NaN, ties, -Infinity only, +Infinity', () => {
    // prettier-ignore
    const x = f32([
      NaN, 1, NaN, 2,                    // last NaN wins
      1, 3, 3, 2,                        // first maximum wins
      -Infinity, -Infinity, -Infinity, -Infinity, // index of the first real element
      -Infinity, Infinity, Infinity, 1,  // first +Infinity
      1, NaN, 5, 2,                      // NaN is not displaced by a larger number
    ]);
    const { output, indices } = maxPool2dForward(x, 'NCHW', mp([1, 5, 2, 2], { kernelSize: 2 }));
    expect(arr(output)).toEqual([NaN, 3, -Infinity, Infinity, NaN]);
    expect(arr(indices)).toEqual([2, 1, 0, 1, 1]);
  });

  it('[1,1,1,1] k[1,2] dilation[1,3] pad[0,3]: windows without a real element', () => {
    // effective kernel 4, outW 4; window taps at columns {-3,0}, {-2,1}, {-1,2}, {0,3}
    const x = f32([7]);
    const pInf = mp([1, 1, 1, 1], { kernelSize: [1, 2], dilation: [1, 3], stride: 1, padding: [0, 3] });
    expect(pInf.outW).toBe(4);
    const a = maxPool2dForward(x, 'NCHW', pInf);
    expect(arr(a.output)).toEqual([7, -Infinity, -Infinity, 7]);
    expect(arr(a.indices)).toEqual([0, -1, -1, 0]);
    const b = maxPool2dForward(x, 'NCHW', { ...pInf, padWithZero: true });
    expect(arr(b.output)).toEqual([7, 0, 0, 7]);
    expect(arr(b.indices)).toEqual([0, -1, -1, 0]);
    expect(arr(maxPool2dBackward(f32([1, 10, 100, 1000]), a.indices, 'NCHW', pInf))).toEqual([1001]);
  });

  it('[1,1,1,5] k[1,2] s[1,2] ceil: the last window holds one element (out 3, floor gives 2)', () => {
    const x = f32([1, 2, 3, 4, 5]);
    expect(mp([1, 1, 1, 5], { kernelSize: [1, 2] }).outW).toBe(2);
    const p = mp([1, 1, 1, 5], { kernelSize: [1, 2], ceilMode: true });
    expect(p.outW).toBe(3);
    const { output, indices } = maxPool2dForward(x, 'NCHW', p);
    expect(arr(output)).toEqual([2, 4, 5]);
    expect(arr(indices)).toEqual([1, 3, 4]);
  });

  it('[1,1,1,5] k[1,2] s[1,2] pad[0,1] ceil: PyTorch correction drops the window starting in end padding (out 3, not 4)', () => {
    const p = mp([1, 1, 1, 5], { kernelSize: [1, 2], padding: [0, 1], ceilMode: true });
    expect(p.outW).toBe(3); // ceil((5+2-2)/2)+1 = 4, but window 3 would start at column 5 = W
    const { output, indices } = maxPool2dForward(f32([1, 2, 3, 4, 5]), 'NCHW', p);
    expect(arr(output)).toEqual([1, 3, 5]);
    expect(arr(indices)).toEqual([0, 2, 4]);
  });

  it('[1,1,1,4] k[1,3] s[1,2] pad[0,1] ceil: overhang beyond end padding is not a zero pad (out 3)', () => {
    const p = mp([1, 1, 1, 4], { kernelSize: [1, 3], stride: [1, 2], padding: [0, 1], ceilMode: true, padValue: 0 });
    expect(p.outW).toBe(3); // windows [-1,1], [1,3], [3,5]: column 4 is padding, 5 overhang
    const { output, indices } = maxPool2dForward(f32([-1, -2, -3, -4]), 'NCHW', p);
    expect(arr(output)).toEqual([0, -2, 0]);
    expect(arr(indices)).toEqual([-1, 1, -1]);
  });

  it('[1,1,2,3] k2 s1 asymmetric pad top 1, right 1', () => {
    const p = mp([1, 1, 2, 3], { kernelSize: 2, stride: 1, padding: [1, 0, 0, 1] });
    expect([p.outH, p.outW]).toEqual([2, 3]);
    const { output, indices } = maxPool2dForward(f32([1, 2, 3, 4, 5, 6]), 'NCHW', p);
    expect(arr(output)).toEqual([2, 3, 3, 5, 6, 6]);
    expect(arr(indices)).toEqual([1, 2, 2, 4, 5, 5]);
  });
});

describe('maxPool2d backward, hand-worked', () => {
  it('[1,1,4,4] k2 s1 dilation 2: dy lands on the argmax', () => {
    // prettier-ignore
    const x = f32([3, 8, 1, 0, 7, 2, 9, 4, 5, 6, 0, 2, 1, 4, 3, 8]);
    const p = mp([1, 1, 4, 4], { kernelSize: 2, stride: 1, dilation: 2 });
    const { indices } = maxPool2dForward(x, 'NCHW', p);
    const dx = maxPool2dBackward(f32([1, 2, 3, 4]), indices, 'NCHW', p);
    const want = new Array(16).fill(0);
    want[8] = 1;
    want[1] = 2;
    want[6] = 3;
    want[15] = 4;
    expect(arr(dx)).toEqual(want);
  });

  it('[1,1,2,3] k2 s1: overlapping windows sharing an argmax add up', () => {
    const p = mp([1, 1, 2, 3], { kernelSize: 2, stride: 1 });
    const { output, indices } = maxPool2dForward(f32([1, 5, 2, 0, 3, 4]), 'NCHW', p);
    expect(arr(output)).toEqual([5, 5]);
    expect(arr(indices)).toEqual([1, 1]);
    expect(arr(maxPool2dBackward(f32([1, 10]), indices, 'NCHW', p))).toEqual([0, 11, 0, 0, 0, 0]);
  });

  it('[1,1,3,3] k3 s2 pad1 padValue 0: index -1 gives nothing', () => {
    const p = mp([1, 1, 3, 3], { kernelSize: 3, stride: 2, padding: 1, padValue: 0 });
    const x = f32([-1, -2, -3, -4, 5, -6, -7, -8, -9]);
    const { output, indices } = maxPool2dForward(x, 'NCHW', p);
    expect(arr(output)).toEqual([5, 5, 5, 5]);
    expect(arr(indices)).toEqual([4, 4, 4, 4]);
    const neg = maxPool2dForward(f32([-1, -2, -3, -4, -5, -6, -7, -8, -9]), 'NCHW', p);
    expect(arr(maxPool2dBackward(f32([1, 1, 1, 1]), neg.indices, 'NCHW', p))).toEqual(new Array(9).fill(0));
    expect(arr(maxPool2dBackward(f32([1, 2, 3, 4]), indices, 'NCHW', p))).toEqual([0, 0, 0, 0, 10, 0, 0, 0, 0]);
  });
});

describe('avgPool2d, hand-worked', () => {
  const x33 = f32([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  // window sums of the 3x3 ramp with k3 s1 pad1
  const sums = [12, 21, 16, 27, 45, 33, 24, 39, 28];

  it('[1,1,3,3] k3 s1 pad1 countIncludePad true: divisor 9 everywhere', () => {
    const p = ap([1, 1, 3, 3], { kernelSize: 3, stride: 1, padding: 1 });
    expect(avgPoolDivisor(p, 0, 0)).toBe(9);
    expect(arr(avgPool2dForward(x33, 'NCHW', p))).toEqual(arr(f32(sums.map((s) => s / 9))));
    expect(arr(avgPool2dBackward(f32(new Array(9).fill(1)), 'NCHW', p))).toEqual(arr(f32([4, 6, 4, 6, 9, 6, 4, 6, 4].map((k) => k / 9))));
  });

  it('[1,1,3,3] k3 s1 pad1 countIncludePad false: divisor = real elements', () => {
    const p = ap([1, 1, 3, 3], { kernelSize: 3, stride: 1, padding: 1, countIncludePad: false });
    expect([avgPoolDivisor(p, 0, 0), avgPoolDivisor(p, 0, 1), avgPoolDivisor(p, 1, 1)]).toEqual([4, 6, 9]);
    expect(arr(avgPool2dForward(x33, 'NCHW', p))).toEqual([3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7]);
    const dx = avgPool2dBackward(f32(new Array(9).fill(1)), 'NCHW', p);
    // the centre lies in all 9 windows: 4 corners (1/4), 4 edges (1/6), itself (1/9)
    expect(dx[4]).toBeCloseTo(1 + 4 / 6 + 1 / 9, 6);
    // a corner lies in its own corner window, two edge windows and the centre window
    expect(dx[0]).toBeCloseTo(1 / 4 + 2 / 6 + 1 / 9, 6);
  });

  it('[1,1,3,3] k3 s1 pad1 divisorOverride 2', () => {
    const p = ap([1, 1, 3, 3], { kernelSize: 3, stride: 1, padding: 1, divisorOverride: 2, countIncludePad: false });
    expect(avgPoolDivisor(p, 0, 0)).toBe(2);
    expect(arr(avgPool2dForward(x33, 'NCHW', p))).toEqual(sums.map((s) => s / 2));
    expect(arr(avgPool2dBackward(f32(new Array(9).fill(1)), 'NCHW', p))).toEqual([4, 6, 4, 6, 9, 6, 4, 6, 4].map((k) => k / 2));
  });

  it('[1,1,1,5] k[1,2] s[1,2] ceil: last window averages its single element', () => {
    const p = ap([1, 1, 1, 5], { kernelSize: [1, 2], ceilMode: true });
    expect(p.outW).toBe(3);
    expect(avgPoolDivisor(p, 0, 2)).toBe(1);
    expect(arr(avgPool2dForward(f32([1, 2, 3, 4, 5]), 'NCHW', p))).toEqual([1.5, 3.5, 5]);
    expect(arr(avgPool2dBackward(f32([2, 4, 8]), 'NCHW', p))).toEqual([1, 1, 2, 2, 8]);
  });

  it('[1,1,1,5] k[1,2] s[1,2] pad[0,1] ceil: corrected out 3, include vs exclude pad', () => {
    const inc = ap([1, 1, 1, 5], { kernelSize: [1, 2], padding: [0, 1], ceilMode: true });
    expect(inc.outW).toBe(3);
    expect(arr(avgPool2dForward(f32([1, 2, 3, 4, 5]), 'NCHW', inc))).toEqual([0.5, 2.5, 4.5]);
    const exc = ap([1, 1, 1, 5], { kernelSize: [1, 2], padding: [0, 1], ceilMode: true, countIncludePad: false });
    expect(arr(avgPool2dForward(f32([1, 2, 3, 4, 5]), 'NCHW', exc))).toEqual([1, 2.5, 4.5]);
  });

  it('[1,1,1,4] k[1,3] s[1,2] pad[0,1] ceil: overhang past end padding does not count (PyTorch min(start+k, in+pad))', () => {
    const inc = ap([1, 1, 1, 4], { kernelSize: [1, 3], stride: [1, 2], padding: [0, 1], ceilMode: true });
    expect(inc.outW).toBe(3); // windows [-1,1], [1,3], [3,5]
    expect([0, 1, 2].map((ow) => avgPoolDivisor(inc, 0, ow))).toEqual([3, 3, 2]);
    expect(arr(avgPool2dForward(f32([1, 2, 3, 4]), 'NCHW', inc))).toEqual([1, 3, 2]);
    expect(arr(avgPool2dBackward(f32([3, 6, 4]), 'NCHW', inc))).toEqual([1, 3, 2, 4]);
    const exc = ap([1, 1, 1, 4], { kernelSize: [1, 3], stride: [1, 2], padding: [0, 1], ceilMode: true, countIncludePad: false });
    expect(arr(avgPool2dForward(f32([1, 2, 3, 4]), 'NCHW', exc))).toEqual([1.5, 3, 4]);
  });

  it('[1,1,2,3] k2 s1 asymmetric pad top 1, right 1', () => {
    const x = f32([1, 2, 3, 4, 5, 6]);
    const inc = ap([1, 1, 2, 3], { kernelSize: 2, stride: 1, padding: [1, 0, 0, 1] });
    expect(arr(avgPool2dForward(x, 'NCHW', inc))).toEqual([0.75, 1.25, 0.75, 3, 4, 2.25]);
    const exc = ap([1, 1, 2, 3], { kernelSize: 2, stride: 1, padding: [1, 0, 0, 1], countIncludePad: false });
    expect(arr(avgPool2dForward(x, 'NCHW', exc))).toEqual([1.5, 2.5, 3, 3, 4, 4.5]);
    // column 0 of row 1 is only in window (1,0) with divisor 4 (exclude-pad)
    expect(avgPool2dBackward(f32([1, 1, 1, 1, 1, 1]), 'NCHW', exc)[3]).toBe(0.25);
  });

  it('[1,1,1,1] divisor 0 (no real element, exclude pad) outputs 0 and spreads nothing', () => {
    // Only reachable with dilation, which avgPool2d rejects; the reference still defines it.
    const p: AvgPoolParams = { ...mp([1, 1, 1, 1], { kernelSize: [1, 2], dilation: [1, 3], stride: 1, padding: [0, 3] }), countIncludePad: false, divisorOverride: 0 };
    expect([0, 1, 2, 3].map((ow) => avgPoolDivisor(p, 0, ow))).toEqual([1, 0, 0, 1]);
    expect(arr(avgPool2dForward(f32([6]), 'NCHW', p))).toEqual([6, 0, 0, 6]);
    expect(arr(avgPool2dBackward(f32([1, 10, 100, 1000]), 'NCHW', p))).toEqual([1001]);
  });
});

describe('global pooling, hand-worked', () => {
  it('[1,5,2,2] global max: NaN, ties, -Infinity, +Infinity (same rule as windows)', () => {
    // prettier-ignore
    const x = f32([NaN, 1, NaN, 2, 1, 3, 3, 2, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, Infinity, Infinity, 1, 1, NaN, 5, 2]);
    const { output, indices } = globalMaxPool(x, 'NCHW', plane([1, 5, 2, 2]));
    expect(arr(output)).toEqual([NaN, 3, -Infinity, Infinity, NaN]);
    expect(arr(indices)).toEqual([2, 1, 0, 1, 1]);
    const dx = globalMaxPoolBackward(f32([1, 2, 3, 4, 5]), indices, 'NCHW', plane([1, 5, 2, 2]));
    expect(arr(dx)).toEqual([0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0]);
  });

  it('[2,1,2,3] global max and avg, output ordered n*C+c', () => {
    const x = f32([1, 9, 2, 3, 4, 5, -1, -2, -3, -4, -5, -6]);
    const s = plane([2, 1, 2, 3]);
    const { output, indices } = globalMaxPool(x, 'NCHW', s);
    expect(arr(output)).toEqual([9, -1]);
    expect(arr(indices)).toEqual([1, 0]);
    expect(arr(globalAvgPool(x, 'NCHW', s))).toEqual([4, -3.5]);
    expect(arr(globalAvgPoolBackward(f32([6, -12]), 'NCHW', s))).toEqual([1, 1, 1, 1, 1, 1, -2, -2, -2, -2, -2, -2]);
  });

  it('[1,2,2,2] NHWC: outputs ordered n*C+c, indices h*W+w', () => {
    // NCHW planes c0 = [1,8,3,4], c1 = [5,6,7,2] interleaved channel-last
    const x = f32([1, 5, 8, 6, 3, 7, 4, 2]);
    const s = plane([1, 2, 2, 2]);
    const { output, indices } = globalMaxPool(x, 'NHWC', s);
    expect(arr(output)).toEqual([8, 7]);
    expect(arr(indices)).toEqual([1, 2]);
    expect(arr(globalAvgPool(x, 'NHWC', s))).toEqual([4, 5]);
    expect(arr(globalMaxPoolBackward(f32([10, 20]), indices, 'NHWC', s))).toEqual([0, 0, 10, 0, 0, 20, 0, 0]);
    expect(arr(globalAvgPoolBackward(f32([4, 8]), 'NHWC', s))).toEqual([1, 2, 1, 2, 1, 2, 1, 2]);
  });
});

describe('NHWC equals NCHW after transposition', () => {
  const shape: Shape = [2, 3, 5, 4];
  const x = randomF32(2 * 3 * 5 * 4, 1);
  const maxCases: object[] = [
    { kernelSize: 2 },
    { kernelSize: 3, stride: 1, padding: 1, padValue: 0 },
    { kernelSize: [2, 3], stride: [2, 1], dilation: [2, 1], padding: [1, 0, 0, 2], ceilMode: true },
  ];
  for (const o of maxCases) {
    it(`maxPool2d ${JSON.stringify(shape)} ${JSON.stringify(o)}`, () => {
      const p = mp(shape, o);
      const outShape: Shape = [2, 3, p.outH, p.outW];
      const a = maxPool2dForward(x, 'NCHW', p);
      const b = maxPool2dForward(toNHWC(x, shape), 'NHWC', p);
      expect(arr(toNCHW(b.output, outShape))).toEqual(arr(a.output));
      expect(arr(toNCHW(b.indices, outShape))).toEqual(arr(a.indices));
      const dy = randomF32(a.output.length, 2);
      const dxA = maxPool2dBackward(dy, a.indices, 'NCHW', p);
      const dxB = maxPool2dBackward(toNHWC(dy, outShape), b.indices, 'NHWC', p);
      expect(arr(toNCHW(dxB, shape))).toEqual(arr(dxA));
    });
  }
  const avgCases: object[] = [
    { kernelSize: 2 },
    { kernelSize: 3, stride: 1, padding: 1, countIncludePad: false },
    { kernelSize: [3, 2], stride: [2, 3], padding: [1, 0, 0, 1], ceilMode: true, divisorOverride: 5 },
  ];
  for (const o of avgCases) {
    it(`avgPool2d ${JSON.stringify(shape)} ${JSON.stringify(o)}`, () => {
      const p = ap(shape, o);
      const outShape: Shape = [2, 3, p.outH, p.outW];
      const a = avgPool2dForward(x, 'NCHW', p);
      expect(arr(toNCHW(avgPool2dForward(toNHWC(x, shape), 'NHWC', p), outShape))).toEqual(arr(a));
      const dy = randomF32(a.length, 3);
      const dxA = avgPool2dBackward(dy, 'NCHW', p);
      expect(arr(toNCHW(avgPool2dBackward(toNHWC(dy, outShape), 'NHWC', p), shape))).toEqual(arr(dxA));
    });
  }
  it(`global max and avg ${JSON.stringify(shape)}`, () => {
    const s = plane(shape);
    const xt = toNHWC(x, shape);
    const a = globalMaxPool(x, 'NCHW', s);
    const b = globalMaxPool(xt, 'NHWC', s);
    expect(arr(b.output)).toEqual(arr(a.output));
    expect(arr(b.indices)).toEqual(arr(a.indices));
    expect(arr(globalAvgPool(xt, 'NHWC', s))).toEqual(arr(globalAvgPool(x, 'NCHW', s)));
    const dy = randomF32(6, 4);
    expect(arr(toNCHW(globalMaxPoolBackward(dy, b.indices, 'NHWC', s), shape))).toEqual(arr(globalMaxPoolBackward(dy, a.indices, 'NCHW', s)));
    expect(arr(toNCHW(globalAvgPoolBackward(dy, 'NHWC', s), shape))).toEqual(arr(globalAvgPoolBackward(dy, 'NCHW', s)));
  });
});

describe('backward against finite differences', () => {
  const maxCases: [Shape, object][] = [
    [[2, 3, 6, 5], { kernelSize: 2 }],
    [[1, 2, 7, 6], { kernelSize: 3, stride: 1, padding: 1 }],
    [[1, 2, 7, 6], { kernelSize: 3, stride: 2, padding: 1, padValue: 0 }],
    [[2, 2, 8, 7], { kernelSize: [2, 3], stride: [1, 2], dilation: [2, 2], padding: [1, 2, 0, 1], ceilMode: true }],
  ];
  for (const [shape, o] of maxCases) {
    for (const layout of ['NCHW', 'NHWC'] as Layout[]) {
      it(`maxPool2d ${JSON.stringify(shape)} ${layout} ${JSON.stringify(o)}`, () => {
        const p = mp(shape, o);
        const n = shape.reduce((a, b) => a * b, 1);
        const x = distinctF32(n, 10);
        const forward = (z: Float32Array) => maxPool2dForward(z, layout, p).output;
        const { output, indices } = maxPool2dForward(x, layout, p);
        expect(output.every(Number.isFinite)).toBe(true); // every window has a real element or a zero pad
        const w = randomF32(output.length, 11);
        const dx = maxPool2dBackward(w, indices, layout, p);
        // eps*|v| <= 2^-8 is far below the 1/8 gap between values, so the argmax cannot move
        const { fd, analytic, scale } = finiteDifference(forward, dx, x, w, integerDirection(n, 12), 2 ** -10);
        expect(Math.abs(fd - analytic)).toBeLessThanOrEqual(1e-5 * scale);
      });
    }
  }

  const avgCases: [Shape, object][] = [
    [[2, 3, 6, 5], { kernelSize: 2 }],
    [[1, 2, 7, 6], { kernelSize: 3, stride: 1, padding: 1 }],
    [[1, 2, 7, 6], { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false, ceilMode: true }],
    [[2, 2, 8, 7], { kernelSize: [2, 3], stride: [1, 2], padding: [1, 2, 0, 1], ceilMode: true, divisorOverride: 3 }],
  ];
  for (const [shape, o] of avgCases) {
    for (const layout of ['NCHW', 'NHWC'] as Layout[]) {
      it(`avgPool2d ${JSON.stringify(shape)} ${layout} ${JSON.stringify(o)}`, () => {
        const p = ap(shape, o);
        const n = shape.reduce((a, b) => a * b, 1);
        const x = randomF32(n, 20);
        const w = randomF32(p.N * p.C * p.outH * p.outW, 21);
        const dx = avgPool2dBackward(w, layout, p);
        // exactly linear, so a large step only removes rounding noise
        const { fd, analytic, scale } = finiteDifference((z) => avgPool2dForward(z, layout, p), dx, x, w, integerDirection(n, 22), 0.5);
        expect(Math.abs(fd - analytic)).toBeLessThanOrEqual(1e-5 * scale);
      });
    }
  }

  for (const shape of [
    [2, 3, 4, 5],
    [1, 4, 1, 7],
  ] as Shape[]) {
    for (const layout of ['NCHW', 'NHWC'] as Layout[]) {
      it(`globalMaxPool ${JSON.stringify(shape)} ${layout}`, () => {
        const s = plane(shape);
        const n = shape.reduce((a, b) => a * b, 1);
        const x = distinctF32(n, 30);
        const { output, indices } = globalMaxPool(x, layout, s);
        const w = randomF32(output.length, 31);
        const dx = globalMaxPoolBackward(w, indices, layout, s);
        const { fd, analytic, scale } = finiteDifference((z) => globalMaxPool(z, layout, s).output, dx, x, w, integerDirection(n, 32), 2 ** -10);
        expect(Math.abs(fd - analytic)).toBeLessThanOrEqual(1e-5 * scale);
      });

      it(`globalAvgPool ${JSON.stringify(shape)} ${layout}`, () => {
        const s = plane(shape);
        const n = shape.reduce((a, b) => a * b, 1);
        const x = randomF32(n, 40);
        const w = randomF32(s.N * s.C, 41);
        const dx = globalAvgPoolBackward(w, layout, s);
        const { fd, analytic, scale } = finiteDifference((z) => globalAvgPool(z, layout, s), dx, x, w, integerDirection(n, 42), 0.5);
        expect(Math.abs(fd - analytic)).toBeLessThanOrEqual(1e-5 * scale);
      });
    }
  }
});

describe('argument checks', () => {
  it('[1,1,4,4] wrong data length throws; an index outside its window is dropped (the index rule)', () => {
    const p = mp([1, 1, 4, 4], { kernelSize: 2 });
    expect(() => maxPool2dForward(new Float32Array(15), 'NCHW', p)).toThrow(/length must be 16/);
    expect(() => maxPool2dBackward(new Float32Array(3), i32([0, 0, 0, 15]), 'NCHW', p)).toThrow(/length must be 4/);
    // Outputs' windows: (0,0) {0,1,4,5}, (0,1) {2,3,6,7}, (1,0) {8,9,12,13}, (1,1) {10,11,14,15}.
    // 16 is outside the plane, -2 is no position, 0 is in the plane but not in output (1,0)'s window.
    const dx = maxPool2dBackward(f32([1, 2, 3, 4]), i32([5, 16, 0, -2]), 'NCHW', p);
    expect(Array.from(dx)).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(maxPool2dBackward(f32([1, 2, 3, 4]), i32([0, 7, 13, 10]), 'NHWC', p))).toEqual([1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 4, 0, 0, 3, 0, 0]);
  });
});
