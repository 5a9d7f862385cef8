import { planeForwardCode } from './plane-forward.js';
import type { AvgPoolParams, Layout } from '../types.js';
import { workgroupsFor, type KernelPlan } from './kernel.js';
import { POOL_PARAMS, poolParamsValues } from './pool-params.js';
import { windowedSplit } from './split-spec.js';
import { usesVec4Channels, vec4Domain } from './vec4-channels.js';
import { dilationConstant } from './window-constants.js';
import { planeVec4FullConstants, planeW4FullRowConstants } from './full-taps.js';
import { W4_OUTPUTS, w4ColumnsPerRow, w4Domain, w4Invocations, w4RowsFit, type ForwardKernel } from './w4-rows.js';

// Of the window constants only DILATED is set (0: every plane average is undilated, dilated
// averages run the N-d kernels); kernel and stride stay generic, read from the uniform: the
// specialised average kernels measured no faster on SwiftShader (docs/forward-selection.md).
const WORKGROUP_SIZE = 64;

/**
 * The NCHW kernel of an average pool (docs/forward-selection.md): W4 with at least 4 outputs per
 * row, while a group loads no more input columns than four scalar invocations would (sW ≤ kW):
 * its loads feed all four lanes, so columns between windows would be loaded for nothing.
 */
export function avgPoolForwardKernel(p: AvgPoolParams, layout: Layout): ForwardKernel {
  return w4RowsFit(layout, p) && w4ColumnsPerRow(p) <= W4_OUTPUTS * p.kW ? 'w4' : 'scalar';
}

/**
 * Average pooling forward: one invocation per output element, per 4 channels in NHWC (C % 4 == 0),
 * or per 4 outputs along a row in NCHW (the W4 kernel); slots x → y. `kernel` forces the NCHW
 * kernel (tests and measurements). W4 runs its full-row form and vec4 its full-window form where
 * every window holds all its taps (planeW4FullRowConstants, planeVec4FullConstants); `fullTaps:
 * false` forces the clipped forms (tests, measurements).
 */
export function avgPoolForwardPlan(p: AvgPoolParams, layout: Layout, kernel: ForwardKernel = avgPoolForwardKernel(p, layout), fullTaps = true): KernelPlan {
  const total = p.N * p.C * p.outH * p.outW;
  const split = windowedSplit(p, layout, 'out', WORKGROUP_SIZE, { x: 'in', y: 'out' });
  const constants = { WG: WORKGROUP_SIZE, COUNT_INCLUDE_PAD: p.countIncludePad ? 1 : 0, ...dilationConstant(p) };
  if (usesVec4Channels(layout, p.C)) {
    return {
      label: 'avgPool2d.forward.vec4',
      code: planeForwardCode('vec4', 'avg'),
      entryPoint: 'main',
      constants: { ...constants, NHWC: 1, ...(fullTaps ? planeVec4FullConstants(p, false) : {}) },
      uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, total / 4, p.divisorOverride) },
      bindings: { x: 1, y: 2 },
      workgroups: workgroupsFor(total / 4, WORKGROUP_SIZE),
      split: vec4Domain(split),
    };
  }
  if (layout === 'NCHW' && kernel === 'w4') {
    const groups = w4Invocations(p);
    return {
      label: 'avgPool2d.forward.w4',
      code: planeForwardCode('w4', 'avg'),
      entryPoint: 'main',
      constants: { ...constants, ...(fullTaps ? planeW4FullRowConstants(p, false) : {}) },
      uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, groups, p.divisorOverride) },
      bindings: { x: 1, y: 2 },
      workgroups: workgroupsFor(groups, WORKGROUP_SIZE),
      split: w4Domain(split, p.outW),
    };
  }
  return {
    label: 'avgPool2d.forward',
    code: planeForwardCode('scalar', 'avg'),
    entryPoint: 'main',
    constants: { ...constants, NHWC: layout === 'NHWC' ? 1 : 0 },
    uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, total, p.divisorOverride) },
    bindings: { x: 1, y: 2 },
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    split,
  };
}
