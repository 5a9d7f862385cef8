/**
 * The N-d gather backward kernels of max and average pooling, forced below the public API (the rule
 * ndGatherKernel picks one per window, so the seeded suites reach each only by chance): 'gather'
 * (map-gather-cells.wgsl, any window) and 'gather_near' (map-gather-near.wgsl, no dilation and
 * (k − 1) < 2·s), over ranks 1-3, both memory orders, padding, ceil mode and both divisor rules,
 * whole and split (a binding limit of about half the largest tensor), against the f64 reference.
 * Where both kernels apply they must write the same bits, and each plan's label names the kernel.
 */
import { describe, expect, it } from 'vitest';
import type { BindingLimits } from '../src/host/split.js';
import { ndBackwardPlan, ndGatherKernel, type NdGatherKernel } from '../src/kernels/nd-pool.js';
import { resolveAvgWindow, resolveMaxWindow } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { AvgWindow, MaxWindow, SpatialRank } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { useGpuPool, withCleanErrorScope } from './helpers/gpu.js';
import { count, overlap } from './helpers/nd-windows.js';
import { randomData, seededRandom } from './helpers/random.js';
import { runPlan } from './helpers/run-plan.js';

const pool = useGpuPool();
const device = () => (pool().impl as unknown as { device: GPUDevice }).device;

interface GatherCase {
  rank: SpatialRank;
  shape: number[];
  max: Record<string, unknown>;
  avg: Record<string, unknown>;
  channelsLast: boolean;
}

const CASES: GatherCase[] = [
  // Near: overlapping (k3 s2), non-overlapping with gaps (k2 s3), a one-tap axis.
  { rank: 3, shape: [2, 3, 5, 7, 9], max: { kernelSize: 3, stride: 2, padding: 1 }, avg: { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false }, channelsLast: false },
  { rank: 3, shape: [1, 5, 6, 5, 8], max: { kernelSize: [2, 3, 2], stride: [3, 2, 1], ceilMode: true }, avg: { kernelSize: [2, 3, 2], stride: [3, 2, 1], ceilMode: true, padding: [1, 1, 0] }, channelsLast: true },
  { rank: 1, shape: [3, 4, 23], max: { kernelSize: 4, stride: 2, padding: 2, ceilMode: true }, avg: { kernelSize: 4, stride: 2, padding: 1, divisorOverride: 3 }, channelsLast: true },
  { rank: 2, shape: [2, 3, 9, 11], max: { kernelSize: [3, 2], stride: [2, 1], padding: 1 }, avg: { kernelSize: [3, 2], stride: [2, 1], padding: 1, ceilMode: true }, channelsLast: false },
  // General only: dilation, and (k − 1) ≥ 2·s.
  { rank: 3, shape: [1, 2, 6, 7, 8], max: { kernelSize: 2, stride: 1, dilation: [1, 2, 2], padding: 1 }, avg: { kernelSize: 2, stride: 1, dilation: [2, 1, 2], padding: 1 }, channelsLast: true },
  { rank: 3, shape: [2, 2, 5, 6, 7], max: { kernelSize: 3, stride: 1, padding: 1 }, avg: { kernelSize: [3, 5, 3], stride: [1, 2, 1], padding: [1, 2, 0] }, channelsLast: false },
];

const name = (c: GatherCase) => `${c.shape.join('x')} ${c.channelsLast ? 'channels-last' : 'channel-first'}`;

function smallLimits(c: GatherCase, outputs: number): BindingLimits {
  const largest = 4 * Math.max(count(c.shape), outputs);
  return { maxBindingSize: Math.max(256, Math.ceil(largest / 2 / 256) * 256), offsetAlignment: 256 };
}

/** The kernels to force for a window: 'gather' always, 'gather_near' where the rule allows it. */
function kernelsFor(g: MaxWindow | AvgWindow): NdGatherKernel[] {
  return ndGatherKernel(g) === 'gather_near' ? ['gather', 'gather_near'] : ['gather'];
}

describe('the N-d gather kernels match the reference and each other', () => {
  CASES.forEach((c, i) => {
    for (const split of [false, true]) {
      it(`max ${name(c)} ${JSON.stringify(c.max)}${split ? ' split' : ''}`, async () => {
        const g = resolveMaxWindow(`maxPool${c.rank}d`, c.rank, c.shape, c.max);
        const rand = seededRandom(9400 + i);
        const x = randomData(rand, count(c.shape));
        const outputs = g.N * g.C * count(g.outSize);
        const dy = randomData(rand, outputs);
        const { indices } = ref.maxPoolNdForward(x, c.channelsLast, g);
        const want = ref.maxPoolNdBackward(dy, indices, c.channelsLast, g);
        const limits = split ? smallLimits(c, outputs) : undefined;
        const results: Float32Array[] = [];
        for (const kernel of kernelsFor(g)) {
          const { kernel: plan, zeroDx } = ndBackwardPlan('max', g, c.channelsLast, 'gather', kernel);
          expect(plan.label).toBe(`maxPool${c.rank}dBackward.nd.${kernel}`);
          expect(zeroDx).toBe(false);
          const run = await withCleanErrorScope(pool(), () => runPlan(device(), plan, { dy, indices: new Float32Array(indices.buffer) }, { dx: want.length }, limits));
          if (limits) expect(run.passes).toBeGreaterThan(1);
          const dx = new Float32Array(run.outputs.dx!);
          expectClose(dx, want, overlap(g), `${kernel} dx`);
          results.push(dx);
        }
        if (results.length === 2) expectBitExact(results[1]!, results[0]!, 'gather_near against gather');
      });

      it(`avg ${name(c)} ${JSON.stringify(c.avg)}${split ? ' split' : ''}`, async () => {
        const g = resolveAvgWindow(`avgPool${c.rank}d`, c.rank, c.shape, c.avg);
        const outputs = g.N * g.C * count(g.outSize);
        const dy = randomData(seededRandom(9500 + i), outputs);
        const want = ref.avgPoolNdBackward(dy, c.channelsLast, g);
        const limits = split ? smallLimits(c, outputs) : undefined;
        const results: Float32Array[] = [];
        for (const kernel of kernelsFor(g)) {
          const { kernel: plan } = ndBackwardPlan('avg', g, c.channelsLast, 'gather', kernel);
          expect(plan.label).toBe(`avgPool${c.rank}dBackward.nd.${kernel}`);
          const run = await withCleanErrorScope(pool(), () => runPlan(device(), plan, { dy }, { dx: want.length }, limits));
          if (limits) expect(run.passes).toBeGreaterThan(1);
          const dx = new Float32Array(run.outputs.dx!);
          expectClose(dx, want, overlap(g), `${kernel} dx`);
          results.push(dx);
        }
        if (results.length === 2) expectBitExact(results[1]!, results[0]!, 'gather_near against gather');
      });
    }
  });

  it('the rule: near without dilation and with (k − 1) < 2·s on every axis', () => {
    const kinds = CASES.map((c) => ndGatherKernel(resolveAvgWindow('avgPool', c.rank, c.shape, c.avg)));
    expect(kinds).toEqual(['gather_near', 'gather_near', 'gather_near', 'gather_near', 'gather', 'gather']);
  });
});
