/**
 * Shared by the unrolled 2×2 and 3×3 kernels (max-small.ts, avg-small.ts): which windows lie
 * wholly inside the input, and how a layout lays out a run of them.
 *
 * V8 runs a loop of two or three iterations at a fraction of the speed of the same statements
 * written out (measured 2-3× on pooling windows, docs/cpu-backend.md), and 2×2 and 3×3 are the
 * windows networks use. So those are written out, tap by tap, for the windows with every tap on a
 * real element; the few border windows go through a per-window loop.
 */
import type { Layout, PoolGeometry } from '../types.js';
import type { AxisTaps } from './axis-taps.js';

/**
 * True when the window has an unrolled form: 2×2 or 3×3, any dilation. Max pooling with stride 1
 * stays on the separable passes, which share more work between neighbouring windows and measured
 * faster there; average pooling measured faster unrolled at every stride.
 */
export function hasUnrolledKernel(p: PoolGeometry, stride1: boolean): boolean {
  return p.kH === p.kW && (p.kH === 2 || p.kH === 3) && (stride1 || (p.sH > 1 && p.sW > 1));
}

/** The outputs [lo, hi) along one axis whose k taps are all real: one range, as windows only move forward. */
export function fullWindows(taps: AxisTaps, k: number): { lo: number; hi: number } {
  let lo = 0;
  while (lo < taps.start.length && !(taps.first[lo] === 0 && taps.end[lo] === k)) lo++;
  let hi = lo;
  while (hi < taps.start.length && taps.first[hi] === 0 && taps.end[hi] === k) hi++;
  return { lo, hi };
}

/**
 * Offsets between taps: `right` along w and `down` along h. The unrolled kernels take a run of
 * windows whose first taps are `step` apart: along an output row in NCHW (step sW), across the
 * channels of one window in NHWC (step 1).
 */
export function tapSteps(layout: Layout, p: PoolGeometry): { right: number; down: number } {
  const C = layout === 'NCHW' ? 1 : p.C;
  return { right: p.dW * C, down: p.dH * p.W * C };
}

/**
 * For every output along one axis, its k tap coordinates clamped into [0, size) and times
 * `stride` (the distance between neighbours along the axis): out[o·k + t].
 */
export function clampedTaps(taps: AxisTaps, k: number, size: number, stride: number): Int32Array {
  const out = new Int32Array(taps.start.length * k);
  for (let o = 0; o < taps.start.length; o++) {
    for (let t = 0; t < k; t++) out[o * k + t] = Math.min(size - 1, Math.max(0, taps.start[o]! + t)) * stride;
  }
  return out;
}
