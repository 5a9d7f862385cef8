/**
 * NCHW forward "W4" kernels (shaders/w4-rows.wgsl): one invocation per 4 consecutive outputs along
 * W of an output row, sharing the window arithmetic (max) or the loads of overlapping windows (avg). The
 * domain counts groups, ceil(outW / 4) per output row; a split keeps output rows as its unit, and
 * the element ranges it binds are those of the scalar kernel.
 */
import type { Layout, PoolGeometry } from '../types.js';
import { axisTaps, fullWindowConstants, UNIT_AXIS, type WindowAxis } from './full-taps.js';
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
 * docs/nd-selection.md "Full rows", docs/forward-selection.md "W4 full rows") from the last axis of
 * a regular window, for a row of at least 4 outputs whose taps along it may be read at fixed
 * offsets (axisTaps, src/kernels/full-taps.ts): W4_KW, W4_DW and W4_SW, plus W4_CLAMP where padded
 * taps are read at the row's edge (max pooling only: `clampTaps`); else none (the clipped form).
 * The same bits either way.
 */
export function w4FullRowConstants(w: WindowAxis, clampTaps: boolean): Record<string, number> {
  const taps = w.outSize >= W4_OUTPUTS ? axisTaps(w, clampTaps) : undefined;
  if (!taps) return {};
  return { W4_KW: w.k, W4_DW: w.d, W4_SW: w.s, ...(taps === 'clamped' ? { W4_CLAMP: 1 } : {}) };
}

/** The W axis of a plane window. */
export function planeAxisW(p: PoolGeometry): WindowAxis {
  return { k: p.kW, s: p.sW, d: p.dW, padBefore: p.padLeft, inSize: p.W, outSize: p.outW };
}

/** The H axis of a plane window. */
export function planeAxisH(p: PoolGeometry): WindowAxis {
  return { k: p.kH, s: p.sH, d: p.dH, padBefore: p.padTop, inSize: p.H, outSize: p.outH };
}

/** w4FullRowConstants of a plane window. */
export function planeW4FullRowConstants(p: PoolGeometry, clampTaps: boolean): Record<string, number> {
  return w4FullRowConstants(planeAxisW(p), clampTaps);
}

/** The full-window constants of the channels-last vec4 form (fullWindowConstants) of a plane window. */
export function planeVec4FullConstants(p: PoolGeometry, clampTaps: boolean): Record<string, number> {
  return fullWindowConstants(UNIT_AXIS, planeAxisH(p), planeAxisW(p), clampTaps);
}
