/**
 * The registry of op descriptors: one per public op, made once. The context looks them up here;
 * adding an op is adding its descriptor (docs/architecture.md, "Adding an op").
 */
import type { SpatialRank } from '../types.js';
import { globalPoolBackwardOp, globalPoolOp } from './global-pool.js';
import { avgPoolBackwardOp, avgPoolOp, maxPoolBackwardOp, maxPoolOp } from './windowed-pool.js';

const RANKS: readonly SpatialRank[] = [1, 2, 3];
const byRank = <T>(make: (rank: SpatialRank) => T): Readonly<Record<SpatialRank, T>> => Object.fromEntries(RANKS.map((r) => [r, make(r)])) as Record<SpatialRank, T>;

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
