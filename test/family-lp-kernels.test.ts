/**
 * Every LP kernel, forced below the public API (the rules of src/kernels/lp-pool.ts pick one per
 * shape, so the seeded suites reach each only by chance): the forward's 'scalar', 'w4' and 'vec4'
 * mappings and the backward's 'gather', 'gather_near', 'gather_near4' entry points and its scatter,
 * for p = 1, 2 (exact forms) and 2.5 (pow), against the f64 reference (src/reference/lp-pool.ts),
 * whole and split (a binding limit of half the largest tensor). Each plan's label names the kernel under test, so a
 * rule change cannot quietly swap it. Tolerances: test/helpers/lp-tolerance.ts.
 */
import { describe, expect, it } from 'vitest';
import { resolveWindow } from '../src/geometry.js';
import type { BindingLimits } from '../src/host/split.js';
import { lpBackwardPlan, lpForwardPlan, type LpForwardKernel, type LpGatherKernel } from '../src/kernels/lp-pool.js';
import * as ref from '../src/reference/lp-pool.js';
import type { SpatialRank, WindowGeometry } from '../src/types.js';
import { useGpuPool, withCleanErrorScope } from './helpers/gpu.js';
import { expectLpClose } from './helpers/lp-tolerance.js';
import { count, overlap } from './helpers/nd-windows.js';
import { randomData, seededRandom } from './helpers/random.js';
import { runPlan } from './helpers/run-plan.js';

const pool = useGpuPool();
const device = () => (pool().impl as unknown as { device: GPUDevice }).device;

/** A binding limit of about half the case's largest tensor (aligned), so that it splits into several dispatches. */
function smallLimits(c: KernelCase): BindingLimits {
  const g = windowOf(c);
  const largest = 4 * Math.max(count(c.shape), g.N * g.C * count(g.outSize));
  return { maxBindingSize: Math.max(256, Math.ceil(largest / 2 / 256) * 256), offsetAlignment: 256 };
}

interface KernelCase {
  rank: SpatialRank;
  /** Logical shape [N, C, ...spatial]. */
  shape: number[];
  options: Record<string, unknown>;
  channelsLast: boolean;
}

const windowOf = (c: KernelCase): WindowGeometry => resolveWindow('test', c.rank, c.shape, c.options);
const name = (c: KernelCase) => `${c.shape.join('x')} ${c.channelsLast ? 'channels-last' : 'channel-first'} ${JSON.stringify(c.options)}`;

const FORWARD: { kernel: LpForwardKernel; cases: KernelCase[] }[] = [
  { kernel: 'scalar', cases: [
    { rank: 2, shape: [2, 3, 9, 11], options: { kernelSize: 3, stride: 2, padding: 1 }, channelsLast: false },
    { rank: 1, shape: [6, 3, 17], options: { kernelSize: 4, stride: 1, dilation: 2, ceilMode: true }, channelsLast: true },
  ] },
  { kernel: 'w4', cases: [
    { rank: 2, shape: [2, 3, 9, 11], options: { kernelSize: 3, stride: 2, padding: 1 }, channelsLast: false },
    { rank: 3, shape: [1, 2, 5, 6, 13], options: { kernelSize: [2, 3, 3], stride: [1, 2, 1], padding: [0, 1, 1] }, channelsLast: false },
    { rank: 1, shape: [4, 3, 23], options: { kernelSize: 3, stride: 2, dilation: 2, padding: 2, ceilMode: true }, channelsLast: false },
  ] },
  { kernel: 'vec4', cases: [
    { rank: 2, shape: [2, 4, 9, 11], options: { kernelSize: 3, stride: 2, padding: 1 }, channelsLast: true },
    { rank: 3, shape: [3, 8, 4, 5, 6], options: { kernelSize: 2, stride: 1, dilation: [1, 2, 1] }, channelsLast: true },
  ] },
];

const BACKWARD: { kernel: LpGatherKernel | 'scatter'; cases: KernelCase[] }[] = [
  { kernel: 'gather', cases: [
    { rank: 2, shape: [2, 3, 9, 11], options: { kernelSize: 3, stride: 1, padding: 1 }, channelsLast: false },
    { rank: 1, shape: [6, 3, 29], options: { kernelSize: 4, stride: 1, dilation: 2, padding: [3, 1] }, channelsLast: true },
    { rank: 3, shape: [1, 3, 5, 6, 7], options: { kernelSize: 3, stride: [1, 2, 1], padding: 1, ceilMode: true }, channelsLast: false },
  ] },
  { kernel: 'gather_near', cases: [
    { rank: 2, shape: [2, 3, 9, 11], options: { kernelSize: 3, stride: 2, padding: 1 }, channelsLast: false },
    { rank: 1, shape: [6, 3, 21], options: { kernelSize: 2, stride: 2, ceilMode: true }, channelsLast: true },
    { rank: 2, shape: [1, 5, 10, 7], options: { kernelSize: [2, 1], stride: [1, 3], padding: [1, 0, 0, 0] }, channelsLast: true },
  ] },
  { kernel: 'gather_near4', cases: [
    { rank: 2, shape: [2, 8, 9, 11], options: { kernelSize: 3, stride: 2, padding: 1 }, channelsLast: true },
    { rank: 1, shape: [6, 4, 19], options: { kernelSize: 2, stride: 1, padding: 1 }, channelsLast: true },
  ] },
  { kernel: 'scatter', cases: [
    { rank: 3, shape: [3, 3, 5, 6, 7], options: { kernelSize: 2, stride: 2, ceilMode: true }, channelsLast: true },
    { rank: 2, shape: [2, 3, 9, 11], options: { kernelSize: 3, stride: 1, dilation: 2, padding: 2 }, channelsLast: false },
  ] },
];

const P_VALUES = [1, 2, 2.5] as const;

describe('every LP forward kernel matches the reference', () => {
  FORWARD.forEach(({ kernel, cases }, k) => {
    cases.forEach((c, i) => {
      for (const limits of [undefined, smallLimits(c)]) {
        it(`${kernel} ${name(c)}${limits ? ' split' : ''}`, async () => {
          const g = windowOf(c);
          const x = randomData(seededRandom(9100 + 10 * k + i), count(c.shape));
          for (const p of P_VALUES) {
            const plan = lpForwardPlan(g, c.channelsLast, p, kernel);
            expect(plan.label).toBe(`lpPool${c.rank}d.nd.forward${kernel === "scalar" ? "" : `.${kernel}`}`);
            const want = ref.lpPoolNdForward(x, c.channelsLast, g, p);
            const run = await withCleanErrorScope(pool(), () => runPlan(device(), plan, x, { y: want.length }, limits));
            if (limits) expect(run.passes).toBeGreaterThan(1);
            expectLpClose(new Float32Array(run.outputs.y!), want, count(g.kernel), p, `p ${p} y`);
          }
        });
      }
    });
  });
});

describe('every LP backward kernel matches the reference', () => {
  BACKWARD.forEach(({ kernel, cases }, k) => {
    cases.forEach((c, i) => {
      for (const limits of [undefined, smallLimits(c)]) {
        it(`${kernel} ${name(c)}${limits ? ' split' : ''}`, async () => {
          const g = windowOf(c);
          const rand = seededRandom(9200 + 10 * k + i);
          const x = randomData(rand, count(c.shape));
          const dy = randomData(rand, g.N * g.C * count(g.outSize));
          for (const p of P_VALUES) {
            // The backward reads the forward's y; the reference's float32 y serves both sides.
            const y = ref.lpPoolNdForward(x, c.channelsLast, g, p);
            const { kernel: plan, zeroDx } = kernel === 'scatter' ? lpBackwardPlan(g, c.channelsLast, p, 'scatter') : lpBackwardPlan(g, c.channelsLast, p, 'gather', kernel);
            expect(plan.label).toBe(`lpPool${c.rank}dBackward.nd.${kernel}`);
            // The scatter adds into dx; runPlan's fresh buffers are zeroed, as the clear would leave them.
            expect(zeroDx).toBe(kernel === 'scatter');
            const want = ref.lpPoolNdBackward(dy, x, y, c.channelsLast, g, p);
            const run = await withCleanErrorScope(pool(), () => runPlan(device(), plan, { dy, x, y }, { dx: want.length }, limits));
            if (limits) expect(run.passes).toBeGreaterThan(1);
            expectLpClose(new Float32Array(run.outputs.dx!), want, overlap(g), p, `p ${p} dx`);
          }
        });
      }
    });
  });
});
