import maxPoolVec4Wgsl from '../../shaders/max-pool-vec4.wgsl?raw';
import ioForwardVec4F32Wgsl from '../../shaders/nd/io-forward-vec4-f32.wgsl?raw';
import ioForwardF32Wgsl from '../../shaders/nd/io-forward-f32.wgsl?raw';
import maxPoolW4Wgsl from '../../shaders/max-pool-w4.wgsl?raw';
import maxPoolWgsl from '../../shaders/max-pool.wgsl?raw';
import w4RowsWgsl from '../../shaders/w4-rows.wgsl?raw';
import windowTapsWgsl from '../../shaders/window-taps.wgsl?raw';
import type { Layout, MaxPoolParams } from '../types.js';
import { composeShader, workgroupsFor, type KernelPlan } from './kernel.js';
import { POOL_PARAMS, poolParamsSource, poolParamsValues } from './pool-params.js';
import { windowedSplit } from './split-spec.js';
import { usesVec4Channels, vec4Domain } from './vec4-channels.js';
import { maxRuleConstants } from './max-rules.js';
import { windowConstants, windowConstantsSource } from './window-constants.js';
import { w4Domain, w4Invocations, w4RowsFit, type ForwardKernel } from './w4-rows.js';

const code = composeShader(poolParamsSource, ioForwardF32Wgsl, windowConstantsSource, windowTapsWgsl, maxPoolWgsl);
const vec4Code = composeShader(poolParamsSource, ioForwardVec4F32Wgsl, windowConstantsSource, windowTapsWgsl, maxPoolVec4Wgsl);
const w4Code = composeShader(poolParamsSource, ioForwardF32Wgsl, windowConstantsSource, windowTapsWgsl, w4RowsWgsl, maxPoolW4Wgsl);
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
 * the generic one.
 */
export function maxPoolForwardPlan(p: MaxPoolParams, layout: Layout, withIndices: boolean, kernel: ForwardKernel = maxPoolForwardKernel(p, layout), specialise = true): KernelPlan {
  const total = p.N * p.C * p.outH * p.outW;
  const split = windowedSplit(p, layout, 'out', WORKGROUP_SIZE, { x: 'in', y: 'out', indices: 'out' });
  const entryPoint = withIndices ? 'main_with_indices' : 'main';
  const window = { ...windowConstants(p, specialise), ...maxRuleConstants(p) };
  const bindings: Record<string, number> = withIndices ? { x: 1, y: 2, indices: 3 } : { x: 1, y: 2 };
  if (usesVec4Channels(layout, p.C) && !p.padWithZero) {
    return {
      label: 'maxPool2d.forward.vec4',
      code: vec4Code,
      entryPoint,
      constants: { WG: WORKGROUP_SIZE, NHWC: 1, ...window },
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
      code: w4Code,
      entryPoint,
      constants: { WG: WORKGROUP_SIZE, ...window },
      uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, groups) },
      bindings,
      workgroups: workgroupsFor(groups, WORKGROUP_SIZE),
      split: w4Domain(split, p.outW),
    };
  }
  return {
    label: 'maxPool2d.forward',
    code,
    entryPoint,
    constants: { WG: WORKGROUP_SIZE, NHWC: layout === 'NHWC' ? 1 : 0, PAD_ZERO: p.padWithZero ? 1 : 0, ...window },
    uniform: { struct: POOL_PARAMS, values: poolParamsValues(p, total) },
    bindings,
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    split,
  };
}
