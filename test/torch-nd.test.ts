/**
 * PyTorch agreement of the 1-D and 3-D windowed ops: the N-d reference (src/reference/nd-pool.ts)
 * and the fast CPU kernels (src/cpu/nd-pool.ts) against what PyTorch computed for the same seeded
 * inputs (test/fixtures/torch-nd.json, made by scripts/torch-fixtures.py): max_pool1d / max_pool3d
 * with indices, ceil mode, dilation and padding, avg_pool1d / avg_pool3d with ceil mode,
 * count_include_pad and divisor_override, forward and backward, NaN / ±inf / tie inputs, and inputs
 * PyTorch held as channels_last_3d. Every fixture runs in both of our memory orders. Max values and
 * indices must be exact (NaN equals NaN, -0 differs from +0); averages and gradients within
 * docs/semantics.md's tolerance (PyTorch sums in f32, we in f64).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as fast from '../src/cpu/index.js';
import { resolveAvgWindow, resolveMaxWindow } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { SpatialRank, WindowGeometry } from '../src/types.js';
import { expectClose } from './helpers/compare.js';

type JsonFloat = number | 'NaN' | 'Infinity' | '-Infinity';

interface Fixture {
  name: string;
  op: 'max' | 'avg';
  rank: SpatialRank;
  shape: number[];
  outputShape: number[];
  channelsLastInTorch: boolean;
  options: Record<string, unknown>;
  x: JsonFloat[];
  output: JsonFloat[];
  indices?: number[];
  dy: JsonFloat[];
  dx: JsonFloat[];
}

const doc = JSON.parse(readFileSync(new URL('./fixtures/torch-nd.json', import.meta.url), 'utf8')) as { torch: string; cases: Fixture[] };

const floats = (v: readonly JsonFloat[]) => Float32Array.from(v, (e) => (typeof e === 'number' ? e : Number(e)));
const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function toChannelsLast<T extends Float32Array | Int32Array>(x: T, N: number, C: number, vol: number): T {
  const y = new (x.constructor as new (n: number) => T)(x.length);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let s = 0; s < vol; s++) y[(n * vol + s) * C + c] = x[(n * C + c) * vol + s]!;
  return y;
}

function fromChannelsLast<T extends Float32Array | Int32Array>(y: T, N: number, C: number, vol: number): T {
  const x = new (y.constructor as new (n: number) => T)(y.length);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let s = 0; s < vol; s++) x[(n * C + c) * vol + s] = y[(n * vol + s) * C + c]!;
  return x;
}

/** Exact as values: NaN equals NaN (of any sign), -0 differs from +0. */
function expectExact(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (!(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)))) expect.fail(`${what}: element ${i} is ${Object.is(g, -0) ? '-0' : g}, PyTorch ${Object.is(w, -0) ? '-0' : w}`);
  }
}

/** How many windows can cover one input element: the number of terms a backward sum may add. */
function overlap(g: WindowGeometry): number {
  return g.kernel.reduce((acc, k, a) => acc * Math.ceil((g.dilation[a]! * (k - 1) + 1) / g.stride[a]!), 1);
}

const IMPLEMENTATIONS = [
  { name: 'reference', maxF: ref.maxPoolNdForward, maxB: ref.maxPoolNdBackward, avgF: ref.avgPoolNdForward, avgB: ref.avgPoolNdBackward },
  { name: 'fast CPU', maxF: fast.maxPoolNd, maxB: fast.maxPoolNdBackward, avgF: fast.avgPoolNd, avgB: fast.avgPoolNdBackward },
] as const;

describe(`PyTorch ${doc.torch} fixtures (scripts/torch-fixtures.py)`, () => {
  it('covers every op, rank and option the fixtures were made for', () => {
    const names = doc.cases.map((c) => `${c.op}${c.rank}d`);
    for (const want of ['max1d', 'max3d', 'avg1d', 'avg3d']) expect(names).toContain(want);
    expect(doc.cases.some((c) => c.channelsLastInTorch && c.op === 'max')).toBe(true);
    expect(doc.cases.some((c) => c.channelsLastInTorch && c.op === 'avg')).toBe(true);
    expect(doc.cases.some((c) => c.options.divisorOverride !== undefined)).toBe(true);
    expect(doc.cases.some((c) => c.x.includes('NaN'))).toBe(true);
  });

  for (const f of doc.cases) {
    const [N, C] = f.shape as [number, number];
    const inVol = count(f.shape) / (N * C);
    const outVol = count(f.outputShape) / (N * C);
    const x = floats(f.x);
    const dy = floats(f.dy);
    const wantOut = floats(f.output);
    const wantDx = floats(f.dx);
    for (const impl of IMPLEMENTATIONS) {
      for (const channelsLast of [false, true]) {
        const layout = f.rank === 1 ? (channelsLast ? 'NLC' : 'NCL') : channelsLast ? 'NDHWC' : 'NCDHW';
        it(`${f.name} [${f.shape.join('x')}] ${impl.name} ${layout}`, () => {
          const xin = channelsLast ? toChannelsLast(x, N, C, inVol) : x;
          const dyin = channelsLast ? toChannelsLast(dy, N, C, outVol) : dy;
          const back = <T extends Float32Array | Int32Array>(v: T, vol: number) => (channelsLast ? fromChannelsLast(v, N, C, vol) : v);
          if (f.op === 'max') {
            const g = resolveMaxWindow(`maxPool${f.rank}d`, f.rank, f.shape, f.options);
            expect([N, C, ...g.outSize]).toEqual(f.outputShape);
            const got = impl.maxF(xin, channelsLast, g);
            expectExact(back(got.output, outVol), wantOut, 'values');
            expectExact(back(got.indices, outVol), f.indices!, 'indices');
            const dx = impl.maxB(dyin, got.indices, channelsLast, g);
            expectClose(back(dx, inVol), wantDx, overlap(g), 'dx');
          } else {
            const g = resolveAvgWindow(`avgPool${f.rank}d`, f.rank, f.shape, f.options);
            expect([N, C, ...g.outSize]).toEqual(f.outputShape);
            expectClose(back(impl.avgF(xin, channelsLast, g), outVol), wantOut, count(g.kernel), 'averages');
            expectClose(back(impl.avgB(dyin, channelsLast, g), inVol), wantDx, overlap(g), 'dx');
          }
        });
      }
    }
  }
});
