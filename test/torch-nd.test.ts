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
import { describe, expect, it } from 'vitest';
import * as fast from '../src/cpu/index.js';
import { resolveAvgWindow, resolveMaxWindow } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import { expectClose } from './helpers/compare.js';
import { count, fromChannelsLast, LAYOUTS, overlap, toChannelsLast } from './helpers/nd-windows.js';
import { expectExact, fixtureData, torchNd as doc } from './helpers/torch-fixtures.js';

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
    const { N, C, inVol, outVol, x, dy, wantOut, wantDx } = fixtureData(f);
    for (const impl of IMPLEMENTATIONS) {
      for (const channelsLast of [false, true]) {
        const layout = LAYOUTS[f.rank][channelsLast ? 1 : 0];
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
