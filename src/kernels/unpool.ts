/**
 * Max-unpooling's GPU kernels (shaders/nd/unpool-*.wgsl), data only. Forward, fast path (the pool's
 * windows do not overlap, stride >= kernel: docs/unpool-fractional.md, Performance): y cleared,
 * then one pass over x (4 elements an invocation) storing each value at its index when the index
 * lies in the element's own stride cell (cells are disjoint, so no target has two such sources),
 * raising a one-word flag otherwise; then a fallback pass, one workgroup a plane, which returns at
 * once unless flagged and else redoes the plane by the bid rule. General path (overlapping
 * windows): y cleared, then pass 1 (one invocation per x element) bids atomicMax(y[idx], source +
 * 1) so that the largest source position of each target wins, then pass 2 (one invocation per y
 * element) replaces each bid by the winner's x value. Both deterministic on every adapter.
 * Backward: one gather pass per dx element. Every kernel splits by planes (channel-first) or images
 * (channels-last), since an index may name any position of its plane: a tensor larger than one
 * storage binding runs as long as one plane (image) of each tensor fits one.
 */
import ndLayoutWgsl from '../../shaders/nd/nd-layout.wgsl?raw';
import windowRecordWgsl from '../../shaders/nd/window-record.wgsl?raw';
import unpoolBackwardWgsl from '../../shaders/nd/unpool-backward.wgsl?raw';
import unpoolCellsWgsl from '../../shaders/nd/unpool-cells.wgsl?raw';
import unpoolFallbackWgsl from '../../shaders/nd/unpool-fallback.wgsl?raw';
import unpoolIndexOffsetWgsl from '../../shaders/nd/unpool-index-offset.wgsl?raw';
import unpoolOwnersWgsl from '../../shaders/nd/unpool-owners.wgsl?raw';
import unpoolPlaceWgsl from '../../shaders/nd/unpool-place.wgsl?raw';
import unpoolWriteVec4Wgsl from '../../shaders/nd/unpool-write-vec4.wgsl?raw';
import unpoolWriteWgsl from '../../shaders/nd/unpool-write.wgsl?raw';
import type { Step } from '../host/dispatch.js';
import type { SpatialRank, WindowGeometry } from '../types.js';
import { composeShader, workgroupsFor, type KernelPlan } from './kernel.js';
import { ND_PARAMS, ndParamsSource, ndParamsValues } from './nd-params.js';
import { planeSplit, type SlotGroup, type SplitSpec } from './split-spec.js';

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
  /** The forward pool's kernel, stride and begin padding per axis: enable the forward's fast path (below). */
  readonly poolKernel?: readonly number[];
  readonly stride?: readonly number[];
  readonly padBegin?: readonly number[];
}

const CODE = {
  owners: composeShader(ndParamsSource, windowRecordWgsl, ndLayoutWgsl, unpoolIndexOffsetWgsl, unpoolOwnersWgsl),
  place: composeShader(ndParamsSource, windowRecordWgsl, ndLayoutWgsl, unpoolIndexOffsetWgsl, unpoolPlaceWgsl),
  backward: composeShader(ndParamsSource, windowRecordWgsl, ndLayoutWgsl, unpoolIndexOffsetWgsl, unpoolBackwardWgsl),
  write: composeShader(ndParamsSource, windowRecordWgsl, ndLayoutWgsl, unpoolIndexOffsetWgsl, unpoolCellsWgsl, unpoolWriteWgsl),
  writeVec4: composeShader(ndParamsSource, windowRecordWgsl, ndLayoutWgsl, unpoolIndexOffsetWgsl, unpoolCellsWgsl, unpoolWriteVec4Wgsl),
  fallback: composeShader(ndParamsSource, windowRecordWgsl, ndLayoutWgsl, unpoolIndexOffsetWgsl, unpoolFallbackWgsl),
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

/**
 * The group of a one-word buffer (the fast path's flag) bound whole in every split dispatch: not one
 * of SlotGroup's two (the split code only asks the spec's `range` for it, and binds its result).
 */
const WHOLE = 'whole' as SlotGroup;

/** planeUnits, with the flag slot (if any) in a group of its own whose range is the whole word. */
function flaggedUnits(s: UnpoolShape, channelsLast: boolean, perPlane: number, groups: Record<string, SlotGroup>): SplitSpec {
  const spec = planeUnits(s, channelsLast, perPlane, groups);
  return { ...spec, range: (group, u0, u1) => (group === WHOLE ? [0, 1] : spec.range(group, u0, u1)) };
}

function plan(label: string, code: string, entryPoint: string, s: UnpoolShape, channelsLast: boolean, perPlane: number, bindings: Record<string, number>, groups: Record<string, SlotGroup>): KernelPlan {
  const total = s.N * s.C * perPlane;
  const ones = s.inSize.map(() => 1);
  const window: WindowGeometry = { ...shapeWindow(s), stride: s.stride ?? ones, padBegin: s.padBegin ?? ones.map(() => 0) };
  return {
    label,
    code,
    entryPoint,
    constants: { WG: WORKGROUP_SIZE, CHANNELS_LAST: channelsLast ? 1 : 0 },
    uniform: { struct: ND_PARAMS, values: ndParamsValues(window, total) },
    bindings,
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    split: flaggedUnits(s, channelsLast, perPlane, groups),
  };
}

/** The fast path's scratch: one u32 word, raised by the check pass when a target may have several sources. */
export const UNPOOL_FLAG = { slot: 'unpool_flag', bytes: 4 } as const;

/** The fast path's first pass: 4 consecutive x elements of a unit (plane or channels-last image) per invocation. */
function writePlan(label: string, s: UnpoolShape, channelsLast: boolean): KernelPlan {
  const f = UNPOOL_FLAG.slot;
  const planesPerUnit = channelsLast ? s.C : 1;
  const groupsPerUnit = Math.ceil((count(s.inSize) * planesPerUnit) / WRITE_ELEMENTS);
  const total = ((s.N * s.C) / planesPerUnit) * groupsPerUnit;
  // Channels-last with C % 4 == 0: four channels of one position per invocation, read as vec4.
  const vec4 = channelsLast && s.C % 4 === 0;
  const p = vec4
    ? plan(`${label}.vec4`, CODE.writeVec4, 'write_values_vec4', s, channelsLast, 1, { x: 1, indices: 2, y: 3, [f]: 4 }, { x: 'in', indices: 'in', y: 'out', [f]: WHOLE })
    : plan(label, CODE.write, 'write_values', s, channelsLast, 1, { x: 1, indices: 2, y: 3, [f]: 4 }, { x: 'in', indices: 'in', y: 'out', [f]: WHOLE });
  // The stride along D and H as pipeline constants when small, so the cell test unrolls.
  const stride3 = [...new Array<number>(3 - s.rank).fill(1), ...(s.stride ?? s.inSize.map(() => 1))];
  const cell = (v: number) => (v <= MAX_FIXED_CELL ? v : 0);
  return {
    ...p,
    constants: { ...p.constants, CELL_D: cell(stride3[0]!), CELL_H: cell(stride3[1]!) },
    uniform: { ...p.uniform, values: { ...p.uniform.values, end: total } },
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    split: { ...p.split!, unitSize: groupsPerUnit },
  };
}

/** Cell extents (strides along D and H) up to this are pipeline constants of the first pass. */
const MAX_FIXED_CELL = 4;

/** x elements per invocation of the fast path's first pass (unpool-write.wgsl). */
const WRITE_ELEMENTS = 4;

/**
 * Whether the forward takes the fast path: the pool's windows known and not overlapping (stride >=
 * kernel on every axis), so indices from the pool all lie in their stride cells. Overlapping
 * windows (k3 s2) would send many indices outside their cells: those keep the bid passes.
 */
export function unpoolFastPath(s: UnpoolShape): boolean {
  const { poolKernel: k, stride, padBegin } = s;
  return k !== undefined && stride !== undefined && padBegin !== undefined && k.every((v, a) => stride[a]! >= v);
}

/**
 * The forward's two forms: 'direct' (the fast path, where it applies: one pass storing each value
 * in its own stride cell, a flag and the fallback for the rest) and 'owners' (the bids, then the
 * placement: any indices). Both give the same y.
 */
export type UnpoolForm = 'direct' | 'owners';

/** Forward: slots x, indices → y. Steps: clear y, the bids (pass 1), the placement (pass 2); or the fast path's. */
export function maxUnpoolSteps(s: UnpoolShape, channelsLast: boolean, form: UnpoolForm = unpoolFastPath(s) ? 'direct' : 'owners'): Step[] {
  const name = `maxUnpool${s.rank}d`;
  if (form === 'direct' && unpoolFastPath(s)) {
    // Fast path (docs/unpool-fractional.md, Performance): one pass over x storing directly, then
    // the fallback (one workgroup a plane), which returns at once unless the first pass flagged.
    const f = UNPOOL_FLAG.slot;
    return [
      { kind: 'clear', slot: 'y' },
      { kind: 'clear', slot: f },
      { kind: 'kernel', plan: writePlan(`${name}.write`, s, channelsLast) },
      { kind: 'kernel', plan: plan(`${name}.fallback`, CODE.fallback, 'fallback', s, channelsLast, WORKGROUP_SIZE, { x: 1, indices: 2, y: 3, [f]: 4 }, { x: 'in', indices: 'in', y: 'out', [f]: WHOLE }) },
    ];
  }
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
