import type { AvgPoolParams, Layout } from '../types.js';
import { cellGeometry, type BackwardForm, type BackwardPlan } from './backward-choice.js';
import { workgroupsFor } from './kernel.js';
import { planeBackwardCode } from './plane-backward.js';
import { POOL_PARAMS, poolParamsValues } from './pool-params.js';
import { windowedSplit } from './split-spec.js';
import { usesVec4Channels, vec4Domain } from './vec4-channels.js';
import { dilationConstant, windowConstants } from './window-constants.js';
import { w4Domain, w4Invocations, w4RowsFit } from './w4-rows.js';

/**
 * Whether the cell form may run in W4 groups (cell_w4: four outputs of an NCHW row per invocation,
 * rows that fit the W4 rule). A tuning alternative only, not the rules' pick: against one output
 * per invocation it measured 0.43-2.3x (llvmpipe faster on every shape, up to 2.3x on 112x112 planes;
 * SwiftShader slower on three of four), docs/backward-selection.md, "The average cell form in W4 groups".
 */
export function avgCellHasW4(p: AvgPoolParams, layout: Layout): boolean {
  return w4RowsFit(layout, p);
}

const code = planeBackwardCode('scalar', 'avg');
const vec4Code = planeBackwardCode('vec4', 'avg');
const WORKGROUP_SIZE = 64;

/**
 * Average pooling backward: slots dy → dx. Scatter forms run one invocation per output element,
 * gather one per input element; all divide by the forward's window_divisor. The cell form (windows
 * that cannot overlap) runs one per output element and writes its whole stride cell, four channels
 * at once for NHWC with C % 4 == 0. `specialise: false` keeps it off the window-constant pipelines
 * (measurements).
 */
export function avgPoolBackwardPlan(p: AvgPoolParams, layout: Layout, form: BackwardForm, specialise = true, cellW4 = false): BackwardPlan {
  const countPad = p.countIncludePad ? 1 : 0;
  if (form === 'cell') {
    // Four outputs of an NCHW row per invocation (a tuning alternative), four channels of one
    // (NHWC, C % 4 == 0), or one output.
    const w4 = cellW4 && avgCellHasW4(p, layout);
    const vec4 = !w4 && usesVec4Channels(layout, p.C);
    const outputs = p.N * p.C * p.outH * p.outW;
    const total = w4 ? w4Invocations(p) : outputs / (vec4 ? 4 : 1);
    const split = windowedSplit(cellGeometry(p), layout, 'out', WORKGROUP_SIZE, { dy: 'out', dx: 'in' });
    const entryPoint = w4 ? 'cell_w4' : vec4 ? 'cell_vec4' : 'cell';
    return {
      kernel: {
        label: `avgPool2dBackward.${entryPoint}`,
        code: vec4 ? vec4Code : code,
        entryPoint,
        constants: { WG: WORKGROUP_SIZE, NHWC: layout === 'NHWC' ? 1 : 0, COUNT_INCLUDE_PAD: countPad, ...windowConstants(p, specialise) },
        uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, total, p.divisorOverride) },
        bindings: { dy: 1, dx: 3 },
        workgroups: workgroupsFor(total, WORKGROUP_SIZE),
        split: vec4 ? vec4Domain(split) : w4 ? w4Domain(split, p.outW) : split,
      },
      zeroDx: false,
    };
  }
  const total = form === 'gather' ? p.N * p.C * p.H * p.W : p.N * p.C * p.outH * p.outW;
  const split = windowedSplit(p, layout, form === 'gather' ? 'in' : 'out', WORKGROUP_SIZE, { dy: 'out', dx: 'in' });
  if (form === 'gather' && usesVec4Channels(layout, p.C)) {
    // Four channels per invocation (NHWC, C % 4 == 0); same sums in the same order per channel.
    return {
      kernel: {
        label: 'avgPool2dBackward.gather_vec4',
        code: vec4Code,
        entryPoint: 'gather_vec4',
        constants: { WG: WORKGROUP_SIZE, NHWC: 1, COUNT_INCLUDE_PAD: countPad, ...dilationConstant(p) },
        uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, total / 4, p.divisorOverride) },
        bindings: { dy: 1, dx: 3 },
        workgroups: workgroupsFor(total / 4, WORKGROUP_SIZE),
        split: vec4Domain(split),
      },
      zeroDx: false,
    };
  }
  return {
    kernel: {
      label: `avgPool2dBackward.${form}`,
      code,
      entryPoint: form,
      constants: { WG: WORKGROUP_SIZE, NHWC: layout === 'NHWC' ? 1 : 0, COUNT_INCLUDE_PAD: countPad, ...dilationConstant(p) },
      uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, total, p.divisorOverride) },
      bindings: { dy: 1, dx: 3 },
      workgroups: workgroupsFor(total, WORKGROUP_SIZE),
      split,
    },
    zeroDx: form !== 'gather',
  };
}
