/**
 * The benchmark's timestamps span a whole op, a leading clear included: dx zeroed by clearBuffer
 * (the scatter and direct backward forms) is part of the op's GPU time, so an empty pass takes the
 * begin timestamp before it (issue: "the benchmark does not time the clear pass").
 */
import { expect, it } from 'vitest';
import { BufferPool } from '../src/host/buffer-pool.js';
import { encodeSteps, type Step } from '../src/host/dispatch.js';
import { BufferUsage } from '../src/host/gpu-flags.js';
import { readDurations } from '../src/host/timestamps.js';
import { webgpuBackendOf } from '../src/host/webgpu-backend.js';
import { maxPoolBackwardPlan } from '../src/kernels/max-pool-backward.js';
import { backwardSteps } from '../src/ops/descriptor.js';
import { maxPlaneParams, resolveMaxWindow } from '../src/params.js';
import { useGpuPool } from './helpers/gpu.js';

const pool = useGpuPool();

/** The encoder's calls, in order: pass labels with their timestamp indices, and clears. */
function recording(encoder: GPUCommandEncoder, calls: string[]): GPUCommandEncoder {
  return new Proxy(encoder, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (key === 'beginComputePass') {
          const d = args[0] as GPUComputePassDescriptor;
          const t = d.timestampWrites;
          calls.push(`pass ${d.label}${t?.beginningOfPassWriteIndex !== undefined ? ` begin@${t.beginningOfPassWriteIndex}` : ''}${t?.endOfPassWriteIndex !== undefined ? ` end@${t.endOfPassWriteIndex}` : ''}`);
        } else if (key === 'clearBuffer') calls.push('clear');
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/**
 * Encodes `steps` of a max backward over [1, 4, 32, 32] (k2 s2) with a timestamp sink, through a
 * recording encoder, runs them, and returns the calls and the span the timestamps measured.
 */
async function encodeTimed(steps: readonly Step[]): Promise<{ calls: string[]; ms: number | undefined }> {
  const device = webgpuBackendOf(pool())!.device;
  expect(device.features.has('timestamp-query'), 'SwiftShader offers timestamp-query').toBe(true);
  const make = (elements: number) => device.createBuffer({ size: elements * 4, usage: BufferUsage.STORAGE | BufferUsage.COPY_DST | BufferUsage.COPY_SRC });
  const buffers = { dy: make(4 * 16 * 16), indices: make(4 * 16 * 16), dx: make(4 * 32 * 32) };
  const querySet = device.createQuerySet({ type: 'timestamp', count: 2 });
  const buffersPool = new BufferPool(device);
  const calls: string[] = [];
  try {
    const encoder = recording(device.createCommandEncoder(), calls);
    const uniforms = encodeSteps(device, encoder, buffersPool, steps, buffers, { querySet, beginIndex: 0 });
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
    for (const u of uniforms) buffersPool.release(u);
    return { calls, ms: (await readDurations(device, querySet, 1))?.[0] };
  } finally {
    buffersPool.destroyAll();
    querySet.destroy();
    for (const b of Object.values(buffers)) b.destroy();
  }
}

const g = resolveMaxWindow('maxPool2d', 2, [1, 4, 32, 32], { kernelSize: 2, stride: 2 });

it('a direct backward (clear, then kernel) is timed from before its clear to the end of its kernel', async () => {
  const plan = maxPoolBackwardPlan(maxPlaneParams(g), 'NCHW', 'direct');
  const steps = backwardSteps(plan);
  expect(steps.map((s) => s.kind)).toEqual(['clear', 'kernel']);
  const { calls, ms } = await encodeTimed(steps);
  expect(calls).toEqual(['pass timestamps.begin begin@0', 'clear', `pass ${plan.kernel.label} end@1`]);
  expect(ms).toBeGreaterThan(0);
});

it('an op without a leading clear keeps its timestamps on its own first and last passes', async () => {
  const plan = maxPoolBackwardPlan(maxPlaneParams(g), 'NCHW', 'cell');
  const steps = backwardSteps(plan);
  expect(steps.map((s) => s.kind)).toEqual(['kernel']);
  const { calls, ms } = await encodeTimed(steps);
  expect(calls).toEqual([`pass ${plan.kernel.label} begin@0 end@1`]);
  expect(ms).toBeGreaterThan(0);
});
