/**
 * Global pooling of one plane (or channels-last image) too large for one CPU slice runs as runs of
 * its pixels that yield between them (src/host/cpu-chunks.ts, src/cpu/global-pixel-runs.ts). The
 * runs carry the reduction's state, so every output equals the whole kernel's bit for bit: values
 * and indices of max (NaN, ties, signed zeros), the f64 sums of average in their lanes (plane sizes
 * off a multiple of four, magnitudes that cancel), both backward fills; with the SIMD kernels and
 * with the JavaScript ones, in float32 and float16, run lengths from the smallest to many pixels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addGlobalSums, globalAvgPool } from '../src/cpu/global-pool.js';
import { loadSimdKernels, setSimdEnabled, setSimdMemoryLimit, simdAvailable } from '../src/cpu/simd.js';
import { runInSlices } from '../src/host/cpu-chunks.js';
import { narrowToHalves } from '../src/half.js';
import type { HostArray, OpDescriptor } from '../src/ops/descriptor.js';
import { planesOf } from '../src/ops/global-pool.js';
import { HALF_OPS, OPS } from '../src/ops/index.js';
import type { TensorLayout } from '../src/types.js';
import { pick, randomInt, seededRandom } from './helpers/random.js';

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const bits = (a: HostArray) => (a instanceof Uint16Array ? a : new Uint32Array(a.buffer, a.byteOffset, a.length));

/**
 * Values that make the order matter. 'ties': a few repeated values, ±0, and NaN where `nan`.
 * 'cancel': small values and pairs of ±1e20 eight pixels apart in one channel (`pixel` elements per
 * pixel): while a running f64 sum holds a 1e20 it absorbs the small values it meets, so the mean
 * depends on which sum (lane) took which element and when, and runs that broke the whole kernel's
 * order would show (misaligned runs change most such means).
 */
function hostileData(rand: () => number, n: number, kind: 'ties' | 'ties-nan' | 'cancel', pixel: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (kind === 'cancel') x[i] = (rand() - 0.5) * 1000;
    else if (kind === 'ties-nan' && r < 0.01) x[i] = NaN;
    else if (r < 0.1) x[i] = pick(rand, [0, -0]);
    else if (r < 0.2) x[i] = pick(rand, [1e30, -1e30, 3e7, -3e7]);
    else if (r < 0.6) x[i] = pick(rand, [1, 2, 3, -1]);
    else x[i] = (rand() - 0.5) * 1000;
  }
  const apart = 8 * pixel;
  if (kind === 'cancel' && n > apart) {
    for (let k = 0; k < n / (5 * apart); k++) {
      const i = randomInt(rand, 0, n - apart - 1);
      x[i] = 1e20;
      x[i + apart] = -1e20;
    }
  }
  return x;
}

/** Runs `p` in pixel runs of `fixedWork` and whole; every output bit for bit. */
async function expectRunsExact<P>(d: OpDescriptor<P>, p: P, inputs: Record<string, HostArray>, fixedWork: number, what: string): Promise<void> {
  const want = d.cpu(p, inputs);
  const kinds = new Set<string>();
  const got = await runInSlices(d, p, inputs, { fixedWork, directBelow: 0, onSlice: (k) => kinds.add(k) });
  expect(kinds.has('pixels'), `${what}: cut into pixel runs (${[...kinds].join(', ')})`).toBe(true);
  for (const s of d.outputs(p)) {
    const g = bits(got[s.slot]!);
    const w = bits(want[s.slot]!);
    expect(g.length, `${what} ${s.slot} length`).toBe(w.length);
    for (let i = 0; i < w.length; i++) if (g[i] !== w[i]) expect.fail(`${what} ${s.slot}[${i}]: ${got[s.slot]![i]}, want ${want[s.slot]![i]}`);
  }
}

interface Case {
  shape: number[];
  layout: TensorLayout;
}

const CASES: Case[] = [
  { shape: [1, 1, 37, 29], layout: 'NCHW' }, // 1073 pixels: a tail of 1 off the four lanes
  { shape: [2, 3, 30, 31], layout: 'NCHW' },
  { shape: [1, 2, 5, 9, 11], layout: 'NCDHW' },
  { shape: [1, 4, 23, 19], layout: 'NHWC' }, // C % 4 == 0: the SIMD sums
  { shape: [2, 8, 17, 13], layout: 'NHWC' },
  { shape: [1, 3, 21, 20], layout: 'NHWC' }, // C % 4 != 0: the JavaScript sums
  { shape: [1, 1, 4001], layout: 'NCL' },
  { shape: [1, 12, 3, 7, 9], layout: 'NDHWC' },
];

for (const simd of [true, false]) {
  describe(simd ? 'pixel runs, SIMD kernels' : 'pixel runs, JavaScript kernels', () => {
    beforeAll(async () => {
      await loadSimdKernels();
      setSimdEnabled(simd);
      expect(simdAvailable()).toBe(simd);
    });
    afterAll(() => setSimdEnabled(true));

    CASES.forEach((c, i) => {
      it(`${c.layout} ${c.shape.join('x')}`, async () => {
        const rand = seededRandom(4100 + i);
        const n = count(c.shape);
        const planeLayout = c.layout.indexOf('C') === c.layout.length - 1 ? 'NHWC' : 'NCHW';
        const s = planesOf(c.shape);
        const outShape = [c.shape[0]!, c.shape[1]!];
        for (const kind of ['ties', 'ties-nan', 'cancel'] as const) {
          const x = hostileData(rand, n, kind, planeLayout === 'NHWC' ? s.C : 1);
          const fp = { s, planeLayout, outShape, outLayout: 'NC', withIndices: true } as const;
          const bp = { s, planeLayout, dxShape: c.shape, dxLayout: c.layout } as const;
          const indices = OPS.globalMaxPool.cpu(fp, { x }).y_indices!;
          const dy = Float32Array.from({ length: count(outShape) }, () => randomInt(rand, -50, 50) / 7);
          // Runs of the fewest pixels (4), of a few, and of about a third of a unit.
          const unitElements = s.H * s.W * (planeLayout === 'NHWC' ? s.C : 1);
          for (const work of [1, 4 * randomInt(rand, 3, 30) + 1, Math.floor(unitElements / 3)]) {
            const at = `${kind} work=${work}`;
            await expectRunsExact(OPS.globalMaxPool, fp, { x }, work, `max ${at}`);
            await expectRunsExact(OPS.globalAvgPool, { ...fp, withIndices: false }, { x }, work, `avg ${at}`);
            await expectRunsExact(OPS.globalMaxPoolBackward, bp, { dy, indices }, work, `max backward ${at}`);
            await expectRunsExact(OPS.globalAvgPoolBackward, bp, { dy }, work, `avg backward ${at}`);
            const xh = narrowToHalves(x.map((v) => (Math.abs(v) > 6e4 ? Math.sign(v) * 6e4 : v)));
            await expectRunsExact(HALF_OPS.globalMaxPool, fp, { x: xh }, work, `float16 max ${at}`);
            await expectRunsExact(HALF_OPS.globalAvgPool, { ...fp, withIndices: false }, { x: xh }, work, `float16 avg ${at}`);
            await expectRunsExact(HALF_OPS.globalAvgPoolBackward, bp, { dy: narrowToHalves(dy) }, work, `float16 avg backward ${at}`);
          }
        }
      });
    });
  });
}

describe('the SIMD sums in copies smaller than the run', () => {
  beforeAll(() => loadSimdKernels());
  afterAll(() => setSimdMemoryLimit());

  for (const layout of ['NCHW', 'NHWC'] as const) {
    it(`${layout}: a plane larger than the kernels' memory sums in copies, to the JavaScript sums' bits`, () => {
      const shape = layout === 'NCHW' ? [1, 1, 123, 45] : [1, 8, 61, 17];
      const x = hostileData(seededRandom(77), count(shape), 'cancel', layout === 'NHWC' ? shape[1]! : 1);
      const s = planesOf(shape);
      setSimdEnabled(false);
      const js = globalAvgPool(x, layout, s);
      const jsSums = new Float64Array(layout === 'NCHW' ? 4 : 8);
      addGlobalSums(x, layout, s.C, jsSums);
      setSimdEnabled(true);
      // Room for about 700 floats: the whole-call kernel cannot take the plane, and the sums go in copies.
      setSimdMemoryLimit(4096);
      const simdSums = new Float64Array(jsSums.length);
      addGlobalSums(x, layout, s.C, simdSums);
      expect(Array.from(simdSums)).toEqual(Array.from(jsSums));
      expect(Array.from(bits(globalAvgPool(x, layout, s)))).toEqual(Array.from(bits(js)));
      setSimdMemoryLimit();
    });
  }
});
