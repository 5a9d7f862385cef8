/**
 * Every forward op on WebGPU against the CPU reference, over seeded random configurations that
 * span every option and both layouts. Max values and indices must match bit for bit; averages
 * within docs/semantics.md's tolerance.
 */
import { describe, expect, it } from 'vitest';
import { resolveAvgPool, resolveMaxPool } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { useGpuPool, withCleanErrorScope } from './helpers/gpu.js';
import { pick, randomData, randomInt, seededRandom } from './helpers/random.js';
import { describeWindow, randomWindow, type Shape, type WindowConfig } from './helpers/windows.js';

const pool = useGpuPool();

/** Shapes from 1x1 up to 300 per side, channel counts that exercise the vec4 NHWC kernels too. */
function drawShape(rand: () => number): () => Shape {
  return () => {
    const big = rand() < 0.15;
    const H = big ? randomInt(rand, 100, 300) : randomInt(rand, 1, 40);
    const W = big ? randomInt(rand, 100, 300) : randomInt(rand, 1, 40);
    return big ? [1, randomInt(rand, 1, 3), H, W] : [randomInt(rand, 1, 3), pick(rand, [1, 2, 3, 4, 5, 8, 12]), H, W];
  };
}

function describeConfig(c: WindowConfig, extra: string): string {
  return `${describeWindow(c)} ${c.layout}${extra}`;
}

const MAX_CONFIGS = 110;
const AVG_CONFIGS = 110;
const GLOBAL_CONFIGS = 90;

describe('maxPool2d on WebGPU matches the reference bit for bit', () => {
  const rand = seededRandom(20261127);
  for (let i = 0; i < MAX_CONFIGS; i++) {
    const c = randomWindow(rand, drawShape(rand), true);
    const padValue = rand() < 0.25 ? 0 : -Infinity;
    const returnIndices = rand() < 0.8;
    const data = randomData(rand, c.shape.reduce((a, b) => a * b, 1));
    it(`#${i} ${describeConfig(c, `${padValue === 0 ? ' pad0' : ''}${returnIndices ? ' +indices' : ''}`)}`, async () => {
      const opts = { kernelSize: c.kernelSize, stride: c.stride, padding: c.padding, dilation: c.dilation, ceilMode: c.ceilMode, padValue, returnIndices };
      const want = ref.maxPool2dForward(data, c.layout, resolveMaxPool('maxPool2d', c.shape, opts));
      const p = pool();
      await withCleanErrorScope(p, async () => {
        const x = p.tensor(data, c.shape, { layout: c.layout });
        const { output, indices } = await p.maxPool2d(x, opts);
        expectBitExact(await output.read(), want.output, 'values');
        if (returnIndices) expectBitExact(await indices!.read(), want.indices, 'indices');
        else expect(indices).toBeUndefined();
        for (const t of [x, output, indices]) t?.destroy();
      });
    });
  }
});

describe('avgPool2d on WebGPU matches the reference within tolerance', () => {
  const rand = seededRandom(7);
  for (let i = 0; i < AVG_CONFIGS; i++) {
    const c = randomWindow(rand, drawShape(rand), false);
    const countIncludePad = rand() < 0.5;
    const divisorOverride = rand() < 0.15 ? randomInt(rand, 1, 9) : undefined;
    const data = randomData(rand, c.shape.reduce((a, b) => a * b, 1), false);
    it(`#${i} ${describeConfig(c, `${countIncludePad ? '' : ' excludePad'}${divisorOverride ? ` div${divisorOverride}` : ''}`)}`, async () => {
      const opts = { kernelSize: c.kernelSize, stride: c.stride, padding: c.padding, ceilMode: c.ceilMode, countIncludePad, ...(divisorOverride ? { divisorOverride } : {}) };
      const want = ref.avgPool2dForward(data, c.layout, resolveAvgPool('avgPool2d', c.shape, opts));
      const p = pool();
      await withCleanErrorScope(p, async () => {
        const x = p.tensor(data, c.shape, { layout: c.layout });
        const y = await p.avgPool2d(x, opts);
        expectClose(await y.read(), want, c.kernelSize[0] * c.kernelSize[1], 'averages');
        x.destroy();
        y.destroy();
      });
    });
  }
});

describe('global pooling on WebGPU matches the reference', () => {
  const rand = seededRandom(99);
  for (let i = 0; i < GLOBAL_CONFIGS; i++) {
    // Plane sizes straddle both thresholds: one invocation per plane, one workgroup, two passes.
    const size = pick(rand, ['small', 'medium', 'large'] as const);
    const side = size === 'small' ? () => randomInt(rand, 1, 16) : size === 'medium' ? () => randomInt(rand, 17, 64) : () => randomInt(rand, 65, 300);
    const shape: [number, number, number, number] = [randomInt(rand, 1, 3), randomInt(rand, 1, size === 'large' ? 3 : 9), side(), side()];
    const layout = pick(rand, ['NCHW', 'NHWC'] as const);
    const kind = pick(rand, ['max', 'avg'] as const);
    const keepDims = rand() < 0.3;
    const data = randomData(rand, shape.reduce((a, b) => a * b, 1), kind === 'max');
    it(`#${i} global ${kind} ${shape.join('x')} ${layout}${keepDims ? ' keepDims' : ''}`, async () => {
      const s = { N: shape[0], C: shape[1], H: shape[2], W: shape[3] };
      const p = pool();
      await withCleanErrorScope(p, async () => {
        const x = p.tensor(data, shape, { layout });
        const outShape = keepDims ? [shape[0], shape[1], 1, 1] : [shape[0], shape[1]];
        if (kind === 'max') {
          const want = ref.globalMaxPool(data, layout, s);
          const { output, indices } = await p.globalMaxPool(x, { returnIndices: true, keepDims });
          expect(output.shape).toEqual(outShape);
          expectBitExact(await output.read(), want.output, 'values');
          expectBitExact(await indices!.read(), want.indices, 'indices');
          output.destroy();
          indices!.destroy();
        } else {
          const y = await p.globalAvgPool(x, { keepDims });
          expect(y.shape).toEqual(outShape);
          expectClose(await y.read(), ref.globalAvgPool(data, layout, s), s.H * s.W, 'means');
          y.destroy();
        }
        x.destroy();
      });
    });
  }
});
