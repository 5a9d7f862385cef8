/**
 * The LP pooling kernels (docs/lp-pooling.md), composed on the N-d core (src/kernels/nd-pool.ts):
 * the regular window, the N-d layout and mappings, and LP's own reduction (reduce-lp.wgsl,
 * reduce-lp-vec4.wgsl) and gradient (grad-lp.wgsl). Any spatial rank, both memory orders; p is in
 * the uniform (normType) and the override P_KIND picks the exact forms for p = 1 and p = 2, so a new
 * p compiles no new pipeline. Data only, no device calls.
 */
import windowScanVec4Wgsl from '../../shaders/nd/window-scan-vec4.wgsl?raw';
import windowScanWgsl from '../../shaders/nd/window-scan.wgsl?raw';
import w4StoreWgsl from '../../shaders/nd/w4-store.wgsl?raw';
import gradLpVec4Wgsl from '../../shaders/nd/grad-lp-vec4.wgsl?raw';
import gradLpWgsl from '../../shaders/nd/grad-lp.wgsl?raw';
import ioForwardF32Wgsl from '../../shaders/nd/io-forward-f32.wgsl?raw';
import ioForwardVec4F32Wgsl from '../../shaders/nd/io-forward-vec4-f32.wgsl?raw';
import ioGatherLpF32Wgsl from '../../shaders/nd/io-gather-lp-f32.wgsl?raw';
import ioGatherLpVec4F32Wgsl from '../../shaders/nd/io-gather-lp-vec4-f32.wgsl?raw';
import ioScatterLpF32Wgsl from '../../shaders/nd/io-scatter-lp-f32.wgsl?raw';
import mapGatherLpVec4Wgsl from '../../shaders/nd/map-gather-lp-vec4.wgsl?raw';
import mapGatherCellsWgsl from '../../shaders/nd/map-gather-cells.wgsl?raw';
import mapGatherLpWgsl from '../../shaders/nd/map-gather-lp.wgsl?raw';
import mapScatterLpWgsl from '../../shaders/nd/map-scatter-lp.wgsl?raw';
import mapWindowVec4Wgsl from '../../shaders/nd/map-window-vec4.wgsl?raw';
import mapWindowW4Wgsl from '../../shaders/nd/map-window-w4.wgsl?raw';
import w4FullLaneWgsl from '../../shaders/nd/w4-full-lane.wgsl?raw';
import mapWindowWgsl from '../../shaders/nd/map-window.wgsl?raw';
import reduceLpVec4Wgsl from '../../shaders/nd/reduce-lp-vec4.wgsl?raw';
import reduceLpWgsl from '../../shaders/nd/reduce-lp.wgsl?raw';
import windowRegularWgsl from '../../shaders/nd/window-regular.wgsl?raw';
import type { WindowGeometry } from '../types.js';
import { workgroupsFor, type KernelPlan } from './kernel.js';
import { cellGatherSplit, composeNdKernel, gatherCellConstants, ndSplitGeometry, type NdBackwardForm } from './nd-pool.js';
import { ND_PARAMS, ndParamsValues } from './nd-params.js';
import { windowedSplit, type SlotGroup } from './split-spec.js';
import { vec4Domain } from './vec4-channels.js';
import { forwardDomain, forwardMappingOf, forwardW4Fits, fullTapConstants, type ForwardMapping } from './forward-mapping.js';

const WORKGROUP_SIZE = 64;

const CODE = {
  forward: composeNdKernel(windowRegularWgsl, ioForwardF32Wgsl, reduceLpWgsl, windowScanWgsl, mapWindowWgsl),
  forwardW4: composeNdKernel(windowRegularWgsl, ioForwardF32Wgsl, reduceLpWgsl, w4FullLaneWgsl, mapWindowW4Wgsl, w4StoreWgsl),
  forwardVec4: composeNdKernel(windowRegularWgsl, ioForwardVec4F32Wgsl, reduceLpWgsl, reduceLpVec4Wgsl, windowScanVec4Wgsl, mapWindowVec4Wgsl),
  gather: composeNdKernel(windowRegularWgsl, ioGatherLpF32Wgsl, gradLpWgsl, mapGatherCellsWgsl, mapGatherLpWgsl),
  gatherVec4: composeNdKernel(windowRegularWgsl, ioGatherLpVec4F32Wgsl, gradLpWgsl, gradLpVec4Wgsl, mapGatherCellsWgsl, mapGatherLpWgsl, mapGatherLpVec4Wgsl),
  scatter: composeNdKernel(windowRegularWgsl, ioScatterLpF32Wgsl, gradLpWgsl, mapScatterLpWgsl),
} as const;

/** The P_KIND override: 1 and 2 are exact forms (Σ|x|, sqrt(Σx²)), 0 any other p (pow, p from the uniform). */
export function lpKind(normType: number): 0 | 1 | 2 {
  return normType === 1 ? 1 : normType === 2 ? 2 : 0;
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function splitOf(g: WindowGeometry, channelsLast: boolean, domain: SlotGroup, groups: Record<string, SlotGroup>) {
  return windowedSplit(ndSplitGeometry(g), channelsLast ? 'NHWC' : 'NCHW', domain, WORKGROUP_SIZE, groups);
}

/** Four channels per invocation: channels-last with C % 4 == 0 (padding adds 0, so no padded taps are visited). */
export function lpForwardUsesVec4(g: WindowGeometry, channelsLast: boolean): boolean {
  return channelsLast && g.C % 4 === 0;
}

/**
 * The forward kernel: 'vec4' (channels-last, C % 4 == 0), 'w4' (channel-first: four outputs along
 * the last axis per invocation, where a row has at least 4 outputs and at least 3 of every 4 lanes
 * are busy, as w4RowsFit), else 'scalar' (one output per invocation).
 */
export type LpForwardKernel = ForwardMapping;

export function lpForwardKernel(g: WindowGeometry, channelsLast: boolean): LpForwardKernel {
  if (lpForwardUsesVec4(g, channelsLast)) return 'vec4';
  return forwardW4Fits(g, channelsLast) ? 'w4' : 'scalar';
}

/**
 * Forward LP pooling of any rank: one invocation per output, per four channels ('vec4') or per
 * four outputs of a row ('w4'); slots x → y. `kernel` forces the mapping (tests, measurements;
 * `true` / `false` mean 'vec4' / 'scalar'). 'w4' runs its full-row form and 'vec4' its full-window
 * form where every window holds all its taps (fullTapConstants); `fullTaps: false` forces the
 * clipped forms (tests, measurements).
 */
export function lpForwardPlan(g: WindowGeometry, channelsLast: boolean, normType: number, kernel: LpForwardKernel | boolean = lpForwardKernel(g, channelsLast), fullTaps = true): KernelPlan {
  const which = forwardMappingOf(kernel);
  const { total, split: domain, suffix } = forwardDomain(which, g, splitOf(g, channelsLast, 'out', { x: 'in', y: 'out' }));
  return {
    label: `lpPool${g.rank}d.nd.forward${suffix}`,
    code: which === 'vec4' ? CODE.forwardVec4 : which === 'w4' ? CODE.forwardW4 : CODE.forward,
    entryPoint: which === 'w4' ? 'main_w4' : 'main',
    constants: { WG: WORKGROUP_SIZE, CHANNELS_LAST: channelsLast ? 1 : 0, P_KIND: lpKind(normType), ...(fullTaps ? fullTapConstants(which, g, false) : {}) },
    uniform: { struct: ND_PARAMS, values: ndParamsValues(g, total, 0, normType) },
    bindings: { x: 1, y: 2 },
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    split: domain,
  };
}

/**
 * The gather's entry point: 'gather_near' (rank ≤ 2, no dilation, (k − 1) < 2·s on both axes:
 * each element is reached by at most two outputs per axis, whose shares the cell loads once),
 * 'gather_near4' its four-channel form (channels-last, C % 4 == 0), else 'gather' (any window).
 */
export type LpGatherKernel = 'gather' | 'gather_near' | 'gather_near4';

export function lpGatherKernel(g: WindowGeometry, channelsLast: boolean): LpGatherKernel {
  const near = g.rank <= 2 && g.dilation.every((d) => d === 1) && g.kernel.every((k, a) => k - 1 < 2 * g.stride[a]!);
  if (!near) return 'gather';
  return channelsLast && g.C % 4 === 0 ? 'gather_near4' : 'gather_near';
}

/**
 * Backward LP pooling of any rank: 'gather' one invocation per output, writing the dx elements of
 * its stride cell (deterministic, no clear: map-gather-cells.wgsl, map-gather-lp.wgsl), 'scatter' one per dy element
 * adding atomically (dx cleared first: `zeroDx`). Slots dy, y, x → dx.
 */
export function lpBackwardPlan(g: WindowGeometry, channelsLast: boolean, normType: number, form: NdBackwardForm, gatherKernel: LpGatherKernel = lpGatherKernel(g, channelsLast)): { kernel: KernelPlan; zeroDx: boolean } {
  const vec4 = form === 'gather' && gatherKernel === 'gather_near4';
  const total = (g.N * g.C * count(g.outSize)) / (vec4 ? 4 : 1);
  const dilated: Record<string, number> = form === 'gather' ? gatherCellConstants(g) : {};
  const split = form === 'gather' ? cellGatherSplit(g, channelsLast, { dy: 'out', y: 'out', x: 'in', dx: 'in' }) : splitOf(g, channelsLast, 'out', { dy: 'out', y: 'out', x: 'in', dx: 'in' });
  return {
    kernel: {
      label: `lpPool${g.rank}dBackward.nd.${form === 'gather' ? gatherKernel : form}`,
      code: vec4 ? CODE.gatherVec4 : CODE[form],
      entryPoint: form === 'gather' ? gatherKernel : form,
      constants: { WG: WORKGROUP_SIZE, CHANNELS_LAST: channelsLast ? 1 : 0, P_KIND: lpKind(normType), ...dilated },
      uniform: { struct: ND_PARAMS, values: ndParamsValues(g, total, 0, normType) },
      bindings: { dy: 1, y: 2, x: 3, dx: 4 },
      workgroups: workgroupsFor(total, WORKGROUP_SIZE),
      split: vec4 ? vec4Domain(split) : split,
    },
    zeroDx: form === 'scatter',
  };
}
