/**
 * The 1-D and 3-D ops (and dilated 2-D average pooling) through the public API of the CPU backend,
 * createPooling({ backend: 'cpu' }), against the N-d reference: the same seeded configurations as
 * nd-forward-gpu and nd-backward-gpu (same generator, same seeds). Then the outside check: the
 * PyTorch fixtures (test/fixtures/torch-nd.json, made by scripts/torch-fixtures.py) through the
 * public API of BOTH the CPU and the WebGPU contexts, in both memory orders, forward and backward
 * (every `backward` value; for max pooling with our indices and with PyTorch's, uploaded as an
 * int32 tensor). Max values and indices exact (NaN equals NaN, -0 differs from +0); averages and
 * gradients within SEMANTICS.md's tolerance (PyTorch sums in f32, we in f64).
 */
import { describe, expect, it } from 'vitest';
import { resolveAvgWindow, resolveMaxWindow } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { SpatialRank } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { useBothContexts } from './helpers/contexts.js';
import { withCleanErrorScope } from './helpers/gpu.js';
import { ALGORITHMS, avgPool, avgPoolBackward, maxPool, maxPoolBackward, type Options } from './helpers/nd-ops.js';
import { avgBackwardCases, avgForwardCases, count, fromChannelsLast, LAYOUTS, maxBackwardCases, maxForwardCases, overlap, toChannelsLast, type NdConfig } from './helpers/nd-windows.js';
import { expectExact, fixtureData, torchNd as doc } from './helpers/torch-fixtures.js';

const { cpu: cpuPool, webgpu: gpu } = useBothContexts();

// ---- the seeded configurations on the CPU backend (the same generator and seeds as nd-forward-gpu, nd-backward-gpu) ----

const tail = (c: string, li: 0 | 1, rank: SpatialRank) => `${c} ${LAYOUTS[rank][li]}`;

for (const rank of [1, 3] as const) {
  describe(`maxPool${rank}d on the CPU backend matches the N-d reference bit for bit`, () => {
    for (const { i, desc, options: o, c, data } of maxForwardCases(rank)) {
      for (const li of [0, 1] as const) {
        it(`#${i} ${tail(desc, li, rank)}`, async () => {
          const cpu = cpuPool();
          const want = ref.maxPoolNdForward(data, li === 1, resolveMaxWindow('maxPool', rank, c.shape, o));
          const { output, indices } = await maxPool(cpu, rank, cpu.tensor(data, c.shape, { layout: LAYOUTS[rank][li] }), o);
          expect(output.layout).toBe(LAYOUTS[rank][li]);
          expectBitExact(await output.read(), want.output, 'values');
          if (o.returnIndices) expectBitExact(await indices!.read(), want.indices, 'indices');
          else expect(indices).toBeUndefined();
        });
      }
    }
  });

  describe(`avgPool${rank}d on the CPU backend matches the N-d reference within tolerance`, () => {
    for (const { i, desc, options, c, data } of avgForwardCases(rank)) {
      for (const li of [0, 1] as const) {
        it(`#${i} ${tail(desc, li, rank)}`, async () => {
          await checkAvgForward(rank, c, li, data, options);
        });
      }
    }
  });

  describe(`maxPool${rank}dBackward on the CPU backend matches the N-d reference`, () => {
    for (const { i, desc, options: window, c, x, dy: dyData } of maxBackwardCases(rank)) {
      for (const li of [0, 1] as const) {
        it(`#${i} ${tail(desc, li, rank)}`, async () => {
          const cpu = cpuPool();
          const layout = LAYOUTS[rank][li];
          const gw = resolveMaxWindow('maxPool', rank, c.shape, window);
          const forward = ref.maxPoolNdForward(x, li === 1, gw);
          const want = ref.maxPoolNdBackward(dyData, forward.indices, li === 1, gw);
          const { output, indices } = await maxPool(cpu, rank, cpu.tensor(x, c.shape, { layout }), { ...window, returnIndices: true });
          const dy = cpu.tensor(dyData, output.shape, { layout });
          const saved = cpu.tensor(forward.indices, output.shape, { layout, dtype: 'int32' });
          for (const backward of ALGORITHMS) {
            for (const idx of [indices!, saved]) {
              const dx = await maxPoolBackward(cpu, rank, dy, idx, { ...window, inputShape: c.shape, backward });
              expect(dx.layout).toBe(layout);
              expectClose(await dx.read(), want, overlap(gw), `dx (${backward})`);
            }
          }
        });
      }
    }
  });

  describe(`avgPool${rank}dBackward on the CPU backend matches the N-d reference`, () => {
    for (const { i, desc, options, c, dy } of avgBackwardCases(rank)) {
      for (const li of [0, 1] as const) {
        it(`#${i} ${tail(desc, li, rank)}`, async () => {
          await checkAvgBackward(rank, c, li, dy, options);
        });
      }
    }
  });
}

async function checkAvgForward(rank: SpatialRank, c: NdConfig, li: 0 | 1, data: Float32Array, o: Options): Promise<void> {
  const cpu = cpuPool();
  const g = resolveAvgWindow('avgPool', rank, c.shape, o);
  const y = await avgPool(cpu, rank, cpu.tensor(data, c.shape, { layout: LAYOUTS[rank][li] }), o);
  expect(y.shape).toEqual([g.N, g.C, ...g.outSize]);
  expectClose(await y.read(), ref.avgPoolNdForward(data, li === 1, g), count(g.kernel), 'averages');
}

async function checkAvgBackward(rank: SpatialRank, c: NdConfig, li: 0 | 1, dyData: Float32Array, o: Options): Promise<void> {
  const cpu = cpuPool();
  const g = resolveAvgWindow('avgPool', rank, c.shape, o);
  const want = ref.avgPoolNdBackward(dyData, li === 1, g);
  const dy = cpu.tensor(dyData, [g.N, g.C, ...g.outSize], { layout: LAYOUTS[rank][li] });
  for (const backward of ALGORITHMS) {
    const dx = await avgPoolBackward(cpu, rank, dy, { ...o, inputShape: c.shape, backward });
    expect(dx.shape).toEqual(c.shape);
    expectClose(await dx.read(), want, overlap(g), `dx (${backward})`);
  }
}

describe('avgPool2d with dilation on the CPU backend matches the N-d reference, forward and backward', () => {
  const backward = avgBackwardCases(2);
  for (const [i, f] of avgForwardCases(2).entries()) {
    const b = backward[i]!;
    for (const li of [0, 1] as const) {
      it(`#${i} forward ${tail(f.desc, li, 2)}`, async () => {
        await checkAvgForward(2, f.c, li, f.data, f.options);
      });
      it(`#${i} backward ${tail(b.desc, li, 2)}`, async () => {
        await checkAvgBackward(2, b.c, li, b.dy, b.options);
      });
    }
  }
});

// ---- PyTorch fixtures through the public API, CPU and WebGPU ----

describe(`PyTorch ${doc.torch} fixtures through the public API (CPU and WebGPU)`, () => {
  it(`the fixtures cover max and avg at rank 1 and 3 (${doc.cases.length} cases)`, () => {
    const kinds = new Set(doc.cases.map((c) => `${c.op}${c.rank}d`));
    expect([...kinds].sort()).toEqual(['avg1d', 'avg3d', 'max1d', 'max3d']);
  });

  for (const f of doc.cases) {
    const { N, C, inVol, outVol, x, dy, wantOut, wantDx } = fixtureData(f);
    for (const backend of ['cpu', 'webgpu'] as const) {
      for (const channelsLast of [false, true]) {
        const layout = LAYOUTS[f.rank][channelsLast ? 1 : 0];
        it(`${f.name} [${f.shape.join('x')}] ${backend} ${layout}`, async () => {
          const p = backend === 'cpu' ? cpuPool() : gpu();
          const to = <T extends Float32Array | Int32Array>(v: T, vol: number) => (channelsLast ? toChannelsLast(v, N, C, vol) : v);
          const back = <T extends Float32Array | Int32Array>(v: T, vol: number) => (channelsLast ? fromChannelsLast(v, N, C, vol) : v);
          const body = async () => {
            const xt = p.tensor(to(x, inVol), f.shape, { layout });
            const dyt = p.tensor(to(dy, outVol), f.outputShape, { layout });
            if (f.op === 'max') {
              const g = resolveMaxWindow('maxPool', f.rank, f.shape, f.options);
              const { output, indices } = await maxPool(p, f.rank, xt, { ...f.options, returnIndices: true });
              expect(output.shape).toEqual(f.outputShape);
              expectExact(back(await output.read(), outVol), wantOut, 'values');
              expectExact(back(await indices!.read(), outVol), f.indices!, 'indices');
              const torchIndices = p.tensor(to(Int32Array.from(f.indices!), outVol), f.outputShape, { layout, dtype: 'int32' });
              for (const backward of ALGORITHMS) {
                for (const [which, idx] of [
                  ['ours', indices!],
                  ['PyTorch', torchIndices],
                ] as const) {
                  const dx = await maxPoolBackward(p, f.rank, dyt, idx, { ...f.options, inputShape: f.shape, backward });
                  expect(dx.shape).toEqual(f.shape);
                  expectClose(back(await dx.read(), inVol), wantDx, overlap(g), `dx (${backward}, ${which} indices)`);
                  dx.destroy();
                }
              }
              for (const t of [output, indices, torchIndices]) t?.destroy();
            } else {
              const g = resolveAvgWindow('avgPool', f.rank, f.shape, f.options);
              const y = await avgPool(p, f.rank, xt, f.options);
              expect(y.shape).toEqual(f.outputShape);
              expectClose(back(await y.read(), outVol), wantOut, count(g.kernel), 'averages');
              for (const backward of ALGORITHMS) {
                const dx = await avgPoolBackward(p, f.rank, dyt, { ...f.options, inputShape: f.shape, backward });
                expectClose(back(await dx.read(), inVol), wantDx, overlap(g), `dx (${backward})`);
                dx.destroy();
              }
              y.destroy();
            }
            xt.destroy();
            dyt.destroy();
          };
          if (backend === 'webgpu') await withCleanErrorScope(p, body);
          else await body();
        });
      }
    }
  }
});
