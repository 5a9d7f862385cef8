/**
 * Max-unpooling as descriptors (docs/unpool-fractional.md), forward and backward, every spatial
 * rank, float32 and float16. Parameters carry `g` (N, C, inSize, outSize) and `layout`, so the CPU
 * backend slices a large call by planes (src/host/cpu-chunks.ts); an index may name any position
 * of its plane, so no row slicing.
 */
import { maxUnpoolBackwardPlan, maxUnpoolSteps, UNPOOL_FLAG, unpoolFastPath, type UnpoolForm, type UnpoolShape } from '../kernels/unpool.js';
import { sizeBucket } from '../tuning/key.js';
import { isChannelsLast } from '../layouts.js';
import { cpuRuntime } from '../cpu-runtime-loader.js';
import type { DType, SpatialRank, TensorLayout } from '../types.js';
import type { HostArrays, OpDescriptor } from './descriptor.js';
import { halfStorage } from './half-storage.js';
import { checkIndexRange } from './index-range.js';

/** The host kernels, in the CPU runtime's chunk (cpu-runtime.ts): loaded before any runs. */
const cpu = () => cpuRuntime().unpoolKernels;
const reference = () => cpuRuntime().unpoolReference;

export interface UnpoolParams {
  readonly g: UnpoolShape;
  readonly layout: TensorLayout;
}

const count = (v: readonly number[]) => v.reduce((a, b) => a * b, 1);
const f32 = (a: HostArrays, slot: string) => a[slot] as Float32Array;
const i32 = (a: HostArrays, slot: string) => a[slot] as Int32Array;

export function maxUnpoolOp(rank: SpatialRank): OpDescriptor<UnpoolParams> {
  return {
    name: `maxUnpool${rank}d`,
    returns: 'tensor',
    inputs: ['x', 'indices'],
    intInputs: ['indices'],
    outputs: (p) => [{ slot: 'y', shape: [p.g.N, p.g.C, ...p.g.outSize], layout: p.layout, dtype: 'float32' }],
    gpu: (p) => ({ steps: maxUnpoolSteps(p.g, isChannelsLast(p.layout)), scratch: unpoolFastPath(p.g) ? [UNPOOL_FLAG] : [] }),
    // Where the fast path applies it may be tuned against the two passes that take any indices.
    gpuAlternatives: (p) => {
      if (!unpoolFastPath(p.g)) return undefined;
      const forms: UnpoolForm[] = ['direct', 'owners'];
      return {
        rule: 'direct',
        alternatives: forms.map((form) => ({ name: form, plan: { steps: maxUnpoolSteps(p.g, isChannelsLast(p.layout), form), scratch: form === 'direct' ? [UNPOOL_FLAG] : [] } })),
        layout: p.layout,
        dtype: 'float32',
        shapeClass: `r${p.g.rank} k${p.g.poolKernel!.join('x')} s${p.g.stride!.join('x')} nc~2^${sizeBucket(p.g.N * p.g.C)} in~2^${p.g.inSize.map(sizeBucket).join('x2^')} c4=${p.g.C % 4 === 0 ? 1 : 0}`,
      };
    },
    checkHost: (p, a) => checkIndexRange(`maxUnpool${rank}d`, i32(a, 'indices'), count(p.g.outSize), 'output'),
    cpu: (p, a) => ({ y: cpu().maxUnpool(f32(a, 'x'), i32(a, 'indices'), isChannelsLast(p.layout), p.g) }),
    reference: (p, a) => ({ y: reference().maxUnpoolForward(f32(a, 'x'), i32(a, 'indices'), isChannelsLast(p.layout), p.g) }),
  };
}

export function maxUnpoolBackwardOp(rank: SpatialRank): OpDescriptor<UnpoolParams> {
  return {
    name: `maxUnpool${rank}dBackward`,
    returns: 'tensor',
    inputs: ['dy', 'indices'],
    intInputs: ['indices'],
    outputs: (p) => [{ slot: 'dx', shape: [p.g.N, p.g.C, ...p.g.inSize], layout: p.layout, dtype: 'float32' }],
    gpu: (p) => ({ steps: [{ kind: 'kernel', plan: maxUnpoolBackwardPlan(p.g, isChannelsLast(p.layout)) }], scratch: [] }),
    checkHost: (p, a) => checkIndexRange(`maxUnpool${rank}dBackward`, i32(a, 'indices'), count(p.g.outSize), 'output'),
    cpu: (p, a) => ({ dx: cpu().maxUnpoolBackward(f32(a, 'dy'), i32(a, 'indices'), isChannelsLast(p.layout), p.g) }),
    reference: (p, a) => ({ dx: reference().maxUnpoolBackward(f32(a, 'dy'), i32(a, 'indices'), isChannelsLast(p.layout), p.g) }),
  };
}

const RANKS: readonly SpatialRank[] = [1, 2, 3];
const byRank = <T>(make: (rank: SpatialRank) => T): Readonly<Record<SpatialRank, T>> => Object.fromEntries(RANKS.map((r) => [r, make(r)])) as Record<SpatialRank, T>;

const F32 = { forward: byRank(maxUnpoolOp), backward: byRank(maxUnpoolBackwardOp) };
const F16 = {
  forward: byRank((r) => halfStorage(F32.forward[r], (p: UnpoolParams) => ({ x: p.g.N * p.g.C * count(p.g.inSize) }))),
  backward: byRank((r) => halfStorage(F32.backward[r], (p: UnpoolParams) => ({ dy: p.g.N * p.g.C * count(p.g.outSize) }))),
};

/** The unpooling descriptors of a value dtype, made once. */
export function unpoolOps(dtype: DType): typeof F32 {
  return dtype === 'float16' ? F16 : F32;
}
