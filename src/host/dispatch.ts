/**
 * The one place that turns kernel plans into GPU work: pipelines from the per-device cache, a
 * uniform buffer and bind group per pass (reused across calls: submission-cache.ts), dispatch
 * geometry past the 65,535-per-dimension limit, passes split over sub-ranges where a tensor exceeds
 * one binding (split.ts), and (for the benchmark) timestamps around the whole sequence, a leading
 * clear included.
 */
import { packUniform, uniformByteSize } from '../kernels/uniform-struct.js';
import type { BindingBuffers, KernelPlan } from '../kernels/kernel.js';
import type { BufferPool } from './buffer-pool.js';
import { BufferUsage } from './gpu-flags.js';
import { getPipeline } from './pipeline-cache.js';
import { bindGroupEntries, forgetBuffers, submissionCache, type BoundBuffer } from './submission-cache.js';
import { fitsWhole, splitDispatches, type BindingLimits, type BufferRange } from './split.js';

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

/** The binding limits of a device, as the host splits against them. */
export function deviceBindingLimits(device: GPUDevice): BindingLimits {
  return { maxBindingSize: device.limits.maxStorageBufferBindingSize, offsetAlignment: device.limits.minStorageBufferOffsetAlignment };
}

interface Pass {
  plan: KernelPlan;
  values: Readonly<Record<string, number>>;
  ranges: Record<string, BufferRange> | null;
  workgroups: number;
}

/** A kernel step's dispatches: one over whole buffers when they fit a binding, else the split runs. */
function passesOf(op: string, plan: KernelPlan, buffers: BindingBuffers, limits: BindingLimits): Pass[] {
  if (fitsWhole(plan, buffers, limits)) return [{ plan, values: plan.uniform.values, ranges: null, workgroups: plan.workgroups }];
  return splitDispatches(op, plan, buffers, limits).map((d) => ({ plan, values: { ...plan.uniform.values, ...d.fields }, ranges: d.ranges, workgroups: d.workgroups }));
}

/**
 * Encodes the steps; the caller submits the encoder before encoding anything else on the device
 * (the submission cache destroys evicted uniforms at the next call). Returns the uniform buffers it
 * bound: pooled ones (split passes, whose offsets make each uniform one-off) for the caller to
 * release once the submission is known to be valid, and cached ones, which the pool's release and
 * discard ignore; after a failed submission the caller passes them all to forgetBuffers, so nothing
 * the call made or touched is reused. Throws (a PoolingError) before encoding anything when a tensor
 * cannot be split to fit the binding limit.
 */
export function encodeSteps(
  device: GPUDevice,
  encoder: GPUCommandEncoder,
  pool: BufferPool,
  steps: readonly Step[],
  buffers: BindingBuffers,
  timestamps?: TimestampSink,
  options: { op?: string; limits?: BindingLimits } = {},
): GPUBuffer[] {
  const op = options.op ?? 'dispatch';
  const limits = options.limits ?? deviceBindingLimits(device);
  const plannedSteps: PlannedStep[] = steps.map((step) => (step.kind === 'clear' ? step : { kind: 'passes' as const, passes: passesOf(op, step.plan, buffers, limits) }));
  const passCount = plannedSteps.reduce((n, s) => n + (s.kind === 'passes' ? s.passes.length : 0), 0);
  const uniforms: GPUBuffer[] = [];
  submissionCache(device).settle();
  try {
    encodePasses(device, encoder, pool, plannedSteps, passCount, buffers, uniforms, timestamps);
  } catch (e) {
    // A GPU call threw part-way: nothing acquired or cached so far outlives the call.
    forgetBuffers(device, uniforms);
    for (const u of uniforms) pool.discard(u);
    throw e;
  }
  return uniforms;
}

type PlannedStep = { kind: 'clear'; slot: string } | { kind: 'passes'; passes: Pass[] };

function encodePasses(
  device: GPUDevice,
  encoder: GPUCommandEncoder,
  pool: BufferPool,
  plannedSteps: readonly PlannedStep[],
  passCount: number,
  buffers: BindingBuffers,
  uniforms: GPUBuffer[],
  timestamps: TimestampSink | undefined,
): void {
  const cache = submissionCache(device);
  const maxPerDimension = device.limits.maxComputeWorkgroupsPerDimension;
  let passIndex = 0;
  // A clear before the first pass is part of the op's time (dx zeroed for the scatter and direct
  // forms), but clearBuffer is not a pass and takes no timestamp: an empty pass marks the begin.
  const clearFirst = timestamps !== undefined && plannedSteps[0]?.kind === 'clear';
  if (clearFirst) encoder.beginComputePass({ label: 'timestamps.begin', timestampWrites: { querySet: timestamps.querySet, beginningOfPassWriteIndex: timestamps.beginIndex } }).end();
  for (const step of plannedSteps) {
    if (step.kind === 'clear') {
      encoder.clearBuffer(slotBuffer(buffers, step.slot));
      continue;
    }
    for (const { plan, values, ranges, workgroups } of step.passes) {
      const pipeline = getPipeline(device, plan);
      const bound: BoundBuffer[] = [];
      for (const [slot, binding] of Object.entries(plan.bindings)) {
        const range = ranges?.[slot];
        bound.push(range ? { binding, buffer: slotBuffer(buffers, slot), offset: range.offset, size: range.size } : { binding, buffer: slotBuffer(buffers, slot) });
      }
      let bindGroup: GPUBindGroup;
      if (ranges) {
        // A split pass of a tensor past the binding limit: one-off offsets, so nothing worth keeping.
        const uniform = pool.acquire(uniformByteSize(plan.uniform.struct), BufferUsage.UNIFORM | BufferUsage.COPY_DST, `${plan.label}.params`);
        device.queue.writeBuffer(uniform, 0, packUniform(plan.uniform.struct, values));
        uniforms.push(uniform);
        bindGroup = device.createBindGroup({ label: plan.label, layout: pipeline.getBindGroupLayout(0), entries: bindGroupEntries(uniform, bound) });
      } else {
        const uniform = cache.uniform(plan.uniform.struct, values, plan.label);
        uniforms.push(uniform);
        bindGroup = cache.bindGroup(pipeline, plan.label, uniform, bound);
      }
      const first = passIndex === 0 && !clearFirst;
      const last = passIndex === passCount - 1;
      passIndex++;
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
      const [x, y] = dispatchGrid(workgroups, maxPerDimension);
      pass.dispatchWorkgroups(x, y);
      pass.end();
    }
  }
}

function slotBuffer(buffers: BindingBuffers, slot: string): GPUBuffer {
  const buffer = buffers[slot];
  if (!buffer) throw new Error(`internal: no buffer supplied for binding slot '${slot}'`);
  return buffer;
}
