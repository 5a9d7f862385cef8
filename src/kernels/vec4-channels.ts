import type { Layout } from '../types.js';
import type { SplitSpec } from './split-spec.js';

/**
 * NHWC tensors whose channel count is a multiple of 4 run the vec4 kernels: one invocation per four
 * adjacent channels. Their domain is counted in vec4s, so a split's unit holds a quarter as many
 * domain indices; the element ranges it binds are unchanged (and stay multiples of 4 elements).
 */
export function usesVec4Channels(layout: Layout, C: number): boolean {
  return layout === 'NHWC' && C % 4 === 0;
}

export function vec4Domain(split: SplitSpec): SplitSpec {
  return { ...split, unitSize: split.unitSize / 4, range: split.range };
}
