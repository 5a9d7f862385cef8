/**
 * The N-d forward's W4 mapping (shaders/nd/map-window-w4.wgsl: four outputs of a channel-first row
 * per invocation, composed with the max, average and LP reductions), forced below the public API
 * against the one-output mapping (map-window.wgsl) on seeded random windows of every rank: dilation,
 * every padding form, ceil mode, both divisor rules and divisorOverride, NaN and signed zeros, rows
 * whose last group holds 1-3 outputs, whole and split (a binding limit of about half the largest
 * tensor). Max values and indices bit for bit, averages bit for bit too (each lane adds its taps in
 * the scalar mapping's order), and both against the f64 reference.
 */
import { describe, expect, it } from 'vitest';
import type { BindingLimits } from '../src/host/split.js';
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
          for (const kernel of ['scalar', 'w4'] as const) {
            const plan = ndForwardPlan('max', mg, false, true, kernel);
            expect(plan.label).toBe(`maxPool${rank}d.nd.forward${kernel === 'w4' ? '.w4' : ''}`);
            const run = await withCleanErrorScope(pool(), () => runPlan(device(), plan, { x }, { y: outputs, indices: outputs }, limits));
            if (limits) expect(run.passes).toBeGreaterThan(1);
            expectBitExact(new Float32Array(run.outputs.y!), want.output, `${kernel} max`);
            expectBitExact(new Int32Array(run.outputs.indices!), want.indices, `${kernel} indices`);
          }
          const ag = resolveAvgWindow(`avgPool${rank}d`, rank, c.shape, { ...c.window, countIncludePad, ...(divisorOverride ? { divisorOverride } : {}) });
          const wantAvg = ref.avgPoolNdForward(x, false, ag);
          const avg: Float32Array[] = [];
          for (const kernel of ['scalar', 'w4'] as const) {
            const run = await withCleanErrorScope(pool(), () => runPlan(device(), ndForwardPlan('avg', ag, false, false, kernel), { x }, { y: outputs }, limits));
            const y = new Float32Array(run.outputs.y!);
            expectClose(y, wantAvg, count(ag.kernel), `${kernel} avg`);
            avg.push(y);
          }
          expectBitExact(avg[1]!, avg[0]!, 'w4 avg against the one-output mapping');
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
});
