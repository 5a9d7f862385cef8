/** The windowed ops of the public API called by spatial rank (1-D, 2-D, 3-D), and the backward forms. */
import type { Pooling, Tensor } from '../../src/index.js';
import type { BackwardAlgorithm, SpatialRank } from '../../src/types.js';

export type Options = Record<string, unknown>;

/** Every `backward` value. */
export const ALGORITHMS: BackwardAlgorithm[] = ['scatter', 'gather', 'auto'];

export function maxPool(p: Pooling, rank: SpatialRank, x: Tensor, o: Options) {
  return rank === 1 ? p.maxPool1d(x, o as never) : rank === 2 ? p.maxPool2d(x, o as never) : p.maxPool3d(x, o as never);
}

export function avgPool(p: Pooling, rank: SpatialRank, x: Tensor, o: Options) {
  return rank === 1 ? p.avgPool1d(x, o as never) : rank === 2 ? p.avgPool2d(x, o as never) : p.avgPool3d(x, o as never);
}

export function maxPoolBackward(p: Pooling, rank: SpatialRank, dy: Tensor, indices: Tensor, o: Options) {
  return rank === 1 ? p.maxPool1dBackward(dy, indices, o as never) : rank === 2 ? p.maxPool2dBackward(dy, indices, o as never) : p.maxPool3dBackward(dy, indices, o as never);
}

export function avgPoolBackward(p: Pooling, rank: SpatialRank, dy: Tensor, o: Options) {
  return rank === 1 ? p.avgPool1dBackward(dy, o as never) : rank === 2 ? p.avgPool2dBackward(dy, o as never) : p.avgPool3dBackward(dy, o as never);
}
