/**
 * Fractional max pooling's GPU kernels, data only. Forward: its own mapping
 * (shaders/nd/map-fractional-forward.wgsl, with full groups where a unit holds 4 outputs; channels-last
 * with C % 4 == 0 the vec4 form, by fractionalVec4Rule), one invocation per 4 consecutive outputs in
 * memory order, each reading its window's flat start from
 * an output-shaped int32 table (`window_starts`, made on the host in float32 arithmetic:
 * src/ops/fractional-pool.ts) and scanning the window by additions through max pooling's own
 * reduction (reduce-max.wgsl), so ties, NaN and indices follow max pooling. Backward: one
 * invocation per 4 dy elements adding atomically into dx at their indices (dx cleared first). Both
 * split by planes (channel-first) or images (channels-last); the table shares the output's offsets.
 */
import ioForwardFractionalF32Wgsl from '../../shaders/nd/io-forward-fractional-f32.wgsl?raw';
import ioScatterFractionalF32Wgsl from '../../shaders/nd/io-scatter-fractional-f32.wgsl?raw';
import mapScatterFractionalWgsl from '../../shaders/nd/map-scatter-fractional.wgsl?raw';
import mapFractionalForwardVec4Wgsl from '../../shaders/nd/map-fractional-forward-vec4.wgsl?raw';
import mapFractionalForwardWgsl from '../../shaders/nd/map-fractional-forward.wgsl?raw';
import fractionalWindowWgsl from '../../shaders/nd/fractional-window.wgsl?raw';
import ndLayoutWgsl from '../../shaders/nd/nd-layout.wgsl?raw';
import windowRecordWgsl from '../../shaders/nd/window-record.wgsl?raw';
import reduceMaxWgsl from '../../shaders/nd/reduce-max.wgsl?raw';
import type { AdapterKind } from '../adapter-profile.js';
import type { SpatialRank } from '../types.js';
import { composeShader, workgroupsFor, type KernelPlan } from './kernel.js';
import { composeNdKernel } from './nd-pool.js';
import { ND_PARAMS, ndParamsSource, ndParamsValues } from './nd-params.js';
import type { SlotGroup } from './split-spec.js';
import { planeUnits, shapeWindow } from './unpool.js';

const WORKGROUP_SIZE = 64;

/** A fractional pool's shapes: input and output spatial sizes and the kernel, per axis. */
export interface FractionalShape {
  readonly rank: SpatialRank;
  readonly N: number;
  readonly C: number;
  readonly inSize: readonly number[];
  readonly outSize: readonly number[];
  readonly kernel: readonly number[];
}

const CODE = {
  forward: composeNdKernel(ioForwardFractionalF32Wgsl, reduceMaxWgsl, fractionalWindowWgsl, mapFractionalForwardWgsl),
  forwardVec4: composeNdKernel(reduceMaxWgsl, fractionalWindowWgsl, mapFractionalForwardVec4Wgsl),
  scatter: composeShader(ndParamsSource, windowRecordWgsl, ndLayoutWgsl, ioScatterFractionalF32Wgsl, mapScatterFractionalWgsl),
} as const;

const count = (v: readonly number[]) => v.reduce((a, b) => a * b, 1);

/** Outputs per invocation of the forward and the backward (map-fractional-forward.wgsl, map-scatter-fractional.wgsl). */
const FORWARD_OUTPUTS = 4;

/** Kernel extents fixed at pipeline creation (unrolled scans) up to this size; larger ones read the uniform. */
const FIXED_KERNEL_MAX = 3;

/** Where four channels of one position per invocation may run: channels-last with C % 4 == 0. */
export function fractionalUsesVec4(s: FractionalShape, channelsLast: boolean): boolean {
  return channelsLast && s.C % 4 === 0;
}

/**
 * The rule (docs/unpool-fractional.md, Performance): the four-channel form where it may run, except
 * on SwiftShader, where the form of four outputs in memory order with full groups measured 3x
 * faster (1×64×112×112 → 79×79 k2 NHWC: 10.5 against 31 ms; llvmpipe the other way, 2.22 against
 * 1.85 ms).
 */
export function fractionalVec4Rule(s: FractionalShape, channelsLast: boolean, adapter: AdapterKind): boolean {
  return fractionalUsesVec4(s, channelsLast) && adapter !== 'swiftshader';
}

/** Forward: slots x, window_starts → y (+ indices). `vec4` forces the mapping (tuning, tests). */

export function fractionalForwardPlan(s: FractionalShape, channelsLast: boolean, withIndices: boolean, vec4 = fractionalUsesVec4(s, channelsLast)): KernelPlan {
  const outVol = count(s.outSize);
  const planesPerUnit = channelsLast ? s.C : 1;
  const groupsPerUnit = Math.ceil((outVol * planesPerUnit) / FORWARD_OUTPUTS);
  const total = ((s.N * s.C) / planesPerUnit) * groupsPerUnit;
  const groups: Record<string, SlotGroup> = withIndices ? { x: 'in', y: 'out', indices: 'out', window_starts: 'out' } : { x: 'in', y: 'out', window_starts: 'out' };
  const k3 = s.rank === 2 ? [1, ...s.kernel] : [...s.kernel];
  const fixed = k3.every((k) => k <= FIXED_KERNEL_MAX);
  const base = planeUnits(s, channelsLast, 1, groups);
  // vec4: four channels of one position per invocation (the same groups). The label names the
  // code: the pipeline cache keys by label, entry point and constants.
  return {
    label: `fractionalMaxPool${s.rank}d.nd.forward${vec4 ? '.vec4' : ''}`,
    code: vec4 ? CODE.forwardVec4 : CODE.forward,
    entryPoint: withIndices ? 'main_with_indices' : 'main',
    constants: { WG: WORKGROUP_SIZE, CHANNELS_LAST: channelsLast ? 1 : 0, PAD_ZERO: 0, K_D: fixed ? k3[0]! : 0, K_H: fixed ? k3[1]! : 0, K_W: fixed ? k3[2]! : 0, ...(!vec4 && outVol * planesPerUnit >= FORWARD_OUTPUTS ? { FULL_GROUPS: 1 } : {}) },
    uniform: { struct: ND_PARAMS, values: ndParamsValues(shapeWindow(s, s.kernel), total) },
    bindings: withIndices ? { x: 1, y: 2, indices: 3, window_starts: 4 } : { x: 1, y: 2, window_starts: 4 },
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    // Units as the plane split's (planes, or channels-last images), each of groupsPerUnit invocations.
    split: { ...base, unitSize: groupsPerUnit },
  };
}

/** Backward: slots dy, indices → dx; dx must be cleared first. `fullGroups: false` forces the lane loop (tests, measurements). */
export function fractionalBackwardPlan(s: FractionalShape, channelsLast: boolean, fullGroups = true): KernelPlan {
  const outVol = count(s.outSize);
  const planesPerUnit = channelsLast ? s.C : 1;
  const groupsPerUnit = Math.ceil((outVol * planesPerUnit) / FORWARD_OUTPUTS);
  const total = ((s.N * s.C) / planesPerUnit) * groupsPerUnit;
  const base = planeUnits(s, channelsLast, 1, { dy: 'out', indices: 'out', dx: 'in' });
  return {
    label: `fractionalMaxPool${s.rank}dBackward.nd.scatter`,
    code: CODE.scatter,
    entryPoint: 'scatter',
    constants: { WG: WORKGROUP_SIZE, CHANNELS_LAST: channelsLast ? 1 : 0, ...(fullGroups && outVol * planesPerUnit >= FORWARD_OUTPUTS ? { FULL_GROUPS: 1 } : {}) },
    uniform: { struct: ND_PARAMS, values: ndParamsValues(shapeWindow(s), total) },
    bindings: { dy: 1, indices: 2, dx: 3 },
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    split: { ...base, unitSize: groupsPerUnit },
  };
}
