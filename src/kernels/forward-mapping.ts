/**
 * The thread mappings the N-d forward kernels share (windowed N-d, LP and adaptive pooling): one
 * output per invocation ('scalar'), four channels of one channels-last output ('vec4'), or four
 * outputs of a channel-first row ('w4', shaders/nd/map-window-w4.wgsl). Each plan builder picks
 * its rule; the domain each mapping counts, its split and its label suffix are the same for all.
 */
import type { WindowGeometry } from '../types.js';
import type { SplitSpec } from './split-spec.js';
import { vec4Domain } from './vec4-channels.js';
import { fullWindowConstants, UNIT_AXIS, w4FullRowConstants, type WindowAxis } from './full-taps.js';
import { w4Domain, w4GroupsPerRow, w4RowFits } from './w4-rows.js';

export type ForwardMapping = 'scalar' | 'vec4' | 'w4';

/** A forced mapping as the plan builders take it: `true` / `false` mean 'vec4' / 'scalar'. */
export function forwardMappingOf(kernel: ForwardMapping | boolean): ForwardMapping {
  return kernel === true ? 'vec4' : kernel === false ? 'scalar' : kernel;
}

/** Where 'w4' may run: channel-first, and a last output axis that fits the W4 row rule (w4RowFits). */
export function forwardW4Fits(g: WindowGeometry, channelsLast: boolean): boolean {
  return !channelsLast && w4RowFits(g.outSize[g.rank - 1]!);
}

/**
 * The invocations of a mapping over g's outputs, its split (the scalar kernel's, counted in
 * the mapping's domain indices) and its label suffix.
 */
export function forwardDomain(which: ForwardMapping, g: WindowGeometry, split: SplitSpec): { total: number; split: SplitSpec; suffix: string } {
  const outW = g.outSize[g.rank - 1]!;
  const outputs = g.N * g.C * g.outSize.reduce((a, b) => a * b, 1);
  if (which === 'vec4') return { total: outputs / 4, split: vec4Domain(split), suffix: '.vec4' };
  if (which === 'w4') return { total: (outputs / outW) * w4GroupsPerRow(outW), split: w4Domain(split, outW), suffix: '.w4' };
  return { total: outputs, split, suffix: '' };
}

/** Axis `a` (0-based among g's spatial axes) of a regular window. */
function ndAxis(g: WindowGeometry, a: number): WindowAxis {
  return { k: g.kernel[a]!, s: g.stride[a]!, d: g.dilation[a]!, padBefore: g.padBegin[a]!, inSize: g.inSize[a]!, outSize: g.outSize[a]! };
}

/** The W4 full-row constants (full-taps.ts, w4FullRowConstants; `clampTaps` for max pooling) of a regular window's last axis; not for the adaptive window, whose extents differ. */
export function ndW4FullRowConstants(g: WindowGeometry, clampTaps: boolean): Record<string, number> {
  return w4FullRowConstants(ndAxis(g, g.rank - 1), clampTaps);
}

/** The channels-last vec4 form's full-window constants (full-taps.ts) of a regular window; not for the adaptive window. */
export function ndVec4FullConstants(g: WindowGeometry, clampTaps: boolean): Record<string, number> {
  const axis = (fromLast: number) => (g.rank > fromLast ? ndAxis(g, g.rank - 1 - fromLast) : UNIT_AXIS);
  return fullWindowConstants(axis(2), axis(1), axis(0), clampTaps);
}

/** The straight-line constants of a mapping over a regular window: W4's full rows, vec4's full windows, none for 'scalar'. */
export function fullTapConstants(which: ForwardMapping, g: WindowGeometry, clampTaps: boolean): Record<string, number> {
  if (which === 'w4') return ndW4FullRowConstants(g, clampTaps);
  if (which === 'vec4') return ndVec4FullConstants(g, clampTaps);
  return {};
}
