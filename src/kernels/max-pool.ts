import maxPoolWgsl from '../../shaders/max-pool.wgsl?raw';
import type { Layout, MaxPoolParams } from '../types.js';
import { composeShader, workgroupsFor, type KernelPlan } from './kernel.js';
import { POOL_PARAMS, poolParamsSource, poolParamsValues } from './pool-params.js';
import { windowedSplit } from './split-spec.js';

const code = composeShader(poolParamsSource, maxPoolWgsl);
const WORKGROUP_SIZE = 64;

/** Max pooling forward: one invocation per output element; slots x → y (+ indices). */
export function maxPoolForwardPlan(p: MaxPoolParams, layout: Layout, withIndices: boolean): KernelPlan {
  const total = p.N * p.C * p.outH * p.outW;
  return {
    label: 'maxPool2d.forward',
    code,
    entryPoint: withIndices ? 'main_with_indices' : 'main',
    constants: { WG: WORKGROUP_SIZE, NHWC: layout === 'NHWC' ? 1 : 0, PAD_ZERO: p.padWithZero ? 1 : 0 },
    uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, total) },
    bindings: withIndices ? { x: 1, y: 2, indices: 3 } : { x: 1, y: 2 },
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    split: windowedSplit(p, layout, 'out', WORKGROUP_SIZE, { x: 'in', y: 'out', indices: 'out' }),
  };
}
