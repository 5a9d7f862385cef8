/**
 * PyTorch agreement of adaptive pooling: the reference (src/reference/adaptive.ts), the fast CPU
 * kernels (src/cpu/adaptive.ts) and the public API of both contexts (CPU and WebGPU) against what
 * PyTorch computed for the same seeded inputs (test/fixtures/torch-adaptive.json, made by
 * scripts/torch-fixtures-adaptive.py): adaptive_max_pool1d/2d/3d with indices and
 * adaptive_avg_pool1d/2d/3d, forward and backward (autograd), outputs smaller than, equal to and
 * larger than the input, non-dividing sizes, None axes, NaN / ±inf / tie / signed-zero inputs, and
 * inputs PyTorch held channels_last. Every fixture runs in both of our memory orders. Max values
 * and indices must be exact (NaN equals NaN, -0 differs from +0); averages and gradients within
 * SEMANTICS.md's f32 tolerance (PyTorch sums in f32, our reference in f64, our GPU kernels in f32
 * in another order).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as fast from '../src/cpu/adaptive.js';
import type { Pooling, Tensor } from '../src/index.js';
import { adaptiveGeometry } from '../src/ops/adaptive-pool.js';
import * as ref from '../src/reference/adaptive.js';
import type { SpatialRank } from '../src/types.js';
import { expectClose } from './helpers/compare.js';
import { useBothContexts } from './helpers/contexts.js';
import { fromChannelsLast, LAYOUTS, toChannelsLast } from './helpers/nd-windows.js';
import { expectExact, floats, type JsonFloat } from './helpers/torch-fixtures.js';

interface AdaptiveFixture {
  name: string;
  op: 'max' | 'avg';
  rank: SpatialRank;
  shape: number[];
  outputSize: number | (number | null)[];
  outputShape: number[];
  channelsLastInTorch: boolean;
  x: JsonFloat[];
  output: JsonFloat[];
  indices?: number[];
  dy: JsonFloat[];
  dx: JsonFloat[];
}

const doc = JSON.parse(readFileSync(new URL('./fixtures/torch-adaptive.json', import.meta.url), 'utf8')) as { torch: string; cases: AdaptiveFixture[] };
const both = useBothContexts();
const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function prepare(f: AdaptiveFixture) {
  const [N, C] = f.shape as [number, number];
  const g = adaptiveGeometry(f.rank, N, C, f.shape.slice(2), f.outputShape.slice(2));
  const inVol = count(f.shape) / (N * C);
  const outVol = count(f.outputShape) / (N * C);
  return { N, C, g, inVol, outVol, x: floats(f.x), dy: floats(f.dy), wantOut: floats(f.output), wantDx: floats(f.dx), terms: count(g.kernel), overlap: g.inSize.reduce((p, I, a) => p * (Math.ceil(g.outSize[a]! / I) + 1), 1) };
}

describe(`PyTorch ${doc.torch} adaptive fixtures (scripts/torch-fixtures-adaptive.py)`, () => {
  it('covers both ops at every rank, None axes, outputs larger than the input, specials and channels_last inputs', () => {
    const names = doc.cases.map((c) => `${c.op}${c.rank}d`);
    for (const want of ['max1d', 'max2d', 'max3d', 'avg1d', 'avg2d', 'avg3d']) expect(names).toContain(want);
    expect(doc.cases.some((c) => Array.isArray(c.outputSize) && c.outputSize.includes(null))).toBe(true);
    expect(doc.cases.some((c) => c.outputShape.slice(2).some((o, a) => o > c.shape[a + 2]!))).toBe(true);
    expect(doc.cases.some((c) => c.x.includes('NaN'))).toBe(true);
    expect(doc.cases.some((c) => c.channelsLastInTorch && c.op === 'max')).toBe(true);
  });

  for (const f of doc.cases) {
    const d = prepare(f);
    for (const channelsLast of [false, true]) {
      const layout = LAYOUTS[f.rank][channelsLast ? 1 : 0];
      const to = <T extends Float32Array | Int32Array>(v: T, vol: number) => (channelsLast ? toChannelsLast(v, d.N, d.C, vol) : v);
      const back = <T extends Float32Array | Int32Array>(v: T, vol: number) => (channelsLast ? fromChannelsLast(v, d.N, d.C, vol) : v);
      const xin = to(d.x, d.inVol);
      const dyin = to(d.dy, d.outVol);

      it(`${f.name} [${f.shape.join('x')}] reference and fast CPU, ${layout}`, () => {
        if (f.op === 'max') {
          for (const [name, run] of [
            ['reference', ref.adaptiveMaxPoolForward],
            ['fast', fast.adaptiveMaxPool],
          ] as const) {
            const got = run(xin, channelsLast, d.g);
            expectExact(back(got.output, d.outVol), d.wantOut, `${name} values`);
            expectExact(back(got.indices, d.outVol), f.indices!, `${name} indices`);
          }
          const idx = to(Int32Array.from(f.indices!), d.outVol);
          expectClose(back(ref.adaptiveMaxPoolBackward(dyin, idx, channelsLast, d.g), d.inVol), d.wantDx, d.overlap, 'reference dx');
          expectClose(back(fast.adaptiveMaxPoolBackward(dyin, idx, channelsLast, d.g), d.inVol), d.wantDx, d.overlap, 'fast dx');
        } else {
          expectClose(back(ref.adaptiveAvgPoolForward(xin, channelsLast, d.g), d.outVol), d.wantOut, d.terms, 'reference averages');
          expectClose(back(fast.adaptiveAvgPool(xin, channelsLast, d.g), d.outVol), d.wantOut, d.terms, 'fast averages');
          expectClose(back(ref.adaptiveAvgPoolBackward(dyin, channelsLast, d.g), d.inVol), d.wantDx, d.overlap, 'reference dx');
          expectClose(back(fast.adaptiveAvgPoolBackward(dyin, channelsLast, d.g), d.inVol), d.wantDx, d.overlap, 'fast dx');
        }
      });

      for (const [ctx, get] of both.each) {
        it(`${f.name} [${f.shape.join('x')}] public API on ${ctx}, ${layout}`, async () => {
          const p: Pooling = get();
          const x = p.tensor(xin, f.shape, { layout });
          const dy = p.tensor(dyin, f.outputShape, { layout });
          const made: Tensor[] = [x, dy];
          if (f.op === 'max') {
            const method = (['adaptiveMaxPool1d', 'adaptiveMaxPool2d', 'adaptiveMaxPool3d'] as const)[f.rank - 1]!;
            const { output, indices } = await p[method](x, { outputSize: f.outputSize, returnIndices: true });
            expect(output.shape).toEqual(f.outputShape);
            expectExact(back(await output.read(), d.outVol), d.wantOut, 'values');
            expectExact(back((await indices!.read()) as Int32Array, d.outVol), f.indices!, 'indices');
            // With our indices and with PyTorch's, uploaded as an int32 tensor.
            const saved = p.tensor(to(Int32Array.from(f.indices!), d.outVol), f.outputShape, { layout, dtype: 'int32' });
            const backward = (['adaptiveMaxPool1dBackward', 'adaptiveMaxPool2dBackward', 'adaptiveMaxPool3dBackward'] as const)[f.rank - 1]!;
            for (const idx of [indices!, saved]) {
              const dx = await p[backward](dy, idx, { inputShape: f.shape, outputSize: f.outputSize });
              expectClose(back((await dx.read()) as Float32Array, d.inVol), d.wantDx, d.overlap, 'dx');
              made.push(dx);
            }
            made.push(output, indices!, saved);
          } else {
            const method = (['adaptiveAvgPool1d', 'adaptiveAvgPool2d', 'adaptiveAvgPool3d'] as const)[f.rank - 1]!;
            const y = await p[method](x, { outputSize: f.outputSize });
            expect(y.shape).toEqual(f.outputShape);
            expectClose(back((await y.read()) as Float32Array, d.outVol), d.wantOut, d.terms, 'averages');
            const backward = (['adaptiveAvgPool1dBackward', 'adaptiveAvgPool2dBackward', 'adaptiveAvgPool3dBackward'] as const)[f.rank - 1]!;
            const dx = await p[backward](dy, { inputShape: f.shape });
            expectClose(back((await dx.read()) as Float32Array, d.inVol), d.wantDx, d.overlap, 'dx');
            made.push(y, dx);
          }
          for (const t of made) t.destroy();
        });
      }
    }
  }
});
