import avgDivisorWgsl from '../../shaders/avg-divisor.wgsl?raw';
import avgPoolWgsl from '../../shaders/avg-pool.wgsl?raw';
import type { AvgPoolParams, Layout } from '../types.js';
import { composeShader, workgroupsFor, type KernelPlan } from './kernel.js';
import { POOL_PARAMS, poolParamsSource, poolParamsValues } from './pool-params.js';
import { windowedSplit } from './split-spec.js';

const code = composeShader(poolParamsSource, avgDivisorWgsl, avgPoolWgsl);
const WORKGROUP_SIZE = 64;

/** Average pooling forward: one invocation per output element; slots x → y. */
export function avgPoolForwardPlan(p: AvgPoolParams, layout: Layout): KernelPlan {
  const total = p.N * p.C * p.outH * p.outW;
  return {
    label: 'avgPool2d.forward',
    code,
    entryPoint: 'main',
    constants: { WG: WORKGROUP_SIZE, NHWC: layout === 'NHWC' ? 1 : 0, COUNT_PAD: p.countIncludePad ? 1 : 0 },
    uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, total, p.divisorOverride) },
    bindings: { x: 1, y: 2 },
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    split: windowedSplit(p, layout, 'out', WORKGROUP_SIZE, { x: 'in', y: 'out' }),
  };
}
