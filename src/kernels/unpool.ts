/**
 * Max-unpooling's GPU kernels (shaders/nd/unpool-*.wgsl), data only. Forward: y cleared, then pass
 * 1 (one invocation per x element) bids atomicMax(y[idx], source + 1) so that the largest source
 * position of each target wins, then pass 2 (one invocation per y element) replaces each bid by
 * the winner's x value: deterministic on every adapter, no scratch buffer. Backward: one gather
 * pass per dx element. Every kernel splits by planes (channel-first) or images (channels-last),
 * since an index may name any position of its plane: a tensor larger than one storage binding runs
 * as long as one plane (image) of each tensor fits one.
 */
import ndLayoutWgsl from '../../shaders/nd/nd-layout.wgsl?raw';
import unpoolBackwardWgsl from '../../shaders/nd/unpool-backward.wgsl?raw';
import unpoolIndexOffsetWgsl from '../../shaders/nd/unpool-index-offset.wgsl?raw';
import unpoolOwnersWgsl from '../../shaders/nd/unpool-owners.wgsl?raw';
import unpoolPlaceWgsl from '../../shaders/nd/unpool-place.wgsl?raw';
import type { Step } from '../host/dispatch.js';
import type { SpatialRank, WindowGeometry } from '../types.js';
import { composeShader, workgroupsFor, type KernelPlan } from './kernel.js';
import { ND_PARAMS, ndParamsSource, ndParamsValues } from './nd-params.js';
import { planeSplit, type SlotGroup } from './split-spec.js';

const WORKGROUP_SIZE = 64;

/** The shapes an unpooling kernel needs: x's spatial size (`inSize`) and y's (`outSize`). */
export interface UnpoolShape {
  readonly rank: SpatialRank;
  readonly N: number;
  readonly C: number;
  /** Spatial size of x (and of indices, dx). */
  readonly inSize: readonly number[];
  /** Spatial size of y (and of dy). */
  readonly outSize: readonly number[];
}

const CODE = {
  owners: composeShader(ndParamsSource, ndLayoutWgsl, unpoolIndexOffsetWgsl, unpoolOwnersWgsl),
  place: composeShader(ndParamsSource, ndLayoutWgsl, unpoolIndexOffsetWgsl, unpoolPlaceWgsl),
  backward: composeShader(ndParamsSource, ndLayoutWgsl, unpoolIndexOffsetWgsl, unpoolBackwardWgsl),
} as const;

const count = (v: readonly number[]) => v.reduce((a, b) => a * b, 1);

/** The shapes as a window of 1-tap, stride-1 axes: what ndParamsValues packs (only N, C, in and out are read). */
export function shapeWindow(s: UnpoolShape, kernel: readonly number[] = s.inSize.map(() => 1)): WindowGeometry {
  const ones = s.inSize.map(() => 1);
  const zeros = s.inSize.map(() => 0);
  return { rank: s.rank, N: s.N, C: s.C, inSize: s.inSize, outSize: s.outSize, kernel, stride: ones, dilation: ones, padBegin: zeros, padEnd: zeros };
}

/**
 * A split by planes (channel-first) or images (channels-last) over a domain of `perPlane`
 * invocations per plane; `in` tensors hold inSize elements a plane, `out` ones outSize.
 */
export function planeUnits(s: UnpoolShape, channelsLast: boolean, perPlane: number, groups: Record<string, SlotGroup>) {
  return planeSplit({ N: s.N, C: s.C, H: 1, W: perPlane }, channelsLast ? 'NHWC' : 'NCHW', perPlane, WORKGROUP_SIZE, count(s.inSize), count(s.outSize), groups);
}

function plan(label: string, code: string, entryPoint: string, s: UnpoolShape, channelsLast: boolean, perPlane: number, bindings: Record<string, number>, groups: Record<string, SlotGroup>): KernelPlan {
  const total = s.N * s.C * perPlane;
  return {
    label,
    code,
    entryPoint,
    constants: { WG: WORKGROUP_SIZE, CHANNELS_LAST: channelsLast ? 1 : 0 },
    uniform: { struct: ND_PARAMS, values: ndParamsValues(shapeWindow(s), total) },
    bindings,
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    split: planeUnits(s, channelsLast, perPlane, groups),
  };
}

/** Forward: slots x, indices → y. Steps: clear y, the bids (pass 1), the placement (pass 2). */
export function maxUnpoolSteps(s: UnpoolShape, channelsLast: boolean): Step[] {
  const name = `maxUnpool${s.rank}d`;
  return [
    { kind: 'clear', slot: 'y' },
    { kind: 'kernel', plan: plan(`${name}.owners`, CODE.owners, 'owners', s, channelsLast, count(s.inSize), { indices: 1, y: 2 }, { indices: 'in', y: 'out' }) },
    { kind: 'kernel', plan: plan(`${name}.place`, CODE.place, 'place', s, channelsLast, count(s.outSize), { x: 1, y: 2 }, { x: 'in', y: 'out' }) },
  ];
}

/** Backward: slots dy, indices → dx, one gather pass (no clear). */
export function maxUnpoolBackwardPlan(s: UnpoolShape, channelsLast: boolean): KernelPlan {
  return plan(`maxUnpool${s.rank}dBackward.gather`, CODE.backward, 'gather', s, channelsLast, count(s.inSize), { dy: 1, indices: 2, dx: 3 }, { dy: 'out', indices: 'in', dx: 'in' });
}
