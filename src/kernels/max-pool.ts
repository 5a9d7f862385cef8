import { planeForwardCode } from './plane-forward.js';
import type { Layout, MaxPoolParams } from '../types.js';
import { workgroupsFor, type KernelPlan } from './kernel.js';
import { POOL_PARAMS, poolParamsValues } from './pool-params.js';
import { windowedSplit } from './split-spec.js';
import { usesVec4Channels, vec4Domain } from './vec4-channels.js';
import { maxRuleConstants } from './max-rules.js';
import { windowConstants } from './window-constants.js';
import { planeVec4FullConstants, planeW4FullRowConstants } from './full-taps.js';
import { w4Domain, w4Invocations, w4RowsFit, type ForwardKernel } from './w4-rows.js';

const WORKGROUP_SIZE = 64;

/**
 * The NCHW kernel of a max pool (docs/forward-selection.md): W4 with at least 4 outputs per row,
 * except with zero padding, which the scalar kernel resolves.
 */
export function maxPoolForwardKernel(p: MaxPoolParams, layout: Layout): ForwardKernel {
  return w4RowsFit(layout, p) && !p.padWithZero ? 'w4' : 'scalar';
}

/**
 * Max pooling forward: one invocation per output element, per 4 channels in NHWC (C % 4 == 0), or
 * per 4 outputs along a row in NCHW (the W4 kernel); slots x → y (+ indices). `kernel` forces the
 * NCHW kernel (tests and measurements); W4 does not take zero padding. The common windows run
 * pipelines specialised on their size and stride (window-constants.ts); `specialise: false` forces
 * the generic one. W4 runs its full-row form and vec4 its full-window form where the windows allow
 * (planeW4FullRowConstants, planeVec4FullConstants: straight-line taps, padded ones clamped);
 * `fullTaps: false` forces the clipped forms (tests, measurements).
 */
export function maxPoolForwardPlan(p: MaxPoolParams, layout: Layout, withIndices: boolean, kernel: ForwardKernel = maxPoolForwardKernel(p, layout), specialise = true, fullTaps = true): KernelPlan {
  const total = p.N * p.C * p.outH * p.outW;
  const split = windowedSplit(p, layout, 'out', WORKGROUP_SIZE, { x: 'in', y: 'out', indices: 'out' });
  const entryPoint = withIndices ? 'main_with_indices' : 'main';
  const window = { ...windowConstants(p, specialise), ...maxRuleConstants(p) };
  const bindings: Record<string, number> = withIndices ? { x: 1, y: 2, indices: 3 } : { x: 1, y: 2 };
  if (usesVec4Channels(layout, p.C) && !p.padWithZero) {
    return {
      label: 'maxPool2d.forward.vec4',
      code: planeForwardCode('vec4', 'max'),
      entryPoint,
      constants: { WG: WORKGROUP_SIZE, NHWC: 1, ...window, ...(fullTaps ? planeVec4FullConstants(p, true) : {}) },
      uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, total / 4) },
      bindings,
      workgroups: workgroupsFor(total / 4, WORKGROUP_SIZE),
      split: vec4Domain(split),
    };
  }
  if (layout === 'NCHW' && kernel === 'w4' && !p.padWithZero) {
    const groups = w4Invocations(p);
    return {
      label: 'maxPool2d.forward.w4',
      code: planeForwardCode('w4', 'max'),
      entryPoint,
      constants: { WG: WORKGROUP_SIZE, ...window, ...(fullTaps ? planeW4FullRowConstants(p, true) : {}) },
      uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, groups) },
      bindings,
      workgroups: workgroupsFor(groups, WORKGROUP_SIZE),
      split: w4Domain(split, p.outW),
    };
  }
  return {
    label: 'maxPool2d.forward',
    code: planeForwardCode('scalar', 'max'),
    entryPoint,
    constants: { WG: WORKGROUP_SIZE, NHWC: layout === 'NHWC' ? 1 : 0, PAD_ZERO: p.padWithZero ? 1 : 0, ...window },
    uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, total) },
    bindings,
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    split,
  };
}
