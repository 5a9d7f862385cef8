/**
 * The registry of op descriptors: one per public op, made once. The context looks them up here;
 * adding an op is adding its descriptor (docs/architecture.md, "Adding an op").
 */
import { inputShapeOf, outputShape } from '../geometry.js';
import type { DType, SpatialRank } from '../types.js';
import type { OpDescriptor } from './descriptor.js';
import { globalPoolBackwardOp, globalPoolOp, type GlobalBackwardParams, type GlobalForwardParams } from './global-pool.js';
import { halfStorage } from './half-storage.js';
import { avgPoolBackwardOp, avgPoolOp, maxPoolBackwardOp, maxPoolOp, type BackwardParams, type MaxForwardParams, type AvgForwardParams } from './windowed-pool.js';

const RANKS: readonly SpatialRank[] = [1, 2, 3];
const byRank = <T>(make: (rank: SpatialRank) => T): Readonly<Record<SpatialRank, T>> => Object.fromEntries(RANKS.map((r) => [r, make(r)])) as Record<SpatialRank, T>;

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export const OPS = {
  maxPool: byRank(maxPoolOp),
  avgPool: byRank(avgPoolOp),
  maxPoolBackward: byRank(maxPoolBackwardOp),
  avgPoolBackward: byRank(avgPoolBackwardOp),
  globalMaxPool: globalPoolOp('max'),
  globalAvgPool: globalPoolOp('avg'),
  globalMaxPoolBackward: globalPoolBackwardOp('max'),
  globalAvgPoolBackward: globalPoolBackwardOp('avg'),
} as const;

/** Element counts of each op family's value inputs, for the float16 widen steps. */
const forwardCounts = (p: MaxForwardParams | AvgForwardParams) => ({ x: count(inputShapeOf(p.g)) });
const backwardCounts = (p: BackwardParams<{ readonly N: number } & Parameters<typeof outputShape>[0]>) => ({ dy: count(outputShape(p.g)) });
const globalForwardCounts = (p: GlobalForwardParams) => ({ x: p.s.N * p.s.C * p.s.H * p.s.W });
const globalBackwardCounts = (p: GlobalBackwardParams) => ({ dy: p.s.N * p.s.C });

const halfByRank = <P>(ops: Readonly<Record<SpatialRank, OpDescriptor<P>>>, counts: (p: P) => Record<string, number>) =>
  byRank((r) => halfStorage(ops[r], counts));

/** The float16 forms of every op (src/ops/half-storage.ts), made once. */
export const HALF_OPS: typeof OPS = {
  maxPool: halfByRank(OPS.maxPool, forwardCounts),
  avgPool: halfByRank(OPS.avgPool, forwardCounts),
  maxPoolBackward: halfByRank(OPS.maxPoolBackward, backwardCounts),
  avgPoolBackward: halfByRank(OPS.avgPoolBackward, backwardCounts),
  globalMaxPool: halfStorage(OPS.globalMaxPool, globalForwardCounts),
  globalAvgPool: halfStorage(OPS.globalAvgPool, globalForwardCounts),
  globalMaxPoolBackward: halfStorage(OPS.globalMaxPoolBackward, globalBackwardCounts),
  globalAvgPoolBackward: halfStorage(OPS.globalAvgPoolBackward, globalBackwardCounts),
};

/** The descriptors of a value dtype. */
export function opsFor(dtype: DType): typeof OPS {
  return dtype === 'float16' ? HALF_OPS : OPS;
}
