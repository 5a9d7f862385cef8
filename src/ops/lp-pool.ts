/**
 * LP pooling as op descriptors (docs/lp-pooling.md): forward and backward of every spatial rank, in
 * float32 and (through halfStorage) float16. The GPU plans compose on the N-d core
 * (src/kernels/lp-pool.ts); the CPU kernel is src/cpu/lp-pool.ts, the oracle src/reference/lp-pool.ts.
 * Parameters carry `g` and `layout`, so the CPU backend cuts a large call by planes (or images);
 * there is no row slicing (the row cutter knows only max and average pooling).
 */
import * as fast from '../cpu/lp-pool.js';
import { inputShapeOf, outputShape } from '../geometry.js';
import { lpBackwardPlan, lpForwardPlan } from '../kernels/lp-pool.js';
import type { NdBackwardForm } from '../kernels/nd-pool.js';
import { isChannelsLast } from '../layouts.js';
import * as reference from '../reference/lp-pool.js';
import type { BackwardAlgorithm, SpatialRank, TensorLayout, WindowGeometry } from '../types.js';
import { backwardSteps, type HostArrays, type OpDescriptor, type OutputSpec } from './descriptor.js';
import { halfStorage } from './half-storage.js';

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
 * llvmpipe): the gather where every stride is 1, the atomic scatter otherwise. With stride 1 each
 * element is a tap of k windows per axis, so the scatter's compare-exchange adds contend and the
 * gather's tap tests all hit (gather 0.47-0.64x the scatter's time on llvmpipe, 0.68-1.46x on
 * SwiftShader); with larger strides most of the gather's modulo tests miss (gather 1.3-7x slower).
 */
export function chooseLpBackwardForm(g: WindowGeometry, requested: BackwardAlgorithm): NdBackwardForm {
  if (requested !== 'auto') return requested;
  return g.stride.every((s) => s === 1) ? 'gather' : 'scatter';
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
    cpu: (p, a) => ({ y: fast.lpPoolNd(f32(a, 'x'), isChannelsLast(p.layout), p.g, p.normType) }),
    reference: (p, a) => ({ y: reference.lpPoolNdForward(f32(a, 'x'), isChannelsLast(p.layout), p.g, p.normType) }),
  };
}

export function lpPoolBackwardOp(rank: SpatialRank): OpDescriptor<LpBackwardParams> {
  return {
    name: `lpPool${rank}dBackward`,
    returns: 'tensor',
    inputs: ['dy', 'x', 'y'],
    outputs: (p): OutputSpec[] => [{ slot: 'dx', shape: inputShapeOf(p.g), layout: p.layout, dtype: 'float32' }],
    gpu: (p) => ({ steps: backwardSteps(lpBackwardPlan(p.g, isChannelsLast(p.layout), p.normType, chooseLpBackwardForm(p.g, p.algorithm))), scratch: [] }),
    cpu: (p, a) => ({ dx: fast.lpPoolNdBackward(f32(a, 'dy'), f32(a, 'x'), f32(a, 'y'), isChannelsLast(p.layout), p.g, p.normType) }),
    reference: (p, a) => ({ dx: reference.lpPoolNdBackward(f32(a, 'dy'), f32(a, 'x'), f32(a, 'y'), isChannelsLast(p.layout), p.g, p.normType) }),
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
