/**
 * The 1-D and 3-D backward ops, and 2-D average pooling with dilation, on WebGPU against the N-d
 * reference, over seeded random configurations spanning every option in both memory orders, each
 * run with every `backward` value ('scatter', 'gather', 'auto'). The max forward runs on the GPU
 * and its indices go straight into the backward (a chained forward → backward with no read-back);
 * the reference's own indices, uploaded as an int32 tensor, are run too. Then global max and
 * average pooling of rank 3 and 5, forward and backward, both layouts, keepDims on and off, over
 * volumes below and above 4,096 elements (one pass, two passes). Tolerance: SEMANTICS.md, with
 * `terms` the most windows that can cover one element; global max and its backward bit for bit.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Pooling, Tensor } from '../src/index.js';
import { resolveAvgWindow, resolveMaxWindow } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { Layout, SpatialRank, TensorLayout } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { useGpuPool, withCleanErrorScope } from './helpers/gpu.js';
import { ALGORITHMS, avgPool, avgPoolBackward, maxPool, maxPoolBackward, type Options } from './helpers/nd-ops.js';
import { avgBackwardCases, count, inLayout, LAYOUTS, maxBackwardCases, overlap, planes, type NdConfig } from './helpers/nd-windows.js';
import { randomData, seededRandom } from './helpers/random.js';

const pool = useGpuPool();

// ---- seeded random windowed backward (the same generator and seeds as nd-forward-gpu, nd-cpu-api) ----

async function checkMaxBackward(rank: SpatialRank, c: NdConfig, li: 0 | 1, x: Float32Array, dyData: Float32Array, window: Options): Promise<void> {
  const layout = LAYOUTS[rank][li];
  const g = resolveMaxWindow(`maxPool${rank}d`, rank, c.shape, window);
  const forward = ref.maxPoolNdForward(x, li === 1, g);
  const want = ref.maxPoolNdBackward(dyData, forward.indices, li === 1, g);
  const gpu = pool();
  await withCleanErrorScope(gpu, async () => {
    const xt = gpu.tensor(x, c.shape, { layout });
    const { output, indices } = await maxPool(gpu, rank, xt, { ...window, returnIndices: true });
    const dy = gpu.tensor(dyData, output.shape, { layout });
    const saved = gpu.tensor(forward.indices, output.shape, { layout, dtype: 'int32' });
    for (const backward of ALGORITHMS) {
      const dx = await maxPoolBackward(gpu, rank, dy, indices!, { ...window, inputShape: c.shape, backward });
      expect(dx.shape).toEqual(c.shape);
      expect(dx.layout).toBe(layout);
      expectClose(await dx.read(), want, overlap(g), `dx (${backward})`);
      dx.destroy();
    }
    // The reference's indices, uploaded (indices saved from an earlier run), give the same dx.
    const dx = await maxPoolBackward(gpu, rank, dy, saved, { ...window, inputShape: c.shape, backward: 'gather' });
    expectClose(await dx.read(), want, overlap(g), 'dx (gather, uploaded int32 indices)');
    for (const t of [xt, output, indices, dy, saved, dx]) t?.destroy();
  });
}

async function checkAvgBackward(rank: SpatialRank, c: NdConfig, li: 0 | 1, dyData: Float32Array, window: Options): Promise<void> {
  const layout = LAYOUTS[rank][li];
  const g = resolveAvgWindow(`avgPool${rank}d`, rank, c.shape, window);
  const want = ref.avgPoolNdBackward(dyData, li === 1, g);
  const gpu = pool();
  await withCleanErrorScope(gpu, async () => {
    const dy = gpu.tensor(dyData, [g.N, g.C, ...g.outSize], { layout });
    for (const backward of ALGORITHMS) {
      const dx = await avgPoolBackward(gpu, rank, dy, { ...window, inputShape: c.shape, backward });
      expect(dx.shape).toEqual(c.shape);
      expect(dx.layout).toBe(layout);
      expectClose(await dx.read(), want, overlap(g), `dx (${backward})`);
      dx.destroy();
    }
    dy.destroy();
  });
}

for (const rank of [1, 3] as const) {
  describe(`maxPool${rank}dBackward on WebGPU matches the N-d reference (scatter, gather, auto)`, () => {
    for (const { i, desc, options, c, x, dy } of maxBackwardCases(rank)) {
      for (const li of [0, 1] as const) {
        it(`#${i} ${desc} ${LAYOUTS[rank][li]}`, async () => {
          await checkMaxBackward(rank, c, li, x, dy, options);
        });
      }
    }
  });

  describe(`avgPool${rank}dBackward on WebGPU matches the N-d reference (scatter, gather, auto)`, () => {
    for (const { i, desc, options, c, dy } of avgBackwardCases(rank)) {
      for (const li of [0, 1] as const) {
        it(`#${i} ${desc} ${LAYOUTS[rank][li]}`, async () => {
          await checkAvgBackward(rank, c, li, dy, options);
        });
      }
    }
  });
}

describe('avgPool2dBackward with dilation on WebGPU matches the N-d reference (scatter, gather, auto)', () => {
  for (const { i, desc, options, c, dy } of avgBackwardCases(2)) {
    for (const li of [0, 1] as const) {
      it(`#${i} ${desc} ${LAYOUTS[2][li]}`, async () => {
        await checkAvgBackward(2, c, li, dy, options);
      });
    }
  }
});

// ---- forward → backward with no read-back ----

describe('forward then backward on the GPU, no read-back between', () => {
  const chains = [
    { rank: 1 as const, shape: [2, 3, 50], layout: 'NLC' as const, max: { kernelSize: 3, stride: 2, padding: 1 }, avg: { kernelSize: 3, stride: 2, padding: 1, dilation: 2, countIncludePad: false } },
    { rank: 3 as const, shape: [2, 3, 7, 8, 9], layout: 'NDHWC' as const, max: { kernelSize: 3, stride: 2, padding: 1 }, avg: { kernelSize: [2, 3, 3], stride: 2, padding: [1, 1, 0], ceilMode: true } },
    { rank: 3 as const, shape: [1, 2, 6, 5, 7], layout: 'NCDHW' as const, max: { kernelSize: 2, stride: 1, dilation: [1, 2, 2], padding: 'same' }, avg: { kernelSize: 3, stride: 1, padding: 'same-lower' } },
  ];
  for (const c of chains) {
    it(`maxPool${c.rank}d → maxPool${c.rank}dBackward and avgPool${c.rank}d → avgPool${c.rank}dBackward ${c.shape.join('x')} ${c.layout} read only dx`, async () => {
      const gpu = pool();
      const channelsLast = c.layout === 'NLC' || c.layout === 'NDHWC';
      const x = randomData(seededRandom(8400 + c.rank), count(c.shape));
      const readSpy = vi.spyOn(gpu.impl, 'readTensor');
      try {
        await withCleanErrorScope(gpu, async () => {
          const xt = gpu.tensor(x, c.shape, { layout: c.layout });
          const { output, indices } = await maxPool(gpu, c.rank, xt, { ...c.max, returnIndices: true });
          // The forward's output doubles as the incoming gradient: it never leaves the GPU.
          const dxs = [];
          for (const backward of ALGORITHMS) dxs.push(await maxPoolBackward(gpu, c.rank, output, indices!, { ...c.max, inputShape: c.shape, backward }));
          const y = await avgPool(gpu, c.rank, xt, c.avg);
          const dxAvg = [];
          for (const backward of ALGORITHMS) dxAvg.push(await avgPoolBackward(gpu, c.rank, y, { ...c.avg, inputShape: c.shape, backward }));
          expect(readSpy).not.toHaveBeenCalled();

          const gm = resolveMaxWindow('maxPool', c.rank, c.shape, c.max);
          const f = ref.maxPoolNdForward(x, channelsLast, gm);
          const wantMax = ref.maxPoolNdBackward(f.output, f.indices, channelsLast, gm);
          for (const dx of dxs) expectClose(await dx.read(), wantMax, overlap(gm), 'max dx');
          const ga = resolveAvgWindow('avgPool', c.rank, c.shape, c.avg);
          const wantAvg = ref.avgPoolNdBackward(ref.avgPoolNdForward(x, channelsLast, ga), channelsLast, ga);
          for (const dx of dxAvg) expectClose(await dx.read(), wantAvg, overlap(ga), 'avg dx');
          expect(readSpy).toHaveBeenCalledTimes(dxs.length + dxAvg.length);
          for (const t of [xt, output, indices, y, ...dxs, ...dxAvg]) t?.destroy();
        });
      } finally {
        readSpy.mockRestore();
      }
    });
  }
});

// ---- global pooling of rank 3 and 5 ----

const GLOBAL_LAYOUTS: Record<number, [TensorLayout, TensorLayout]> = { 3: ['NCL', 'NLC'], 5: ['NCDHW', 'NDHWC'] };
const GLOBAL_SHAPES: Record<number, number[][]> = {
  3: [
    [2, 3, 37],
    [1, 2, 1000],
    [2, 3, 5000],
  ],
  5: [
    [2, 3, 3, 4, 5],
    [1, 2, 8, 10, 12],
    [2, 3, 9, 20, 30],
  ],
};

/** The compute passes the pool's device encodes from now on, by label (restore() puts the device back). */
function recordPassLabels(gpu: Pooling): { labels: string[]; restore: () => void } {
  const device = (gpu.impl as unknown as { device: GPUDevice }).device;
  const original = device.createCommandEncoder;
  const labels: string[] = [];
  device.createCommandEncoder = (d?: GPUCommandEncoderDescriptor) => {
    const encoder = original.call(device, d);
    const begin = encoder.beginComputePass.bind(encoder);
    encoder.beginComputePass = (pd?: GPUComputePassDescriptor) => {
      labels.push(pd?.label ?? '');
      return begin(pd);
    };
    return encoder;
  };
  return { labels, restore: () => void (device.createCommandEncoder = original) };
}

/**
 * Quantised data (ties everywhere) with NaN in two far-apart positions of plane (0, 1), the later
 * of which must win across chunks, and plane (1, 2) all -Infinity (its first element wins).
 */
function globalData(shape: readonly number[], seed: number): Float32Array {
  const [N, C] = shape as [number, number];
  const vol = count(shape.slice(2));
  const data = randomData(seededRandom(seed), count(shape));
  if (C > 1) {
    data[1 * vol + Math.floor(vol / 7)] = NaN;
    data[1 * vol + vol - 3] = NaN;
  }
  if (N > 1 && C > 2) data.fill(-Infinity, (1 * C + 2) * vol, (1 * C + 3) * vol);
  return data;
}

describe('global pooling of rank 3 and 5 on WebGPU, forward and backward, matches the reference', () => {
  let seed = 8500;
  for (const rank of [3, 5]) {
    for (const shape of GLOBAL_SHAPES[rank]!) {
      for (const li of [0, 1] as const) {
        for (const keepDims of [false, true]) {
          for (const kind of ['max', 'avg'] as const) {
            const layout = GLOBAL_LAYOUTS[rank]![li];
            const logical = kind === 'max' ? globalData(shape, seed++) : randomData(seededRandom(seed++), count(shape), false);
            const dyData = randomData(seededRandom(seed++), shape[0]! * shape[1]!, false);
            const vol = count(shape.slice(2));
            it(`global ${kind} ${shape.join('x')} (volume ${vol}) ${layout}${keepDims ? ' keepDims' : ''}`, async () => {
              const x = inLayout(logical, shape, li === 1);
              const s = planes(shape);
              const xLayout: Layout = li === 1 ? 'NHWC' : 'NCHW';
              const [N, C] = shape as [number, number];
              const outShape = keepDims ? [N, C, ...shape.slice(2).map(() => 1)] : [N, C];
              const outLayout = keepDims ? layout : 'NC';
              // A [N, C] dy gives a channel-first dx; a keepDims dy gives dx in its own layout.
              const dxLayout = keepDims ? layout : GLOBAL_LAYOUTS[rank]![0];
              const dxPlane: Layout = keepDims ? xLayout : 'NCHW';
              const gpu = pool();
              await withCleanErrorScope(gpu, async () => {
                const xt = gpu.tensor(x, shape, { layout });
                const dy = gpu.tensor(dyData, outShape, { layout: outLayout });
                // Volumes past 4,096 elements take two passes (chunks, then a combine); up to 256 one.
                const passes = recordPassLabels(gpu);
                const forward = kind === 'max' ? gpu.globalMaxPool(xt, { returnIndices: true, keepDims }) : gpu.globalAvgPool(xt, { keepDims });
                await forward.finally(passes.restore);
                const forwardPasses = passes.labels.filter((l) => l.startsWith('global'));
                if (vol > 4096) expect(forwardPasses.some((l) => l.endsWith('.combine')), forwardPasses.join(', ')).toBe(true);
                if (vol <= 256) expect(forwardPasses.map((l) => l.split('.')[1])).toEqual(['per_plane']);
                if (kind === 'max') {
                  const want = ref.globalMaxPool(x, xLayout, s);
                  const { output, indices } = (await forward) as Awaited<ReturnType<Pooling['globalMaxPool']>>;
                  expect(output.shape).toEqual(outShape);
                  expect(output.layout).toBe(outLayout);
                  expect(indices!.shape).toEqual(outShape);
                  expectBitExact(await output.read(), want.output, 'values');
                  expectBitExact(await indices!.read(), want.indices, 'indices');
                  const dx = await gpu.globalMaxPoolBackward(dy, indices!, { inputShape: shape });
                  expect(dx.shape).toEqual(shape);
                  expect(dx.layout).toBe(dxLayout);
                  expectBitExact(await dx.read(), ref.globalMaxPoolBackward(dyData, want.indices, dxPlane, s), 'dx');
                  // Chained: the forward's output as the gradient, no read-back between.
                  const chained = await gpu.globalMaxPoolBackward(output, indices!, { inputShape: shape });
                  expect(chained.layout).toBe(dxLayout);
                  expectBitExact(await chained.read(), ref.globalMaxPoolBackward(want.output, want.indices, dxPlane, s), 'dx (chained)');
                  for (const t of [output, indices, dx, chained]) t?.destroy();
                } else {
                  const y = (await forward) as Tensor<'float32'>;
                  expect(y.shape).toEqual(outShape);
                  expect(y.layout).toBe(outLayout);
                  const want = ref.globalAvgPool(x, xLayout, s);
                  expectClose(await y.read(), want, vol, 'means');
                  const dx = await gpu.globalAvgPoolBackward(dy, { inputShape: shape });
                  expect(dx.shape).toEqual(shape);
                  expect(dx.layout).toBe(dxLayout);
                  expectClose(await dx.read(), ref.globalAvgPoolBackward(dyData, dxPlane, s), 1, 'dx');
                  const chained = await gpu.globalAvgPoolBackward(y, { inputShape: shape });
                  expectClose(await chained.read(), ref.globalAvgPoolBackward(want, dxPlane, s), 1, 'dx (chained)');
                  for (const t of [y, dx, chained]) t.destroy();
                }
                xt.destroy();
                dy.destroy();
              });
            });
          }
        }
      }
    }
  }
});
