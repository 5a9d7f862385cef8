/**
 * The one place that turns kernel plans into GPU work: pipelines from the per-device cache, a
 * uniform buffer and bind group per pass, dispatch geometry past the 65,535-per-dimension limit,
 * and (for the benchmark) timestamps around the whole sequence.
 */
import { packUniform, uniformByteSize } from '../kernels/uniform-struct.js';
import type { BindingBuffers, KernelPlan } from '../kernels/kernel.js';
import type { BufferPool } from './buffer-pool.js';
import { BufferUsage } from './gpu-flags.js';
import { getPipeline } from './pipeline-cache.js';

/** Splits a workgroup count over (x, y); shaders recover the linear index from both. */
export function dispatchGrid(workgroups: number, maxPerDimension: number): [number, number] {
  if (workgroups <= maxPerDimension) return [Math.max(workgroups, 1), 1];
  const y = Math.ceil(workgroups / maxPerDimension);
  return [Math.ceil(workgroups / y), y];
}

export interface TimestampSink {
  querySet: GPUQuerySet;
  /** Index of the begin timestamp; the end goes at beginIndex + 1. */
  beginIndex: number;
}

/** A step of an op's command sequence: a kernel, or zero-filling a buffer. */
export type Step = { kind: 'kernel'; plan: KernelPlan } | { kind: 'clear'; slot: string };

export function encodeSteps(
  device: GPUDevice,
  encoder: GPUCommandEncoder,
  pool: BufferPool,
  steps: readonly Step[],
  buffers: BindingBuffers,
  timestamps?: TimestampSink,
): GPUBuffer[] {
  const uniforms: GPUBuffer[] = [];
  const maxPerDimension = device.limits.maxComputeWorkgroupsPerDimension;
  const kernelSteps = steps.filter((s) => s.kind === 'kernel').length;
  let kernelIndex = 0;
  for (const step of steps) {
    if (step.kind === 'clear') {
      encoder.clearBuffer(slotBuffer(buffers, step.slot));
      continue;
    }
    const plan = step.plan;
    const pipeline = getPipeline(device, plan);
    const uniform = pool.acquire(uniformByteSize(plan.uniform.struct), BufferUsage.UNIFORM | BufferUsage.COPY_DST, `${plan.label}.params`);
    device.queue.writeBuffer(uniform, 0, packUniform(plan.uniform.struct, plan.uniform.values));
    uniforms.push(uniform);
    const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: uniform } }];
    for (const [slot, binding] of Object.entries(plan.bindings)) entries.push({ binding, resource: { buffer: slotBuffer(buffers, slot) } });
    const bindGroup = device.createBindGroup({ label: plan.label, layout: pipeline.getBindGroupLayout(0), entries });
    const first = kernelIndex === 0;
    const last = kernelIndex === kernelSteps - 1;
    kernelIndex++;
    const timestampWrites: GPUComputePassTimestampWrites | undefined =
      timestamps && (first || last)
        ? {
            querySet: timestamps.querySet,
            ...(first ? { beginningOfPassWriteIndex: timestamps.beginIndex } : {}),
            ...(last ? { endOfPassWriteIndex: timestamps.beginIndex + 1 } : {}),
          }
        : undefined;
    const pass = encoder.beginComputePass(timestampWrites ? { label: plan.label, timestampWrites } : { label: plan.label });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    const [x, y] = dispatchGrid(plan.workgroups, maxPerDimension);
    pass.dispatchWorkgroups(x, y);
    pass.end();
  }
  return uniforms;
}

function slotBuffer(buffers: BindingBuffers, slot: string): GPUBuffer {
  const buffer = buffers[slot];
  if (!buffer) throw new Error(`internal: no buffer supplied for binding slot '${slot}'`);
  return buffer;
}
