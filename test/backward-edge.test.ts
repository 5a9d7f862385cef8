/**
 * Named edge cases of the backward ops on WebGPU, with hand-worked gradients where they are short:
 * overlapping windows, ceil mode, padding, dilation, ties, NaN, windows that send nothing, dx
 * buffers reused from the pool, dispatches past 65,535 workgroups; then scatter/gather agreement,
 * run-to-run determinism of gather, and the 'auto' rule itself.
 */
import { describe, expect, it } from 'vitest';
import { chooseBackwardForm, windowsOverlap } from '../src/kernels/backward-choice.js';
import { resolveAvgPool, resolveMaxPool } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { AdapterInfoSummary, AvgPool2dOptions, BackwardAlgorithm, Layout, MaxPool2dOptions } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { useGpuPool, withCleanErrorScope } from './helpers/gpu.js';
import { randomData, seededRandom } from './helpers/random.js';

const pool = useGpuPool();

type Shape = [number, number, number, number];
const ALGORITHMS: BackwardAlgorithm[] = ['scatter', 'gather', 'auto'];
const LAYOUTS: Layout[] = ['NCHW', 'NHWC'];
const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const range = (n: number, from = 0) => Float32Array.from({ length: n }, (_, i) => from + i);

/** GPU forward (with indices) then GPU backward; returns dx read back. */
async function maxBackward(shape: Shape, x: Float32Array, dy: Float32Array, opts: MaxPool2dOptions, layout: Layout, backward: BackwardAlgorithm): Promise<Float32Array> {
  const gpu = pool();
  return withCleanErrorScope(gpu, async () => {
    const xt = gpu.tensor(x, shape, { layout });
    const { output, indices } = await gpu.maxPool2d(xt, { ...opts, returnIndices: true });
    const dyt = gpu.tensor(dy, output.shape, { layout });
    const dx = await gpu.maxPool2dBackward(dyt, indices!, { ...opts, inputShape: shape, backward });
    const result = (await dx.read()) as Float32Array;
    for (const t of [xt, output, indices, dyt, dx]) t?.destroy();
    return result;
  });
}

async function avgBackward(shape: Shape, dy: Float32Array, opts: AvgPool2dOptions, layout: Layout, backward: BackwardAlgorithm): Promise<Float32Array> {
  const gpu = pool();
  return withCleanErrorScope(gpu, async () => {
    const p = resolveAvgPool('avgPool2d', shape, opts);
    const dyt = gpu.tensor(dy, [p.N, p.C, p.outH, p.outW], { layout });
    const dx = await gpu.avgPool2dBackward(dyt, { ...opts, inputShape: shape, backward });
    const result = (await dx.read()) as Float32Array;
    dyt.destroy();
    dx.destroy();
    return result;
  });
}

function maxReference(shape: Shape, x: Float32Array, dy: Float32Array, opts: MaxPool2dOptions, layout: Layout): Float32Array {
  const p = resolveMaxPool('maxPool2d', shape, opts);
  return ref.maxPool2dBackward(dy, ref.maxPool2dForward(x, layout, p).indices, layout, p);
}

// One plane (N = C = 1): NCHW and NHWC hold the same bytes, so hand-worked values serve both.
describe('hand-worked max pooling gradients', () => {
  const handCases: { name: string; shape: Shape; x: Float32Array; dy: Float32Array; opts: MaxPool2dOptions; dx: number[] }[] = [
    {
      name: 'overlapping 3x3 s1: four windows share one argmax',
      shape: [1, 1, 4, 4],
      x: Float32Array.from([0, 1, 2, 3, 4, 9, 5, 6, 7, 8, 2, 1, 0, 3, 4, 5]),
      dy: Float32Array.from([1, 2, 3, 4]),
      opts: { kernelSize: 3, stride: 1 },
      dx: [0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    },
    {
      name: 'padding 1, 3x3 s1: each window points at its bottom-right real element',
      shape: [1, 1, 3, 3],
      x: range(9),
      dy: new Float32Array(9).fill(1),
      opts: { kernelSize: 3, stride: 1, padding: 1 },
      dx: [0, 0, 0, 0, 1, 2, 0, 2, 4],
    },
    {
      name: 'ceil mode 5x5 k2 s2: the last windows hold one row / column',
      shape: [1, 1, 5, 5],
      x: range(25),
      dy: range(9, 1),
      opts: { kernelSize: 2, ceilMode: true },
      dx: [0, 0, 0, 0, 0, 0, 1, 0, 2, 3, 0, 0, 0, 0, 0, 0, 4, 0, 5, 6, 0, 7, 0, 8, 9],
    },
    {
      name: 'dilation 2 along W: taps skip the element between',
      shape: [1, 1, 1, 5],
      x: Float32Array.from([5, 1, 4, 2, 3]),
      dy: Float32Array.from([1, 2, 4]),
      opts: { kernelSize: [1, 2], dilation: [1, 2], stride: 1 },
      dx: [1, 0, 4, 2, 0],
    },
    {
      name: 'NaN: the gradient goes to the NaN position',
      shape: [1, 1, 2, 4],
      x: Float32Array.from([1, NaN, 3, 4, NaN, 2, 5, 9]),
      dy: Float32Array.from([1, 2]),
      opts: { kernelSize: 2 },
      dx: [0, 0, 0, 0, 1, 0, 0, 2],
    },
    {
      name: 'a window with no real element (dilation 3, padding 2) sends nothing',
      shape: [1, 1, 1, 2],
      x: Float32Array.from([1, 2]),
      dy: Float32Array.from([1, 2, 4]),
      opts: { kernelSize: [1, 2], dilation: [1, 3], padding: [0, 2], stride: 1 },
      // windows' taps: (-2, 1), (-1, 2), (0, 3); the middle one holds only padding (index -1)
      dx: [4, 1],
    },
    {
      name: 'zero padding (padValue 0): a winning padded zero sends nothing',
      shape: [1, 1, 2, 2],
      x: Float32Array.from([-1, -2, -3, 4]),
      dy: range(9, 1),
      opts: { kernelSize: 2, stride: 1, padding: 1, padValue: 0 },
      // only windows touching (1,1) = 4 have a real argmax: windows (1,1), (1,2), (2,1), (2,2)
      dx: [0, 0, 0, 5 + 6 + 8 + 9],
    },
  ];
  for (const c of handCases) {
    for (const layout of LAYOUTS) {
      for (const backward of ALGORITHMS) {
        it(`${c.name} ${c.shape.join('x')} ${layout} ${backward}`, async () => {
          expect(Array.from(maxReference(c.shape, c.x, c.dy, c.opts, layout)), 'the reference agrees with the hand values').toEqual(c.dx);
          expectBitExact(await maxBackward(c.shape, c.x, c.dy, c.opts, layout, backward), Float32Array.from(c.dx), 'dx');
        });
      }
    }
  }
});

describe('hand-worked average pooling gradients', () => {
  const ones9 = new Float32Array(9).fill(1);
  const handCases: { name: string; shape: Shape; dy: Float32Array; opts: AvgPool2dOptions; dx: number[] }[] = [
    {
      name: '3x3 s1 p1 counting padding: each element gets (windows covering it)/9',
      shape: [1, 1, 3, 3],
      dy: ones9,
      opts: { kernelSize: 3, stride: 1, padding: 1 },
      dx: [4, 6, 4, 6, 9, 6, 4, 6, 4].map((n) => n / 9),
    },
    {
      name: '3x3 s1 p1 without padding: divisors 4 (corner), 6 (edge), 9 (centre)',
      shape: [1, 1, 3, 3],
      dy: ones9,
      opts: { kernelSize: 3, stride: 1, padding: 1, countIncludePad: false },
      dx: (() => {
        const corner = 1 / 4 + 1 / 6 + 1 / 6 + 1 / 9;
        const edge = 1 / 4 + 1 / 4 + 1 / 6 + 1 / 6 + 1 / 6 + 1 / 9;
        const centre = 4 / 4 + 4 / 6 + 1 / 9;
        return [corner, edge, corner, edge, centre, edge, corner, edge, corner];
      })(),
    },
    {
      name: 'ceil mode 5x5 k2 s2: the overhang is not in the divisor',
      shape: [1, 1, 5, 5],
      dy: range(9, 1),
      opts: { kernelSize: 2, ceilMode: true },
      dx: Array.from({ length: 25 }, (_, i) => {
        const [oh, ow] = [Math.floor(i / 5) >> 1, (i % 5) >> 1];
        return (oh * 3 + ow + 1) / ((oh === 2 ? 1 : 2) * (ow === 2 ? 1 : 2));
      }),
    },
    {
      name: 'divisorOverride 5 replaces every divisor',
      shape: [1, 1, 3, 3],
      dy: ones9,
      opts: { kernelSize: 3, stride: 1, padding: 1, divisorOverride: 5 },
      dx: [4, 6, 4, 6, 9, 6, 4, 6, 4].map((n) => n / 5),
    },
    {
      name: 'stride 3 > kernel 2: the gaps get nothing',
      shape: [1, 1, 5, 5],
      dy: Float32Array.from([1, 2, 3, 4]),
      opts: { kernelSize: 2, stride: 3 },
      dx: [1, 1, 0, 2, 2, 1, 1, 0, 2, 2, 0, 0, 0, 0, 0, 3, 3, 0, 4, 4, 3, 3, 0, 4, 4].map((n) => n / 4),
    },
  ];
  for (const c of handCases) {
    for (const layout of LAYOUTS) {
      for (const backward of ALGORITHMS) {
        it(`${c.name} ${c.shape.join('x')} ${layout} ${backward}`, async () => {
          const want = Float32Array.from(c.dx);
          expectClose(ref.avgPool2dBackward(c.dy, layout, resolveAvgPool('avgPool2d', c.shape, c.opts)), want, 9, 'the reference against the hand values');
          expectClose(await avgBackward(c.shape, c.dy, c.opts, layout, backward), want, 9, 'dx');
        });
      }
    }
  }
});

describe('ties: every output sends its gradient to exactly one element', () => {
  // Constant input: each window's argmax is its first real tap. dy[o] = 2^o makes every sum exact
  // and lets each element's value be decoded into the set of outputs that reached it.
  const cases: { shape: Shape; opts: MaxPool2dOptions }[] = [
    { shape: [1, 1, 4, 4], opts: { kernelSize: 3, stride: 1, padding: 1 } },
    { shape: [1, 1, 5, 5], opts: { kernelSize: 3, stride: 2, dilation: 2, padding: 2 } },
    { shape: [1, 1, 3, 7], opts: { kernelSize: [2, 4], stride: [1, 2], padding: [1, 0, 1, 3], ceilMode: true } },
  ];
  for (const c of cases) {
    for (const layout of LAYOUTS) {
      for (const backward of ALGORITHMS) {
        it(`${c.shape.join('x')} ${JSON.stringify(c.opts)} ${layout} ${backward}`, async () => {
          const p = resolveMaxPool('maxPool2d', c.shape, c.opts);
          const outputs = p.outH * p.outW;
          expect(outputs).toBeLessThanOrEqual(24);
          const x = new Float32Array(count(c.shape)).fill(0.5);
          const dy = Float32Array.from({ length: outputs }, (_, o) => 2 ** o);
          const dx = await maxBackward(c.shape, x, dy, c.opts, layout, backward);
          expectBitExact(dx, maxReference(c.shape, x, dy, c.opts, layout), 'dx');
          let seen = 0;
          for (const v of dx) {
            expect(seen & v, 'an output reached two elements').toBe(0);
            seen |= v;
          }
          expect(seen, 'an output reached no element').toBe(2 ** outputs - 1);
        });
      }
    }
  }
});

describe('padding and dilation against the reference', () => {
  const rand = seededRandom(41);
  const cases: { name: string; shape: Shape; max?: MaxPool2dOptions; avg?: AvgPool2dOptions }[] = [
    { name: 'asymmetric padding [t,l,b,r]', shape: [2, 3, 9, 8], max: { kernelSize: 3, stride: 2, padding: [0, 2, 1, 0] }, avg: { kernelSize: 3, stride: 2, padding: [0, 2, 1, 0] } },
    { name: "'same' padding, stride 3", shape: [1, 2, 10, 11], max: { kernelSize: 4, stride: 3, padding: 'same' }, avg: { kernelSize: 4, stride: 3, padding: 'same', countIncludePad: false } },
    { name: 'dilation 2x3 with padding, overlapping', shape: [1, 2, 12, 14], max: { kernelSize: 3, dilation: [2, 3], padding: [2, 3], stride: 1 } },
    { name: 'dilation with stride = effective kernel (direct path)', shape: [1, 2, 10, 10], max: { kernelSize: 2, dilation: 3, stride: 4, padding: 1 } },
    { name: 'ceil mode, padding, overlap', shape: [2, 2, 7, 6], max: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }, avg: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true } },
  ];
  for (const c of cases) {
    for (const layout of LAYOUTS) {
      for (const backward of ALGORITHMS) {
        if (c.max) {
          it(`max ${c.name} ${c.shape.join('x')} ${layout} ${backward}`, async () => {
            const x = randomData(rand, count(c.shape));
            const p = resolveMaxPool('maxPool2d', c.shape, c.max!);
            const dy = randomData(rand, p.N * p.C * p.outH * p.outW, false);
            expectClose(await maxBackward(c.shape, x, dy, c.max!, layout, backward), maxReference(c.shape, x, dy, c.max!, layout), 9, 'dx');
          });
        }
        if (c.avg) {
          it(`avg ${c.name} ${c.shape.join('x')} ${layout} ${backward}`, async () => {
            const p = resolveAvgPool('avgPool2d', c.shape, c.avg!);
            const dy = randomData(rand, p.N * p.C * p.outH * p.outW, false);
            expectClose(await avgBackward(c.shape, dy, c.avg!, layout, backward), ref.avgPool2dBackward(dy, layout, p), 4, 'dx');
          });
        }
      }
    }
  }
});

describe('dx is zeroed even when its pooled buffer held data', () => {
  // Scatter and direct forms write only where gradient lands; stride 3 > kernel 2 leaves gaps.
  const shape: Shape = [1, 2, 8, 8];
  for (const backward of ALGORITHMS) {
    it(`max and avg k2 s3 ${shape.join('x')} ${backward}`, async () => {
      const gpu = pool();
      const opts = { kernelSize: 2, stride: 3 };
      const x = randomData(seededRandom(42), count(shape));
      const p = resolveMaxPool('maxPool2d', shape, opts);
      const dy = randomData(seededRandom(43), p.N * p.C * p.outH * p.outW, false);
      await withCleanErrorScope(gpu, async () => {
        const xt = gpu.tensor(x, shape);
        const { output, indices } = await gpu.maxPool2d(xt, { ...opts, returnIndices: true });
        const dyt = gpu.tensor(dy, output.shape);
        // Release a buffer of dx's size full of NaN: the next allocation of that size reuses it.
        gpu.tensor(new Float32Array(count(shape)).fill(NaN), shape).destroy();
        const dx = await gpu.maxPool2dBackward(dyt, indices!, { ...opts, inputShape: shape, backward });
        expectBitExact(await dx.read(), maxReference(shape, x, dy, opts, 'NCHW'), 'max dx');
        dx.destroy();
        gpu.tensor(new Float32Array(count(shape)).fill(NaN), shape).destroy();
        const dxAvg = await gpu.avgPool2dBackward(dyt, { ...opts, inputShape: shape, backward });
        expectClose(await dxAvg.read(), ref.avgPool2dBackward(dy, 'NCHW', resolveAvgPool('avgPool2d', shape, opts)), 1, 'avg dx');
        for (const t of [xt, output, indices, dyt, dxAvg]) t?.destroy();
      });
    });
  }
});

describe('scatter and gather agree; gather is bit-identical run to run', () => {
  const cases: { name: string; shape: Shape; max?: MaxPool2dOptions; avg?: AvgPool2dOptions }[] = [
    { name: 'max k3 s1 p1', shape: [2, 3, 24, 24], max: { kernelSize: 3, stride: 1, padding: 1 } },
    { name: 'max k3 d2 s1 p2', shape: [1, 4, 20, 20], max: { kernelSize: 3, stride: 1, padding: 2, dilation: 2 } },
    { name: 'avg k5 s1 p2', shape: [2, 3, 24, 24], avg: { kernelSize: 5, stride: 1, padding: 2 } },
    { name: 'avg k4 s2 p1 excluding padding', shape: [2, 3, 24, 24], avg: { kernelSize: 4, stride: 2, padding: 1, countIncludePad: false } },
  ];
  for (const c of cases) {
    for (const layout of LAYOUTS) {
      it(`${c.name} ${c.shape.join('x')} ${layout}`, async () => {
        const rand = seededRandom(44);
        // Plateaus of ties make many windows share an argmax: long sums whose order matters.
        const x = Float32Array.from(randomData(rand, count(c.shape)), (v) => Math.round(v * 2) / 2);
        const p = c.max ? resolveMaxPool('maxPool2d', c.shape, c.max) : resolveAvgPool('avgPool2d', c.shape, c.avg!);
        const dy = randomData(rand, p.N * p.C * p.outH * p.outW, false);
        const run = (backward: BackwardAlgorithm) => (c.max ? maxBackward(c.shape, x, dy, c.max, layout, backward) : avgBackward(c.shape, dy, c.avg!, layout, backward));
        const gather = await run('gather');
        const terms = Math.ceil((p.dH * (p.kH - 1) + 1) / p.sH) * Math.ceil((p.dW * (p.kW - 1) + 1) / p.sW);
        expectClose(await run('scatter'), gather, terms, 'scatter against gather');
        for (let r = 0; r < 3; r++) expectBitExact(await run('gather'), gather, `gather run ${r + 2}`);
      });
    }
  }
});

describe('dispatches past 65,535 workgroups in one dimension', () => {
  // 1 x 1 x 2064 x 2048 = 4,227,072 elements = 66,048 workgroups of 64.
  const shape: Shape = [1, 1, 2064, 2048];
  it(`max gather (one invocation per input element) ${shape.join('x')}`, async () => {
    const rand = seededRandom(45);
    const x = randomData(rand, count(shape));
    const opts = { kernelSize: 2 };
    const p = resolveMaxPool('maxPool2d', shape, opts);
    const dy = randomData(rand, p.N * p.C * p.outH * p.outW, false);
    expectBitExact(await maxBackward(shape, x, dy, opts, 'NCHW', 'gather'), maxReference(shape, x, dy, opts, 'NCHW'), 'dx');
  });
  it(`avg k1 direct (one invocation per output element) and global avg ${shape.join('x')}`, async () => {
    const rand = seededRandom(46);
    const dy = randomData(rand, count(shape), false);
    const opts = { kernelSize: 1 };
    expectClose(await avgBackward(shape, dy, opts, 'NHWC', 'scatter'), dy, 1, 'dx');
    const gpu = pool();
    await withCleanErrorScope(gpu, async () => {
      const planes = gpu.tensor(Float32Array.from([3]), [1, 1, 1, 1]);
      const dyGlobal = (await gpu.globalMaxPool(planes)).output;
      const dx = await gpu.globalAvgPoolBackward(dyGlobal, { inputShape: shape });
      expectClose((await dx.read()) as Float32Array, new Float32Array(count(shape)).fill(3 / count(shape)), 1, 'global dx');
      for (const t of [planes, dyGlobal, dx]) t.destroy();
    });
  });
});

describe("the 'auto' rule (src/kernels/backward-choice.ts)", () => {
  const swiftShader: AdapterInfoSummary = { vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0' };
  const llvmpipe: AdapterInfoSummary = { vendor: '', architecture: '', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'OpenGL version OpenGL ES 3.2 Mesa 22.3.6' };
  const geometry = (shape: Shape, o: MaxPool2dOptions) => resolveMaxPool('maxPool2d', shape, o);
  const k2s2 = geometry([1, 1, 8, 8], { kernelSize: 2 });
  const k3s2 = geometry([1, 1, 8, 8], { kernelSize: 3, stride: 2, padding: 1 });
  const k3s1 = geometry([1, 1, 8, 8], { kernelSize: 3, stride: 1, padding: 1 });
  const k2d3s4 = geometry([1, 1, 8, 8], { kernelSize: 2, dilation: 3, stride: 4 });
  const k2d3s3 = geometry([1, 1, 8, 8], { kernelSize: 2, dilation: 3, stride: 3 });

  it('windows overlap when the stride is below the effective kernel on either axis', () => {
    expect(windowsOverlap(k2s2)).toBe(false);
    expect(windowsOverlap(k2d3s4)).toBe(false);
    expect(windowsOverlap(k2d3s3)).toBe(true);
    expect(windowsOverlap(geometry([1, 1, 8, 8], { kernelSize: [2, 3], stride: [2, 2] }))).toBe(true);
  });
  it("an explicit 'gather' is always gather; 'scatter' drops the atomics when windows cannot overlap", () => {
    for (const p of [k2s2, k3s1]) for (const a of [swiftShader, llvmpipe, null]) expect(chooseBackwardForm('avg', p, 'gather', a)).toBe('gather');
    expect(chooseBackwardForm('max', k2s2, 'scatter', null)).toBe('cell');
    expect(chooseBackwardForm('max', k2s2, 'scatter', swiftShader, 'NCHW')).toBe('direct');
    expect(chooseBackwardForm('avg', k3s1, 'scatter', llvmpipe)).toBe('scatter');
  });
  it('auto: cell without overlap (direct for NCHW max on SwiftShader), scatter for max, gather for avg except light overlap on SwiftShader', () => {
    for (const a of [swiftShader, llvmpipe, null]) {
      expect(chooseBackwardForm('max', k2s2, 'auto', a)).toBe('cell');
      expect(chooseBackwardForm('max', k2s2, 'auto', a, 'NCHW')).toBe(a === swiftShader ? 'direct' : 'cell');
      expect(chooseBackwardForm('avg', k2s2, 'auto', a, 'NCHW')).toBe('cell');
      expect(chooseBackwardForm('max', k3s1, 'auto', a)).toBe('scatter');
    }
    expect(chooseBackwardForm('avg', k3s2, 'auto', swiftShader)).toBe('scatter');
    // The vec4 gather (NHWC, C % 4 == 0) beat the scatter on SwiftShader too (bench/selection-check.ts).
    const k3s2c64 = geometry([1, 64, 8, 8], { kernelSize: 3, stride: 2, padding: 1 });
    expect(chooseBackwardForm('avg', k3s2c64, 'auto', swiftShader, 'NHWC')).toBe('gather');
    expect(chooseBackwardForm('avg', k3s2c64, 'auto', swiftShader)).toBe('gather');
    expect(chooseBackwardForm('avg', k3s2c64, 'auto', swiftShader, 'NCHW')).toBe('scatter');
    expect(chooseBackwardForm('avg', k3s1, 'auto', swiftShader)).toBe('gather');
    expect(chooseBackwardForm('avg', k3s2, 'auto', llvmpipe)).toBe('gather');
    expect(chooseBackwardForm('avg', k3s2, 'auto', null)).toBe('gather');
  });
  it("auto, max with overlap on llvmpipe: the four-channel gather where it exists and the window is undilated, else scatter; 'scatter' is honoured", () => {
    const k3s2c64 = geometry([1, 64, 8, 8], { kernelSize: 3, stride: 2, padding: 1 });
    const k3s2c6 = geometry([1, 6, 8, 8], { kernelSize: 3, stride: 2, padding: 1 });
    const k2d2s1c64 = geometry([1, 64, 8, 8], { kernelSize: 2, dilation: 2, stride: 1 });
    expect(chooseBackwardForm('max', k3s2c64, 'auto', llvmpipe, 'NHWC')).toBe('gather');
    expect(chooseBackwardForm('max', k3s2c64, 'auto', llvmpipe)).toBe('gather');
    expect(chooseBackwardForm('max', k3s2c64, 'auto', llvmpipe, 'NCHW')).toBe('scatter');
    expect(chooseBackwardForm('max', k3s2c6, 'auto', llvmpipe, 'NHWC')).toBe('scatter');
    expect(chooseBackwardForm('max', k2d2s1c64, 'auto', llvmpipe, 'NHWC')).toBe('scatter');
    expect(chooseBackwardForm('max', k3s2c64, 'scatter', llvmpipe, 'NHWC')).toBe('scatter');
    for (const a of [swiftShader, null]) expect(chooseBackwardForm('max', k3s2c64, 'auto', a, 'NHWC')).toBe('scatter');
  });
});
