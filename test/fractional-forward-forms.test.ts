/**
 * The fractional forward's two mappings forced below the public API (src/kernels/fractional-pool.ts,
 * docs/unpool-fractional.md "Performance"): four outputs in memory order (with full groups where a
 * unit holds 4 outputs or more: the unit's last group shifted back, its first lanes not stored) and
 * four channels of one position (channels-last, C % 4 == 0), against the reference bit for bit on
 * both adapters, whatever the rule picks there. Units whose length leaves 0-3 outputs for the last
 * group, units shorter than 4, fixed and uniform kernels (k 4), 2-D and 3-D, NaN, ties, -inf.
 * The backward scatter likewise, with full groups and with the lane loop (dy in 1/64ths, so every
 * sum is exact whatever the order of the atomic adds).
 */
import { describe, expect, it } from 'vitest';
import { fractionalBackwardPlan, fractionalForwardPlan, fractionalVec4Rule, type FractionalShape } from '../src/kernels/fractional-pool.js';
import { windowStartTable } from '../src/ops/fractional-pool.js';
import * as ref from '../src/reference/fractional-pool.js';
import { expectBitExact } from './helpers/compare.js';
import { useGpuPool, withCleanErrorScope } from './helpers/gpu.js';
import { count } from './helpers/nd-windows.js';
import { seededRandom } from './helpers/random.js';
import { runPlan } from './helpers/run-plan.js';

const pool = useGpuPool();
const device = () => (pool().impl as unknown as { device: GPUDevice }).device;

const SHAPES: FractionalShape[] = [
  // NCHW unit 5·5 = 25: the last group shifted back by 3 lanes; NHWC unit 25·C.
  { rank: 2, N: 2, C: 4, inSize: [11, 9], outSize: [5, 5], kernel: [2, 2] },
  { rank: 2, N: 1, C: 8, inSize: [13, 12], outSize: [6, 7], kernel: [3, 3] },
  // Units of 3 outputs (NCHW): no full groups.
  { rank: 2, N: 1, C: 4, inSize: [6, 5], outSize: [1, 3], kernel: [2, 2] },
  { rank: 2, N: 1, C: 12, inSize: [9, 10], outSize: [3, 5], kernel: [4, 2] },
  { rank: 3, N: 1, C: 4, inSize: [5, 6, 7], outSize: [2, 3, 3], kernel: [2, 2, 3] },
  { rank: 3, N: 1, C: 8, inSize: [7, 6, 8], outSize: [3, 2, 5], kernel: [2, 4, 2] },
];

describe('fractional forward: both mappings equal the reference', () => {
  for (const s of SHAPES) {
    for (const channelsLast of [false, true]) {
      it(`${s.rank}-D ${[s.N, s.C, ...s.inSize].join('x')} -> ${s.outSize.join('x')} k${s.kernel.join('x')} ${channelsLast ? 'channels-last' : 'channel-first'}`, async () => {
        const rand = seededRandom(count(s.inSize) * 7 + s.C + (channelsLast ? 1 : 0));
        const n = s.N * s.C * count(s.inSize);
        const x = Float32Array.from({ length: n }, () => (rand() < 0.05 ? (rand() < 0.5 ? NaN : -Infinity) : Math.round((rand() * 2 - 1) * 8) / 8));
        const samples = Float32Array.from({ length: s.N * s.C * s.rank }, () => Math.fround(rand() * 0.999));
        const table = windowStartTable(s, channelsLast, samples);
        const want = ref.fractionalMaxPoolForward(x, channelsLast, s, samples);
        const outputs = s.N * s.C * count(s.outSize);
        const unit = count(s.outSize) * (channelsLast ? s.C : 1);
        for (const vec4 of channelsLast && s.C % 4 === 0 ? [false, true] : [false]) {
          for (const withIndices of [true, false]) {
            const plan = fractionalForwardPlan(s, channelsLast, withIndices, vec4);
            expect(plan.constants.FULL_GROUPS, 'full groups where a unit holds 4 outputs (memory-order form)').toBe(!vec4 && unit >= 4 ? 1 : undefined);
            const run = await withCleanErrorScope(pool(), () => runPlan(device(), plan, { x, window_starts: new Float32Array(table.buffer) }, withIndices ? { y: outputs, indices: outputs } : { y: outputs }));
            const form = `${vec4 ? 'vec4' : 'memory order'}${withIndices ? ' +indices' : ''}`;
            expectBitExact(new Float32Array(run.outputs.y!), want.output, `${form} values`);
            if (withIndices) expectBitExact(new Int32Array(run.outputs.indices!), want.indices, `${form} indices`);
          }
        }
      });
    }
  }

  for (const s of SHAPES) {
    for (const channelsLast of [false, true]) {
      it(`backward ${s.rank}-D ${[s.N, s.C, ...s.inSize].join('x')} -> ${s.outSize.join('x')} ${channelsLast ? 'channels-last' : 'channel-first'}`, async () => {
        const rand = seededRandom(count(s.outSize) * 13 + s.C + (channelsLast ? 1 : 0));
        const n = s.N * s.C * count(s.inSize);
        const outputs = s.N * s.C * count(s.outSize);
        const x = Float32Array.from({ length: n }, () => Math.round((rand() * 2 - 1) * 8) / 8);
        const samples = Float32Array.from({ length: s.N * s.C * s.rank }, () => Math.fround(rand() * 0.999));
        const indices = ref.fractionalMaxPoolForward(x, channelsLast, s, samples).indices;
        const dy = Float32Array.from({ length: outputs }, () => Math.round((rand() * 2 - 1) * 64) / 64);
        const want = ref.fractionalMaxPoolBackward(dy, indices, channelsLast, s);
        const unit = count(s.outSize) * (channelsLast ? s.C : 1);
        for (const fullGroups of [true, false]) {
          const plan = fractionalBackwardPlan(s, channelsLast, fullGroups);
          expect(plan.constants.FULL_GROUPS).toBe(fullGroups && unit >= 4 ? 1 : undefined);
          const run = await withCleanErrorScope(pool(), () => runPlan(device(), plan, { dy, indices: new Float32Array(indices.buffer) }, { dx: n }));
          expectBitExact(new Float32Array(run.outputs.dx!), want, `dx (${fullGroups ? 'full groups' : 'lane loop'})`);
        }
      });
    }
  }

  it('the rule: four channels where C % 4 == 0 channels-last, except on SwiftShader', () => {
    const s = SHAPES[0]!;
    expect(fractionalVec4Rule(s, true, 'llvmpipe')).toBe(true);
    expect(fractionalVec4Rule(s, true, 'gpu')).toBe(true);
    expect(fractionalVec4Rule(s, true, 'swiftshader')).toBe(false);
    expect(fractionalVec4Rule(s, false, 'llvmpipe')).toBe(false);
    expect(fractionalVec4Rule({ ...s, C: 6 }, true, 'llvmpipe')).toBe(false);
  });
});
