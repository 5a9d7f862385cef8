/**
 * The adaptive pooling kernels (docs/adaptive-pooling.md), composed on the N-d core (shaders/nd/):
 * the adaptive window file (window-adaptive.wgsl) with the N-d forward mappings and reductions
 * unchanged, and a gather backward (map-gather-adaptive.wgsl) that loops over the contiguous output
 * ranges reaching each dx element, with grad-max / grad-avg unchanged. Data only: kernel plans,
 * never a device call.
 *
 * The uniform is the N-d one (NdParams): in/out sizes per axis, k the largest window per axis (for
 * the record: the shaders compute each window from the sizes), stride 1, dilation 1, no padding, no
 * divisor override.
 */
import windowScanVec4Wgsl from '../../shaders/nd/window-scan-vec4.wgsl?raw';
import windowScanWgsl from '../../shaders/nd/window-scan.wgsl?raw';
import w4StoreIndicesWgsl from '../../shaders/nd/w4-store-indices.wgsl?raw';
import w4StoreWgsl from '../../shaders/nd/w4-store.wgsl?raw';
import gradAdaptiveAvgWgsl from '../../shaders/nd/grad-adaptive-avg.wgsl?raw';
import gradAdaptiveMaxWgsl from '../../shaders/nd/grad-adaptive-max.wgsl?raw';
import ioForwardF32Wgsl from '../../shaders/nd/io-forward-f32.wgsl?raw';
import ioForwardVec4F32Wgsl from '../../shaders/nd/io-forward-vec4-f32.wgsl?raw';
import ioGatherAdaptiveF32Wgsl from '../../shaders/nd/io-gather-adaptive-f32.wgsl?raw';
import mapGatherAdaptiveWgsl from '../../shaders/nd/map-gather-adaptive.wgsl?raw';
import mapWindowIndicesWgsl from '../../shaders/nd/map-window-indices.wgsl?raw';
import mapWindowVec4IndicesWgsl from '../../shaders/nd/map-window-vec4-indices.wgsl?raw';
import mapWindowVec4Wgsl from '../../shaders/nd/map-window-vec4.wgsl?raw';
import mapWindowW4IndicesWgsl from '../../shaders/nd/map-window-w4-indices.wgsl?raw';
import mapWindowW4Wgsl from '../../shaders/nd/map-window-w4.wgsl?raw';
import w4FullLaneWgsl from '../../shaders/nd/w4-full-lane.wgsl?raw';
import mapWindowWgsl from '../../shaders/nd/map-window.wgsl?raw';
import reduceAvgVec4Wgsl from '../../shaders/nd/reduce-avg-vec4.wgsl?raw';
import reduceAvgWgsl from '../../shaders/nd/reduce-avg.wgsl?raw';
import reduceMaxVec4Wgsl from '../../shaders/nd/reduce-max-vec4.wgsl?raw';
import reduceMaxWgsl from '../../shaders/nd/reduce-max.wgsl?raw';
import windowAdaptiveWgsl from '../../shaders/nd/window-adaptive.wgsl?raw';
import gradAvgWgsl from '../../shaders/nd/grad-avg.wgsl?raw';
import ioScatterF32Wgsl from '../../shaders/nd/io-scatter-f32.wgsl?raw';
import mapScatterAvgWgsl from '../../shaders/nd/map-scatter-avg.wgsl?raw';
import mapScatterMaxWgsl from '../../shaders/nd/map-scatter-max.wgsl?raw';
import type { WindowGeometry } from '../types.js';
import { workgroupsFor, type KernelPlan } from './kernel.js';
import { ND_PARAMS, ndParamsValues } from './nd-params.js';
import { composeNdKernel } from './nd-pool.js';
import type { SlotGroup, SplitSpec } from './split-spec.js';
import { forwardDomain, forwardMappingOf, forwardW4Fits, type ForwardMapping } from './forward-mapping.js';

const WORKGROUP_SIZE = 64;

export type AdaptiveReduction = 'max' | 'avg';

const CODE = {
  forward: {
    max: composeNdKernel(windowAdaptiveWgsl, ioForwardF32Wgsl, reduceMaxWgsl, windowScanWgsl, mapWindowWgsl, mapWindowIndicesWgsl),
    avg: composeNdKernel(windowAdaptiveWgsl, ioForwardF32Wgsl, reduceAvgWgsl, windowScanWgsl, mapWindowWgsl),
  },
  // The N-d W4 mapping over the adaptive window: four outputs of a channel-first row per invocation.
  forwardW4: {
    max: composeNdKernel(windowAdaptiveWgsl, ioForwardF32Wgsl, reduceMaxWgsl, w4FullLaneWgsl, mapWindowW4Wgsl, w4StoreWgsl, mapWindowW4IndicesWgsl, w4StoreIndicesWgsl),
    avg: composeNdKernel(windowAdaptiveWgsl, ioForwardF32Wgsl, reduceAvgWgsl, w4FullLaneWgsl, mapWindowW4Wgsl, w4StoreWgsl),
  },
  forwardVec4: {
    max: composeNdKernel(windowAdaptiveWgsl, ioForwardVec4F32Wgsl, reduceMaxVec4Wgsl, windowScanVec4Wgsl, mapWindowVec4Wgsl, mapWindowVec4IndicesWgsl),
    avg: composeNdKernel(windowAdaptiveWgsl, ioForwardVec4F32Wgsl, reduceAvgWgsl, reduceAvgVec4Wgsl, windowScanVec4Wgsl, mapWindowVec4Wgsl),
  },
  gather: {
    max: composeNdKernel(windowAdaptiveWgsl, ioGatherAdaptiveF32Wgsl, gradAdaptiveMaxWgsl, mapGatherAdaptiveWgsl),
    avg: composeNdKernel(windowAdaptiveWgsl, ioGatherAdaptiveF32Wgsl, gradAdaptiveAvgWgsl, mapGatherAdaptiveWgsl),
  },
  // The windowed ops' scatter mappings over the adaptive window: window_taps and window_owns come
  // from window-adaptive.wgsl, so the same files give the adaptive windows' scatter.
  scatter: {
    max: composeNdKernel(windowAdaptiveWgsl, ioScatterF32Wgsl, mapScatterMaxWgsl),
    avg: composeNdKernel(windowAdaptiveWgsl, ioScatterF32Wgsl, reduceAvgWgsl, gradAvgWgsl, mapScatterAvgWgsl),
  },
} as const;

const count = (v: readonly number[]) => v.reduce((a, b) => a * b, 1);
const floorDiv = (a: number, b: number) => (a - (a % b)) / b;

/** Rows of a tensor along the split axis: (n, c, row) channel-first, (n, row) channels-last. */
interface Rows {
  blocks: number;
  rowsPerBlock: number;
  rowLength: number;
}

function rowsOf(g: WindowGeometry, channelsLast: boolean, sizes: readonly number[]): Rows {
  // The row axis: the first spatial axis, or none for a 1-D op (its single row is the unit).
  const rows = g.rank === 1 ? 1 : sizes[0]!;
  const cols = g.rank === 1 ? sizes[0]! : count(sizes.slice(1));
  return channelsLast ? { blocks: g.N, rowsPerBlock: rows, rowLength: cols * g.C } : { blocks: g.N * g.C, rowsPerBlock: rows, rowLength: cols };
}

/**
 * How an adaptive dispatch splits (src/kernels/split-spec.ts): units are rows along the first
 * spatial axis of the op's own rank (a 1-D op's whole row). Domain 'out' (forward): output row o
 * reads input rows [floor(o·I/O), ceil((o+1)·I/O)). Domain 'in' (gather): input row i is reached
 * from output rows [floor(i·O/I), ceil((i+1)·O/I)). Both ends grow with the row, so a run of units
 * reaches the hull of its first and last unit's ranges.
 */
export function adaptiveSplit(g: WindowGeometry, channelsLast: boolean, domain: SlotGroup, groups: Record<string, SlotGroup>): SplitSpec {
  const inRows = rowsOf(g, channelsLast, g.inSize);
  const outRows = rowsOf(g, channelsLast, g.outSize);
  const I = g.rank === 1 ? 1 : g.inSize[0]!;
  const O = g.rank === 1 ? 1 : g.outSize[0]!;
  const own = domain === 'out' ? outRows : inRows;
  const other = domain === 'out' ? inRows : outRows;
  const [from, to] = domain === 'out' ? [I, O] : [O, I];
  // Rows of the other side reached from row r of this one: [floor(r·from/to), ceil((r+1)·from/to)).
  const reach = (r: number): [number, number] => [floorDiv(r * from, to), floorDiv((r + 1) * from + to - 1, to)];
  const reached = (u0: number, u1: number): [number, number] => {
    const first = reach(u0 % own.rowsPerBlock);
    const last = reach((u1 - 1) % own.rowsPerBlock);
    const begin = Math.floor(u0 / own.rowsPerBlock) * other.rowsPerBlock + first[0];
    const end = Math.floor((u1 - 1) / own.rowsPerBlock) * other.rowsPerBlock + last[1];
    return [begin * other.rowLength, Math.max(end, begin) * other.rowLength];
  };
  return {
    units: own.blocks * own.rowsPerBlock,
    unitSize: own.rowLength,
    perWorkgroup: WORKGROUP_SIZE,
    unitName: `${domain === 'out' ? 'output' : 'input'} row (${own.rowLength} elements)`,
    groups,
    range: (group, u0, u1) => (group === domain ? [u0 * own.rowLength, u1 * own.rowLength] : reached(u0, u1)),
  };
}

/** Four channels per invocation: channels-last with C % 4 == 0 (every adaptive tap is real). */
export function adaptiveUsesVec4(g: WindowGeometry, channelsLast: boolean): boolean {
  return channelsLast && g.C % 4 === 0;
}

/**
 * The forward's thread mapping: 'vec4' (four channels of one output, channels-last with C % 4 == 0),
 * 'w4' (four outputs of a channel-first row, the N-d W4 mapping, on rows that fit its rule:
 * w4RowFits), 'scalar' (one output per invocation).
 */
export type AdaptiveForwardKernel = ForwardMapping;

/**
 * The rules' forward mapping (docs/adaptive-pooling.md, decision record "The forward's W4 rows"):
 * vec4 where it applies, W4 on 1-D and 2-D rows that fit (faster in 14 of 16 measured keys), the
 * scalar mapping for 3-D (W4 lost on SwiftShader there) and everything else.
 */
export function adaptiveForwardKernel(g: WindowGeometry, channelsLast: boolean): AdaptiveForwardKernel {
  if (adaptiveUsesVec4(g, channelsLast)) return 'vec4';
  return g.rank < 3 && forwardW4Fits(g, channelsLast) ? 'w4' : 'scalar';
}

/**
 * Forward adaptive max or average pooling of any rank: one invocation per output element, per four
 * channels or per four outputs of a row (AdaptiveForwardKernel); slots x → y (+ indices). `kernel`
 * forces the mapping (tests, tuning; `true` / `false` mean 'vec4' / 'scalar'). The max's W4 form reads
 * every lane's taps as straight-line code up to the widest window (W4_UPTO_KW = g.kernel's last
 * entry, the largest window along W: adaptiveGeometry; map-window-w4.wgsl);
 * `uptoTaps: false` forces the per-lane tap loop (tests, measurements).
 */
export function adaptiveForwardPlan(reduction: AdaptiveReduction, g: WindowGeometry, channelsLast: boolean, withIndices: boolean, kernel: AdaptiveForwardKernel | boolean = adaptiveForwardKernel(g, channelsLast), uptoTaps = true): KernelPlan {
  const which = forwardMappingOf(kernel);
  const vec4 = which === 'vec4';
  const w4 = which === 'w4';
  const reductionConstants: Record<string, number> = reduction === 'max' ? (vec4 ? {} : { PAD_ZERO: 0 }) : { COUNT_INCLUDE_PAD: 0 };
  const indices = reduction === 'max' && withIndices;
  const { total, split, suffix } = forwardDomain(which, g, adaptiveSplit(g, channelsLast, 'out', indices ? { x: 'in', y: 'out', indices: 'out' } : { x: 'in', y: 'out' }));
  return {
    label: `adaptive${reduction === 'max' ? 'Max' : 'Avg'}Pool${g.rank}d.forward${suffix}`,
    code: vec4 ? CODE.forwardVec4[reduction] : w4 ? CODE.forwardW4[reduction] : CODE.forward[reduction],
    entryPoint: `main${w4 ? '_w4' : ''}${indices ? '_with_indices' : ''}`,
    constants: { WG: WORKGROUP_SIZE, CHANNELS_LAST: channelsLast ? 1 : 0, ...reductionConstants, ...(w4 && reduction === 'max' && uptoTaps ? { W4_UPTO_KW: g.kernel[g.rank - 1]! } : {}) },
    uniform: { struct: ND_PARAMS, values: ndParamsValues(g, total) },
    bindings: indices ? { x: 1, y: 2, indices: 3 } : { x: 1, y: 2 },
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    split,
  };
}

/** The most dx elements along the last axis one gather invocation writes (its run). */
export const GATHER_MAX_RUN = 32;

/**
 * Backward of any rank, gather only: one invocation per run of `run` dx elements along the last
 * axis (default: the whole row up to GATHER_MAX_RUN), deterministic, no clear (every dx element has
 * one writer). Slots dy (+ indices) → dx. `run` forces the run length (tests).
 */
export function adaptiveBackwardPlan(reduction: AdaptiveReduction, g: WindowGeometry, channelsLast: boolean, run = Math.min(g.inSize[g.rank - 1]!, GATHER_MAX_RUN)): KernelPlan {
  const max = reduction === 'max';
  const W = g.inSize[g.rank - 1]!;
  const runs = Math.ceil(W / run);
  const total = (g.N * g.C * count(g.inSize) * runs) / W;
  const split = adaptiveSplit(g, channelsLast, 'in', max ? { dy: 'out', indices: 'out', dx: 'in' } : { dy: 'out', dx: 'in' });
  return {
    label: `adaptive${max ? 'Max' : 'Avg'}Pool${g.rank}dBackward.gather`,
    code: CODE.gather[reduction],
    entryPoint: 'gather',
    constants: { WG: WORKGROUP_SIZE, CHANNELS_LAST: channelsLast ? 1 : 0, RUN: run },
    uniform: { struct: ND_PARAMS, values: ndParamsValues(g, total) },
    bindings: max ? { dy: 1, indices: 2, dx: 3 } : { dy: 1, dx: 3 },
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    // Domain indices are runs: a unit (a row of the split axis) holds unitSize / W · runs of them.
    split: { ...split, unitSize: (split.unitSize / W) * runs },
  };
}

/**
 * Backward by scatter: one invocation per dy element adding atomically into dx (cleared first: the
 * caller's clear step): max at its index when the index lies in the output's adaptive window,
 * average dy / window size into every element of the window. Not deterministic for the average
 * where windows overlap (float adds in arrival order); the max adds one term per element unless
 * two overlapping windows chose the same one. Slots dy (+ indices) → dx.
 */
export function adaptiveScatterPlan(reduction: AdaptiveReduction, g: WindowGeometry, channelsLast: boolean): KernelPlan {
  const max = reduction === 'max';
  const total = g.N * g.C * count(g.outSize);
  const groups: Record<string, SlotGroup> = max ? { dy: 'out', indices: 'out', dx: 'in' } : { dy: 'out', dx: 'in' };
  return {
    label: `adaptive${max ? 'Max' : 'Avg'}Pool${g.rank}dBackward.scatter`,
    code: CODE.scatter[reduction],
    entryPoint: 'scatter',
    constants: { WG: WORKGROUP_SIZE, CHANNELS_LAST: channelsLast ? 1 : 0, ...(max ? {} : { COUNT_INCLUDE_PAD: 0 }) },
    uniform: { struct: ND_PARAMS, values: ndParamsValues(g, total) },
    bindings: max ? { dy: 1, indices: 2, dx: 3 } : { dy: 1, dx: 3 },
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    split: adaptiveSplit(g, channelsLast, 'out', groups),
  };
}
