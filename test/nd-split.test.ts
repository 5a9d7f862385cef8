/**
 * The 1-D and 3-D windowed ops and global pooling of rank 5 at a small storage binding limit
 * (createPooling's maxStorageBufferBindingSize), so that every dispatch splits into several
 * sub-range bindings (src/host/split.ts): forward, and backward with each algorithm, in both memory
 * orders, against the N-d reference. Max values and indices bit for bit; sums within SEMANTICS.md's
 * tolerance. The split context shares the test adapter's device, which counts the bind groups made
 * with a sub-range: each is one dispatch of a split op.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPooling, type Pooling } from '../src/index.js';
import { resolveAvgWindow, resolveMaxWindow } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { Layout, SpatialRank } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { useGpuPool, withCleanErrorScope } from './helpers/gpu.js';
import { ALGORITHMS, avgPool, avgPoolBackward, maxPool, maxPoolBackward, type Options } from './helpers/nd-ops.js';
import { count, inLayout, LAYOUTS, overlap, planes } from './helpers/nd-windows.js';
import { randomData, seededRandom } from './helpers/random.js';

const pool = useGpuPool();
/** Bind groups created with a sub-range (offset and size): each is one dispatch of a split op. */
let splitBindGroups = 0;
let device: GPUDevice;
let restoreCreateBindGroup: () => void = () => {};

beforeAll(() => {
  device = (pool().impl as unknown as { device: GPUDevice }).device;
  const original = device.createBindGroup;
  device.createBindGroup = (d: GPUBindGroupDescriptor) => {
    if ([...d.entries].some((e) => (e.resource as GPUBufferBinding).size !== undefined)) splitBindGroups++;
    return original.call(device, d);
  };
  restoreCreateBindGroup = () => void (device.createBindGroup = original);
});
afterAll(() => restoreCreateBindGroup());

/** Runs `body` and asserts that it split: more than one sub-range dispatch. */
async function expectSplit(what: string, body: () => Promise<void>): Promise<void> {
  const before = splitBindGroups;
  await body();
  expect(splitBindGroups - before, `${what}: split dispatches`).toBeGreaterThan(1);
}

const BINDING_LIMIT = 2048;

interface WindowCase {
  rank: SpatialRank;
  shape: number[];
  max: Options;
  avg: Options;
}

/**
 * Every case is 2-10x the limit in every tensor it binds, with windows that straddle the split
 * rows: overlapping, padded, dilated, ceil mode, 'same-lower'.
 */
const WINDOW_CASES: WindowCase[] = [
  { rank: 3, shape: [2, 2, 8, 6, 5], max: { kernelSize: 3, stride: 2, padding: 1, returnIndices: true }, avg: { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false } },
  { rank: 3, shape: [2, 3, 9, 5, 4], max: { kernelSize: [3, 2, 2], stride: 1, dilation: [2, 1, 1], padding: [2, 1, 0, 1, 0, 1], ceilMode: true, returnIndices: true }, avg: { kernelSize: [3, 2, 2], stride: [1, 2, 1], dilation: [2, 1, 2], padding: [2, 1, 1], ceilMode: true } },
  { rank: 3, shape: [1, 2, 10, 6, 6], max: { kernelSize: [4, 3, 2], stride: [3, 2, 2], padding: 'same-lower', padValue: 0, returnIndices: true }, avg: { kernelSize: [4, 3, 2], stride: [3, 2, 2], padding: 'same', divisorOverride: 5 } },
  { rank: 1, shape: [4, 3, 100], max: { kernelSize: 3, stride: 2, padding: 1, returnIndices: true }, avg: { kernelSize: 3, stride: 2, padding: 1 } },
  { rank: 1, shape: [3, 4, 90], max: { kernelSize: 4, stride: 1, dilation: 3, padding: [5, 2], ceilMode: true, returnIndices: true }, avg: { kernelSize: 4, stride: 3, dilation: 2, padding: [6, 1], ceilMode: true, countIncludePad: false } },
  { rank: 2, shape: [2, 3, 16, 13], max: { kernelSize: 3, stride: 2, dilation: 2, padding: 2, returnIndices: true }, avg: { kernelSize: 3, stride: [1, 2], dilation: [2, 3], padding: [2, 1, 0, 3] } },
];

describe(`windowed ops at a ${BINDING_LIMIT}-byte binding limit split and match the reference`, () => {
  let split: Pooling;
  beforeAll(async () => {
    split = await createPooling({ device, maxStorageBufferBindingSize: BINDING_LIMIT });
  });
  afterAll(() => split?.destroy());

  WINDOW_CASES.forEach((c, i) => {
    for (const li of [0, 1] as const) {
      const layout = LAYOUTS[c.rank][li];
      const channelsLast = li === 1;
      const rand = seededRandom(9100 + 2 * i + li);
      const x = randomData(rand, count(c.shape));
      const tag = `${c.shape.join('x')} ${layout} case ${i}`;

      it(`maxPool${c.rank}d forward and backward (${ALGORITHMS.join(', ')}) ${tag}`, async () => {
        const g = resolveMaxWindow('maxPool', c.rank, c.shape, c.max);
        const want = ref.maxPoolNdForward(x, channelsLast, g);
        const dyData = randomData(rand, want.output.length, false);
        const wantDx = ref.maxPoolNdBackward(dyData, want.indices, channelsLast, g);
        const { returnIndices: _, ...window } = c.max;
        await withCleanErrorScope(split, async () => {
          const xt = split.tensor(x, c.shape, { layout });
          let result: Awaited<ReturnType<Pooling['maxPool1d']>> | undefined;
          await expectSplit('forward', async () => {
            result = await maxPool(split, c.rank, xt, c.max);
          });
          const { output, indices } = result!;
          expectBitExact(await output.read(), want.output, 'values');
          expectBitExact(await indices!.read(), want.indices, 'indices');
          const dy = split.tensor(dyData, output.shape, { layout });
          for (const backward of ALGORITHMS) {
            await expectSplit(`backward ${backward}`, async () => {
              const dx = await maxPoolBackward(split, c.rank, dy, indices!, { ...window, inputShape: c.shape, backward });
              expectClose(await dx.read(), wantDx, overlap(g), `dx (${backward})`);
              dx.destroy();
            });
          }
          for (const t of [xt, output, indices, dy]) t?.destroy();
        });
      });

      it(`avgPool${c.rank}d forward and backward (${ALGORITHMS.join(', ')}) ${tag}`, async () => {
        const g = resolveAvgWindow('avgPool', c.rank, c.shape, c.avg);
        const want = ref.avgPoolNdForward(x, channelsLast, g);
        const dyData = randomData(rand, want.length, false);
        const wantDx = ref.avgPoolNdBackward(dyData, channelsLast, g);
        await withCleanErrorScope(split, async () => {
          const xt = split.tensor(x, c.shape, { layout });
          await expectSplit('forward', async () => {
            const y = await avgPool(split, c.rank, xt, c.avg);
            expectClose(await y.read(), want, count(g.kernel), 'averages');
            y.destroy();
          });
          const dy = split.tensor(dyData, [g.N, g.C, ...g.outSize], { layout });
          for (const backward of ALGORITHMS) {
            await expectSplit(`backward ${backward}`, async () => {
              const dx = await avgPoolBackward(split, c.rank, dy, { ...c.avg, inputShape: c.shape, backward });
              expectClose(await dx.read(), wantDx, overlap(g), `dx (${backward})`);
              dx.destroy();
            });
          }
          xt.destroy();
          dy.destroy();
        });
      });
    }
  });
});

/**
 * Global pooling of rank 5. Small volumes (one pass) split between planes at 2 KiB. A two-pass
 * volume's unit is one chunk, 4,096 positions of a channel-first plane (16 KiB) or every channel of
 * 1,024 positions channels-last (4 KiB x C), so those run at a limit just above one unit.
 */
const GLOBAL_CASES: { shape: number[]; limits: Record<'NCDHW' | 'NDHWC', number> }[] = [
  { shape: [2, 3, 4, 5, 6], limits: { NCDHW: BINDING_LIMIT, NDHWC: BINDING_LIMIT } },
  { shape: [1, 2, 10, 40, 40], limits: { NCDHW: 20 * 1024, NDHWC: 12 * 1024 } },
];

describe('global pooling of rank 5 at a small binding limit splits and matches the reference', () => {
  const contexts = new Map<number, Pooling>();
  async function at(limit: number): Promise<Pooling> {
    let p = contexts.get(limit);
    if (!p) contexts.set(limit, (p = await createPooling({ device, maxStorageBufferBindingSize: limit })));
    return p;
  }
  afterAll(() => {
    for (const p of contexts.values()) p.destroy();
  });

  let seed = 9200;
  for (const { shape, limits } of GLOBAL_CASES) {
    for (const layout of ['NCDHW', 'NDHWC'] as const) {
      for (const keepDims of [false, true]) {
        const channelsLast = layout === 'NDHWC';
        const logical = randomData(seededRandom(seed++), count(shape));
        const dyData = randomData(seededRandom(seed++), shape[0]! * shape[1]!, false);
        it(`globalMaxPool, globalAvgPool and their backward ${shape.join('x')} ${layout}${keepDims ? ' keepDims' : ''} at ${limits[layout]} bytes`, async () => {
          const p = await at(limits[layout]);
          const x = inLayout(logical, shape, channelsLast);
          const s = planes(shape);
          const xPlane: Layout = channelsLast ? 'NHWC' : 'NCHW';
          const [N, C] = shape as [number, number];
          const outShape = keepDims ? [N, C, 1, 1, 1] : [N, C];
          const dxPlane: Layout = keepDims ? xPlane : 'NCHW';
          const vol = count(shape.slice(2));
          await withCleanErrorScope(p, async () => {
            const xt = p.tensor(x, shape, { layout });
            const dy = p.tensor(dyData, outShape, { layout: keepDims ? layout : 'NC' });
            const wantMax = ref.globalMaxPool(x, xPlane, s);
            let max: Awaited<ReturnType<Pooling['globalMaxPool']>> | undefined;
            await expectSplit('globalMaxPool', async () => {
              max = await p.globalMaxPool(xt, { returnIndices: true, keepDims });
            });
            const { output, indices } = max!;
            expectBitExact(await output.read(), wantMax.output, 'max values');
            expectBitExact(await indices!.read(), wantMax.indices, 'max indices');
            await expectSplit('globalMaxPoolBackward', async () => {
              const dx = await p.globalMaxPoolBackward(dy, indices!, { inputShape: shape });
              expectBitExact(await dx.read(), ref.globalMaxPoolBackward(dyData, wantMax.indices, dxPlane, s), 'max dx');
              dx.destroy();
            });
            output.destroy();
            indices!.destroy();
            await expectSplit('globalAvgPool', async () => {
              const y = await p.globalAvgPool(xt, { keepDims });
              expectClose(await y.read(), ref.globalAvgPool(x, xPlane, s), vol, 'means');
              y.destroy();
            });
            await expectSplit('globalAvgPoolBackward', async () => {
              const dx = await p.globalAvgPoolBackward(dy, { inputShape: shape });
              expectClose(await dx.read(), ref.globalAvgPoolBackward(dyData, dxPlane, s), 1, 'avg dx');
              dx.destroy();
            });
            xt.destroy();
            dy.destroy();
          });
        });
      }
    }
  }
});
