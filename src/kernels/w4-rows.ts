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

/**
 * The pipeline constants of the W4 mappings' full-row form (shaders/nd/w4-full-lane.wgsl;
 * docs/nd-selection.md "Full rows", docs/forward-selection.md "W4 full rows"), from the last axis of
 * a regular window, for a row of at least 4 outputs: where every window of the row holds all its k
 * taps along it (no padding before it, the last window inside the row), W4_KW, W4_DW and W4_SW;
 * where some windows reach into padding, the same plus W4_CLAMP if `clampTaps` (max pooling, whose
 * fold ignores the repeated edge column a clamped tap reads) and the axis is undilated with at
 * least one real column in every window (so the nearest column is one of the window's own, and a
 * window of padding only keeps its -inf / -1); else none (the clipped form). The same bits either
 * way.
 */
export function w4FullRowConstants(k: number, s: number, d: number, padBefore: number, inW: number, outW: number, clampTaps: boolean): Record<string, number> {
  if (outW < W4_OUTPUTS) return {};
  const full = { W4_KW: k, W4_DW: d, W4_SW: s };
  const inside = padBefore === 0 && (outW - 1) * s + (k - 1) * d < inW;
  if (inside) return full;
  const everyWindowReal = padBefore < k && (outW - 1) * s - padBefore < inW;
  return clampTaps && d === 1 && everyWindowReal ? { ...full, W4_CLAMP: 1 } : {};
}

/** w4FullRowConstants of a plane window. */
export function planeW4FullRowConstants(p: PoolGeometry, clampTaps: boolean): Record<string, number> {
  return w4FullRowConstants(p.kW, p.sW, p.dW, p.padLeft, p.W, p.outW, clampTaps);
}
