/**
 * The fast CPU kernels (src/cpu/) against the f64 reference (src/reference/), the oracle: seeded
 * random configurations over every op, option and layout, then named edge cases. Max values and
 * indices must match bit for bit (with and without indices asked for); averages and backward sums
 * within SEMANTICS.md's tolerance. Last, the `cpu` backend is checked to run these kernels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fast from '../src/cpu/index.js';
import { setSimdEnabled, simdAvailable } from '../src/cpu/simd.js';
import { createPooling } from '../src/index.js';
import { PoolingError } from '../src/errors.js';
import { resolveAvgPool, resolveMaxPool } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { AvgPool2dOptions, Layout, MaxPool2dOptions, Padding, PlaneShape, PoolGeometry } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { pick, randomData, randomInt, seededRandom } from './helpers/random.js';
import { describeWindow, randomWindow, windowOptions, type Shape } from './helpers/windows.js';

const LAYOUTS: readonly Layout[] = ['NCHW', 'NHWC'];

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A negative quiet NaN (0xffc00000), what x86 arithmetic produces; the reference keeps its bits. */
const NEG_NAN = new Float32Array(new Int32Array([0xffc00000 | 0]).buffer)[0]!;

/** Quantised random data with some elements replaced by NaN (both signs), ±Infinity and ±0. */
function dataWithSpecials(rand: () => number, n: number, rate: number): Float32Array {
  const data = randomData(rand, n);
  const specials = [NaN, NEG_NAN, Infinity, -Infinity, -0, 0];
  for (let i = 0; i < n; i++) if (rand() < rate) data[i] = pick(rand, specials);
  return data;
}

function drawShape(rand: () => number): () => Shape {
  return () => {
    const big = rand() < 0.1;
    const H = big ? randomInt(rand, 60, 130) : randomInt(rand, 1, 24);
    const W = big ? randomInt(rand, 60, 130) : randomInt(rand, 1, 24);
    return big ? [1, randomInt(rand, 1, 3), H, W] : [randomInt(rand, 1, 2), randomInt(rand, 1, 7), H, W];
  };
}


/** How many windows can cover one input element: the number of terms a backward sum may add. */
function overlap(p: PoolGeometry): number {
  const eH = p.dH * (p.kH - 1) + 1;
  const eW = p.dW * (p.kW - 1) + 1;
  return Math.ceil(eH / p.sH) * Math.ceil(eW / p.sW);
}

function checkMaxForward(data: Float32Array, layout: Layout, shape: Shape, options: MaxPool2dOptions): void {
  const p = resolveMaxPool('maxPool2d', shape, options);
  const want = ref.maxPool2dForward(data, layout, p);
  const withIndices = fast.maxPool2dForward(data, layout, p, true);
  expectBitExact(withIndices.output, want.output, 'values (indices asked for)');
  expectBitExact(withIndices.indices!, want.indices, 'indices');
  const valuesOnly = fast.maxPool2dForward(data, layout, p, false);
  expect(valuesOnly.indices).toBeNull();
  expectBitExact(valuesOnly.output, want.output, 'values (no indices)');
}

function checkAvgForward(data: Float32Array, layout: Layout, shape: Shape, options: AvgPool2dOptions): void {
  const p = resolveAvgPool('avgPool2d', shape, options);
  expectClose(fast.avgPool2dForward(data, layout, p), ref.avgPool2dForward(data, layout, p), p.kH * p.kW, 'averages');
}


describe('maxPool2d backward: fast CPU matches the reference', () => {
  const rand = seededRandom(52);
  for (let i = 0; i < 40; i++) {
    const c = randomWindow(rand, drawShape(rand), true);
    const padValue = rand() < 0.3 ? 0 : -Infinity;
    const data = randomData(rand, count(c.shape));
    for (const layout of LAYOUTS) {
      it(`#${i} ${describeWindow(c)}${padValue === 0 ? ' pad0' : ''} ${layout}`, () => {
        const p = resolveMaxPool('maxPool2d', c.shape, { ...windowOptions(c), padValue });
        const x = layout === 'NCHW' ? data : toNhwc(data, c.shape);
        const { indices } = ref.maxPool2dForward(x, layout, p);
        const dy = randomData(seededRandom(i), indices.length, false);
        expectClose(fast.maxPool2dBackward(dy, indices, layout, p), ref.maxPool2dBackward(dy, indices, layout, p), overlap(p), 'dx');
      });
    }
  }
});


describe('avgPool2d backward: fast CPU matches the reference within tolerance', () => {
  const rand = seededRandom(54);
  for (let i = 0; i < 40; i++) {
    const c = randomWindow(rand, drawShape(rand), false);
    const countIncludePad = rand() < 0.5;
    const divisorOverride = rand() < 0.2 ? randomInt(rand, 1, 9) : undefined;
    const { dilation: _, ...window } = windowOptions(c);
    const extra = `${countIncludePad ? '' : ' excludePad'}${divisorOverride ? ` div${divisorOverride}` : ''}`;
    for (const layout of LAYOUTS) {
      it(`#${i} ${describeWindow(c)}${extra} ${layout}`, () => {
        const p = resolveAvgPool('avgPool2d', c.shape, { ...window, countIncludePad, divisorOverride });
        const dy = randomData(seededRandom(1000 + i), p.N * p.C * p.outH * p.outW, false);
        expectClose(fast.avgPool2dBackward(dy, layout, p), ref.avgPool2dBackward(dy, layout, p), overlap(p), 'dx');
      });
    }
  }
});


interface EdgeCase {
  name: string;
  shape: Shape;
  data: Float32Array;
  max?: MaxPool2dOptions;
  avg?: AvgPool2dOptions;
}

const nan = NaN;
const inf = Infinity;
const edgeRand = seededRandom(56);

const edges: EdgeCase[] = [
  { name: 'NaN propagates, the last NaN wins', shape: [1, 1, 2, 4], data: new Float32Array([1, nan, 3, 4, nan, 2, 5, nan]), max: { kernelSize: 2 }, avg: { kernelSize: 2 } },
  { name: 'negative NaN keeps its bits and wins like any NaN', shape: [1, 2, 3, 3], data: new Float32Array([NEG_NAN, 1, 2, 3, 4, 5, 6, 7, NEG_NAN, -1, nan, -2, NEG_NAN, -3, -4, -5, -6, -7]), max: { kernelSize: 2, stride: 1 } },
  { name: 'a NaN is not displaced by a larger number or +inf', shape: [1, 1, 1, 4], data: new Float32Array([1, nan, 5, inf]), max: { kernelSize: [1, 4] } },
  { name: '+inf and -inf', shape: [1, 1, 2, 4], data: new Float32Array([-inf, -inf, inf, 1, -inf, -inf, 2, inf]), max: { kernelSize: 2 }, avg: { kernelSize: 2 } },
  { name: 'all -inf window points at its first real element', shape: [1, 1, 3, 3], data: new Float32Array(9).fill(-inf), max: { kernelSize: 2, stride: 1, padding: 1 } },
  { name: 'ties keep the first position', shape: [1, 3, 4, 4], data: new Float32Array(48).fill(0.5), max: { kernelSize: 3, stride: 1, padding: 1 }, avg: { kernelSize: 3, stride: 1, padding: 1 } },
  { name: 'signed zeros: the first zero seen stays (-0 then +0, +0 then -0)', shape: [1, 1, 2, 4], data: new Float32Array([-0, 0, 0, -0, -1, -0, -2, 0]), max: { kernelSize: [1, 2] } },
  { name: 'signed zeros in a 2x2 window with negatives', shape: [1, 2, 2, 2], data: new Float32Array([-1, -0, 0, -2, -3, 0, -0, -0]), max: { kernelSize: 2 } },
  { name: 'zero padding ties: a padded 0 seen first beats a real 0 and -0', shape: [1, 1, 2, 2], data: new Float32Array([0, -0, -0, -1]), max: { kernelSize: 2, stride: 1, padding: 1, padValue: 0 } },
  { name: 'zero padding against all-negative input (the derivation)', shape: [1, 2, 4, 4], data: Float32Array.from({ length: 32 }, (_, i) => -1 - i), max: { kernelSize: 3, stride: 2, padding: 1, padValue: 0 } },
  { name: 'huge window with zero padding (only its real elements are visited)', shape: [1, 1, 3, 3], data: new Float32Array([-1, -2, -3, 0, -0, 5, -4, 2, -6]), max: { kernelSize: 2001, padding: 2000, stride: 1000, padValue: 0 } },
  { name: 'zero padding: the first padded tap is after the real row (bottom pad only)', shape: [1, 1, 2, 3], data: new Float32Array([-1, -0, -2, -3, -0, -4]), max: { kernelSize: [3, 2], stride: 1, padding: [0, 0, 1, 0], padValue: 0 } },
  { name: 'zero padding: the first padded tap is right of the real columns', shape: [1, 1, 2, 3], data: new Float32Array([-0, -1, -2, 0, -3, -4]), max: { kernelSize: [2, 2], stride: 1, padding: [0, 0, 0, 1], padValue: 0 } },
  { name: 'zero padding: a right padded tap in the first row comes before a real -0 below it', shape: [1, 1, 2, 2], data: new Float32Array([-1, -2, -0, -3]), max: { kernelSize: 3, stride: 1, padding: [0, 0, 1, 1], padValue: 0 } },
  { name: 'zero padding against NaN: NaN wins', shape: [1, 1, 2, 2], data: new Float32Array([nan, -1, -1, NEG_NAN]), max: { kernelSize: 2, stride: 1, padding: 1, padValue: 0 } },
  { name: 'all-negative input with padding (no finite sentinel, no zero from padding)', shape: [1, 2, 5, 5], data: Float32Array.from({ length: 50 }, (_, i) => -1e6 - i), max: { kernelSize: 3, stride: 2, padding: 1 }, avg: { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false } },
  { name: 'extreme magnitudes (±3.4e38, subnormals)', shape: [1, 1, 2, 4], data: new Float32Array([3.4e38, -3.4e38, 1e-45, -1e-45, -3.4e38, 1e-45, -1e-45, 0]), max: { kernelSize: 2, stride: 1 } },
  { name: 'empty windows (dilation, big padding): -inf and index -1', shape: [1, 1, 2, 2], data: new Float32Array([1, 2, 3, 4]), max: { kernelSize: 3, dilation: 3, padding: 6, stride: 1 } },
  { name: 'empty windows with zero padding: 0 and index -1', shape: [1, 2, 2, 2], data: new Float32Array([1, 2, 3, 4, -1, -2, -3, -4]), max: { kernelSize: 3, dilation: 3, padding: 6, stride: 1, padValue: 0 } },
  { name: 'ceil-mode last window (H=5, k2 s2)', shape: [1, 3, 5, 5], data: randomData(edgeRand, 75), max: { kernelSize: 2, ceilMode: true }, avg: { kernelSize: 2, ceilMode: true } },
  { name: 'ceil-mode overhang excluded from the divisor and from zero padding', shape: [1, 2, 6, 6], data: randomData(edgeRand, 72), max: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, padValue: 0 }, avg: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true } },
  { name: 'asymmetric padding [t,l,b,r]', shape: [2, 3, 7, 6], data: randomData(edgeRand, 252), max: { kernelSize: 3, stride: 2, padding: [0, 2, 1, 0] }, avg: { kernelSize: 3, stride: 2, padding: [0, 2, 1, 0], countIncludePad: false } },
  { name: 'divisorOverride', shape: [1, 2, 4, 4], data: randomData(edgeRand, 32), avg: { kernelSize: 3, padding: 1, stride: 1, divisorOverride: 5 } },
  { name: 'window equal to the input', shape: [2, 3, 6, 5], data: randomData(edgeRand, 180), max: { kernelSize: [6, 5] }, avg: { kernelSize: [6, 5] } },
  { name: 'many channels, odd count (NHWC inner loop)', shape: [1, 67, 9, 8], data: dataWithSpecials(edgeRand, 67 * 72, 0.05), max: { kernelSize: 3, stride: 2, padding: 1 }, avg: { kernelSize: 3, stride: 2, padding: 1 } },
  { name: 'NaN and ties on the border of -inf padding (clamped taps)', shape: [1, 2, 4, 5], data: new Float32Array([nan, 1, 1, 0, NEG_NAN, 2, 2, -0, 0, 2, 1, nan, 3, 3, 1, 0, -0, 0, -0, nan, -1, -0, 0, -0, 0, 5, 5, 4, 5, 5, 0, 0, 0, 0, 0, nan, 1, 1, 1, nan]), max: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true } },
  { name: '2x2 windows with asymmetric padding and ceil overhang', shape: [1, 3, 5, 6], data: dataWithSpecials(edgeRand, 90, 0.15), max: { kernelSize: 2, stride: 2, padding: [1, 0, 0, 1], ceilMode: true }, avg: { kernelSize: 2, stride: 2, padding: [1, 0, 0, 1], ceilMode: true } },
  { name: 'ReLU-like data: mostly +0 with some -0', shape: [1, 4, 10, 10], data: Float32Array.from(randomData(edgeRand, 400), (v, i) => (v <= 0 ? (i % 7 === 0 ? -0 : 0) : v)), max: { kernelSize: 3, stride: 2, padding: 1 } },
];


describe('the cpu backend runs the fast kernels', () => {
  it('maxPool2d, avgPool2d and their backward passes through createPooling 2x3x9x9 NHWC', async () => {
    const pool = await createPooling({ backend: 'cpu' });
    const shape: Shape = [2, 3, 9, 9];
    const data = dataWithSpecials(seededRandom(57), count(shape), 0.05);
    const x = pool.tensor(data, shape, { layout: 'NHWC' });
    const opts = { kernelSize: 3, stride: 2, padding: 1 };
    const p = resolveMaxPool('maxPool2d', shape, opts);
    const want = ref.maxPool2dForward(data, 'NHWC', p);
    const plain = await pool.maxPool2d(x, opts);
    expect(plain.indices).toBeUndefined();
    expectBitExact(await plain.output.read(), want.output, 'values');
    const { output, indices } = await pool.maxPool2d(x, { ...opts, returnIndices: true });
    expectBitExact(await indices!.read(), want.indices, 'indices');
    const dx = await pool.maxPool2dBackward(output, indices!, { ...opts, inputShape: shape });
    expectClose(await dx.read(), ref.maxPool2dBackward(want.output, want.indices, 'NHWC', p), overlap(p), 'max dx');
    const avg = await pool.avgPool2d(x, opts);
    expectClose(await avg.read(), ref.avgPool2dForward(data, 'NHWC', resolveAvgPool('avgPool2d', shape, opts)), 9, 'averages');
    pool.destroy();
  });
});

function toNhwc(x: Float32Array, [N, C, H, W]: Shape): Float32Array {
  const y = new Float32Array(x.length);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) y[((n * H + h) * W + w) * C + c] = x[((n * C + c) * H + h) * W + w]!;
  return y;
}

/**
 * The forward suites run twice: with the WebAssembly SIMD kernels (src/cpu/simd.ts, what engines
 * with WebAssembly SIMD run) and with them off, the JavaScript kernels every other engine runs.
 */
function forwardSuites(): void {
  describe('maxPool2d forward: fast CPU matches the reference bit for bit', () => {
    const rand = seededRandom(51);
    for (let i = 0; i < 70; i++) {
      const c = randomWindow(rand, drawShape(rand), true);
      const padValue = rand() < 0.3 ? 0 : -Infinity;
      const special = rand() < 0.3;
      const data = special ? dataWithSpecials(rand, count(c.shape), 0.08) : randomData(rand, count(c.shape));
      const extra = `${padValue === 0 ? ' pad0' : ''}${special ? ' specials' : ''}`;
      for (const layout of LAYOUTS) {
        it(`#${i} ${describeWindow(c)}${extra} ${layout}`, () => {
          checkMaxForward(layout === 'NCHW' ? data : toNhwc(data, c.shape), layout, c.shape, { ...windowOptions(c), padValue });
        });
      }
    }
  });

  describe('2x2 and 3x3 windows (the unrolled kernels): fast CPU matches the reference', () => {
    const rand = seededRandom(58);
    for (let i = 0; i < 40; i++) {
      const k = pick(rand, [2, 3]);
      const d = rand() < 0.2 ? randomInt(rand, 2, 3) : 1;
      const e = d * (k - 1) + 1;
      const H = randomInt(rand, e, 30);
      const W = randomInt(rand, e, 30);
      const shape: Shape = [randomInt(rand, 1, 2), randomInt(rand, 1, 9), H, W];
      const pad = rand() < 0.5 ? 0 : ([randomInt(rand, 0, e - 1), randomInt(rand, 0, e - 1), randomInt(rand, 0, e - 1), randomInt(rand, 0, e - 1)] as Padding);
      const window = { kernelSize: k, stride: [randomInt(rand, 1, 3), randomInt(rand, 1, 3)] as [number, number], padding: pad, ceilMode: rand() < 0.4 };
      const padValue = rand() < 0.3 ? 0 : -Infinity;
      const special = rand() < 0.4;
      const countIncludePad = rand() < 0.5;
      const data = special ? dataWithSpecials(rand, count(shape), 0.1) : randomData(rand, count(shape));
      const name = `#${i} ${shape.join('x')} k${k} s${window.stride.join('x')} p${JSON.stringify(pad)} d${d}${window.ceilMode ? ' ceil' : ''}${padValue === 0 ? ' pad0' : ''}${countIncludePad ? '' : ' excludePad'}${special ? ' specials' : ''}`;
      for (const layout of LAYOUTS) {
        it(`${name} ${layout}`, () => {
          const x = layout === 'NCHW' ? data : toNhwc(data, shape);
          checkMaxForward(x, layout, shape, { ...window, dilation: d, padValue });
          if (d === 1) checkAvgForward(x, layout, shape, { ...window, countIncludePad });
        });
      }
    }
  });

  describe('avgPool2d forward: fast CPU matches the reference within tolerance', () => {
    const rand = seededRandom(53);
    for (let i = 0; i < 50; i++) {
      const c = randomWindow(rand, drawShape(rand), false);
      const countIncludePad = rand() < 0.5;
      const divisorOverride = rand() < 0.2 ? randomInt(rand, 1, 9) : undefined;
      const data = randomData(rand, count(c.shape), false);
      const { dilation: _, ...window } = windowOptions(c);
      const extra = `${countIncludePad ? '' : ' excludePad'}${divisorOverride ? ` div${divisorOverride}` : ''}`;
      for (const layout of LAYOUTS) {
        it(`#${i} ${describeWindow(c)}${extra} ${layout}`, () => {
          checkAvgForward(layout === 'NCHW' ? data : toNhwc(data, c.shape), layout, c.shape, { ...window, countIncludePad, divisorOverride });
        });
      }
    }
  });

  describe('global pooling forward and backward: fast CPU matches the reference', () => {
    const rand = seededRandom(55);
    for (let i = 0; i < 40; i++) {
      const side = rand() < 0.2 ? () => randomInt(rand, 40, 120) : () => randomInt(rand, 1, 20);
      const shape: Shape = [randomInt(rand, 1, 3), randomInt(rand, 1, 9), side(), side()];
      const special = rand() < 0.3;
      const data = special ? dataWithSpecials(rand, count(shape), 0.05) : randomData(rand, count(shape));
      const s: PlaneShape = { N: shape[0], C: shape[1], H: shape[2], W: shape[3] };
      for (const layout of LAYOUTS) {
        it(`#${i} ${shape.join('x')}${special ? ' specials' : ''} ${layout}`, () => {
          const x = layout === 'NCHW' ? data : toNhwc(data, shape);
          const want = ref.globalMaxPool(x, layout, s);
          const got = fast.globalMaxPool(x, layout, s);
          expectBitExact(got.output, want.output, 'max values');
          expectBitExact(got.indices, want.indices, 'max indices');
          const dy = randomData(seededRandom(2000 + i), s.N * s.C, false);
          expectBitExact(fast.globalMaxPoolBackward(dy, want.indices, layout, s), ref.globalMaxPoolBackward(dy, want.indices, layout, s), 'max dx');
          if (!special) expectClose(fast.globalAvgPool(x, layout, s), ref.globalAvgPool(x, layout, s), s.H * s.W, 'means');
          expectClose(fast.globalAvgPoolBackward(dy, layout, s), ref.globalAvgPoolBackward(dy, layout, s), 1, 'avg dx');
        });
      }
    }
  });

  describe('named edge cases: fast CPU matches the reference', () => {
    for (const c of edges) {
      for (const layout of LAYOUTS) {
        const data = layout === 'NCHW' ? c.data : toNhwc(c.data, c.shape);
        if (c.max) {
          it(`max ${c.name} ${c.shape.join('x')} ${layout}`, () => {
            checkMaxForward(data, layout, c.shape, c.max!);
            const p = resolveMaxPool('maxPool2d', c.shape, c.max!);
            const { indices } = ref.maxPool2dForward(data, layout, p);
            const dy = randomData(seededRandom(3), indices.length);
            expectClose(fast.maxPool2dBackward(dy, indices, layout, p), ref.maxPool2dBackward(dy, indices, layout, p), overlap(p), 'dx');
          });
        }
        if (c.avg) {
          it(`avg ${c.name} ${c.shape.join('x')} ${layout}`, () => {
            checkAvgForward(data, layout, c.shape, c.avg!);
            const p = resolveAvgPool('avgPool2d', c.shape, c.avg!);
            const dy = randomData(seededRandom(4), p.N * p.C * p.outH * p.outW);
            expectClose(fast.avgPool2dBackward(dy, layout, p), ref.avgPool2dBackward(dy, layout, p), overlap(p), 'dx');
          });
        }
      }
    }

    for (const layout of LAYOUTS) {
      it(`global max: NaN, negative NaN, ties, -0 first 1x3x2x3 ${layout}`, () => {
        const shape: Shape = [1, 3, 2, 3];
        const nchw = new Float32Array([1, nan, 3, NEG_NAN, 2, 1, /**/ 4, 4, 1, 4, 0, 0, /**/ -0, 0, -1, -0, -2, 0]);
        const x = layout === 'NCHW' ? nchw : toNhwc(nchw, shape);
        const s = { N: 1, C: 3, H: 2, W: 3 };
        const want = ref.globalMaxPool(x, layout, s);
        const got = fast.globalMaxPool(x, layout, s);
        expectBitExact(got.output, want.output, 'values');
        expectBitExact(got.indices, want.indices, 'indices');
        expect(Array.from(got.indices)).toEqual([3, 0, 0]);
      });

      it(`global max and avg over a 1x1 plane 2x5x1x1 ${layout}`, () => {
        const x = new Float32Array([nan, -0, inf, -inf, 1, 2, 3, 4, 5, 6]);
        const s = { N: 2, C: 5, H: 1, W: 1 };
        expectBitExact(fast.globalMaxPool(x, layout, s).output, ref.globalMaxPool(x, layout, s).output, 'values');
        expectBitExact(fast.globalAvgPool(x, layout, s), ref.globalAvgPool(x, layout, s), 'means');
      });

      it(`max backward drops an index outside the plane or its window, as the reference does 1x1x2x2 ${layout}`, () => {
        const p = resolveMaxPool('maxPool2d', [1, 1, 2, 2], { kernelSize: 2 });
        const zeros = [0, 0, 0, 0];
        for (const idx of [4, -2, -2147483648, 2147483647]) {
          expect(Array.from(fast.maxPool2dBackward(new Float32Array([1]), new Int32Array([idx]), layout, p))).toEqual(zeros);
          expect(Array.from(ref.maxPool2dBackward(new Float32Array([1]), new Int32Array([idx]), layout, p))).toEqual(zeros);
          expect(Array.from(fast.globalMaxPoolBackward(new Float32Array([1]), new Int32Array([idx]), layout, { N: 1, C: 1, H: 2, W: 2 }))).toEqual(zeros);
          expect(Array.from(ref.globalMaxPoolBackward(new Float32Array([1]), new Int32Array([idx]), layout, { N: 1, C: 1, H: 2, W: 2 }))).toEqual(zeros);
        }
        expect(Array.from(fast.maxPool2dBackward(new Float32Array([1]), new Int32Array([3]), layout, p))).toEqual([0, 0, 0, 1]);
        // kernelSize 1, stride 2 over 1x1x3x3: outputs (0,0),(0,1),(1,0),(1,1) see positions 0, 2, 6, 8 only.
        const q = resolveMaxPool('maxPool2d', [1, 1, 3, 3], { kernelSize: 1, stride: 2 });
        const dy = new Float32Array([1, 2, 3, 4]);
        const idx = new Int32Array([0, 1, 6, 0]);
        const want = [1, 0, 0, 0, 0, 0, 3, 0, 0];
        expect(Array.from(fast.maxPool2dBackward(dy, idx, 'NCHW', q))).toEqual(want);
        expect(Array.from(ref.maxPool2dBackward(dy, idx, 'NCHW', q))).toEqual(want);
        expect(() => fast.maxPool2dBackward(new Float32Array([1, 1]), new Int32Array([0]), layout, p)).toThrow(PoolingError);
      });
    }

    it('a wrong input length throws instead of reading past the end 1x1x4x4', () => {
      const p = resolveMaxPool('maxPool2d', [1, 1, 4, 4], { kernelSize: 2 });
      expect(() => fast.maxPool2dForward(new Float32Array(15), 'NCHW', p, false)).toThrow(PoolingError);
    });
  });
}

for (const simd of [true, false]) {
  describe(simd ? 'WebAssembly SIMD kernels' : 'JavaScript kernels (SIMD off)', () => {
    beforeAll(() => {
      setSimdEnabled(simd);
      expect(simdAvailable()).toBe(simd);
    });
    afterAll(() => setSimdEnabled(true));
    forwardSuites();
  });
}
