/**
 * The N-d forward's W4 mapping (shaders/nd/map-window-w4.wgsl: four outputs of a channel-first row
 * per invocation, composed with the max, average and LP reductions), forced below the public API
 * against the one-output mapping (map-window.wgsl) on seeded random windows of every rank: dilation,
 * every padding form, ceil mode, both divisor rules and divisorOverride, NaN and signed zeros, rows
 * whose last group holds 1-3 outputs, whole and split (a binding limit of about half the largest
 * tensor). Max values and indices bit for bit, averages bit for bit too (each lane adds its taps in
 * the scalar mapping's order), and both against the f64 reference. W4 runs its full-row form where the
 * windows allow (ndW4FullRowConstants) and the clipped form forced beside it; named full-row cases
 * (shifted last groups, long and dilated kernels, padding on the other axes, LP) follow.
 */
import { describe, expect, it } from 'vitest';
import type { BindingLimits } from '../src/host/split.js';
import { ndW4FullRowConstants } from '../src/kernels/forward-mapping.js';
import { lpForwardPlan } from '../src/kernels/lp-pool.js';
import { ndForwardKernel, ndForwardPlan, ndForwardW4Fits } from '../src/kernels/nd-pool.js';
import { resolveAvgWindow, resolveMaxWindow } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { SpatialRank } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { useGpuPool, withCleanErrorScope } from './helpers/gpu.js';
import { API_DRAW, count, dataWithSpecials, describeConfig, drawNdConfig } from './helpers/nd-windows.js';
import { seededRandom } from './helpers/random.js';
import { runPlan } from './helpers/run-plan.js';

const pool = useGpuPool();
const device = () => (pool().impl as unknown as { device: GPUDevice }).device;

function smallLimits(inputs: number, outputs: number): BindingLimits {
  const largest = 4 * Math.max(inputs, outputs);
  return { maxBindingSize: Math.max(256, Math.ceil(largest / 2 / 256) * 256), offsetAlignment: 256 };
}

const CASES_PER_RANK = 10;

/** NaN's sign and payload from float adds are the adapter's: compared as one NaN. */
const canonicalNan = (v: Float32Array) => v.map((x) => (Number.isNaN(x) ? NaN : x));

/** The mappings compared: scalar, W4 (full rows where they apply) and W4 forced clipped. */
const FORMS = [['scalar', true], ['w4', true], ['w4', false]] as const;

describe('the N-d W4 forward mapping equals the one-output mapping and the reference', () => {
  for (const rank of [1, 2, 3] as SpatialRank[]) {
    const rand = seededRandom(7700 + rank);
    for (let i = 0; i < CASES_PER_RANK; i++) {
      // Rows of at least 4 outputs (where W4 applies), and tensors large enough that half of the
      // largest is more than the smallest binding (so the split runs in several passes): redrawn until so.
      const fits = (g: typeof mg) => ndForwardW4Fits('max', g, false) && g.N * g.C * count(g.outSize) >= 256;
      let c = drawNdConfig(rand, rank, API_DRAW);
      let mg = resolveMaxWindow(`maxPool${rank}d`, rank, c.shape, c.window);
      for (let tries = 0; !fits(mg) && tries < 200; tries++) {
        c = drawNdConfig(rand, rank, API_DRAW);
        mg = resolveMaxWindow(`maxPool${rank}d`, rank, c.shape, c.window);
      }
      const countIncludePad = rand() < 0.5;
      const divisorOverride = rand() < 0.2 ? 3 : undefined;
      const x = dataWithSpecials(rand, count(c.shape), 0.05);
      for (const split of [false, true]) {
        it(`rank ${rank} #${i} ${describeConfig(c)}${split ? ' split' : ''}`, async () => {
          expect(fits(mg), 'the draw reached a W4 window of 256 outputs or more').toBe(true);
          const outputs = mg.N * mg.C * count(mg.outSize);
          const limits = split ? smallLimits(x.length, outputs) : undefined;
          const want = ref.maxPoolNdForward(x, false, mg);
          for (const [kernel, fullTaps] of FORMS) {
            const plan = ndForwardPlan('max', mg, false, true, kernel, fullTaps);
            expect(plan.label).toBe(`maxPool${rank}d.nd.forward${kernel === 'w4' ? '.w4' : ''}`);
            const run = await withCleanErrorScope(pool(), () => runPlan(device(), plan, { x }, { y: outputs, indices: outputs }, limits));
            if (limits) expect(run.passes).toBeGreaterThan(1);
            expectBitExact(new Float32Array(run.outputs.y!), want.output, `${kernel}${fullTaps ? '' : ' clipped'} max`);
            expectBitExact(new Int32Array(run.outputs.indices!), want.indices, `${kernel}${fullTaps ? '' : ' clipped'} indices`);
          }
          const ag = resolveAvgWindow(`avgPool${rank}d`, rank, c.shape, { ...c.window, countIncludePad, ...(divisorOverride ? { divisorOverride } : {}) });
          const wantAvg = ref.avgPoolNdForward(x, false, ag);
          const avg: Float32Array[] = [];
          for (const [kernel, fullTaps] of FORMS) {
            const run = await withCleanErrorScope(pool(), () => runPlan(device(), ndForwardPlan('avg', ag, false, false, kernel, fullTaps), { x }, { y: outputs }, limits));
            const y = new Float32Array(run.outputs.y!);
            expectClose(y, wantAvg, count(ag.kernel), `${kernel} avg`);
            avg.push(y);
          }
          expectBitExact(canonicalNan(avg[1]!), canonicalNan(avg[0]!), 'w4 avg against the one-output mapping');
          expectBitExact(canonicalNan(avg[2]!), canonicalNan(avg[0]!), 'clipped w4 avg against the one-output mapping');
        });
      }
    }
  }

  it('the rule: W4 on channel-first rows of at least 4 outputs (3 of 4 lanes busy), never with zero padding or channels-last', () => {
    const g = resolveMaxWindow('maxPool3d', 3, [1, 2, 4, 6, 13], { kernelSize: 3, stride: 1, padding: 1 });
    expect(ndForwardKernel('max', g, false)).toBe('w4');
    expect(ndForwardKernel('max', g, true)).toBe('scalar');
    expect(ndForwardKernel('max', { ...g, padWithZero: true }, false)).toBe('scalar');
    const narrow = resolveMaxWindow('maxPool3d', 3, [1, 2, 4, 6, 5], { kernelSize: 3, stride: 1, padding: 1 });
    // 5 outputs in 2 groups: 5 < 3 · 2.
    expect(ndForwardKernel('max', narrow, false)).toBe('scalar');
  });

  describe('the full-row form (every window holds all its taps along the last axis)', () => {
    // [shape, window]: last groups shifted back by 1-3 lanes (outW % 4), long and dilated kernels
    // (the loop past 3 taps), padding and ceil mode on the other axes only, a padded last axis whose
    // windows still fit (padding after the row, never reached), 1-D to 3-D.
    const named: [string, number[], Record<string, unknown>][] = [
      ['1-D k3 s2, outW 7 (shift 1)', [2, 3, 15], { kernelSize: 3, stride: 2 }],
      ['1-D k2 s1, outW 6 (shift 2)', [1, 4, 7], { kernelSize: 2, stride: 1 }],
      ['1-D k1 s3, outW 9 (shift 3)', [1, 2, 25], { kernelSize: 1, stride: 3 }],
      ['2-D k3 s2 padding on H only', [1, 3, 9, 23], { kernelSize: 3, stride: 2, padding: [1, 0] }],
      ['2-D k5 s1 dilation 2 along W', [1, 2, 6, 22], { kernelSize: [2, 5], stride: 1, dilation: [1, 2] }],
      ['2-D k7 s3', [1, 2, 5, 40], { kernelSize: [1, 7], stride: [1, 3] }],
      ['2-D padding after W only, windows inside', [1, 2, 5, 17], { kernelSize: 3, stride: 2, padding: [0, 0, 1, 1] }],
      ['3-D k2 s2 ceil mode on D and H, W exact', [1, 2, 5, 7, 16], { kernelSize: 2, stride: 2, ceilMode: true }],
      ['3-D k3 s1 padding on D and H', [1, 2, 4, 6, 11], { kernelSize: 3, stride: 1, padding: [1, 1, 0] }],
    ];
    for (const [name, shape, window] of named) {
      it(name, async () => {
        const rank = (shape.length - 2) as SpatialRank;
        const mg = resolveMaxWindow(`maxPool${rank}d`, rank, shape, window);
        expect(ndForwardKernel('max', mg, false)).toBe('w4');
        const constants = ndW4FullRowConstants(mg, true);
        expect(constants.W4_KW, 'the full-row form applies').toBe(mg.kernel[rank - 1]);
        expect(ndForwardPlan('max', mg, false, true).constants).toMatchObject(constants);
        const x = dataWithSpecials(seededRandom(shape.reduce((a, b) => a * 31 + b, 7)), count(shape), 0.05);
        const outputs = mg.N * mg.C * count(mg.outSize);
        const want = ref.maxPoolNdForward(x, false, mg);
        const run = await withCleanErrorScope(pool(), () => runPlan(device(), ndForwardPlan('max', mg, false, true, 'w4'), { x }, { y: outputs, indices: outputs }));
        expectBitExact(new Float32Array(run.outputs.y!), want.output, 'max');
        expectBitExact(new Int32Array(run.outputs.indices!), want.indices, 'indices');
        const ag = resolveAvgWindow(`avgPool${rank}d`, rank, shape, { ...window, countIncludePad: false });
        const avg: Float32Array[] = [];
        for (const fullTaps of [true, false]) {
          const r = await withCleanErrorScope(pool(), () => runPlan(device(), ndForwardPlan('avg', ag, false, false, 'w4', fullTaps), { x }, { y: outputs }));
          avg.push(new Float32Array(r.outputs.y!));
        }
        expectClose(avg[0]!, ref.avgPoolNdForward(x, false, ag), count(ag.kernel), 'avg');
        // Bit for bit but for NaN's sign and payload, which the adapters' float adds do not keep alike.
        expectBitExact(canonicalNan(avg[0]!), canonicalNan(avg[1]!), 'avg full rows against clipped');
        const lp: Float32Array[] = [];
        for (const fullTaps of [true, false]) {
          const r = await withCleanErrorScope(pool(), () => runPlan(device(), lpForwardPlan(ag, false, 2, 'w4', fullTaps), { x }, { y: outputs }));
          lp.push(new Float32Array(r.outputs.y!));
        }
        expectBitExact(canonicalNan(lp[0]!), canonicalNan(lp[1]!), 'LP (p = 2) full rows against clipped');
      });
    }

    it('the rule: no padding before the last axis and the last window inside the row; 4 outputs or more', () => {
      const at = (shape: number[], window: Record<string, unknown>) => ndW4FullRowConstants(resolveMaxWindow('maxPool2d', 2, shape, window), false);
      expect(at([1, 1, 8, 17], { kernelSize: 3, stride: 2 })).toEqual({ W4_KW: 3, W4_DW: 1, W4_SW: 2 });
      expect(at([1, 1, 8, 17], { kernelSize: 3, stride: 2, padding: 1 })).toEqual({});
      expect(at([1, 1, 8, 16], { kernelSize: 3, stride: 2, ceilMode: true })).toEqual({});
      expect(at([1, 1, 8, 15], { kernelSize: [3, 3], stride: 2, dilation: [1, 2] })).toEqual({ W4_KW: 3, W4_DW: 2, W4_SW: 2 });
      expect(at([1, 1, 8, 7], { kernelSize: 3, stride: 2 })).toEqual({});
    });
  });
});
