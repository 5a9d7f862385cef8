/**
 * The channels-last four-channel forward's full-window form (shaders/nd/window-scan-vec4.wgsl,
 * FULL_KD/KH/KW, CLAMP_TAPS; src/kernels/full-taps.ts; docs/forward-selection.md "Full windows,
 * channels-last"), forced below the public API beside the clipped form: max values and indices bit
 * for bit against the reference in both forms, averages and LP within tolerance and bit for bit
 * between the forms (NaN's sign aside), on seeded windows of every rank (the plane kernels for
 * 2-D, the N-d kernels for 1-D to 3-D) and named clamped windows with ties, NaN and -0 at the
 * edges. Then the rule (axisTaps, fullWindowConstants).
 */
import { describe, expect, it } from 'vitest';
import { axisTaps, fullWindowConstants, UNIT_AXIS } from '../src/kernels/full-taps.js';
import { avgPoolForwardPlan } from '../src/kernels/avg-pool.js';
import { lpForwardPlan } from '../src/kernels/lp-pool.js';
import { maxPoolForwardPlan } from '../src/kernels/max-pool.js';
import { ndForwardPlan } from '../src/kernels/nd-pool.js';
import type { KernelPlan } from '../src/kernels/kernel.js';
import { resolveAvgPool, resolveAvgWindow, resolveMaxPool, resolveMaxWindow } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { SpatialRank } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { useGpuPool, withCleanErrorScope } from './helpers/gpu.js';
import { API_DRAW, count, dataWithSpecials, describeConfig, drawNdConfig } from './helpers/nd-windows.js';
import { pick, seededRandom } from './helpers/random.js';
import { runPlan } from './helpers/run-plan.js';

const pool = useGpuPool();
const device = () => (pool().impl as unknown as { device: GPUDevice }).device;
const canonicalNan = (v: Float32Array) => v.map((x) => (Number.isNaN(x) ? NaN : x));

async function run(plan: KernelPlan, x: Float32Array, outputs: number, withIndices: boolean) {
  const r = await withCleanErrorScope(pool(), () => runPlan(device(), plan, { x }, withIndices ? { y: outputs, indices: outputs } : { y: outputs }));
  return { y: new Float32Array(r.outputs.y!), indices: withIndices ? new Int32Array(r.outputs.indices!) : undefined };
}

/** Max (both forms against the reference), average and LP (both forms, then against each other). */
async function checkAll(rank: SpatialRank, shape: number[], window: Record<string, unknown>, x: Float32Array): Promise<boolean> {
  const mg = resolveMaxWindow(`maxPool${rank}d`, rank, shape, window);
  const ag = resolveAvgWindow(`avgPool${rank}d`, rank, shape, window);
  const outputs = mg.N * mg.C * count(mg.outSize);
  const want = ref.maxPoolNdForward(x, true, mg);
  const wantAvg = ref.avgPoolNdForward(x, true, ag);
  // 2-D: the plane kernels (the public ops' path); every rank: the N-d kernels.
  const plane2d = rank === 2 && !mg.dilation.some((d) => d > 1);
  const maxPlans = (full: boolean) => [ndForwardPlan('max', mg, true, true, 'vec4', full), ...(plane2d ? [maxPoolForwardPlan(resolveMaxPool('maxPool2d', shape, window), 'NHWC', true, 'w4', true, full)] : [])];
  const avgPlans = (full: boolean) => [ndForwardPlan('avg', ag, true, false, 'vec4', full), ...(plane2d ? [avgPoolForwardPlan(resolveAvgPool('avgPool2d', shape, window), 'NHWC', 'w4', full)] : []), lpForwardPlan(ag, true, 2, 'vec4', full)];
  let applied = false;
  for (const full of [true, false]) {
    for (const plan of maxPlans(full)) {
      applied ||= full && plan.constants.FULL_KD !== undefined;
      const r = await run(plan, x, outputs, true);
      expectBitExact(r.y, want.output, `${plan.label}${full ? '' : ' clipped'} values`);
      expectBitExact(r.indices!, want.indices, `${plan.label}${full ? '' : ' clipped'} indices`);
    }
  }
  const [fullAvg, clippedAvg] = [avgPlans(true), avgPlans(false)];
  for (let i = 0; i < fullAvg.length; i++) {
    expect(fullAvg[i]!.constants.CLAMP_TAPS, 'sums never clamp').toBeUndefined();
    const a = (await run(fullAvg[i]!, x, outputs, false)).y;
    const b = (await run(clippedAvg[i]!, x, outputs, false)).y;
    if (!fullAvg[i]!.label.startsWith('lp')) expectClose(a, wantAvg, count(ag.kernel), `${fullAvg[i]!.label} averages`);
    expectBitExact(canonicalNan(a), canonicalNan(b), `${fullAvg[i]!.label} full window against clipped`);
  }
  return applied;
}

describe('channels-last full windows equal the clipped form and the reference', () => {
  for (const rank of [1, 2, 3] as SpatialRank[]) {
    const rand = seededRandom(9100 + rank);
    for (let i = 0; i < 8; i++) {
      const c = drawNdConfig(rand, rank, API_DRAW);
      const shape = [c.shape[0]!, pick(rand, [4, 8]), ...c.shape.slice(2)];
      const x = dataWithSpecials(rand, count(shape), 0.05);
      it(`rank ${rank} #${i} ${describeConfig({ ...c, shape })}`, async () => {
        await checkAll(rank, shape, c.window as unknown as Record<string, unknown>, x);
      });
    }
  }

  // Clamped max windows (padding, ceil mode) with equal values, NaN and -0 on the edge rows and
  // columns; unpadded ones for the sums.
  const named: [SpatialRank, number[], Record<string, unknown>][] = [
    [2, [1, 4, 9, 9], { kernelSize: 3, stride: 2, padding: 1 }],
    [2, [2, 8, 7, 10], { kernelSize: 3, stride: 1, padding: 1 }],
    [2, [1, 4, 8, 11], { kernelSize: [2, 4], stride: [2, 3], padding: [1, 2], ceilMode: true }],
    [2, [1, 4, 9, 9], { kernelSize: 3, stride: 2 }],
    [3, [1, 4, 5, 6, 7], { kernelSize: 3, stride: 2, padding: 1 }],
    [3, [1, 8, 4, 6, 6], { kernelSize: 2, stride: 2, ceilMode: true }],
    [1, [2, 4, 13], { kernelSize: 5, stride: 2, padding: 2 }],
  ];
  for (const [rank, shape, window] of named) {
    it(`${shape.join('x')} ${JSON.stringify(window)}: edges of equal values, NaN, -0`, async () => {
      const rand = seededRandom(count(shape) + 29);
      const W = shape[shape.length - 1]!;
      const C = shape[1]!;
      const specials = [NaN, 0, -0, 1, 1];
      // Channels-last: element i is position floor(i / C); its column is that modulo W.
      const data = Float32Array.from({ length: count(shape) }, (_v, i) => {
        const col = Math.floor(i / C) % W;
        return col < 2 || col >= W - 2 ? pick(rand, specials) : rand() < 0.3 ? 1 : rand() * 2 - 1;
      });
      expect(await checkAll(rank, shape, window, data), 'the full-window form applies').toBe(true);
      await checkAll(rank, shape, window, new Float32Array(count(shape)).fill(-Infinity));
    });
  }
});

describe('the full-window rule', () => {
  const axis = (k: number, s: number, d: number, padBefore: number, inSize: number, outSize: number) => ({ k, s, d, padBefore, inSize, outSize });
  it('an axis: all taps, clamped (max only: undilated, every window real), or neither', () => {
    expect(axisTaps(axis(3, 2, 1, 0, 9, 4), false)).toBe('all');
    expect(axisTaps(axis(3, 2, 1, 1, 9, 5), false)).toBeUndefined();
    expect(axisTaps(axis(3, 2, 1, 1, 9, 5), true)).toBe('clamped');
    expect(axisTaps(axis(3, 2, 2, 2, 9, 5), true), 'dilated').toBeUndefined();
    expect(axisTaps(axis(2, 2, 1, 0, 9, 5), true), 'ceil mode: the last window overhangs').toBe('clamped');
    expect(axisTaps(axis(2, 1, 3, 2, 2, 3), true), 'a window of padding only').toBeUndefined();
  });
  it('a window: every axis all or clamped; CLAMP_TAPS if any axis clamps', () => {
    expect(fullWindowConstants(UNIT_AXIS, axis(3, 2, 1, 0, 9, 4), axis(2, 2, 1, 0, 8, 4), false)).toEqual({ FULL_KD: 1, FULL_KH: 3, FULL_KW: 2 });
    expect(fullWindowConstants(UNIT_AXIS, axis(3, 2, 1, 1, 9, 5), axis(2, 2, 1, 0, 8, 4), true)).toEqual({ FULL_KD: 1, FULL_KH: 3, FULL_KW: 2, CLAMP_TAPS: 1 });
    expect(fullWindowConstants(UNIT_AXIS, axis(3, 2, 1, 1, 9, 5), axis(2, 2, 1, 0, 8, 4), false)).toEqual({});
  });
});
