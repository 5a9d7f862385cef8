import backwardCommonWgsl from '../../shaders/backward-common.wgsl?raw';
import ioPlaneBackwardWgsl from '../../shaders/io-plane-backward.wgsl?raw';
import maxPoolBackwardVec4Wgsl from '../../shaders/max-pool-backward-vec4.wgsl?raw';
import maxPoolBackwardWgsl from '../../shaders/max-pool-backward.wgsl?raw';
import type { Layout, PoolGeometry } from '../types.js';
import { cellGeometry, type BackwardForm, type BackwardPlan } from './backward-choice.js';
import { composeShader, workgroupsFor } from './kernel.js';
import { POOL_PARAMS, poolParamsSource, poolParamsValues } from './pool-params.js';
import { windowedSplit } from './split-spec.js';
import { usesVec4Channels, vec4Domain } from './vec4-channels.js';
import { windowConstants, windowConstantsSource } from './window-constants.js';

const code = composeShader(poolParamsSource, windowConstantsSource, ioPlaneBackwardWgsl, backwardCommonWgsl, maxPoolBackwardWgsl);
const vec4Code = composeShader(poolParamsSource, windowConstantsSource, ioPlaneBackwardWgsl, backwardCommonWgsl, maxPoolBackwardWgsl, maxPoolBackwardVec4Wgsl);
const WORKGROUP_SIZE = 64;
const GROUPS = { dy: 'out', indices: 'out', dx: 'in' } as const;

/**
 * Max pooling backward: slots dy, indices → dx. Scatter forms run one invocation per output
 * element, gather one per input element. The cell form (windows that cannot overlap) runs one per output
 * element and writes its whole stride cell, four channels at once for NHWC with C % 4 == 0.
 * `specialise: false` keeps it off the window-constant pipelines (measurements).
 */
export function maxPoolBackwardPlan(p: PoolGeometry, layout: Layout, form: BackwardForm, specialise = true): BackwardPlan {
  const dilated = p.dH > 1 || p.dW > 1 ? 1 : 0;
  if (form === 'cell') {
    const vec4 = usesVec4Channels(layout, p.C);
    const total = (p.N * p.C * p.outH * p.outW) / (vec4 ? 4 : 1);
    const split = windowedSplit(cellGeometry(p), layout, 'out', WORKGROUP_SIZE, GROUPS);
    return {
      kernel: {
        label: `maxPool2dBackward.cell${vec4 ? '_vec4' : ''}`,
        code: vec4 ? vec4Code : code,
        entryPoint: vec4 ? 'cell_vec4' : 'cell',
        constants: { WG: WORKGROUP_SIZE, NHWC: layout === 'NHWC' ? 1 : 0, ...windowConstants(p, specialise) },
        uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, total) },
        bindings: { dy: 1, indices: 2, dx: 3 },
        workgroups: workgroupsFor(total, WORKGROUP_SIZE),
        split: vec4 ? vec4Domain(split) : split,
      },
      zeroDx: false,
    };
  }
  const total = form === 'gather' ? p.N * p.C * p.H * p.W : p.N * p.C * p.outH * p.outW;
  return {
    kernel: {
      label: `maxPool2dBackward.${form}`,
      code,
      entryPoint: form,
      constants: { WG: WORKGROUP_SIZE, NHWC: layout === 'NHWC' ? 1 : 0, DILATED: dilated },
      uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, total) },
      bindings: { dy: 1, indices: 2, dx: 3 },
      workgroups: workgroupsFor(total, WORKGROUP_SIZE),
      split: windowedSplit(p, layout, form === 'gather' ? 'in' : 'out', WORKGROUP_SIZE, GROUPS),
    },
    zeroDx: form !== 'gather',
  };
}
