/**
 * The WebAssembly SIMD kernels (src/cpu/simd.ts, src/cpu/wasm/pool-simd/*.wat) called directly, on
 * the shapes that stress their lanes: NCHW rows of every width around a multiple of four (vector
 * groups, the overlapping last group, scalar border columns) at strides 1, 2 and 3 (the three load
 * forms), NHWC channel counts that leave a partial group of 4 or of 16, global planes whose NaNs and ties fall in
 * different lanes and in the tail. Max and global results must be the reference's bit for bit,
 * averages within docs/semantics.md's tolerance. Then where they step aside, and that the committed
 * module is the assembly of the .wat sources.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleText, wasmModuleSource } from '../scripts/build-wasm.mjs';
import * as fast from '../src/cpu/index.js';
import { avgPoolSimd, globalAvgPoolSimd, globalMaxPoolSimd, maxPoolSimd, setSimdEnabled, setSimdMemoryLimit, simdAvailable } from '../src/cpu/simd.js';
import { resolveAvgPool, resolveMaxPool } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { Layout, MaxPoolParams, PlaneShape } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { pick, randomData, randomInt, seededRandom } from './helpers/random.js';

const NEG_NAN = new Float32Array(new Int32Array([0xffc00000 | 0]).buffer)[0]!;
const SPECIALS = [NaN, NEG_NAN, Infinity, -Infinity, -0, 0];

function data(rand: () => number, n: number, specialRate: number): Float32Array {
  const x = randomData(rand, n);
  for (let i = 0; i < n; i++) if (rand() < specialRate) x[i] = pick(rand, SPECIALS);
  return x;
}

/** The SIMD max kernel, with and without indices, bit for bit against the reference. */
function expectMaxLikeReference(x: Float32Array, layout: Layout, p: MaxPoolParams): void {
  const want = ref.maxPool2dForward(x, layout, p);
  const got = maxPoolSimd(x, layout, p, true)!;
  expectBitExact(got.output, want.output, 'values');
  expectBitExact(got.indices!, want.indices, 'indices');
  expectBitExact(maxPoolSimd(x, layout, p, false)!.output, want.output, 'values without indices');
}

it('the committed module is the assembly of src/cpu/wasm/pool-simd/*.wat (npm run build:wasm)', async () => {
  const wat = moduleText('src/cpu/wasm/pool-simd');
  expect(readFileSync('src/cpu/wasm/pool-simd.wasm.ts', 'utf8')).toBe(await wasmModuleSource('pool-simd', wat));
});

it('Node runs the SIMD kernels (a missing WebAssembly SIMD fails here, not silently)', () => {
  expect(simdAvailable()).toBe(true);
});

describe('max and average pooling, NCHW rows of every width, strides 1-3', () => {
  const rand = seededRandom(71);
  for (let W = 1; W <= 14; W++) {
    for (const stride of [1, 2, 3]) {
      const k = randomInt(rand, 1, 4);
      const pad = randomInt(rand, 0, Math.floor(k / 2));
      const dilation = rand() < 0.25 ? 2 : 1;
      const ceilMode = rand() < 0.4;
      const shape = [randomInt(rand, 1, 2), randomInt(rand, 1, 3), randomInt(rand, 1, 9), W];
      const options = { kernelSize: k, stride: [randomInt(rand, 1, 3), stride] as [number, number], padding: pad, dilation, ceilMode };
      const name = `${shape.join('x')} k${k} s${options.stride.join('x')} p${pad} d${dilation}${ceilMode ? ' ceil' : ''}`;
      it(`max ${name}`, () => {
        let p;
        try {
          p = resolveMaxPool('maxPool2d', shape, options);
        } catch {
          return expect(() => resolveMaxPool('maxPool2d', shape, options)).toThrow(); // window larger than the padded input
        }
        const x = data(rand, shape.reduce((a, b) => a * b), 0.1);
        expectMaxLikeReference(x, 'NCHW', p);
      });
      if (dilation === 1) {
        it(`avg ${name}`, () => {
          const avgOptions = { kernelSize: k, stride: options.stride, padding: pad, ceilMode, countIncludePad: rand() < 0.5 };
          let p;
          try {
            p = resolveAvgPool('avgPool2d', shape, avgOptions);
          } catch {
            return expect(() => resolveAvgPool('avgPool2d', shape, avgOptions)).toThrow();
          }
          const x = data(rand, shape.reduce((a, b) => a * b), 0);
          expectClose(avgPoolSimd(x, 'NCHW', p)!, ref.avgPool2dForward(x, 'NCHW', p), p.kH * p.kW, 'averages');
        });
      }
    }
  }
});

describe('max and average pooling, NHWC channel counts with a partial last group', () => {
  const rand = seededRandom(72);
  // Groups of 4, then 16-channel blocks (values-only max, average) followed by 0 to 15 channels.
  for (const C of [4, 5, 6, 7, 8, 9, 12, 13, 16, 17, 19, 20, 31, 32, 35, 48]) {
    const k = randomInt(rand, 1, 3);
    const dilation = rand() < 0.3 ? 2 : 1;
    const reach = (k - 1) * dilation + 1;
    const shape = [randomInt(rand, 1, 2), C, randomInt(rand, reach, 8), randomInt(rand, reach, 8)];
    const options = { kernelSize: k, stride: randomInt(rand, 1, 3), padding: randomInt(rand, 0, Math.floor(k / 2)), ceilMode: rand() < 0.4 };
    const name = `${shape.join('x')} k${k} s${options.stride} p${options.padding}${options.ceilMode ? ' ceil' : ''}`;
    it(`max ${name}${dilation > 1 ? ' d2' : ''}`, () => {
      const p = resolveMaxPool('maxPool2d', shape, { ...options, dilation });
      const x = data(rand, shape.reduce((a, b) => a * b), 0.1);
      expectMaxLikeReference(x, 'NHWC', p);
    });
    it(`avg ${name}`, () => {
      const p = resolveAvgPool('avgPool2d', shape, { ...options, countIncludePad: rand() < 0.5, divisorOverride: rand() < 0.2 ? 3 : undefined });
      const x = data(rand, shape.reduce((a, b) => a * b), 0);
      expectClose(avgPoolSimd(x, 'NHWC', p)!, ref.avgPool2dForward(x, 'NHWC', p), p.kH * p.kW, 'averages');
    });
  }
});

describe('global max: NaNs and ties in every lane and in the tail', () => {
  const rand = seededRandom(73);
  for (const HW of [1, 3, 7, 8, 9, 12, 15, 16, 17, 49, 67]) {
    for (const layout of ['NCHW', 'NHWC'] as Layout[]) {
      it(`${HW} elements a plane ${layout}`, () => {
        const s: PlaneShape = { N: 2, C: 8, H: 1, W: HW };
        const planes = s.N * s.C;
        // Few distinct values, so ties are common; NaN, -NaN and -0/+0 at random places.
        const x = new Float32Array(planes * HW);
        for (let i = 0; i < x.length; i++) x[i] = rand() < 0.15 ? pick(rand, SPECIALS) : randomInt(rand, -2, 2);
        const want = ref.globalMaxPool(x, layout, s);
        const got = globalMaxPoolSimd(x, layout, s)!;
        expectBitExact(got.output, want.output, 'values');
        expectBitExact(got.indices, want.indices, 'indices');
      });
    }
  }
  it('a plane whose maximum is -0 and +0 in different lanes keeps the first (1x1x1x9, NCHW)', () => {
    const x = new Float32Array([-1, -0, -2, 0, -3, -4, -0, -5, -6]);
    const got = globalMaxPoolSimd(x, 'NCHW', { N: 1, C: 1, H: 1, W: 9 })!;
    expect(Object.is(got.output[0], -0)).toBe(true);
    expect(got.indices[0]).toBe(1);
  });
  it('the last NaN wins even when an earlier lane holds a later-found NaN (1x1x1x10, NCHW)', () => {
    const x = new Float32Array([0, 0, NaN, 0, 0, NEG_NAN, 0, 0, 0, 1]);
    const got = globalMaxPoolSimd(x, 'NCHW', { N: 1, C: 1, H: 1, W: 10 })!;
    expect(got.indices[0]).toBe(5);
    expect(new Uint32Array(got.output.buffer)[0]).toBe(0xffc00000);
  });
});

describe('global average, NHWC: f64 sums in the reference order, so bit for bit', () => {
  const rand = seededRandom(74);
  for (const [C, H, W] of [[4, 1, 1], [8, 7, 7], [12, 5, 9], [64, 16, 16]]) {
    it(`2x${C}x${H}x${W}`, () => {
      const s: PlaneShape = { N: 2, C: C!, H: H!, W: W! };
      const x = randomData(rand, 2 * C! * H! * W!, false);
      expectBitExact(globalAvgPoolSimd(x, 'NHWC', s)!, ref.globalAvgPool(x, 'NHWC', s), 'averages');
    });
  }
});

describe('global average, NCHW: the JavaScript kernel\'s four f64 lanes, so its bits', () => {
  const rand = seededRandom(76);
  for (const [C, H, W] of [[3, 1, 1], [5, 1, 3], [4, 7, 7], [2, 5, 9], [3, 16, 17]]) {
    it(`2x${C}x${H}x${W}`, () => {
      const s: PlaneShape = { N: 2, C: C!, H: H!, W: W! };
      const x = randomData(rand, 2 * C! * H! * W!, false);
      const got = globalAvgPoolSimd(x, 'NCHW', s)!;
      setSimdEnabled(false);
      try {
        expectBitExact(got, fast.globalAvgPool(x, 'NCHW', s), 'averages against the JavaScript kernel');
      } finally {
        setSimdEnabled(true);
      }
      expectClose(got, ref.globalAvgPool(x, 'NCHW', s), H! * W!, 'averages against the reference');
    });
  }
});

describe('inputs past the memory limit run in chunks of whole planes or images (limit 128 KiB here)', () => {
  beforeAll(() => setSimdMemoryLimit(128 * 1024));
  afterAll(() => setSimdMemoryLimit());
  const rand = seededRandom(77);
  for (const layout of ['NCHW', 'NHWC'] as Layout[]) {
    for (const [shape, k, stride, pad] of [
      [[3, 7, 40, 36], 3, 2, 1],
      [[4, 8, 21, 23], 3, 1, 1],
      [[9, 4, 30, 30], 2, 2, 0],
    ] as [number[], number, number, number][]) {
      const name = `${shape.join('x')} k${k} s${stride} p${pad} ${layout}`;
      it(`max with and without indices, avg: ${name}`, () => {
        const options = { kernelSize: k, stride, padding: pad };
        const pm = resolveMaxPool('maxPool2d', shape, options);
        const pa = resolveAvgPool('avgPool2d', shape, options);
        const x = data(rand, shape.reduce((a, b) => a * b), 0.05);
        expectMaxLikeReference(x, layout, pm);
        const clean = data(rand, x.length, 0);
        expectClose(avgPoolSimd(clean, layout, pa)!, ref.avgPool2dForward(clean, layout, pa), k * k, 'averages');
      });
    }
    it(`global max and average: 3x40x23x29 ${layout}`, () => {
      const s: PlaneShape = { N: 3, C: 40, H: 23, W: 29 };
      const x = data(rand, 3 * 40 * 23 * 29, 0.05);
      const want = ref.globalMaxPool(x, layout, s);
      const got = globalMaxPoolSimd(x, layout, s)!;
      expectBitExact(got.output, want.output, 'values');
      expectBitExact(got.indices, want.indices, 'indices');
      const clean = randomData(rand, x.length, false);
      expectClose(globalAvgPoolSimd(clean, layout, s)!, ref.globalAvgPool(clean, layout, s), 23 * 29, 'averages');
    });
  }
  it('one unit larger than the limit runs the JavaScript kernel (1x4x128x160: an NHWC image of 320 KiB, NCHW planes of 80 KiB)', () => {
    const s: PlaneShape = { N: 1, C: 4, H: 128, W: 160 };
    const x = randomData(rand, 4 * 128 * 160, false);
    expect(globalMaxPoolSimd(x, 'NHWC', s)).toBeNull();
    expect(globalMaxPoolSimd(x, 'NCHW', s)).not.toBeNull();
  });
});

describe('where the SIMD kernels step aside for the JavaScript ones', () => {
  it('zero padding, NHWC with fewer than 4 channels, NHWC global ops with C % 4 != 0', () => {
    const x = new Float32Array(2 * 3 * 6 * 6).map((_, i) => Math.sin(i));
    expect(maxPoolSimd(x, 'NCHW', resolveMaxPool('maxPool2d', [2, 3, 6, 6], { kernelSize: 3, padding: 1, padValue: 0 }), true)).toBeNull();
    expect(maxPoolSimd(x, 'NHWC', resolveMaxPool('maxPool2d', [2, 3, 6, 6], { kernelSize: 2 }), true)).toBeNull();
    expect(avgPoolSimd(x, 'NHWC', resolveAvgPool('avgPool2d', [2, 3, 6, 6], { kernelSize: 2 }))).toBeNull();
    expect(globalMaxPoolSimd(x, 'NHWC', { N: 2, C: 3, H: 6, W: 6 })).toBeNull();
    expect(globalAvgPoolSimd(x, 'NHWC', { N: 2, C: 3, H: 6, W: 6 })).toBeNull();
  });
  it('an input above 32 MiB runs the JavaScript kernel, and the result is still exact (1x1x2048x4200 global max)', () => {
    const s: PlaneShape = { N: 1, C: 1, H: 2048, W: 4200 };
    const x = randomData(seededRandom(75), s.H * s.W, false);
    expect(globalMaxPoolSimd(x, 'NCHW', s)).toBeNull();
    const want = ref.globalMaxPool(x, 'NCHW', s);
    const got = fast.globalMaxPool(x, 'NCHW', s);
    expectBitExact(got.output, want.output, 'values');
    expectBitExact(got.indices, want.indices, 'indices');
  });
});
