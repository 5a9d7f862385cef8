/**
 * Every backward op on WebGPU against the CPU reference, over seeded random configurations that
 * span every option and both layouts, each run with both algorithms (and 'auto'). The forward runs
 * on the GPU too and its indices go straight into the backward: every case is also a chained
 * forward → backward with no read-back between. Tolerance: docs/semantics.md, with `terms` the most
 * windows that can cover one element.
 */
import { describe, expect, it, vi } from 'vitest';
import { resolveAvgPool, resolveMaxPool } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { BackwardAlgorithm, Layout } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { useGpuPool, withCleanErrorScope } from './helpers/gpu.js';
import { pick, randomData, randomInt, seededRandom } from './helpers/random.js';
import { describeWindow, randomWindow, type Shape, type WindowConfig } from './helpers/windows.js';

const pool = useGpuPool();


function drawShape(rand: () => number): () => Shape {
  return () => [randomInt(rand, 1, 2), pick(rand, [1, 2, 3, 4, 8]), randomInt(rand, 1, 60), randomInt(rand, 1, 60)];
}

function describeConfig(c: WindowConfig, extra: string): string {
  return `${describeWindow(c)} ${c.layout}${extra}`;
}

/** The most windows that can cover one element: the number of terms a gradient sum may have. */
function coverage(c: WindowConfig): number {
  const eH = c.dilation[0] * (c.kernelSize[0] - 1) + 1;
  const eW = c.dilation[1] * (c.kernelSize[1] - 1) + 1;
  return Math.ceil(eH / c.stride[0]) * Math.ceil(eW / c.stride[1]);
}

const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const ALGORITHMS: BackwardAlgorithm[] = ['scatter', 'gather', 'auto'];
const MAX_CONFIGS = 110;
const AVG_CONFIGS = 110;
const GLOBAL_CONFIGS = 50;

describe('maxPool2dBackward on WebGPU matches the reference (scatter, gather, auto)', () => {
  const rand = seededRandom(31);
  for (let i = 0; i < MAX_CONFIGS; i++) {
    const c = randomWindow(rand, drawShape(rand), true);
    const padValue = rand() < 0.2 ? 0 : -Infinity;
    const x = randomData(rand, count(c.shape));
    const window = { kernelSize: c.kernelSize, stride: c.stride, padding: c.padding, dilation: c.dilation, ceilMode: c.ceilMode, padValue };
    const p = resolveMaxPool('maxPool2d', c.shape, window);
    const dyData = randomData(rand, p.N * p.C * p.outH * p.outW, false);
    it(`#${i} ${describeConfig(c, padValue === 0 ? ' pad0' : '')}`, async () => {
      const forward = ref.maxPool2dForward(x, c.layout, p);
      const want = ref.maxPool2dBackward(dyData, forward.indices, c.layout, p);
      const gpu = pool();
      await withCleanErrorScope(gpu, async () => {
        const xt = gpu.tensor(x, c.shape, { layout: c.layout });
        const { output, indices } = await gpu.maxPool2d(xt, { ...window, returnIndices: true });
        const dy = gpu.tensor(dyData, output.shape, { layout: c.layout });
        for (const backward of ALGORITHMS) {
          const dx = await gpu.maxPool2dBackward(dy, indices!, { ...window, inputShape: c.shape, backward });
          expect(dx.shape).toEqual(c.shape);
          expect(dx.layout).toBe(c.layout);
          expectClose(await dx.read(), want, coverage(c), `dx (${backward})`);
          dx.destroy();
        }
        for (const t of [xt, output, indices, dy]) t?.destroy();
      });
    });
  }
});

describe('avgPool2dBackward on WebGPU matches the reference (scatter, gather, auto)', () => {
  const rand = seededRandom(32);
  for (let i = 0; i < AVG_CONFIGS; i++) {
    const c = randomWindow(rand, drawShape(rand), false);
    const countIncludePad = rand() < 0.5;
    const divisorOverride = rand() < 0.15 ? randomInt(rand, 1, 9) : undefined;
    const window = { kernelSize: c.kernelSize, stride: c.stride, padding: c.padding, ceilMode: c.ceilMode, countIncludePad, ...(divisorOverride ? { divisorOverride } : {}) };
    const p = resolveAvgPool('avgPool2d', c.shape, window);
    const dyData = randomData(rand, p.N * p.C * p.outH * p.outW, false);
    it(`#${i} ${describeConfig(c, `${countIncludePad ? '' : ' excludePad'}${divisorOverride ? ` div${divisorOverride}` : ''}`)}`, async () => {
      const want = ref.avgPool2dBackward(dyData, c.layout, p);
      const gpu = pool();
      await withCleanErrorScope(gpu, async () => {
        const dy = gpu.tensor(dyData, [p.N, p.C, p.outH, p.outW], { layout: c.layout });
        for (const backward of ALGORITHMS) {
          const dx = await gpu.avgPool2dBackward(dy, { ...window, inputShape: c.shape, backward });
          expect(dx.shape).toEqual(c.shape);
          expectClose(await dx.read(), want, coverage(c), `dx (${backward})`);
          dx.destroy();
        }
        dy.destroy();
      });
    });
  }
});

describe('global backward on WebGPU matches the reference', () => {
  const rand = seededRandom(33);
  for (let i = 0; i < GLOBAL_CONFIGS; i++) {
    const shape: Shape = [randomInt(rand, 1, 3), randomInt(rand, 1, 6), randomInt(rand, 1, 60), randomInt(rand, 1, 60)];
    const layout = pick(rand, ['NCHW', 'NHWC'] as const);
    const kind = pick(rand, ['max', 'avg'] as const);
    const keepDims = rand() < 0.4;
    const x = randomData(rand, count(shape));
    const dyData = randomData(rand, shape[0] * shape[1], false);
    it(`#${i} global ${kind} ${shape.join('x')} ${layout}${keepDims ? ' keepDims' : ''}`, async () => {
      const s = { N: shape[0], C: shape[1], H: shape[2], W: shape[3] };
      const gpu = pool();
      await withCleanErrorScope(gpu, async () => {
        const xt = gpu.tensor(x, shape, { layout });
        const dyShape = keepDims ? [s.N, s.C, 1, 1] : [s.N, s.C];
        const dy = keepDims ? gpu.tensor(dyData, dyShape, { layout }) : await gradientNC(gpu, dyData, s.N, s.C, layout);
        expect(dy.shape).toEqual(dyShape);
        // A [N, C] dy has layout 'NC', and its dx is channel-first; a keepDims dy's layout is dx's.
        const dxLayout = keepDims ? layout : 'NCHW';
        if (kind === 'max') {
          const { output, indices } = await gpu.globalMaxPool(xt, { returnIndices: true, keepDims });
          const want = ref.globalMaxPoolBackward(dyData, ref.globalMaxPool(x, layout, s).indices, dxLayout, s);
          const dx = await gpu.globalMaxPoolBackward(dy, indices!, { inputShape: shape });
          expect(dx.layout).toBe(dxLayout);
          expectBitExact(await dx.read(), want, 'dx');
          for (const t of [output, indices, dx]) t?.destroy();
        } else {
          const dx = await gpu.globalAvgPoolBackward(dy, { inputShape: shape });
          expect(dx.layout).toBe(dxLayout);
          expectClose(await dx.read(), ref.globalAvgPoolBackward(dyData, dxLayout, s), 1, 'dx');
          dx.destroy();
        }
        xt.destroy();
        dy.destroy();
      });
    });
  }
});

/** A [N, C] tensor holding `values`, made as a global op's output: the global max of 1x1 planes, exact. */
async function gradientNC(gpu: ReturnType<typeof pool>, values: Float32Array, N: number, C: number, layout: Layout) {
  const planes = gpu.tensor(values, [N, C, 1, 1], { layout });
  const { output } = await gpu.globalMaxPool(planes);
  planes.destroy();
  return output;
}

describe('forward then backward on the GPU, no read-back between', () => {
  it('maxPool2d → maxPool2dBackward and avgPool2d → avgPool2dBackward read only dx', async () => {
    const gpu = pool();
    const shape: Shape = [2, 3, 17, 19];
    const rand = seededRandom(34);
    const x = randomData(rand, count(shape));
    const window = { kernelSize: 3, stride: 2, padding: 1 } as const;
    const readSpy = vi.spyOn(gpu.impl, 'readTensor');
    try {
      await withCleanErrorScope(gpu, async () => {
        const xt = gpu.tensor(x, shape, { layout: 'NHWC' });
        const { output, indices } = await gpu.maxPool2d(xt, { ...window, returnIndices: true });
        // The forward's output doubles as the incoming gradient: it never leaves the GPU.
        const dx = await gpu.maxPool2dBackward(output, indices!, { ...window, inputShape: shape });
        const y = await gpu.avgPool2d(xt, window);
        const dxAvg = await gpu.avgPool2dBackward(y, { ...window, inputShape: shape });
        expect(readSpy).not.toHaveBeenCalled();

        const p = resolveMaxPool('maxPool2d', shape, window);
        const f = ref.maxPool2dForward(x, 'NHWC', p);
        expectClose(await dx.read(), ref.maxPool2dBackward(f.output, f.indices, 'NHWC', p), 4, 'max dx');
        const pa = resolveAvgPool('avgPool2d', shape, window);
        expectClose(await dxAvg.read(), ref.avgPool2dBackward(ref.avgPool2dForward(x, 'NHWC', pa), 'NHWC', pa), 4, 'avg dx');
        expect(readSpy).toHaveBeenCalledTimes(2);
        for (const t of [xt, output, indices, dx, y, dxAvg]) t?.destroy();
      });
    } finally {
      readSpy.mockRestore();
    }
  });
});
