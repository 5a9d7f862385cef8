/**
 * The fast CPU N-d kernels (src/cpu/nd-pool.ts, what the `cpu` backend runs for the 1-D and 3-D
 * ops, and for 3-D max the 2-D SIMD kernels over depth slices, volume-by-planes.ts) against the N-d
 * reference (src/reference/nd-pool.ts), the oracle, on seeded random windows
 * of spatial rank 1, 2 and 3: both memory orders, every padding form, dilation, ceil mode, zero
 * padding, countIncludePad and divisorOverride. Max values and indices must match bit for bit
 * (NaN of either sign, ±Infinity, -0 next to +0 in the data); averages and backward sums within
 * SEMANTICS.md's tolerance.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as fast from '../src/cpu/index.js';
import { loadSimdKernels } from '../src/cpu/simd.js';
import { hasEmptyWindows } from '../src/geometry.js';
import { PoolingError } from '../src/errors.js';
import { resolveAvgWindow, resolveMaxWindow } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { SpatialRank } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { count, dataWithSpecials, describeConfig, drawNdConfig, LAYOUTS, overlap, type NdConfig, type NdDrawSpec } from './helpers/nd-windows.js';
import { pick, randomData, randomInt, seededRandom } from './helpers/random.js';

/**
 * Windows of rank 1-3 that pass validation: spatial sizes mostly small, sometimes long rows (1-D) or
 * larger volumes; kernels 1-4 (1-6 in 1-D), strides 1-3, dilation 1-3 on 30 % of draws; padding a
 * number, one per axis, begins then ends, 'same', 'same-lower' or 'valid'; ceil mode 40 % of the time.
 */
const FAST_DRAW: NdDrawSpec = {
  drawShape(rand, rank) {
    const big = rand() < 0.1;
    const N = randomInt(rand, 1, 2);
    const C = big ? randomInt(rand, 1, 3) : randomInt(rand, 1, 6);
    if (rank === 1) return [N, C, big ? randomInt(rand, 100, 400) : randomInt(rand, 1, 30)];
    if (rank === 2) return [N, C, big ? randomInt(rand, 30, 50) : randomInt(rand, 1, 14), big ? randomInt(rand, 30, 50) : randomInt(rand, 1, 14)];
    return [N, C, ...Array.from({ length: 3 }, () => (big ? randomInt(rand, 8, 12) : randomInt(rand, 1, 7)))];
  },
  kernelMax: (rank) => (rank === 1 ? 6 : 4),
  strideMax: () => 3,
  dilationRate: 0.3,
  padKinds: [0.2, 0.4, 0.75],
  named: ['same', 'same-lower', 'valid'],
};

beforeAll(() => loadSimdKernels());

const randomConfig = (rand: () => number, rank: SpatialRank): NdConfig => drawNdConfig(rand, rank, FAST_DRAW);

function checkMax(x: Float32Array, channelsLast: boolean, c: NdConfig, padValue: number, dySeed: number): void {
  const g = resolveMaxWindow('maxPoolNd', c.rank, c.shape, { ...c.window, padValue });
  const want = ref.maxPoolNdForward(x, channelsLast, g);
  const got = fast.maxPoolNd(x, channelsLast, g);
  expectBitExact(got.output, want.output, 'values');
  expectBitExact(got.indices, want.indices, 'indices');
  if (c.rank === 3) {
    // The depth slices through the 2-D SIMD kernels (volume-by-planes.ts), with and without indices.
    const planes = fast.maxPool3dByPlanes(x, channelsLast, g, true);
    if (padValue !== 0 && !hasEmptyWindows(g) && (!channelsLast || g.C >= 4)) expect(planes).not.toBeNull();
    if (planes) {
      expectBitExact(planes.output, want.output, 'values by planes');
      expectBitExact(planes.indices!, want.indices, 'indices by planes');
      expectBitExact(fast.maxPool3dByPlanes(x, channelsLast, g, false)!.output, want.output, 'values by planes, no indices');
    }
  }
  const dy = randomData(seededRandom(dySeed), want.output.length, false);
  expectClose(fast.maxPoolNdBackward(dy, want.indices, channelsLast, g), ref.maxPoolNdBackward(dy, want.indices, channelsLast, g), overlap(g), 'dx');
}

function checkAvg(x: Float32Array, channelsLast: boolean, c: NdConfig, extra: Record<string, unknown>, dySeed: number): void {
  const g = resolveAvgWindow('avgPoolNd', c.rank, c.shape, { ...c.window, ...extra });
  const want = ref.avgPoolNdForward(x, channelsLast, g);
  expectClose(fast.avgPoolNd(x, channelsLast, g), want, count(g.kernel), 'averages');
  if (c.rank === 3) {
    const planes = fast.avgPool3dByPlanes(x, channelsLast, g);
    if (!hasEmptyWindows(g) && g.dilation[1] === 1 && g.dilation[2] === 1 && (!channelsLast || g.C >= 4)) expect(planes).not.toBeNull();
    if (planes) expectClose(planes, want, count(g.kernel), 'averages by planes');
  }
  const dy = randomData(seededRandom(dySeed), want.length, false);
  expectClose(fast.avgPoolNdBackward(dy, channelsLast, g), ref.avgPoolNdBackward(dy, channelsLast, g), overlap(g), 'dx');
}

for (const rank of [1, 2, 3] as const) {
  describe(`rank ${rank}: fast CPU N-d kernels match the N-d reference`, () => {
    const rand = seededRandom(900 + rank);
    for (let i = 0; i < 36; i++) {
      const c = randomConfig(rand, rank);
      const padValue = rand() < 0.3 ? 0 : -Infinity;
      const countIncludePad = rand() < 0.5;
      const divisorOverride = rand() < 0.2 ? randomInt(rand, 1, 9) : undefined;
      const data = dataWithSpecials(rand, count(c.shape), 0.08);
      const plain = randomData(rand, count(c.shape));
      for (const channelsLast of [false, true]) {
        const layout = LAYOUTS[rank][channelsLast ? 1 : 0];
        it(`#${i} max ${describeConfig(c)}${padValue === 0 ? ' pad0' : ''} ${layout}`, () => {
          checkMax(data, channelsLast, c, padValue, i);
        });
        it(`#${i} avg ${describeConfig(c)}${countIncludePad ? '' : ' exclude-pad'}${divisorOverride ? ` divisor ${divisorOverride}` : ''} ${layout}`, () => {
          checkAvg(plain, channelsLast, c, { countIncludePad, ...(divisorOverride ? { divisorOverride } : {}) }, i + 500);
        });
      }
    }
  });
}

describe('zero padding: where the padded candidate falls in the scan order', () => {
  // The padded candidate's place in the scan only shows against a real ±0 (first one wins) or a
  // smaller running max: so the data is mostly ±0 and negative values, a few positive. Every place
  // of the first padded tap (before the window, after its first row, after its first plane, after
  // it) occurs over these draws.
  const rand = seededRandom(4242);
  for (let i = 0; i < 60; i++) {
    const rank = pick(rand, [1, 2, 3] as const);
    const c = randomConfig(rand, rank);
    const data = randomData(rand, count(c.shape)).map((v) => (v > 0.8 ? v : v > 0 ? pick(rand, [0, -0]) : v - 1));
    for (const channelsLast of [false, true]) {
      it(`#${i} ${describeConfig(c)} pad0 ${LAYOUTS[rank][channelsLast ? 1 : 0]}`, () => checkMax(data, channelsLast, c, 0, i));
    }
  }
});

describe('fast CPU N-d kernels: named cases', () => {
  it('1x2x2x2x2 k2..3 s1 pad0: every begin/end padding per axis, data mostly -1, some -0, +0, 0.5 (first padded tap placement)', () => {
    const rand = seededRandom(31);
    const sides = [
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ] as const;
    let checked = 0;
    for (const kernelSize of [2, 3].flatMap((a) => [2, 3].flatMap((b) => [2, 3].map((c) => [a, b, c])))) {
      for (const [b0, e0] of sides) {
        for (const [b1, e1] of sides) {
          for (const [b2, e2] of sides) {
            const padding = [b0, b1, b2, e0, e1, e2];
            // Kernel 3 over 2 elements needs a pad; skip the draws with no output.
            if (kernelSize.some((k, a) => 2 + padding[a]! + padding[a + 3]! < k)) continue;
            const g = resolveMaxWindow('maxPool3d', 3, [1, 2, 2, 2, 2], { kernelSize, stride: 1, padding, padValue: 0 });
            for (let t = 0; t < 16; t++) {
              const x = Float32Array.from({ length: 16 }, () => pick(rand, [-1, -1, -1, -0, 0, 0.5]));
              for (const channelsLast of [false, true]) {
                const want = ref.maxPoolNdForward(x, channelsLast, g);
                const got = fast.maxPoolNd(x, channelsLast, g);
                const what = `k [${kernelSize.join(', ')}] pads [${padding.join(', ')}] x [${Array.from(x, (v) => (Object.is(v, -0) ? '-0' : v)).join(', ')}]${channelsLast ? ' NDHWC' : ''}`;
                expectBitExact(got.output, want.output, `values, ${what}`);
                expectBitExact(got.indices, want.indices, `indices, ${what}`);
                checked++;
              }
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('2x3x1x1x9 and 2x3x9: a rank-3 window with 1-long leading axes equals the rank-1 window', () => {
    const data = dataWithSpecials(seededRandom(5), 54, 0.1);
    for (const channelsLast of [false, true]) {
      const g1 = resolveMaxWindow('maxPool1d', 1, [2, 3, 9], { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, dilation: 2 });
      const g3 = resolveMaxWindow('maxPool3d', 3, [2, 3, 1, 1, 9], { kernelSize: [1, 1, 3], stride: [1, 1, 2], padding: [0, 0, 1], ceilMode: true, dilation: [1, 1, 2] });
      const a = fast.maxPoolNd(data, channelsLast, g1);
      const b = fast.maxPoolNd(data, channelsLast, g3);
      expectBitExact(b.output, a.output, 'values');
      expectBitExact(b.indices, a.indices, 'indices');
    }
  });

  it('1x1x2 k2 s1 d4 p3: windows with no real element give -inf and -1 (0 with zero padding)', () => {
    const o = { kernelSize: 2, stride: 1, dilation: 4, padding: 3 };
    const x = Float32Array.from([-5, -6]);
    for (const channelsLast of [false, true]) {
      const r = fast.maxPoolNd(x, channelsLast, resolveMaxWindow('maxPool1d', 1, [1, 1, 2], o));
      expect(Array.from(r.output)).toEqual([-6, -Infinity, -Infinity, -5]);
      expect(Array.from(r.indices)).toEqual([1, -1, -1, 0]);
      const z = fast.maxPoolNd(x, channelsLast, resolveMaxWindow('maxPool1d', 1, [1, 1, 2], { ...o, padValue: 0 }));
      expect(Array.from(z.output)).toEqual([0, 0, 0, 0]);
      expect(Array.from(z.indices)).toEqual([-1, -1, -1, -1]);
      const avg = fast.avgPoolNd(x, channelsLast, resolveAvgWindow('avgPool1d', 1, [1, 1, 2], { ...o, countIncludePad: false }));
      expect(Array.from(avg)).toEqual([-6, 0, 0, -5]);
    }
  });

  it('1x2x2x2x2: an index outside [0, D·H·W) is dropped as by the reference (the index rule); a wrong length is a PoolingError', () => {
    const g = resolveMaxWindow('maxPool3d', 3, [1, 2, 2, 2, 2], { kernelSize: 2 });
    const dy = Float32Array.from([1, 2]);
    for (const [indices, channelsLast, want] of [
      [[0, 8], false, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
      [[-2, 0], true, [0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
      [[-2147483648, 2147483647], false, new Array<number>(16).fill(0)],
    ] as const) {
      const got = fast.maxPoolNdBackward(dy, Int32Array.from(indices), channelsLast, g);
      expect(Array.from(got)).toEqual(want);
      expect(Array.from(got)).toEqual(Array.from(ref.maxPoolNdBackward(dy, Int32Array.from(indices), channelsLast, g)));
    }
    expect(() => fast.maxPoolNdBackward(dy, Int32Array.from([0]), false, g)).toThrow(PoolingError);
    expect(() => fast.maxPoolNd(new Float32Array(15), false, g)).toThrow(PoolingError);
    const a = resolveAvgWindow('avgPool3d', 3, [1, 2, 2, 2, 2], { kernelSize: 2 });
    expect(() => fast.avgPoolNd(new Float32Array(17), true, a)).toThrow(PoolingError);
    expect(() => fast.avgPoolNdBackward(new Float32Array(3), false, a)).toThrow(PoolingError);
  });
});
