import avgDivisorWgsl from '../../shaders/avg-divisor.wgsl?raw';
import avgPoolBackwardWgsl from '../../shaders/avg-pool-backward.wgsl?raw';
import backwardCommonWgsl from '../../shaders/backward-common.wgsl?raw';
import type { AvgPoolParams, Layout } from '../types.js';
import type { BackwardForm, BackwardPlan } from './backward-choice.js';
import { composeShader, workgroupsFor } from './kernel.js';
import { POOL_PARAMS, poolParamsSource, poolParamsValues } from './pool-params.js';
import { windowedSplit } from './split-spec.js';

const code = composeShader(poolParamsSource, avgDivisorWgsl, backwardCommonWgsl, avgPoolBackwardWgsl);
const WORKGROUP_SIZE = 64;

/**
 * Average pooling backward: slots dy → dx. Scatter forms run one invocation per output element,
 * gather one per input element; all divide by the forward's window_divisor.
 */
export function avgPoolBackwardPlan(p: AvgPoolParams, layout: Layout, form: BackwardForm): BackwardPlan {
  const total = form === 'gather' ? p.N * p.C * p.H * p.W : p.N * p.C * p.outH * p.outW;
  return {
    kernel: {
      label: `avgPool2dBackward.${form}`,
      code,
      entryPoint: form,
      constants: { WG: WORKGROUP_SIZE, NHWC: layout === 'NHWC' ? 1 : 0, COUNT_PAD: p.countIncludePad ? 1 : 0 },
      uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, total, p.divisorOverride) },
      bindings: { dy: 1, dx: 3 },
      workgroups: workgroupsFor(total, WORKGROUP_SIZE),
      split: windowedSplit(p, layout, form === 'gather' ? 'in' : 'out', WORKGROUP_SIZE, { dy: 'out', dx: 'in' }),
    },
    zeroDx: form !== 'gather',
  };
}
