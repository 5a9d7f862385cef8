import maxPoolVec4Wgsl from '../../shaders/max-pool-vec4.wgsl?raw';
import maxPoolWgsl from '../../shaders/max-pool.wgsl?raw';
import windowTapsWgsl from '../../shaders/window-taps.wgsl?raw';
import type { Layout, MaxPoolParams } from '../types.js';
import { composeShader, workgroupsFor, type KernelPlan } from './kernel.js';
import { POOL_PARAMS, poolParamsSource, poolParamsValues } from './pool-params.js';
import { windowedSplit } from './split-spec.js';
import { usesVec4Channels, vec4Domain } from './vec4-channels.js';

const code = composeShader(poolParamsSource, windowTapsWgsl, maxPoolWgsl);
const vec4Code = composeShader(poolParamsSource, windowTapsWgsl, maxPoolVec4Wgsl);
const WORKGROUP_SIZE = 64;

/** Max pooling forward: one invocation per output element (per 4 channels in NHWC); slots x → y (+ indices). */
export function maxPoolForwardPlan(p: MaxPoolParams, layout: Layout, withIndices: boolean): KernelPlan {
  const total = p.N * p.C * p.outH * p.outW;
  const split = windowedSplit(p, layout, 'out', WORKGROUP_SIZE, { x: 'in', y: 'out', indices: 'out' });
  if (usesVec4Channels(layout, p.C) && !p.padWithZero) {
    return {
      label: 'maxPool2d.forward.vec4',
      code: vec4Code,
      entryPoint: withIndices ? 'main_with_indices' : 'main',
      constants: { WG: WORKGROUP_SIZE, NHWC: 1 },
      uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, total / 4) },
      bindings: withIndices ? { x: 1, y: 2, indices: 3 } : { x: 1, y: 2 },
      workgroups: workgroupsFor(total / 4, WORKGROUP_SIZE),
      split: vec4Domain(split),
    };
  }
  return {
    label: 'maxPool2d.forward',
    code,
    entryPoint: withIndices ? 'main_with_indices' : 'main',
    constants: { WG: WORKGROUP_SIZE, NHWC: layout === 'NHWC' ? 1 : 0, PAD_ZERO: p.padWithZero ? 1 : 0 },
    uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, total) },
    bindings: withIndices ? { x: 1, y: 2, indices: 3 } : { x: 1, y: 2 },
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    split,
  };
}
