/**
 * Tensor ranks and memory orders (API.md "Ranks and layouts"): shapes are logical and channel-first,
 * the layout names the memory order, and each rank has a channel-first and a channels-last order.
 */
import { invalid } from './errors.js';
import type { Layout, SpatialRank, TensorLayout } from './types.js';

interface LayoutPair {
  readonly channelFirst: TensorLayout;
  readonly channelsLast: TensorLayout | null;
  readonly shapeName: string;
}

/** The layouts of each tensor rank; rank 2 ([N, C]) has one memory order only. */
export const LAYOUTS_BY_RANK: Readonly<Record<number, LayoutPair>> = {
  2: { channelFirst: 'NC', channelsLast: null, shapeName: '[N, C]' },
  3: { channelFirst: 'NCL', channelsLast: 'NLC', shapeName: '[N, C, L]' },
  4: { channelFirst: 'NCHW', channelsLast: 'NHWC', shapeName: '[N, C, H, W]' },
  5: { channelFirst: 'NCDHW', channelsLast: 'NDHWC', shapeName: '[N, C, D, H, W]' },
};

const RANK_OF: Readonly<Record<TensorLayout, number>> = { NC: 2, NCL: 3, NLC: 3, NCHW: 4, NHWC: 4, NCDHW: 5, NDHWC: 5 };

export function isChannelsLast(layout: TensorLayout): boolean {
  return layout === 'NLC' || layout === 'NHWC' || layout === 'NDHWC';
}

/** The memory order of a tensor seen as planes: channels-last orders interleave channels like NHWC. */
export function planeLayout(layout: TensorLayout): Layout {
  return isChannelsLast(layout) ? 'NHWC' : 'NCHW';
}

/** The layout of `rank` in the same family (channel-first or channels-last) as `layout`. */
export function layoutOfRank(rank: number, channelsLast: boolean): TensorLayout {
  const pair = LAYOUTS_BY_RANK[rank]!;
  return channelsLast && pair.channelsLast ? pair.channelsLast : pair.channelFirst;
}

export function spatialRankOf(layout: TensorLayout): number {
  return RANK_OF[layout] - 2;
}

/** The layout option of tensor() / fromGPUBuffer() for a shape of `rank`: its default, or a checked name. */
export function checkLayoutForRank(op: string, layout: unknown, rank: number): TensorLayout {
  const pair = LAYOUTS_BY_RANK[rank]!;
  if (layout === undefined) return pair.channelFirst;
  const names = pair.channelsLast ? [pair.channelFirst, pair.channelsLast] : [pair.channelFirst];
  if (typeof layout !== 'string' || !names.includes(layout as TensorLayout)) {
    const known = typeof layout === 'string' && layout in RANK_OF;
    const why = known ? `layout ${layout} is for rank-${RANK_OF[layout as TensorLayout]} tensors; a rank-${rank} shape ${pair.shapeName} takes ` : 'must be ';
    invalid(op, 'layout', layout, `${why}${names.map((n) => `'${n}'`).join(' or ')}`);
  }
  return layout as TensorLayout;
}

/** The rank of the input a windowed op of spatial rank `rank` takes, and its shape's name. */
export function windowedInputRank(rank: SpatialRank): { rank: number; shapeName: string } {
  return { rank: rank + 2, shapeName: LAYOUTS_BY_RANK[rank + 2]!.shapeName };
}
