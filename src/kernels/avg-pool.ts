import avgDivisorWgsl from '../../shaders/avg-divisor.wgsl?raw';
import avgPoolVec4Wgsl from '../../shaders/avg-pool-vec4.wgsl?raw';
import avgPoolWgsl from '../../shaders/avg-pool.wgsl?raw';
import type { AvgPoolParams, Layout } from '../types.js';
import { composeShader, workgroupsFor, type KernelPlan } from './kernel.js';
import { POOL_PARAMS, poolParamsSource, poolParamsValues } from './pool-params.js';
import { windowedSplit } from './split-spec.js';
import { usesVec4Channels, vec4Domain } from './vec4-channels.js';

const code = composeShader(poolParamsSource, avgDivisorWgsl, avgPoolWgsl);
const vec4Code = composeShader(poolParamsSource, avgDivisorWgsl, avgPoolVec4Wgsl);
const WORKGROUP_SIZE = 64;

/** Average pooling forward: one invocation per output element (per 4 channels in NHWC); slots x → y. */
export function avgPoolForwardPlan(p: AvgPoolParams, layout: Layout): KernelPlan {
  const total = p.N * p.C * p.outH * p.outW;
  const split = windowedSplit(p, layout, 'out', WORKGROUP_SIZE, { x: 'in', y: 'out' });
  if (usesVec4Channels(layout, p.C)) {
    return {
      label: 'avgPool2d.forward.vec4',
      code: vec4Code,
      entryPoint: 'main',
      constants: { WG: WORKGROUP_SIZE, NHWC: 1, COUNT_PAD: p.countIncludePad ? 1 : 0 },
      uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, total / 4, p.divisorOverride) },
      bindings: { x: 1, y: 2 },
      workgroups: workgroupsFor(total / 4, WORKGROUP_SIZE),
      split: vec4Domain(split),
    };
  }
  return {
    label: 'avgPool2d.forward',
    code,
    entryPoint: 'main',
    constants: { WG: WORKGROUP_SIZE, NHWC: layout === 'NHWC' ? 1 : 0, COUNT_PAD: p.countIncludePad ? 1 : 0 },
    uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, total, p.divisorOverride) },
    bindings: { x: 1, y: 2 },
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    split,
  };
}
