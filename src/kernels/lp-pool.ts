/**
 * The LP pooling kernels (docs/lp-pooling.md), composed on the N-d core (src/kernels/nd-pool.ts):
 * the regular window, the N-d layout and mappings, and LP's own reduction (reduce-lp.wgsl,
 * reduce-lp-vec4.wgsl) and gradient (grad-lp.wgsl). Any spatial rank, both memory orders; p is in
 * the uniform (normType) and the override P_KIND picks the exact forms for p = 1 and p = 2, so a new
 * p compiles no new pipeline. Data only, no device calls.
 */
import gradLpWgsl from '../../shaders/nd/grad-lp.wgsl?raw';
import ioForwardF32Wgsl from '../../shaders/nd/io-forward-f32.wgsl?raw';
import ioForwardVec4F32Wgsl from '../../shaders/nd/io-forward-vec4-f32.wgsl?raw';
import ioGatherLpF32Wgsl from '../../shaders/nd/io-gather-lp-f32.wgsl?raw';
import ioScatterLpF32Wgsl from '../../shaders/nd/io-scatter-lp-f32.wgsl?raw';
import mapGatherWgsl from '../../shaders/nd/map-gather.wgsl?raw';
import mapScatterLpWgsl from '../../shaders/nd/map-scatter-lp.wgsl?raw';
import mapWindowVec4Wgsl from '../../shaders/nd/map-window-vec4.wgsl?raw';
import mapWindowWgsl from '../../shaders/nd/map-window.wgsl?raw';
import reduceLpVec4Wgsl from '../../shaders/nd/reduce-lp-vec4.wgsl?raw';
import reduceLpWgsl from '../../shaders/nd/reduce-lp.wgsl?raw';
import windowRegularWgsl from '../../shaders/nd/window-regular.wgsl?raw';
import type { WindowGeometry } from '../types.js';
import { workgroupsFor, type KernelPlan } from './kernel.js';
import { composeNdKernel, ndSplitGeometry, type NdBackwardForm } from './nd-pool.js';
import { ND_PARAMS, ndParamsValues } from './nd-params.js';
import { windowedSplit, type SlotGroup } from './split-spec.js';
import { vec4Domain } from './vec4-channels.js';

const WORKGROUP_SIZE = 64;

const CODE = {
  forward: composeNdKernel(windowRegularWgsl, ioForwardF32Wgsl, reduceLpWgsl, mapWindowWgsl),
  forwardVec4: composeNdKernel(windowRegularWgsl, ioForwardVec4F32Wgsl, reduceLpWgsl, reduceLpVec4Wgsl, mapWindowVec4Wgsl),
  gather: composeNdKernel(windowRegularWgsl, ioGatherLpF32Wgsl, gradLpWgsl, mapGatherWgsl),
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

/** Forward LP pooling of any rank: one invocation per output (or per four channels); slots x → y. `vec4` forces the mapping. */
export function lpForwardPlan(g: WindowGeometry, channelsLast: boolean, normType: number, vec4 = lpForwardUsesVec4(g, channelsLast)): KernelPlan {
  const total = (g.N * g.C * count(g.outSize)) / (vec4 ? 4 : 1);
  const split = splitOf(g, channelsLast, 'out', { x: 'in', y: 'out' });
  return {
    label: `lpPool${g.rank}d.nd.forward${vec4 ? '.vec4' : ''}`,
    code: vec4 ? CODE.forwardVec4 : CODE.forward,
    entryPoint: 'main',
    constants: { WG: WORKGROUP_SIZE, CHANNELS_LAST: channelsLast ? 1 : 0, P_KIND: lpKind(normType) },
    uniform: { struct: ND_PARAMS, values: ndParamsValues(g, total, 0, normType) },
    bindings: { x: 1, y: 2 },
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    split: vec4 ? vec4Domain(split) : split,
  };
}

/**
 * Backward LP pooling of any rank: 'gather' one invocation per dx element (deterministic, no
 * clear), 'scatter' one per dy element adding atomically (dx cleared first: `zeroDx`). Slots dy, y, x → dx.
 */
export function lpBackwardPlan(g: WindowGeometry, channelsLast: boolean, normType: number, form: NdBackwardForm): { kernel: KernelPlan; zeroDx: boolean } {
  const total = g.N * g.C * count(form === 'gather' ? g.inSize : g.outSize);
  return {
    kernel: {
      label: `lpPool${g.rank}dBackward.nd.${form}`,
      code: CODE[form],
      entryPoint: form,
      constants: { WG: WORKGROUP_SIZE, CHANNELS_LAST: channelsLast ? 1 : 0, P_KIND: lpKind(normType) },
      uniform: { struct: ND_PARAMS, values: ndParamsValues(g, total, 0, normType) },
      bindings: { dy: 1, y: 2, x: 3, dx: 4 },
      workgroups: workgroupsFor(total, WORKGROUP_SIZE),
      split: splitOf(g, channelsLast, form === 'gather' ? 'in' : 'out', { dy: 'out', y: 'out', x: 'in', dx: 'in' }),
    },
    zeroDx: form === 'scatter',
  };
}
