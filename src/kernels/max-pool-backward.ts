import backwardCommonWgsl from '../../shaders/backward-common.wgsl?raw';
import maxPoolBackwardWgsl from '../../shaders/max-pool-backward.wgsl?raw';
import type { Layout, PoolGeometry } from '../types.js';
import type { BackwardForm, BackwardPlan } from './backward-choice.js';
import { composeShader, workgroupsFor } from './kernel.js';
import { POOL_PARAMS, poolParamsSource, poolParamsValues } from './pool-params.js';
import { windowedSplit } from './split-spec.js';

const code = composeShader(poolParamsSource, backwardCommonWgsl, maxPoolBackwardWgsl);
const WORKGROUP_SIZE = 64;

/**
 * Max pooling backward: slots dy, indices → dx. Scatter forms run one invocation per output
 * element, gather one per input element.
 */
export function maxPoolBackwardPlan(p: PoolGeometry, layout: Layout, form: BackwardForm): BackwardPlan {
  const total = form === 'gather' ? p.N * p.C * p.H * p.W : p.N * p.C * p.outH * p.outW;
  return {
    kernel: {
      label: `maxPool2dBackward.${form}`,
      code,
      entryPoint: form,
      constants: { WG: WORKGROUP_SIZE, NHWC: layout === 'NHWC' ? 1 : 0, DILATED: p.dH > 1 || p.dW > 1 ? 1 : 0 },
      uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, total) },
      bindings: { dy: 1, indices: 2, dx: 3 },
      workgroups: workgroupsFor(total, WORKGROUP_SIZE),
      split: windowedSplit(p, layout, form === 'gather' ? 'in' : 'out', WORKGROUP_SIZE, { dy: 'out', indices: 'out', dx: 'in' }),
    },
    zeroDx: form !== 'gather',
  };
}
