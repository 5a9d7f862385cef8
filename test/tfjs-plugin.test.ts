/**
 * The TF.js plug-in (src/tfjs) in Node on Dawn: TF.js's own webgpu kernels against ours, registered
 * in their place, on the same ops and data. Outputs must be equal (max bit for bit, averages and
 * gradients within docs/semantics.md's tolerance) and equal to our CPU reference, except where TF.js is
 * wrong; those cases are pinned here and written up in docs/tfjs-plugin.md.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPooling, PoolingError, type Pooling } from '../src/index.js';
import { formatTfjsStack, runTfjsStack } from '../bench/tfjs-stack.js';
import { registerTfjsKernels, type KernelCounts, type PluginKernelName, type TfjsPlugin } from '../src/tfjs/index.js';
import type { AvgPool2dOptions, MaxPool2dOptions } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { randomData, seededRandom } from './helpers/random.js';
import { startTfjsWebGpu, type Tf } from './helpers/tfjs.js';

type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

interface PoolCase {
  name: string;
  /** TF.js shape [N, H, W, C]. */
  x: [number, number, number, number];
  filter: number | [number, number];
  strides: number | [number, number];
  pad: Pad;
  rounding?: Rounding;
  /** The same window in this library's options (the CPU reference runs it). */
  ours: MaxPool2dOptions & AvgPool2dOptions;
}

const CASES: PoolCase[] = [
  { name: 'k3 s2 same, 2x9x9x3', x: [2, 9, 9, 3], filter: 3, strides: 2, pad: 'same', ours: { kernelSize: 3, stride: 2, padding: 'same' } },
  { name: 'k2 s2 valid, 1x8x8x4', x: [1, 8, 8, 4], filter: 2, strides: 2, pad: 'valid', ours: { kernelSize: 2, stride: 2 } },
  { name: 'k3x2 s2x1 same, 2x7x10x5', x: [2, 7, 10, 5], filter: [3, 2], strides: [2, 1], pad: 'same', ours: { kernelSize: [3, 2], stride: [2, 1], padding: 'same' } },
  { name: 'k3 s2 pad 1 (truncating), 1x11x10x2', x: [1, 11, 10, 2], filter: 3, strides: 2, pad: 1, ours: { kernelSize: 3, stride: 2, padding: 1 } },
  { name: "k3 s2 pad 1 'ceil', 1x10x10x3", x: [1, 10, 10, 3], filter: 3, strides: 2, pad: 1, rounding: 'ceil', ours: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true } },
  { name: "k3 s2 pad 0 'round', 1x10x10x1", x: [1, 10, 10, 1], filter: 3, strides: 2, pad: 0, rounding: 'round', ours: { kernelSize: 3, stride: 2, ceilMode: true } },
  {
    name: 'k3 s3 explicit pads (t1 b2 l0 r1), 1x9x9x2',
    x: [1, 9, 9, 2],
    filter: 3,
    strides: 3,
    pad: [[0, 0], [1, 2], [0, 1], [0, 0]],
    ours: { kernelSize: 3, stride: 3, padding: [1, 0, 2, 1] },
  },
  { name: 'k1 s1 valid (TF.js: identity), 1x6x6x8', x: [1, 6, 6, 8], filter: 1, strides: 1, pad: 'valid', ours: { kernelSize: 1, stride: 1 } },
  { name: 'k5 s5 valid (TF.js: a reduction), 1x5x5x3', x: [1, 5, 5, 3], filter: 5, strides: 5, pad: 'valid', ours: { kernelSize: 5, stride: 5 } },
  { name: 'k4 s4 same, 3x13x13x16', x: [3, 13, 13, 16], filter: 4, strides: 4, pad: 'same', ours: { kernelSize: 4, stride: 4, padding: 'same' } },
];

let tf: Tf;
let cpu: Pooling;
let plugin: TfjsPlugin | undefined;
const rand = seededRandom(20240607);

beforeAll(async () => {
  ({ tf } = await startTfjsWebGpu());
  cpu = await createPooling({ backend: 'cpu' });
});

afterAll(() => {
  plugin?.unregister();
  cpu?.destroy();
});

async function dataOf(make: () => TfCore.Tensor): Promise<Float32Array> {
  const t = tf.tidy(make);
  try {
    return Float32Array.from(await t.data());
  } finally {
    t.dispose();
  }
}

/** Runs `make` with TF.js's own kernels, then with ours registered; ours must have run (not delegated). */
async function theirsAndOurs(make: () => TfCore.Tensor, expectOurs: PluginKernelName[]): Promise<{ theirs: Float32Array; ours: Float32Array; counts: Record<PluginKernelName, KernelCounts> }> {
  const theirs = await dataOf(make);
  plugin = registerTfjsKernels(tf);
  try {
    const ours = await dataOf(make);
    const counts = structuredClone(plugin.counts) as Record<PluginKernelName, KernelCounts>;
    for (const name of expectOurs) {
      expect(counts[name].delegated, `${name} was handed to TF.js: ${counts[name].lastDelegation}`).toBe(0);
      expect(counts[name].ours, `${name} ran ours`).toBeGreaterThan(0);
    }
    return { theirs, ours, counts };
  } finally {
    plugin.unregister();
    plugin = undefined;
  }
}

function input(c: PoolCase, data: Float32Array): TfCore.Tensor4D {
  return tf.tensor4d(data, c.x);
}

/** The CPU reference on the same NHWC data, as [N, C, H, W] with layout 'NHWC'. */
function logical(c: PoolCase): [number, number, number, number] {
  const [N, H, W, C] = c.x;
  return [N, C, H, W];
}

async function cpuMax(c: PoolCase, x: Float32Array): Promise<Float32Array> {
  const t = cpu.tensor(x, logical(c), { layout: 'NHWC' });
  return (await cpu.maxPool2d(t, c.ours)).output.read();
}

async function cpuAvg(c: PoolCase, x: Float32Array): Promise<Float32Array> {
  const t = cpu.tensor(x, logical(c), { layout: 'NHWC' });
  return (await cpu.avgPool2d(t, { ...c.ours, countIncludePad: false })).read();
}

async function cpuMaxGrad(c: PoolCase, x: Float32Array, dy: Float32Array, outShape: number[]): Promise<Float32Array> {
  const t = cpu.tensor(x, logical(c), { layout: 'NHWC' });
  const { indices } = await cpu.maxPool2d(t, { ...c.ours, returnIndices: true });
  const [N, oH, oW, C] = outShape as [number, number, number, number];
  const g = cpu.tensor(dy, [N, C, oH, oW], { layout: 'NHWC' });
  return (await cpu.maxPool2dBackward(g, indices!, { ...c.ours, inputShape: logical(c) })).read();
}

async function cpuAvgGrad(c: PoolCase, dy: Float32Array, outShape: number[]): Promise<Float32Array> {
  const [N, oH, oW, C] = outShape as [number, number, number, number];
  const g = cpu.tensor(dy, [N, C, oH, oW], { layout: 'NHWC' });
  return (await cpu.avgPool2dBackward(g, { ...c.ours, countIncludePad: false, inputShape: logical(c) })).read();
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function tfOutShape(c: PoolCase): number[] {
  return tf.tidy(() => tf.maxPool(tf.zeros(c.x) as TfCore.Tensor4D, c.filter, c.strides, c.pad, c.rounding).shape);
}

/** TF.js's gradient functions drop dimRoundingMode: wrong where rounding changed the output size. */
function roundingDropped(c: PoolCase): boolean {
  const withRounding = tf.backend_util.computePool2DInfo(c.x, c.filter, c.strides, 1, c.pad, c.rounding);
  const without = tf.backend_util.computePool2DInfo(c.x, c.filter, c.strides, 1, c.pad);
  return withRounding.outHeight !== without.outHeight || withRounding.outWidth !== without.outWidth;
}

function differs(a: Float32Array, b: Float32Array): boolean {
  return a.some((v, i) => !(Math.abs(v - b[i]!) <= 1e-3));
}

/** Whether some window covers padding or a ceil-mode overhang: there TF.js's AvgPoolGrad is wrong. */
function windowsLeaveTheInput(c: PoolCase): boolean {
  const info = tf.backend_util.computePool2DInfo(c.x, c.filter, c.strides, 1, c.pad, c.rounding);
  const p = info.padInfo;
  const overhang = (info.outHeight - 1) * info.strideHeight + info.filterHeight > info.inHeight + p.top + p.bottom || (info.outWidth - 1) * info.strideWidth + info.filterWidth > info.inWidth + p.left + p.right;
  return p.top + p.bottom + p.left + p.right > 0 || overhang;
}

function terms(c: PoolCase): number {
  const [kH, kW] = typeof c.filter === 'number' ? [c.filter, c.filter] : c.filter;
  return kH * kW;
}

describe('forward: MaxPool and AvgPool equal TF.js and the CPU reference', () => {
  for (const c of CASES) {
    it(`MaxPool ${c.name}`, async () => {
      const x = randomData(rand, size(c.x), false);
      const { theirs, ours } = await theirsAndOurs(() => tf.maxPool(input(c, x), c.filter, c.strides, c.pad, c.rounding), ['MaxPool']);
      expectBitExact(ours, theirs, 'ours vs TF.js');
      expectBitExact(ours, await cpuMax(c, x), 'ours vs CPU reference');
    });
    it(`AvgPool ${c.name}`, async () => {
      const x = randomData(rand, size(c.x), false);
      const { theirs, ours } = await theirsAndOurs(() => tf.avgPool(input(c, x), c.filter, c.strides, c.pad, c.rounding), ['AvgPool']);
      expectClose(ours, theirs, terms(c), 'ours vs TF.js');
      expectClose(ours, await cpuAvg(c, x), terms(c), 'ours vs CPU reference');
    });
  }
});

describe('backward through tf.grad: MaxPoolGrad and AvgPoolGrad', () => {
  for (const c of CASES) {
    it(`MaxPoolGrad ${c.name}: equals TF.js (no ties) and the reference`, async () => {
      const x = randomData(rand, size(c.x), false);
      const outShape = tfOutShape(c);
      const dy = randomData(rand, size(outShape), false);
      const grad = () => tf.grad((t: TfCore.Tensor) => tf.sum(tf.mul(tf.maxPool(t as TfCore.Tensor4D, c.filter, c.strides, c.pad, c.rounding), tf.tensor(dy, outShape))))(input(c, x));
      const { theirs, ours } = await theirsAndOurs(grad, ['MaxPool', 'MaxPoolGrad']);
      const reach = terms(c);
      const want = await cpuMaxGrad(c, x, dy, outShape);
      expectClose(ours, want, reach, 'ours vs CPU reference');
      if (!roundingDropped(c)) expectClose(ours, theirs, reach, 'ours vs TF.js');
      else expect(differs(theirs, want), "TF.js's gradient of a rounded-up pool (it drops the last row and column of dy)").toBe(true);
    });
    it(`AvgPoolGrad ${c.name}: follows the forward's divisor`, async () => {
      const x = randomData(rand, size(c.x), false);
      const outShape = tfOutShape(c);
      const dy = randomData(rand, size(outShape), false);
      const grad = () => tf.grad((t: TfCore.Tensor) => tf.sum(tf.mul(tf.avgPool(t as TfCore.Tensor4D, c.filter, c.strides, c.pad, c.rounding), tf.tensor(dy, outShape))))(input(c, x));
      const { theirs, ours } = await theirsAndOurs(grad, ['AvgPool', 'AvgPoolGrad']);
      const want = await cpuAvgGrad(c, dy, outShape);
      expectClose(ours, want, terms(c), 'ours vs CPU reference');
      // Average pooling is linear, y = A·x, so its true gradient dx = Aᵀ·dy satisfies <dx, x> = <dy, y>,
      // with y from TF.js's own forward pass.
      const y = await dataOf(() => tf.avgPool(input(c, x), c.filter, c.strides, c.pad, c.rounding));
      const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);
      const dyY = dot(dy, y);
      expect(Math.abs(dot(ours, x) - dyY), '<dx, x> − <dy, y> with our dx').toBeLessThan(1e-3 * (1 + Math.abs(dyY)));
      if (!windowsLeaveTheInput(c)) {
        expectClose(ours, theirs, terms(c), 'ours vs TF.js');
      } else {
        // TF.js's known faults (docs/tfjs-plugin.md): its AvgPoolGrad divides by k·k where its forward
        // divided by the real elements, and ignores a rounded-up output's last row and column, so its
        // gradient is not the gradient of its forward.
        expect(differs(theirs, want), "TF.js's AvgPoolGrad differs from the reference").toBe(true);
        expect(Math.abs(dot(theirs, x) - dyY), "<dx, x> − <dy, y> with TF.js's dx").toBeGreaterThan(1e-3 * (1 + Math.abs(dyY)));
      }
    });
  }
});

describe('where TF.js differs from docs/semantics.md', () => {
  it("ties (constant 1x4x4x1, k2 s1): PyTorch's first maximum gets the gradient, TF.js's last", async () => {
    const c: PoolCase = { name: 'ties', x: [1, 4, 4, 1], filter: 2, strides: 1, pad: 'valid', ours: { kernelSize: 2, stride: 1 } };
    const x = new Float32Array(16).fill(1);
    const grad = () => tf.grad((t: TfCore.Tensor) => tf.sum(tf.maxPool(t as TfCore.Tensor4D, 2, 1, 'valid')))(input(c, x));
    const { theirs, ours } = await theirsAndOurs(grad, ['MaxPoolGrad']);
    expectBitExact(ours, await cpuMaxGrad(c, x, new Float32Array(9).fill(1), [1, 3, 3, 1]), 'ours vs CPU reference');
    // Every window's first position (its top-left) takes the gradient: rows/cols 0..2.
    expect(Array.from(ours)).toEqual([1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(Array.from(theirs)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1]);
  });

  it('values below −1e20 (1x2x2x1 of −1e30 and −∞): TF.js clamps the maximum to its −1e20 sentinel', async () => {
    const c: PoolCase = { name: 'sentinel', x: [1, 2, 4, 1], filter: 2, strides: 2, pad: 'valid', ours: { kernelSize: 2, stride: 2 } };
    const x = Float32Array.from([-1e30, -1e30, -Infinity, -Infinity, -1e30, -1e30, -Infinity, -Infinity]);
    const { theirs, ours } = await theirsAndOurs(() => tf.maxPool(input(c, x), 2, 2, 'valid'), ['MaxPool']);
    expectBitExact(ours, Float32Array.from([-1e30, -Infinity]), 'ours');
    expectBitExact(ours, await cpuMax(c, x), 'ours vs CPU reference');
    expect(Array.from(theirs)).toEqual([-1e20, -1e20].map(Math.fround));
  });
});

describe('hand-over to TF.js, the model stack, registration', () => {
  it("a rounding beyond PyTorch's rule (k2 s3 pad 1 'ceil', 1x4x4x1) runs ours, as TF.js computes it (-1e20 for an empty window); int32 input runs TF.js's kernel", async () => {
    const x = Float32Array.from({ length: 16 }, (_, i) => i);
    const make = () => tf.maxPool(tf.tensor4d(x, [1, 4, 4, 1]), 2, 3, 1, 'ceil');
    const theirs = await dataOf(make);
    plugin = registerTfjsKernels(tf);
    try {
      const y = await dataOf(make);
      expect(y.length).toBe(9);
      expect(plugin.counts.MaxPool).toMatchObject({ ours: 1, delegated: 0 });
      // The windows starting at 5 hold nothing: TF.js's -1e20 (its f32 -1 / pow(10, -20)), within an ulp.
      expect(y.filter((v) => v < -1e19).length).toBe(5);
      for (let i = 0; i < 9; i++) expect(Math.abs(y[i]! - theirs[i]!), `element ${i}`).toBeLessThanOrEqual(1e-6 * Math.abs(theirs[i]!));
      await dataOf(() => tf.maxPool(tf.tensor4d(x, [1, 4, 4, 1], 'int32'), 2, 2, 'valid'));
      expect(plugin.counts.MaxPool.delegated).toBe(1);
      expect(plugin.counts.MaxPool.lastDelegation).toMatch(/int32/);
    } finally {
      plugin.unregister();
      plugin = undefined;
    }
  });

  it('a conv-free stack (ops → maxPool → avgPool → relu → mean) and its gradient, 2x16x16x8: same as TF.js, no leaked tensors', async () => {
    const x = randomData(rand, 2 * 16 * 16 * 8, false);
    const stack = (t: TfCore.Tensor) => tf.mean(tf.relu(tf.avgPool(tf.maxPool(tf.add(tf.mul(t, 2), 1) as TfCore.Tensor4D, 3, 2, 'same'), 2, 2, 'valid')));
    const forward = () => stack(tf.tensor4d(x, [2, 16, 16, 8]));
    const backward = () => tf.grad(stack)(tf.tensor4d(x, [2, 16, 16, 8]));
    const before = tf.memory().numTensors;
    const f = await theirsAndOurs(forward, ['MaxPool', 'AvgPool']);
    expectClose(f.ours, f.theirs, 64, 'forward');
    const b = await theirsAndOurs(backward, ['MaxPool', 'AvgPool', 'MaxPoolGrad', 'AvgPoolGrad']);
    expectClose(b.ours, b.theirs, 9, 'gradient');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('unregister restores TF.js kernels; registering twice or with no TF.js fails with a PoolingError', () => {
    const original = tf.getKernel('MaxPool', 'webgpu').kernelFunc;
    plugin = registerTfjsKernels(tf);
    expect(tf.getKernel('MaxPool', 'webgpu').kernelFunc).not.toBe(original);
    expect(() => registerTfjsKernels(tf)).toThrow(PoolingError);
    plugin.unregister();
    plugin.unregister();
    plugin = undefined;
    for (const name of ['MaxPool', 'AvgPool', 'MaxPoolGrad', 'AvgPoolGrad']) expect(tf.getKernel(name, 'webgpu')).toBeDefined();
    expect(tf.getKernel('MaxPool', 'webgpu').kernelFunc).toBe(original);
    expect(() => registerTfjsKernels({} as never)).toThrow(/TF.js namespace/);
  });

  it('registration is all or nothing: TF.js throwing on AvgPool leaves every original kernel in place, and registering again works', () => {
    const names = ['MaxPool', 'AvgPool', 'MaxPoolGrad', 'AvgPoolGrad'];
    const originals = names.map((n) => tf.getKernel(n, 'webgpu').kernelFunc);
    let calls = 0;
    const failing = {
      ...tf,
      getKernel: tf.getKernel,
      unregisterKernel: tf.unregisterKernel,
      backend_util: tf.backend_util,
      registerKernel: (config: TfCore.KernelConfig) => {
        // Our AvgPool is the second registration; the restores after it go through.
        if (config.kernelName === 'AvgPool' && calls++ === 0) throw new Error('injected: registerKernel failed');
        return tf.registerKernel(config);
      },
    };
    let error: unknown;
    try {
      registerTfjsKernels(failing as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PoolingError);
    expect((error as PoolingError).message).toMatch(/'AvgPool'.*restored/);
    expect((error as PoolingError).cause).toBeInstanceOf(Error);
    names.forEach((n, i) => expect(tf.getKernel(n, 'webgpu').kernelFunc, n).toBe(originals[i]));
    plugin = registerTfjsKernels(tf);
    expect(tf.getKernel('AvgPool', 'webgpu').kernelFunc).not.toBe(originals[1]);
    plugin.unregister();
    plugin = undefined;
    names.forEach((n, i) => expect(tf.getKernel(n, 'webgpu').kernelFunc, n).toBe(originals[i]));
  });
});

describe('the benchmark of a TF.js stack with and without the plug-in (bench/tfjs-stack.ts)', () => {
  it('1x16x16x4 and 1x4x8x8x4, 2 runs: four rows per stack, the plug-in ran every pooling call and agrees with TF.js', async () => {
    const plan = { warmup: 0, minRuns: 2, maxRuns: 2, budgetMs: 0, e2eRuns: 0 };
    const rows = await runTfjsStack({ shape: [1, 16, 16, 4], shape3d: [1, 4, 8, 8, 4], plan });
    const four = ['forward tfjs-webgpu', 'forward tfjs-webgpu+ours', 'forward+backward tfjs-webgpu', 'forward+backward tfjs-webgpu+ours'];
    expect(rows.map((r) => `${r.case} ${r.pass} ${r.impl}`)).toEqual([...four.map((f) => `tfjs_stack_r50stem ${f}`), ...four.map((f) => `tfjs_stack_3d ${f}`)]);
    for (const r of rows) expect(r.ms, `${r.pass} ${r.impl}`).toBeGreaterThan(0);
    const plugged = rows.filter((r) => r.impl === 'tfjs-webgpu+ours');
    expect(plugged.map((r) => [r.ok, r.delegated_calls])).toEqual([
      [true, 0],
      [true, 0],
      [true, 0],
      [true, 0],
    ]);
    expect(plugged.every((r) => r.ours_calls! > 0)).toBe(true);
    expect(formatTfjsStack(rows)).toMatch(/3-D stack[\s\S]*forward\+backward .* yes/);
    // The registration is gone again.
    expect(() => registerTfjsKernels(tf).unregister()).not.toThrow();
  });
});
