import type { Layout, PoolGeometry } from '../types.js';
import { cellGeometry, type BackwardForm, type BackwardPlan } from './backward-choice.js';
import { workgroupsFor } from './kernel.js';
import { planeBackwardCode } from './plane-backward.js';
import { POOL_PARAMS, poolParamsValues } from './pool-params.js';
import { windowedSplit } from './split-spec.js';
import { usesVec4Channels, vec4Domain } from './vec4-channels.js';
import { dilationConstant, windowConstants } from './window-constants.js';

const code = planeBackwardCode('scalar', 'max');
const vec4Code = planeBackwardCode('vec4', 'max');
const WORKGROUP_SIZE = 64;
const GROUPS = { dy: 'out', indices: 'out', dx: 'in' } as const;

/**
 * Max pooling backward: slots dy, indices → dx. Scatter forms run one invocation per output
 * element, gather one per input element. The cell form (windows that cannot overlap) runs one per output
 * element and writes its whole stride cell, four channels at once for NHWC with C % 4 == 0.
 * `specialise: false` keeps it off the window-constant pipelines (measurements).
 */
export function maxPoolBackwardPlan(p: PoolGeometry, layout: Layout, form: BackwardForm, specialise = true): BackwardPlan {
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
  const split = windowedSplit(p, layout, form === 'gather' ? 'in' : 'out', WORKGROUP_SIZE, GROUPS);
  if (form === 'gather' && usesVec4Channels(layout, p.C)) {
    // Four channels per invocation (NHWC, C % 4 == 0); same sums in the same order per channel.
    return {
      kernel: {
        label: 'maxPool2dBackward.gather_vec4',
        code: vec4Code,
        entryPoint: 'gather_vec4',
        constants: { WG: WORKGROUP_SIZE, NHWC: 1, ...dilationConstant(p) },
        uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, total / 4) },
        bindings: { dy: 1, indices: 2, dx: 3 },
        workgroups: workgroupsFor(total / 4, WORKGROUP_SIZE),
        split: vec4Domain(split),
      },
      zeroDx: false,
    };
  }
  return {
    kernel: {
      label: `maxPool2dBackward.${form}`,
      code,
      entryPoint: form,
      constants: { WG: WORKGROUP_SIZE, NHWC: layout === 'NHWC' ? 1 : 0, ...dilationConstant(p) },
      uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, total) },
      bindings: { dy: 1, indices: 2, dx: 3 },
      workgroups: workgroupsFor(total, WORKGROUP_SIZE),
      split,
    },
    zeroDx: form !== 'gather',
  };
}
