/**
 * Forward kernels specialised on the window (shaders/window-constants.wgsl): the common windows
 * 2x2 s2, 3x3 s2 and 3x3 s1 (dilation 1) run max pipelines whose kernel size and stride are
 * override constants. For each window, both layouts and every max kernel (scalar, vec4 channels,
 * W4 rows), with and without indices, ceil mode, symmetric and asymmetric padding, zero padding,
 * and NaN / ±inf / ties / -0 data: values and indices bit for bit against the CPU reference, and
 * bit for bit against the generic pipeline of the same plan. Averages of the same windows (they
 * stay generic, docs/forward-selection.md) within SEMANTICS.md's tolerance. Then which plans carry
 * the constants, and a generic window beside them.
 */
import { describe, expect, it } from 'vitest';
import { avgPoolForwardPlan } from '../src/kernels/avg-pool.js';
import type { KernelPlan } from '../src/kernels/kernel.js';
import { maxPoolForwardPlan } from '../src/kernels/max-pool.js';
import type { ForwardKernel } from '../src/kernels/w4-rows.js';
import { isSpecialisedWindow, SPECIALISED_WINDOWS, windowConstants } from '../src/kernels/window-constants.js';
import { resolveAvgPool, resolveMaxPool } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { AvgPoolParams, Layout, MaxPoolParams, Padding } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { useGpuPool, withCleanErrorScope } from './helpers/gpu.js';
import { pick, randomData, seededRandom } from './helpers/random.js';
import { runPlan } from './helpers/run-plan.js';
import type { Shape } from './helpers/windows.js';

const pool = useGpuPool();
const device = () => (pool().impl as unknown as { device: GPUDevice }).device;
const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** The label each max kernel's plan carries. */
const MAX_LABEL = { scalar: 'maxPool2d.forward', w4: 'maxPool2d.forward.w4', vec4: 'maxPool2d.forward.vec4' } as const;
type MaxKernel = keyof typeof MAX_LABEL;

/** The plan of one max kernel; NHWC's vec4 kernel needs C % 4 == 0, its scalar kernel C % 4 != 0. */
function maxPlan(p: MaxPoolParams, layout: Layout, withIndices: boolean, kernel: MaxKernel, specialise: boolean): KernelPlan {
  const nchwKernel: ForwardKernel = kernel === 'w4' ? 'w4' : 'scalar';
  const plan = maxPoolForwardPlan(p, layout, withIndices, nchwKernel, specialise);
  expect(plan.label).toBe(MAX_LABEL[kernel]);
  return plan;
}

/** Specialised and generic pipelines of one max kernel both match the reference bit for bit. */
async function checkMax(p: MaxPoolParams, layout: Layout, kernel: MaxKernel, data: Float32Array, withIndices: boolean): Promise<void> {
  const want = ref.maxPool2dForward(data, layout, p);
  const n = want.output.length;
  const specialised = maxPlan(p, layout, withIndices, kernel, true);
  expect(specialised.constants).toMatchObject({ KH: p.kH, KW: p.kW, SH: p.sH, SW: p.sW });
  const generic = maxPlan(p, layout, withIndices, kernel, false);
  expect(generic.constants).toMatchObject({ KH: 0, KW: 0, SH: 0, SW: 0 });
  for (const [name, plan] of [['specialised', specialised], ['generic', generic]] as const) {
    const got = await withCleanErrorScope(pool(), () => runPlan(device(), plan, data, withIndices ? { y: n, indices: n } : { y: n })).then((r) => r.outputs);
    expectBitExact(new Float32Array(got.y!), want.output, `${name} values`);
    if (withIndices) expectBitExact(new Int32Array(got.indices!), want.indices, `${name} indices`);
  }
}

async function checkAvg(p: AvgPoolParams, layout: Layout, kernel: ForwardKernel, data: Float32Array): Promise<void> {
  const plan = avgPoolForwardPlan(p, layout, kernel);
  const want = ref.avgPool2dForward(data, layout, p);
  const got = await withCleanErrorScope(pool(), () => runPlan(device(), plan, data, { y: want.length })).then((r) => r.outputs);
  expectClose(new Float32Array(got.y!), want, p.kH * p.kW, 'averages');
}

/** Random values with the edge cases mixed in: NaN, ±inf, ±0 and repeated values (ties). */
function edgeData(rand: () => number, n: number): Float32Array {
  const specials = [NaN, Infinity, -Infinity, 0, -0, 0.5, 0.5, -1];
  const data = randomData(rand, n);
  for (let i = 0; i < n; i++) if (rand() < 0.3) data[i] = pick(rand, specials);
  return data;
}

interface Case {
  name: string;
  layout: Layout;
  kernel: MaxKernel;
  shape: Shape;
}

// Logical [N, C, H, W] shapes. Widths give outW % 4 == 0, != 0 and < 4 for the W4 kernel; NHWC's C
// picks the vec4 kernel (8) or the scalar one (3).
const KERNEL_CASES: Case[] = [
  { name: 'NCHW scalar', layout: 'NCHW', kernel: 'scalar', shape: [2, 3, 11, 13] },
  { name: 'NCHW w4', layout: 'NCHW', kernel: 'w4', shape: [2, 3, 11, 17] },
  { name: 'NCHW w4 narrow', layout: 'NCHW', kernel: 'w4', shape: [1, 2, 7, 6] },
  { name: 'NHWC vec4', layout: 'NHWC', kernel: 'vec4', shape: [2, 8, 7, 10] },
  { name: 'NHWC scalar', layout: 'NHWC', kernel: 'scalar', shape: [1, 3, 9, 9] },
];

const PADDINGS: Padding[] = [0, 1, [1, 0, 0, 1], [0, 1, 1, 0]];

describe('specialised max windows match the reference bit for bit (values and indices)', () => {
  const rand = seededRandom(505);
  for (const [kH, kW, sH, sW] of SPECIALISED_WINDOWS) {
    for (const c of KERNEL_CASES) {
      for (const padding of PADDINGS) {
        for (const ceilMode of [false, true]) {
          const shape = c.shape;
          const withIndices = rand() < 0.7;
          const data = edgeData(rand, count(shape));
          const p = resolveMaxPool('maxPool2d', shape, { kernelSize: [kH, kW], stride: [sH, sW], padding, ceilMode });
          it(`k${kH}x${kW} s${sH}x${sW} ${c.name} ${shape.join('x')} p${JSON.stringify(padding)}${ceilMode ? ' ceil' : ''}${withIndices ? ' +indices' : ''}`, async () => {
            await checkMax(p, c.layout, c.kernel, data, withIndices);
          });
        }
      }
    }
  }
});

describe('specialised max windows: named edge cases', () => {
  for (const [kH, kW, sH, sW] of SPECIALISED_WINDOWS) {
    const window = { kernelSize: [kH, kW] as [number, number], stride: [sH, sW] as [number, number] };
    it(`k${kH} s${sH}: padValue 0 (zero padding, scalar kernel) in both layouts`, async () => {
      const shape: Shape = [1, 4, 9, 10];
      const data = randomData(seededRandom(kH * 10 + sH), count(shape)).map((v, i) => (i % 3 ? -Math.abs(v) : v));
      const p = resolveMaxPool('maxPool2d', shape, { ...window, padding: kH > 2 ? 1 : [0, 0, 1, 1], ceilMode: true, padValue: 0 });
      expect(p.padWithZero).toBe(true);
      for (const layout of ['NCHW', 'NHWC'] as const) await checkMax(p, layout, 'scalar', data, true);
    });

    it(`k${kH} s${sH}: all -inf, each window points at its first real element`, async () => {
      const shape: Shape = [1, 4, 7, 9];
      const p = resolveMaxPool('maxPool2d', shape, { ...window, padding: kH > 2 ? 1 : 0 });
      const data = new Float32Array(count(shape)).fill(-Infinity);
      for (const [layout, kernel] of [['NCHW', 'scalar'], ['NCHW', 'w4'], ['NHWC', 'vec4']] as const) await checkMax(p, layout, kernel, data, true);
    });

    it(`k${kH} s${sH}: +0 and -0 alternating (ties keep the first position), NaN runs (the last NaN wins)`, async () => {
      const shape: Shape = [1, 4, 8, 12];
      const p = resolveMaxPool('maxPool2d', shape, { ...window, padding: kH > 2 ? 1 : 0 });
      const zeros = new Float32Array(count(shape)).map((_, i) => (i % 2 ? -0 : 0));
      const nans = new Float32Array(count(shape)).map((_, i) => (i % 5 === 0 || i % 7 === 1 ? NaN : i % 11 === 0 ? Infinity : i / 3));
      for (const data of [zeros, nans]) {
        for (const [layout, kernel] of [['NCHW', 'scalar'], ['NCHW', 'w4'], ['NHWC', 'vec4']] as const) await checkMax(p, layout, kernel, data, true);
      }
    });
  }
});

describe('averages of the specialised windows (generic pipelines) within tolerance', () => {
  const rand = seededRandom(506);
  for (const [kH, kW, sH, sW] of SPECIALISED_WINDOWS) {
    for (const c of KERNEL_CASES) {
      const shape = c.shape;
      const padding = kH > 2 ? 1 : 0;
      const countIncludePad = rand() < 0.5;
      const divisorOverride = rand() < 0.3 ? 5 : undefined;
      const data = rand() < 0.3 ? edgeData(rand, count(shape)) : randomData(rand, count(shape), false);
      const p = resolveAvgPool('avgPool2d', shape, { kernelSize: [kH, kW], stride: [sH, sW], padding, ceilMode: true, countIncludePad, ...(divisorOverride ? { divisorOverride } : {}) });
      const kernel: ForwardKernel = c.kernel === 'w4' ? 'w4' : 'scalar';
      it(`k${kH}x${kW} s${sH}x${sW} ${c.name} ${shape.join('x')} p${padding} ceil${countIncludePad ? '' : ' excludePad'}${divisorOverride ? ` div${divisorOverride}` : ''}`, async () => {
        const plan = avgPoolForwardPlan(p, c.layout, kernel);
        expect(plan.constants).not.toHaveProperty('KH');
        await checkAvg(p, c.layout, kernel, data);
      });
    }
  }
});

describe('which plans are specialised', () => {
  const max = (window: Record<string, unknown>, shape: Shape = [1, 8, 32, 32]) => resolveMaxPool('maxPool2d', shape, window);

  it.each([
    ['k2 s2', { kernelSize: 2, stride: 2 }, [2, 2, 2, 2]],
    ['k3 s2 p1', { kernelSize: 3, stride: 2, padding: 1 }, [3, 3, 2, 2]],
    ['k3 s2 p[0,1,1,0] ceil', { kernelSize: 3, stride: 2, padding: [0, 1, 1, 0], ceilMode: true }, [3, 3, 2, 2]],
    ['k3 s1 p1', { kernelSize: 3, stride: 1, padding: 1 }, [3, 3, 1, 1]],
    ['k3 s1 pad value 0', { kernelSize: 3, stride: 1, padding: 1, padValue: 0 }, [3, 3, 1, 1]],
    ['k3 s2 d2', { kernelSize: 3, stride: 2, dilation: 2 }, [0, 0, 0, 0]],
    ['k3 s1 d[1,2]', { kernelSize: 3, stride: 1, dilation: [1, 2] }, [0, 0, 0, 0]],
    ['k2 s1', { kernelSize: 2, stride: 1 }, [0, 0, 0, 0]],
    ['k3 s3', { kernelSize: 3, stride: 3 }, [0, 0, 0, 0]],
    ['k[3,2] s2', { kernelSize: [3, 2], stride: 2 }, [0, 0, 0, 0]],
    ['k3 s[2,1]', { kernelSize: 3, stride: [2, 1] }, [0, 0, 0, 0]],
    ['k5 s2', { kernelSize: 5, stride: 2 }, [0, 0, 0, 0]],
  ] as const)('max %s', (_name, window, [KH, KW, SH, SW]) => {
    const p = max(window);
    expect(isSpecialisedWindow(p)).toBe(KH !== 0);
    expect(windowConstants(p)).toEqual({ KH, KW, SH, SW, DILATED: p.dH > 1 || p.dW > 1 ? 1 : 0 });
    for (const [layout, kernel] of [['NCHW', 'scalar'], ['NCHW', 'w4'], ['NHWC', 'scalar']] as const) {
      const plan = maxPoolForwardPlan(p, layout, true, kernel);
      expect(plan.constants, `${layout} ${plan.label}`).toMatchObject({ KH, KW, SH, SW });
      expect(maxPoolForwardPlan(p, layout, true, kernel, false).constants).toMatchObject({ KH: 0, KW: 0, SH: 0, SW: 0 });
    }
  });

  it('averages never carry window constants: the specialised average kernels measured no faster', () => {
    const p = resolveAvgPool('avgPool2d', [1, 8, 32, 32], { kernelSize: 3, stride: 2, padding: 1 });
    for (const [layout, kernel] of [['NCHW', 'scalar'], ['NCHW', 'w4'], ['NHWC', 'scalar']] as const) {
      const constants = avgPoolForwardPlan(p, layout, kernel).constants;
      expect(constants.KH ?? 0).toBe(0);
      // Undilated, as every plane average: the dilation arithmetic folds away.
      expect(constants.DILATED).toBe(0);
    }
  });

  it('a dilated max window keeps the dilation arithmetic (DILATED 1); an undilated one folds it (0)', () => {
    for (const layout of ['NCHW', 'NHWC'] as const) {
      expect(maxPoolForwardPlan(max({ kernelSize: 3, stride: 2, dilation: 2 }), layout, false).constants).toMatchObject({ KH: 0, DILATED: 1 });
      expect(maxPoolForwardPlan(max({ kernelSize: 3, stride: 3 }), layout, false).constants).toMatchObject({ KH: 0, DILATED: 0 });
    }
  });
});

describe('generic windows still run the generic pipelines', () => {
  const cases: [string, Shape, Record<string, unknown>][] = [
    ['k[3,2] s[1,2] d2 p[2,1] ceil', [1, 4, 13, 15], { kernelSize: [3, 2], stride: [1, 2], dilation: 2, padding: [2, 1], ceilMode: true }],
    ['k2 s1', [2, 4, 9, 10], { kernelSize: 2, stride: 1 }],
    ['k3 s2 d2 p2', [1, 8, 12, 12], { kernelSize: 3, stride: 2, dilation: 2, padding: 2 }],
  ];
  for (const [name, shape, window] of cases) {
    it(`${shape.join('x')} ${name}`, async () => {
      const p = resolveMaxPool('maxPool2d', shape, window);
      expect(isSpecialisedWindow(p)).toBe(false);
      const data = edgeData(seededRandom(count(shape)), count(shape));
      for (const [layout, kernel] of [['NCHW', 'scalar'], ['NCHW', 'w4']] as const) {
        const plan = maxPoolForwardPlan(p, layout, true, kernel);
        expect(plan.constants).toMatchObject({ KH: 0, KW: 0, SH: 0, SW: 0 });
        const want = ref.maxPool2dForward(data, layout, p);
        const n = want.output.length;
        const got = await withCleanErrorScope(pool(), () => runPlan(device(), plan, data, { y: n, indices: n })).then((r) => r.outputs);
        expectBitExact(new Float32Array(got.y!), want.output, 'values');
        expectBitExact(new Int32Array(got.indices!), want.indices, 'indices');
      }
      const avg = resolveAvgPool('avgPool2d', shape, { kernelSize: window.kernelSize as number, stride: window.stride as number, ceilMode: true, countIncludePad: false });
      await checkAvg(avg, 'NCHW', 'w4', randomData(seededRandom(7), count(shape), false));
    });
  }
});
