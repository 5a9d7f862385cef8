/**
 * Where a kernel may read a window's taps along an axis as straight-line code at fixed offsets
 * (shaders/nd/w4-full-lane.wgsl, the full-window form of shaders/nd/window-scan-vec4.wgsl;
 * docs/forward-selection.md "W4 full rows" and "Full windows, channels-last"): software adapters
 * pay more for loops whose trip counts they cannot see than for the taps themselves.
 */
import type { PoolGeometry } from '../types.js';
import { W4_OUTPUTS } from './w4-rows.js';

/** One axis of a regular window: kernel, stride, dilation, padding before, input and output size. */
export interface WindowAxis {
  readonly k: number;
  readonly s: number;
  readonly d: number;
  readonly padBefore: number;
  readonly inSize: number;
  readonly outSize: number;
}

/**
 * 'all': every window holds all its k taps along the axis (no padding before it, the last window
 * inside). 'clamped' (only when `clampTaps`, for max pooling): some windows reach into padding, but
 * the axis is undilated and every window holds a real position, so a padded tap read at the
 * nearest position repeats one of the window's own edge taps, which the max fold ignores (the
 * state after a tap is the old state or that tap; a repeated run of taps leaves it as it was).
 * undefined: neither (the kernels' clipped forms).
 */
export function axisTaps(a: WindowAxis, clampTaps: boolean): 'all' | 'clamped' | undefined {
  if (a.padBefore === 0 && (a.outSize - 1) * a.s + (a.k - 1) * a.d < a.inSize) return 'all';
  const everyWindowReal = a.padBefore < a.k && (a.outSize - 1) * a.s - a.padBefore < a.inSize;
  return clampTaps && a.d === 1 && everyWindowReal ? 'clamped' : undefined;
}

/** The missing axis of a lower rank (a plane's D, a 1-D op's D and H): one position, one tap. */
export const UNIT_AXIS: WindowAxis = { k: 1, s: 1, d: 1, padBefore: 0, inSize: 1, outSize: 1 };

/**
 * The constants of window-scan-vec4.wgsl's full-window form for the D, H and W axes of a window
 * (FULL_KD, FULL_KH, FULL_KW, and CLAMP_TAPS where an axis needs clamping), or none.
 */
export function fullWindowConstants(d: WindowAxis, h: WindowAxis, w: WindowAxis, clampTaps: boolean): Record<string, number> {
  const taps = [d, h, w].map((a) => axisTaps(a, clampTaps));
  if (taps.some((t) => !t)) return {};
  return { FULL_KD: d.k, FULL_KH: h.k, FULL_KW: w.k, ...(taps.includes('clamped') ? { CLAMP_TAPS: 1 } : {}) };
}

/**
 * The pipeline constants of the W4 mappings' full-row form (shaders/nd/w4-full-lane.wgsl;
 * docs/nd-selection.md "Full rows", docs/forward-selection.md "W4 full rows") from the last axis of
 * a regular window, for a row of at least 4 outputs whose taps along it may be read at fixed
 * offsets (axisTaps): W4_KW, W4_DW and W4_SW, plus W4_CLAMP where padded
 * taps are read at the row's edge (max pooling only: `clampTaps`); else none (the clipped form).
 * The same bits either way.
 */
export function w4FullRowConstants(w: WindowAxis, clampTaps: boolean): Record<string, number> {
  const taps = w.outSize >= W4_OUTPUTS ? axisTaps(w, clampTaps) : undefined;
  if (!taps) return {};
  return { W4_KW: w.k, W4_DW: w.d, W4_SW: w.s, ...(taps === 'clamped' ? { W4_CLAMP: 1 } : {}) };
}

/** The W axis of a plane window. */
function planeAxisW(p: PoolGeometry): WindowAxis {
  return { k: p.kW, s: p.sW, d: p.dW, padBefore: p.padLeft, inSize: p.W, outSize: p.outW };
}

/** The H axis of a plane window. */
function planeAxisH(p: PoolGeometry): WindowAxis {
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
