/**
 * LP pooling as op descriptors (docs/lp-pooling.md): forward and backward of every spatial rank, in
 * float32 and (through halfStorage) float16. The GPU plans compose on the N-d core
 * (src/kernels/lp-pool.ts); the CPU kernel is src/cpu/lp-pool.ts, the oracle src/reference/lp-pool.ts.
 * Parameters carry `g` and `layout`, so the CPU backend cuts a large call by planes (or images);
 * there is no row slicing (the row cutter knows only max and average pooling).
 */
import { inputShapeOf, outputShape } from '../geometry.js';
import { lpBackwardPlan, lpForwardKernel, lpForwardPlan, lpGatherKernel, type LpForwardKernel } from '../kernels/lp-pool.js';
import { cpuRuntime } from '../cpu-runtime-loader.js';
import type { NdBackwardForm } from '../kernels/nd-pool.js';
import { isChannelsLast } from '../layouts.js';
import { windowClass } from '../tuning/key.js';
import type { BackwardAlgorithm, SpatialRank, TensorLayout, WindowGeometry } from '../types.js';
import { backwardSteps, type HostArrays, type OpDescriptor, type OutputSpec } from './descriptor.js';
import { halfStorage } from './half-storage.js';

/** The host kernels, in the CPU runtime's chunk (cpu-runtime.ts): loaded before any runs. */
const fast = () => cpuRuntime().lpKernels;
const reference = () => cpuRuntime().lpReference;

export interface LpForwardParams {
  readonly g: WindowGeometry;
  readonly layout: TensorLayout;
  /** p: finite and > 0. */
  readonly normType: number;
}

export interface LpBackwardParams extends LpForwardParams {
  readonly algorithm: BackwardAlgorithm;
}

/**
 * The backward form for 'auto' (docs/lp-pooling.md, "Backward form", measured on SwiftShader and
 * llvmpipe): the gather where its near form applies (rank <= 2, no dilation, (k - 1) < 2s) or where
 * the windows overlap without dilation; the atomic scatter where a tap is dilated or no window
 * overlaps another (then each element has one window, so the scatter's adds never contend, while the
 * general gather still walks its cell's reaching range: 1.4-3x slower on both adapters).
 */
export function chooseLpBackwardForm(g: WindowGeometry, requested: BackwardAlgorithm): NdBackwardForm {
  if (requested !== 'auto') return requested;
  if (lpGatherKernel(g, false) !== 'gather') return 'gather';
  const dilated = g.dilation.some((d) => d > 1);
  const overlapping = g.kernel.some((k, a) => k > g.stride[a]!);
  return overlapping && !dilated ? 'gather' : 'scatter';
}

const f32 = (a: HostArrays, slot: string) => a[slot] as Float32Array;
const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export function lpPoolOp(rank: SpatialRank): OpDescriptor<LpForwardParams> {
  return {
    name: `lpPool${rank}d`,
    returns: 'tensor',
    inputs: ['x'],
    outputs: (p): OutputSpec[] => [{ slot: 'y', shape: outputShape(p.g), layout: p.layout, dtype: 'float32' }],
    gpu: (p) => ({ steps: [{ kind: 'kernel', plan: lpForwardPlan(p.g, isChannelsLast(p.layout), p.normType) }], scratch: [] }),
    // The rules' mapping ('vec4' or 'w4' where it applies) may be tuned against one output per invocation.
    gpuAlternatives: (p) => {
      const channelsLast = isChannelsLast(p.layout);
      const rule = lpForwardKernel(p.g, channelsLast);
      if (rule === 'scalar') return undefined;
      const kernels: LpForwardKernel[] = [rule, 'scalar'];
      return {
        rule,
        alternatives: kernels.map((k) => ({ name: k, plan: { steps: [{ kind: 'kernel' as const, plan: lpForwardPlan(p.g, channelsLast, p.normType, k) }], scratch: [] } })),
        layout: p.layout,
        dtype: 'float32',
        shapeClass: windowClass(p.g, { p: p.normType }),
      };
    },
    cpu: (p, a) => ({ y: fast().lpPoolNd(f32(a, 'x'), isChannelsLast(p.layout), p.g, p.normType) }),
    reference: (p, a) => ({ y: reference().lpPoolNdForward(f32(a, 'x'), isChannelsLast(p.layout), p.g, p.normType) }),
  };
}

export function lpPoolBackwardOp(rank: SpatialRank): OpDescriptor<LpBackwardParams> {
  return {
    name: `lpPool${rank}dBackward`,
    returns: 'tensor',
    inputs: ['dy', 'x', 'y'],
    outputs: (p): OutputSpec[] => [{ slot: 'dx', shape: inputShapeOf(p.g), layout: p.layout, dtype: 'float32' }],
    gpu: (p) => ({ steps: backwardSteps(lpBackwardPlan(p.g, isChannelsLast(p.layout), p.normType, chooseLpBackwardForm(p.g, p.algorithm))), scratch: [] }),
    // 'auto' may be tuned between the atomic scatter and the gather (its near forms where they apply).
    gpuAlternatives: (p) => {
      if (p.algorithm !== 'auto') return undefined;
      const forms: NdBackwardForm[] = ['scatter', 'gather'];
      return {
        rule: chooseLpBackwardForm(p.g, 'auto'),
        alternatives: forms.map((form) => ({ name: form, plan: { steps: backwardSteps(lpBackwardPlan(p.g, isChannelsLast(p.layout), p.normType, form)), scratch: [] } })),
        layout: p.layout,
        dtype: 'float32',
        shapeClass: windowClass(p.g, { p: p.normType }),
      };
    },
    cpu: (p, a) => ({ dx: fast().lpPoolNdBackward(f32(a, 'dy'), f32(a, 'x'), f32(a, 'y'), isChannelsLast(p.layout), p.g, p.normType) }),
    reference: (p, a) => ({ dx: reference().lpPoolNdBackward(f32(a, 'dy'), f32(a, 'x'), f32(a, 'y'), isChannelsLast(p.layout), p.g, p.normType) }),
  };
}

const RANKS: readonly SpatialRank[] = [1, 2, 3];
const byRank = <T>(make: (rank: SpatialRank) => T): Readonly<Record<SpatialRank, T>> => Object.fromEntries(RANKS.map((r) => [r, make(r)])) as Record<SpatialRank, T>;

const forwardCounts = (p: LpForwardParams) => ({ x: count(inputShapeOf(p.g)) });
const backwardCounts = (p: LpBackwardParams) => ({ dy: count(outputShape(p.g)), y: count(outputShape(p.g)), x: count(inputShapeOf(p.g)) });

/** The float32 descriptors, made once per rank. */
export const LP_OPS = {
  lpPool: byRank(lpPoolOp),
  lpPoolBackward: byRank(lpPoolBackwardOp),
} as const;

/** Their float16 forms (src/ops/half-storage.ts): dy, x and y are all value tensors. */
export const LP_HALF_OPS: typeof LP_OPS = {
  lpPool: byRank((r) => halfStorage(LP_OPS.lpPool[r], forwardCounts)),
  lpPoolBackward: byRank((r) => halfStorage(LP_OPS.lpPoolBackward[r], backwardCounts)),
};

export function lpOpsFor(dtype: string): typeof LP_OPS {
  return dtype === 'float16' ? LP_HALF_OPS : LP_OPS;
}
