/**
 * NCHW forward "W4" kernels (shaders/w4-rows.wgsl): one invocation per 4 consecutive outputs along
 * W of an output row, sharing the window arithmetic (max) or the loads of overlapping windows (avg). The
 * domain counts groups, ceil(outW / 4) per output row; a split keeps output rows as its unit, and
 * the element ranges it binds are those of the scalar kernel.
 */
import type { Layout, PoolGeometry } from '../types.js';
import type { SplitSpec } from './split-spec.js';

export const W4_OUTPUTS = 4;

/** Groups of 4 outputs (the last of a row possibly shorter) per output row. */
export function w4GroupsPerRow(outW: number): number {
  return Math.ceil(outW / W4_OUTPUTS);
}

/** Invocations of a W4 dispatch: one per group. */
export function w4Invocations(p: PoolGeometry): number {
  return p.N * p.C * p.outH * w4GroupsPerRow(p.outW);
}

/** Input columns under a W4 group's windows per input row (what plane/plane-w4-shared.wgsl loads), against 4·kW taps for four scalar invocations. */
export function w4ColumnsPerRow(p: PoolGeometry): number {
  return (W4_OUTPUTS - 1) * p.sW + p.dW * (p.kW - 1) + 1;
}

/**
 * The part of the selection rule both ops share (docs/forward-selection.md): NCHW, at least 4
 * outputs per row, and at least 3 of every 4 lanes busy (outW ≥ 3 per group: only outW = 5, whose
 * second group holds one output, falls out; it measured slower than the scalar kernel).
 */
export function w4RowsFit(layout: Layout, p: PoolGeometry): boolean {
  return layout === 'NCHW' && w4RowFits(p.outW);
}

/** The row part of that rule, for any kernel that maps four outputs of a row (the N-d W4 mapping too). */
export function w4RowFits(outW: number): boolean {
  return outW >= W4_OUTPUTS && outW >= 3 * w4GroupsPerRow(outW);
}

/**
 * The scalar kernel's split, counted in groups: same units (runs of whole output rows: one row on
 * the plane kernels, unitSize / outW of them on the N-d ones), same bound element ranges.
 */
export function w4Domain(split: SplitSpec, outW: number): SplitSpec {
  return { ...split, unitSize: (split.unitSize / outW) * w4GroupsPerRow(outW), range: split.range };
}

/** The NCHW forward kernel: one invocation per output, or per group of 4 along a row. */
export type ForwardKernel = 'scalar' | 'w4';
