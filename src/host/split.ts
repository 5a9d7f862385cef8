/**
 * Splitting a dispatch whose tensors exceed the storage binding limit. A buffer may be larger than
 * one binding (maxBufferSize ≥ maxStorageBufferBindingSize; llvmpipe binds 128 MiB of a 2 GiB
 * buffer), so the domain is cut into runs of units (src/kernels/split-spec.ts), each bound to just
 * the elements it touches, at offsets aligned to minStorageBufferOffsetAlignment.
 */
import { PoolingError } from '../errors.js';
import type { BindingBuffers, KernelPlan } from '../kernels/kernel.js';
import type { SlotGroup, SplitField, SplitSpec } from '../kernels/split-spec.js';

export interface BindingLimits {
  /** Bytes one storage binding may span. */
  maxBindingSize: number;
  /** Alignment of a storage binding's offset, in bytes. */
  offsetAlignment: number;
}

export interface BufferRange {
  offset: number;
  size: number;
}

/** One dispatch of a split kernel: its domain run, uniform fields, bound ranges and workgroups. */
export interface SplitDispatch {
  fields: Record<SplitField, number>;
  ranges: Record<string, BufferRange>;
  workgroups: number;
}

/** True when every buffer of the plan fits one binding: the plan runs as one dispatch over whole buffers. */
export function fitsWhole(plan: KernelPlan, buffers: BindingBuffers, limits: BindingLimits): boolean {
  return Object.keys(plan.bindings).every((slot) => (buffers[slot]?.size ?? 0) <= limits.maxBindingSize);
}

/**
 * The byte range of a group's bindings for element range [begin, end): offset aligned down. A run
 * that touches nothing of a group still binds one element that exists (the one before `begin`).
 */
function byteRange(begin: number, end: number, align: number): BufferRange {
  const first = end > begin ? begin : Math.max(begin - 1, 0);
  const offset = Math.floor((first * 4) / align) * align;
  return { offset, size: Math.max(end, first + 1) * 4 - offset };
}

/**
 * The dispatches covering the plan's whole domain, each as many units as fit. Runs are found by
 * doubling then bisecting, since a range only grows with its run.
 */
export function splitDispatches(op: string, plan: KernelPlan, buffers: BindingBuffers, limits: BindingLimits): SplitDispatch[] {
  const spec = plan.split;
  if (!spec) {
    throw new PoolingError(op, undefined, `${plan.label} binds a buffer larger than maxStorageBufferBindingSize (${limits.maxBindingSize} bytes) and cannot be split`);
  }
  const groups = [...new Set(Object.keys(plan.bindings).map((slot) => groupOf(spec, slot)))];
  const rangesOf = (u0: number, u1: number) => new Map(groups.map((g) => [g, byteRange(...spec.range(g, u0, u1), limits.offsetAlignment)] as const));
  const fits = (u0: number, u1: number) => [...rangesOf(u0, u1).values()].every((r) => r.size <= limits.maxBindingSize);

  const dispatches: SplitDispatch[] = [];
  for (let u0 = 0; u0 < spec.units; ) {
    if (!fits(u0, u0 + 1)) {
      const need = Math.max(...[...rangesOf(u0, u0 + 1).values()].map((r) => r.size));
      throw new PoolingError(
        op,
        undefined,
        `the tensors are too large to split: one ${spec.unitName} of ${plan.label} needs ${need} bytes in one binding, ` +
          `more than maxStorageBufferBindingSize (${limits.maxBindingSize} bytes)`,
      );
    }
    let good = u0 + 1;
    let step = 1;
    while (good < spec.units && fits(u0, Math.min(u0 + step * 2, spec.units))) {
      good = Math.min(u0 + step * 2, spec.units);
      step *= 2;
    }
    let bad = Math.min(u0 + step * 2, spec.units + 1);
    while (bad - good > 1) {
      const mid = Math.floor((good + bad) / 2);
      if (mid <= spec.units && fits(u0, mid)) good = mid;
      else bad = mid;
    }
    dispatches.push(dispatchOf(spec, plan, buffers, rangesOf(u0, good), u0, good));
    u0 = good;
  }
  return dispatches;
}

function groupOf(spec: SplitSpec, slot: string): SlotGroup {
  const group = spec.groups[slot];
  if (!group) throw new Error(`internal: split spec has no group for slot '${slot}'`);
  return group;
}

function dispatchOf(spec: SplitSpec, plan: KernelPlan, buffers: BindingBuffers, groupRanges: Map<SlotGroup, BufferRange>, u0: number, u1: number): SplitDispatch {
  const ranges: Record<string, BufferRange> = {};
  for (const slot of Object.keys(plan.bindings)) {
    const r = groupRanges.get(groupOf(spec, slot))!;
    const bufferSize = buffers[slot]?.size ?? 0;
    // The range ends inside the tensor's data, which a (pooled, rounded-up) buffer may exceed.
    ranges[slot] = { offset: r.offset, size: Math.min(r.size, bufferSize - r.offset) };
  }
  const base = u0 * spec.unitSize;
  // Never past the unsplit domain's end: a last unit may be partial (the float16 conversions' runs).
  const end = Math.min(u1 * spec.unitSize, plan.uniform.values.end ?? Infinity);
  return {
    fields: { base, end, inOffset: (groupRanges.get('in')?.offset ?? 0) / 4, outOffset: (groupRanges.get('out')?.offset ?? 0) / 4 },
    ranges,
    workgroups: Math.ceil((end - base) / spec.perWorkgroup),
  };
}
