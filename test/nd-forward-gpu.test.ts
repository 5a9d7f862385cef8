/**
 * The 1-D and 3-D windowed forward ops, and 2-D average pooling with dilation, on WebGPU against
 * the N-d reference (src/reference/nd-pool.ts), over seeded random configurations that span every
 * option (ceil mode, dilation, every padding form including asymmetric begin/end lists, 'same' and
 * 'same-lower', zero padding, countIncludePad, divisorOverride, returnIndices) in both memory
 * orders. Max values and indices must match bit for bit (NaN of either sign, ±Infinity and ±0 in
 * the data); averages within SEMANTICS.md's tolerance. Then named edge cases at rank 1 and 3, each
 * checked against the reference and, where a hand-worked answer is short, against that too.
 */
import { describe, expect, it } from 'vitest';
import { resolveAvgWindow, resolveMaxWindow } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { SpatialRank } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { useGpuPool, withCleanErrorScope } from './helpers/gpu.js';
import { avgPool, maxPool, type Options } from './helpers/nd-ops.js';
import { avgForwardCases, count, fromLayout, inLayout, LAYOUTS, maxForwardCases } from './helpers/nd-windows.js';
import { randomData, seededRandom } from './helpers/random.js';

const pool = useGpuPool();

/** Runs max pooling on the GPU and checks values (and indices) bit for bit against the reference. */
async function checkMax(rank: SpatialRank, shape: number[], layoutIndex: 0 | 1, data: Float32Array, o: Options): Promise<{ output: Float32Array; indices: Int32Array | null }> {
  const layout = LAYOUTS[rank][layoutIndex];
  const g = resolveMaxWindow(`maxPool${rank}d`, rank, shape, o);
  const want = ref.maxPoolNdForward(data, layoutIndex === 1, g);
  const p = pool();
  return withCleanErrorScope(p, async () => {
    const x = p.tensor(data, shape, { layout });
    const { output, indices } = await maxPool(p, rank, x, o);
    expect(output.shape).toEqual([g.N, g.C, ...g.outSize]);
    expect(output.layout).toBe(layout);
    const values = await output.read();
    expectBitExact(values, want.output, 'values');
    let idx: Int32Array | null = null;
    if (o.returnIndices === true) {
      expect(indices!.shape).toEqual(output.shape);
      expect(indices!.layout).toBe(layout);
      expect(indices!.dtype).toBe('int32');
      idx = await indices!.read();
      expectBitExact(idx, want.indices, 'indices');
    } else {
      expect(indices).toBeUndefined();
    }
    for (const t of [x, output, indices]) t?.destroy();
    return { output: values, indices: idx };
  });
}

/** Runs average pooling on the GPU and checks it within tolerance against the reference. */
async function checkAvg(rank: SpatialRank, shape: number[], layoutIndex: 0 | 1, data: Float32Array, o: Options): Promise<Float32Array> {
  const layout = LAYOUTS[rank][layoutIndex];
  const g = resolveAvgWindow(`avgPool${rank}d`, rank, shape, o);
  const want = ref.avgPoolNdForward(data, layoutIndex === 1, g);
  const p = pool();
  return withCleanErrorScope(p, async () => {
    const x = p.tensor(data, shape, { layout });
    const y = await avgPool(p, rank, x, o);
    expect(y.shape).toEqual([g.N, g.C, ...g.outSize]);
    expect(y.layout).toBe(layout);
    const got = await y.read();
    expectClose(got, want, count(g.kernel), 'averages');
    x.destroy();
    y.destroy();
    return got;
  });
}

// ---- seeded random configurations (the same generator and seeds as nd-backward-gpu, nd-cpu-api) ----

for (const rank of [1, 3] as const) {
  describe(`maxPool${rank}d on WebGPU matches the N-d reference bit for bit`, () => {
    for (const { i, desc, options, data, c } of maxForwardCases(rank)) {
      for (const li of [0, 1] as const) {
        it(`#${i} ${desc} ${LAYOUTS[rank][li]}`, async () => {
          await checkMax(rank, c.shape, li, data, options);
        });
      }
    }
  });

  describe(`avgPool${rank}d on WebGPU matches the N-d reference within tolerance`, () => {
    for (const { i, desc, options, data, c } of avgForwardCases(rank)) {
      for (const li of [0, 1] as const) {
        it(`#${i} ${desc} ${LAYOUTS[rank][li]}`, async () => {
          await checkAvg(rank, c.shape, li, data, options);
        });
      }
    }
  });
}

describe('avgPool2d with dilation on WebGPU matches the N-d reference within tolerance', () => {
  for (const { i, desc, options, data, c } of avgForwardCases(2)) {
    for (const li of [0, 1] as const) {
      it(`#${i} ${desc} ${LAYOUTS[2][li]}`, async () => {
        await checkAvg(2, c.shape, li, data, options);
      });
    }
  }
});

// ---- named edge cases ----

interface EdgeCase {
  name: string;
  rank: SpatialRank;
  /** Logical [N, C, ...spatial]. */
  shape: number[];
  /** Channel-first values. */
  data: ArrayLike<number>;
  max?: Options;
  avg?: Options;
  /** The output's spatial size where the case is about it. */
  outSize?: number[];
  /** Hand-worked answers, channel-first (checked besides the reference). */
  wantMax?: { output: number[]; indices: number[] };
  wantAvg?: number[];
}

const inf = Infinity;
const nan = NaN;
const edgeRand = seededRandom(7400);
const noise = (n: number) => randomData(edgeRand, n);

/** 1x1x2x2x2, k2 s1 d4 p3: along each axis output 0 sees input 1, output 3 input 0, outputs 1 and 2 only padding. */
function noRealElement3d(): { output: number[]; indices: number[] } {
  const seen = [1, -1, -1, 0];
  const output: number[] = [];
  const indices: number[] = [];
  for (let d = 0; d < 4; d++) {
    for (let h = 0; h < 4; h++) {
      for (let w = 0; w < 4; w++) {
        const real = seen[d]! >= 0 && seen[h]! >= 0 && seen[w]! >= 0;
        const idx = real ? seen[d]! * 4 + seen[h]! * 2 + seen[w]! : -1;
        output.push(real ? -1 - idx : -inf);
        indices.push(idx);
      }
    }
  }
  return { output, indices };
}

const EDGE_CASES: EdgeCase[] = [
  // rank 1
  {
    name: 'ceil mode: the last window may not start in the end padding (L=5 k2 s2 p1 → 3, not 4)',
    rank: 1,
    shape: [1, 2, 5],
    data: [1, 2, 3, 4, 5, 5, 4, 3, 2, 1],
    max: { kernelSize: 2, stride: 2, padding: 1, ceilMode: true, returnIndices: true },
    avg: { kernelSize: 2, stride: 2, padding: 1, ceilMode: true },
    outSize: [3],
    wantMax: { output: [1, 3, 5, 5, 4, 2], indices: [0, 2, 4, 0, 1, 3] },
    wantAvg: [0.5, 2.5, 4.5, 2.5, 3.5, 1.5],
  },
  {
    name: 'ceil mode: an overhanging last window is kept, its overhang outside the divisor (L=6 k3 s2)',
    rank: 1,
    shape: [1, 1, 6],
    data: [1, 2, 3, 4, 5, 6],
    max: { kernelSize: 3, stride: 2, ceilMode: true, returnIndices: true },
    avg: { kernelSize: 3, stride: 2, ceilMode: true },
    outSize: [3],
    wantMax: { output: [3, 5, 6], indices: [2, 4, 5] },
    wantAvg: [2, 4, 5.5],
  },
  {
    name: 'NaN propagates and the last NaN of the window wins',
    rank: 1,
    shape: [1, 2, 8],
    data: [1, nan, 3, nan, 2, 5, nan, -inf, nan, nan, 0, 1, 2, 3, 4, 5],
    max: { kernelSize: 4, returnIndices: true },
    avg: { kernelSize: 4 },
    wantMax: { output: [nan, nan, nan, 5], indices: [3, 6, 1, 7] },
    wantAvg: [nan, nan, nan, 3.5],
  },
  { name: 'NaN in overlapping padded windows', rank: 1, shape: [2, 3, 11], data: noise(66).map((v, i) => (i % 7 === 3 ? nan : v)), max: { kernelSize: 3, stride: 1, padding: 1, returnIndices: true } },
  {
    name: 'ties: the first maximum wins, -0 and +0 kept as seen',
    rank: 1,
    shape: [1, 1, 8],
    data: [0.5, 0.5, -0, 0, 0, -0, -1, -1],
    max: { kernelSize: 2, returnIndices: true },
    wantMax: { output: [0.5, -0, 0, -1], indices: [0, 2, 4, 6] },
  },
  { name: 'ties in overlapping windows with padding', rank: 1, shape: [1, 2, 9], data: [0, -0, 0, 1, 1, -0, -0, 1, 0, 1, 1, 1, -0, 0, 0, -0, 1, 1], max: { kernelSize: 3, stride: 1, padding: 1, returnIndices: true } },
  {
    name: '+inf and -inf',
    rank: 1,
    shape: [1, 1, 8],
    data: [-inf, -inf, inf, 1, -inf, -inf, -inf, 2],
    max: { kernelSize: 2, returnIndices: true },
    avg: { kernelSize: 2 },
    wantMax: { output: [-inf, inf, -inf, 2], indices: [0, 2, 4, 7] },
    wantAvg: [-inf, inf, -inf, -inf],
  },
  {
    name: 'an all -inf window with padding points at its first real element',
    rank: 1,
    shape: [1, 1, 3],
    data: [-inf, -inf, -inf],
    max: { kernelSize: 2, stride: 1, padding: 1, returnIndices: true },
    wantMax: { output: [-inf, -inf, -inf, -inf], indices: [0, 0, 1, 2] },
  },
  {
    name: 'windows with no real element (k2 d4 p3): -inf and index -1',
    rank: 1,
    shape: [1, 1, 2],
    data: [-5, -6],
    max: { kernelSize: 2, stride: 1, dilation: 4, padding: 3, returnIndices: true },
    avg: { kernelSize: 2, stride: 1, dilation: 4, padding: 3 },
    wantMax: { output: [-6, -inf, -inf, -5], indices: [1, -1, -1, 0] },
    wantAvg: [-3, 0, 0, -2.5],
  },
  {
    name: 'windows with no real element, zero padding and excluded pads (k2 d4 p3)',
    rank: 1,
    shape: [1, 1, 2],
    data: [-5, -6],
    max: { kernelSize: 2, stride: 1, dilation: 4, padding: 3, padValue: 0, returnIndices: true },
    avg: { kernelSize: 2, stride: 1, dilation: 4, padding: 3, countIncludePad: false },
    wantMax: { output: [0, 0, 0, 0], indices: [-1, -1, -1, -1] },
    wantAvg: [-6, 0, 0, -5],
  },
  { name: 'dilation 2 with padding 2', rank: 1, shape: [1, 2, 12], data: noise(24), max: { kernelSize: 3, dilation: 2, padding: 2, stride: 2, returnIndices: true }, avg: { kernelSize: 3, dilation: 2, padding: 2, stride: 2 }, outSize: [6] },
  { name: 'dilation 3 with asymmetric padding [4, 1], ceil mode', rank: 1, shape: [2, 3, 10], data: noise(60), max: { kernelSize: 3, dilation: 3, padding: [4, 1], stride: 2, ceilMode: true, returnIndices: true }, avg: { kernelSize: 3, dilation: 3, padding: [4, 1], stride: 2, ceilMode: true, countIncludePad: true } },
  // rank 3
  {
    name: 'ceil mode: the last window may not start in the end padding (D=5 k2 s2 p1 → 3, not 4)',
    rank: 3,
    shape: [1, 2, 5, 6, 4],
    data: noise(240),
    max: { kernelSize: [2, 3, 2], stride: 2, padding: [1, 0, 0], ceilMode: true, returnIndices: true },
    avg: { kernelSize: [2, 3, 2], stride: 2, padding: [1, 0, 0], ceilMode: true },
    outSize: [3, 3, 2],
  },
  {
    name: 'NaN propagates and the last NaN of the window wins',
    rank: 3,
    shape: [1, 1, 2, 2, 2],
    data: [1, nan, 3, 4, 5, 6, nan, 0],
    max: { kernelSize: 2, returnIndices: true },
    avg: { kernelSize: 2 },
    wantMax: { output: [nan], indices: [6] },
    wantAvg: [nan],
  },
  { name: 'NaN in overlapping padded windows', rank: 3, shape: [1, 2, 4, 4, 4], data: noise(128).map((v, i) => (i % 11 === 5 ? nan : v)), max: { kernelSize: 2, stride: 1, padding: 1, returnIndices: true } },
  {
    name: 'ties: the first maximum wins, -0 and +0 kept as seen',
    rank: 3,
    shape: [1, 1, 2, 2, 2],
    data: [-0, 0, 0, -0, 0, -0, -0, 0],
    max: { kernelSize: [1, 1, 2], returnIndices: true },
    wantMax: { output: [-0, 0, 0, -0], indices: [0, 2, 4, 6] },
  },
  { name: 'ties: a constant volume with padding', rank: 3, shape: [1, 2, 3, 4, 5], data: new Float32Array(120).fill(0.5), max: { kernelSize: 2, stride: 1, padding: 1, returnIndices: true } },
  {
    name: '+inf and -inf',
    rank: 3,
    shape: [1, 2, 2, 2, 2],
    data: [-inf, -inf, -inf, inf, -inf, inf, 1, 2, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf],
    max: { kernelSize: 2, returnIndices: true },
    avg: { kernelSize: 2 },
    wantMax: { output: [inf, -inf], indices: [3, 0] },
    wantAvg: [nan, -inf],
  },
  { name: 'an all -inf volume with padding points at first real elements', rank: 3, shape: [1, 1, 2, 2, 2], data: new Float32Array(8).fill(-inf), max: { kernelSize: 2, stride: 1, padding: 1, returnIndices: true } },
  {
    name: 'windows with no real element (k2 d4 p3): -inf and index -1',
    rank: 3,
    shape: [1, 1, 2, 2, 2],
    data: [-1, -2, -3, -4, -5, -6, -7, -8],
    max: { kernelSize: 2, stride: 1, dilation: 4, padding: 3, returnIndices: true },
    avg: { kernelSize: 2, stride: 1, dilation: 4, padding: 3, countIncludePad: false },
    outSize: [4, 4, 4],
    wantMax: noRealElement3d(),
  },
  {
    name: 'windows with no real element, zero padding (k2 d4 p3): 0 and index -1',
    rank: 3,
    shape: [1, 1, 2, 2, 2],
    data: [-1, -2, -3, -4, -5, -6, -7, -8],
    max: { kernelSize: 2, stride: 1, dilation: 4, padding: 3, padValue: 0, returnIndices: true },
    wantMax: { output: new Array<number>(64).fill(0), indices: new Array<number>(64).fill(-1) },
  },
  {
    name: 'dilation [2, 1, 3] with padding [2, 1, 3]',
    rank: 3,
    shape: [1, 2, 7, 8, 9],
    data: noise(1008),
    max: { kernelSize: 3, dilation: [2, 1, 3], padding: [2, 1, 3], stride: 2, returnIndices: true },
    avg: { kernelSize: 3, dilation: [2, 1, 3], padding: [2, 1, 3], stride: 2, countIncludePad: false },
  },
  {
    name: 'dilation 2 with asymmetric padding [front, top, left, back, bottom, right], ceil mode',
    rank: 3,
    shape: [2, 3, 6, 7, 5],
    data: noise(1260),
    max: { kernelSize: [2, 3, 2], dilation: 2, padding: [2, 0, 1, 0, 4, 2], stride: [2, 3, 1], ceilMode: true, returnIndices: true },
    avg: { kernelSize: [2, 3, 2], dilation: 2, padding: [2, 0, 1, 0, 4, 2], stride: [2, 3, 1], ceilMode: true },
  },
  { name: 'all-negative volume with zero padding (the derivation)', rank: 3, shape: [1, 1, 3, 3, 3], data: Float32Array.from({ length: 27 }, (_, i) => -1 - i), max: { kernelSize: 3, stride: 2, padding: 1, padValue: 0, returnIndices: true } },
];

describe('named edge cases on WebGPU (rank 1 and 3)', () => {
  for (const c of EDGE_CASES) {
    const logical = Float32Array.from(c.data);
    for (const li of [0, 1] as const) {
      const data = inLayout(logical, c.shape, li === 1);
      const tag = `${c.shape.join('x')} ${LAYOUTS[c.rank][li]}`;
      if (c.max) {
        it(`maxPool${c.rank}d ${c.name} ${tag}`, async () => {
          if (c.outSize) expect(resolveMaxWindow('maxPool', c.rank, c.shape, c.max!).outSize).toEqual(c.outSize);
          const got = await checkMax(c.rank, c.shape, li, data, c.max!);
          if (c.wantMax) {
            const outShape = [c.shape[0]!, c.shape[1]!, ...resolveMaxWindow('maxPool', c.rank, c.shape, c.max!).outSize];
            expectBitExact(fromLayout(got.output, outShape, li === 1), Float32Array.from(c.wantMax.output), 'values (hand-worked)');
            expectBitExact(fromLayout(got.indices!, outShape, li === 1), Int32Array.from(c.wantMax.indices), 'indices (hand-worked)');
          }
        });
      }
      if (c.avg) {
        it(`avgPool${c.rank}d ${c.name} ${tag}`, async () => {
          const g = resolveAvgWindow('avgPool', c.rank, c.shape, c.avg!);
          if (c.outSize) expect(g.outSize).toEqual(c.outSize);
          const got = await checkAvg(c.rank, c.shape, li, data, c.avg!);
          if (c.wantAvg) expectClose(fromLayout(got, [g.N, g.C, ...g.outSize], li === 1), Float32Array.from(c.wantAvg), count(g.kernel), 'averages (hand-worked)');
        });
      }
    }
  }
});

describe("'same' and 'same-lower' place the odd pad at the end and at the begin", () => {
  // 1-D: L=8 k4 s1 needs 3 pads: 'same' [1, 2], 'same-lower' [2, 1].
  // 3-D: 5x6x8 k[2,4,3] s[1,2,2] needs 1, 2, 1: 'same' begins [0,1,0] ends [1,1,1], 'same-lower' the reverse.
  const cases = [
    { rank: 1 as const, shape: [2, 3, 8], window: { kernelSize: 4, stride: 1 }, same: [1, 2], lower: [2, 1], outSize: [8] },
    { rank: 3 as const, shape: [1, 2, 5, 6, 8], window: { kernelSize: [2, 4, 3], stride: [1, 2, 2] }, same: [0, 1, 0, 1, 1, 1], lower: [1, 1, 1, 0, 1, 0], outSize: [5, 3, 4] },
  ];
  for (const c of cases) {
    const logical = randomData(seededRandom(7500 + c.rank), count(c.shape));
    for (const li of [0, 1] as const) {
      const data = inLayout(logical, c.shape, li === 1);
      it(`rank ${c.rank} ${c.shape.join('x')} k${JSON.stringify(c.window.kernelSize)} ${LAYOUTS[c.rank][li]}: 'same' = ${JSON.stringify(c.same)}, 'same-lower' = ${JSON.stringify(c.lower)}`, async () => {
        for (const [name, list] of [
          ['same', c.same],
          ['same-lower', c.lower],
        ] as const) {
          const g = resolveMaxWindow('maxPool', c.rank, c.shape, { ...c.window, padding: name });
          expect(g.outSize).toEqual(c.outSize);
          expect([...g.padBegin, ...g.padEnd]).toEqual(list);
        }
        const max = { ...c.window, returnIndices: true };
        const same = await checkMax(c.rank, c.shape, li, data, { ...max, padding: 'same' });
        const sameList = await checkMax(c.rank, c.shape, li, data, { ...max, padding: c.same });
        const lower = await checkMax(c.rank, c.shape, li, data, { ...max, padding: 'same-lower' });
        const lowerList = await checkMax(c.rank, c.shape, li, data, { ...max, padding: c.lower });
        expectBitExact(same.indices!, sameList.indices!, "'same' vs its list");
        expectBitExact(lower.indices!, lowerList.indices!, "'same-lower' vs its list");
        expect(Array.from(same.indices!)).not.toEqual(Array.from(lower.indices!));
        for (const countIncludePad of [true, false]) {
          const avg = { ...c.window, countIncludePad };
          expectBitExact(await checkAvg(c.rank, c.shape, li, data, { ...avg, padding: 'same' }), await checkAvg(c.rank, c.shape, li, data, { ...avg, padding: c.same }), "avg 'same' vs its list");
          const lowerAvg = await checkAvg(c.rank, c.shape, li, data, { ...avg, padding: 'same-lower' });
          expectBitExact(lowerAvg, await checkAvg(c.rank, c.shape, li, data, { ...avg, padding: c.lower }), "avg 'same-lower' vs its list");
        }
      });
    }
  }
});
