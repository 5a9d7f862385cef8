/**
 * The N-d windowed kernels (shaders/nd/): any spatial rank as three axes, both memory orders, every
 * option, composed from one file per job: the generated uniform, the layout (nd-layout.wgsl), the
 * window (window-regular.wgsl), the storage accessors (io-*.wgsl: element type and split offsets), a reduction (reduce-*.wgsl,
 * grad-*.wgsl) and a thread mapping (map-*.wgsl). They run every 3-D op, and the 1-D / 2-D cases
 * the plane kernels do not take (average pooling with dilation); data only, no device calls.
 */
import windowScanVec4Wgsl from '../../shaders/nd/window-scan-vec4.wgsl?raw';
import windowScanWgsl from '../../shaders/nd/window-scan.wgsl?raw';
import w4StoreIndicesWgsl from '../../shaders/nd/w4-store-indices.wgsl?raw';
import w4StoreWgsl from '../../shaders/nd/w4-store.wgsl?raw';
import gradAvgWgsl from '../../shaders/nd/grad-avg.wgsl?raw';
import gradMaxWgsl from '../../shaders/nd/grad-max.wgsl?raw';
import ioForwardF32Wgsl from '../../shaders/nd/io-forward-f32.wgsl?raw';
import ioForwardVec4F32Wgsl from '../../shaders/nd/io-forward-vec4-f32.wgsl?raw';
import ioGatherF32Wgsl from '../../shaders/nd/io-gather-f32.wgsl?raw';
import ioScatterF32Wgsl from '../../shaders/nd/io-scatter-f32.wgsl?raw';
import mapGatherCellsWgsl from '../../shaders/nd/map-gather-cells.wgsl?raw';
import mapGatherNearWgsl from '../../shaders/nd/map-gather-near.wgsl?raw';
import mapScatterAvgWgsl from '../../shaders/nd/map-scatter-avg.wgsl?raw';
import mapScatterMaxWgsl from '../../shaders/nd/map-scatter-max.wgsl?raw';
import mapWindowIndicesWgsl from '../../shaders/nd/map-window-indices.wgsl?raw';
import mapWindowVec4IndicesWgsl from '../../shaders/nd/map-window-vec4-indices.wgsl?raw';
import mapWindowVec4Wgsl from '../../shaders/nd/map-window-vec4.wgsl?raw';
import mapWindowW4IndicesWgsl from '../../shaders/nd/map-window-w4-indices.wgsl?raw';
import mapWindowW4Wgsl from '../../shaders/nd/map-window-w4.wgsl?raw';
import w4FullLaneWgsl from '../../shaders/nd/w4-full-lane.wgsl?raw';
import mapWindowWgsl from '../../shaders/nd/map-window.wgsl?raw';
import ndLayoutWgsl from '../../shaders/nd/nd-layout.wgsl?raw';
import reduceAvgVec4Wgsl from '../../shaders/nd/reduce-avg-vec4.wgsl?raw';
import reduceAvgWgsl from '../../shaders/nd/reduce-avg.wgsl?raw';
import reduceMaxVec4Wgsl from '../../shaders/nd/reduce-max-vec4.wgsl?raw';
import reduceMaxWgsl from '../../shaders/nd/reduce-max.wgsl?raw';
import windowRecordWgsl from '../../shaders/nd/window-record.wgsl?raw';
import windowRegularWgsl from '../../shaders/nd/window-regular.wgsl?raw';
import windowTapsWgsl from '../../shaders/window-taps.wgsl?raw';
import type { AvgWindow, MaxWindow, PoolGeometry, WindowGeometry } from '../types.js';
import { composeShader, workgroupsFor, type KernelPlan } from './kernel.js';
import { maxRuleConstants } from './max-rules.js';
import { ND_PARAMS, ndParamsSource, ndParamsValues } from './nd-params.js';
import { windowedSplit, type SlotGroup, type SplitSpec } from './split-spec.js';
import { forwardDomain, forwardMappingOf, forwardW4Fits, fullTapConstants, type ForwardMapping } from './forward-mapping.js';

const WORKGROUP_SIZE = 64;

export type NdReduction = 'max' | 'avg';
export type NdBackwardForm = 'gather' | 'scatter';

/**
 * An N-d kernel: the parts every one opens with (uniform, tap ranges, window record, layout), in the order their
 * declarations build on each other, then a window file (window-*.wgsl: which taps output o's
 * window has) and the kernel's storage, reduction and mapping files. Every N-d kernel, of every op,
 * is composed by this function.
 */
export function composeNdKernel(windowFile: string, ...parts: string[]): string {
  return composeShader(ndParamsSource, windowTapsWgsl, windowRecordWgsl, ndLayoutWgsl, windowFile, ...parts);
}

/**
 * What each kernel is made of: a storage file, the reduction's files and a mapping. Composition
 * happens here and nowhere else; each part's header says what it requires.
 */
const CODE = {
  forward: {
    max: composeNdKernel(windowRegularWgsl, ioForwardF32Wgsl, reduceMaxWgsl, windowScanWgsl, mapWindowWgsl, mapWindowIndicesWgsl),
    avg: composeNdKernel(windowRegularWgsl, ioForwardF32Wgsl, reduceAvgWgsl, windowScanWgsl, mapWindowWgsl),
  },
  forwardW4: {
    max: composeNdKernel(windowRegularWgsl, ioForwardF32Wgsl, reduceMaxWgsl, w4FullLaneWgsl, mapWindowW4Wgsl, w4StoreWgsl, mapWindowW4IndicesWgsl, w4StoreIndicesWgsl),
    avg: composeNdKernel(windowRegularWgsl, ioForwardF32Wgsl, reduceAvgWgsl, w4FullLaneWgsl, mapWindowW4Wgsl, w4StoreWgsl),
  },
  forwardVec4: {
    max: composeNdKernel(windowRegularWgsl, ioForwardVec4F32Wgsl, reduceMaxVec4Wgsl, windowScanVec4Wgsl, mapWindowVec4Wgsl, mapWindowVec4IndicesWgsl),
    avg: composeNdKernel(windowRegularWgsl, ioForwardVec4F32Wgsl, reduceAvgWgsl, reduceAvgVec4Wgsl, windowScanVec4Wgsl, mapWindowVec4Wgsl),
  },
  gather: {
    max: composeNdKernel(windowRegularWgsl, ioGatherF32Wgsl, gradMaxWgsl, mapGatherCellsWgsl, mapGatherNearWgsl),
    avg: composeNdKernel(windowRegularWgsl, ioGatherF32Wgsl, reduceAvgWgsl, gradAvgWgsl, mapGatherCellsWgsl, mapGatherNearWgsl),
  },
  scatter: {
    max: composeNdKernel(windowRegularWgsl, ioScatterF32Wgsl, mapScatterMaxWgsl),
    avg: composeNdKernel(windowRegularWgsl, ioScatterF32Wgsl, reduceAvgWgsl, gradAvgWgsl, mapScatterAvgWgsl),
  },
} as const;

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * The geometry the host splits an N-d dispatch by: rows along the first axis of the op's own rank
 * (D of a 3-D op, H of a 2-D one, the single row of a 1-D one), each holding the axes after it.
 */
export function ndSplitGeometry(g: WindowGeometry): PoolGeometry {
  // The row axis: the first spatial axis, or none (-1) for a 1-D op's single row.
  const rows = g.rank === 1 ? -1 : 0;
  const inner = (v: readonly number[]) => count(v.slice(rows + 1));
  const at = (v: readonly number[], fill: number) => (rows < 0 ? fill : v[rows]!);
  return {
    N: g.N,
    C: g.C,
    H: at(g.inSize, 1),
    W: inner(g.inSize),
    outH: at(g.outSize, 1),
    outW: inner(g.outSize),
    kH: at(g.kernel, 1),
    sH: at(g.stride, 1),
    dH: at(g.dilation, 1),
    padTop: at(g.padBegin, 0),
    padBottom: at(g.padEnd, 0),
    // Only the row axis shapes the split; the columns are whole rows.
    kW: 1,
    sW: 1,
    dW: 1,
    padLeft: 0,
    padRight: 0,
  };
}

function splitOf(g: WindowGeometry, channelsLast: boolean, domain: SlotGroup, groups: Record<string, SlotGroup>) {
  return windowedSplit(ndSplitGeometry(g), channelsLast ? 'NHWC' : 'NCHW', domain, WORKGROUP_SIZE, groups);
}

/**
 * The split of the stride-cell gather (map-gather-cells.wgsl): its domain is the outputs, a unit an
 * output row of the first spatial axis (ndSplitGeometry), which writes the input rows of its stride
 * cells (the last row also the rest of the axis) and reads the output rows reaching them,
 * [oh − ⌊(k−1)·d / s⌋, oh]. `groups` names each slot's side.
 */
export function cellGatherSplit(g: WindowGeometry, channelsLast: boolean, groups: Record<string, SlotGroup>): SplitSpec {
  const p = ndSplitGeometry(g);
  const rows = (rowsPerBlock: number, cols: number) => (channelsLast ? { blocks: p.N, rowsPerBlock, rowLength: cols * p.C } : { blocks: p.N * p.C, rowsPerBlock, rowLength: cols });
  const inRows = rows(p.H, p.W);
  const outRows = rows(p.outH, p.outW);
  const back = Math.floor((p.dH * (p.kH - 1)) / p.sH);
  const cell = (oh: number): [number, number] => {
    const b = oh * p.sH - p.padTop;
    const lo = Math.min(Math.max(b, 0), p.H);
    return [lo, Math.max(lo, oh === p.outH - 1 ? p.H : Math.min(b + p.sH, p.H))];
  };
  const reaching = (oh: number): [number, number] => [Math.max(oh - back, 0), oh + 1];
  const elements = (to: typeof inRows, reach: (oh: number) => [number, number], u0: number, u1: number): [number, number] => {
    const begin = Math.floor(u0 / outRows.rowsPerBlock) * to.rowsPerBlock + reach(u0 % outRows.rowsPerBlock)[0];
    const end = Math.floor((u1 - 1) / outRows.rowsPerBlock) * to.rowsPerBlock + reach((u1 - 1) % outRows.rowsPerBlock)[1];
    return [begin * to.rowLength, Math.max(begin, end) * to.rowLength];
  };
  return {
    units: outRows.blocks * outRows.rowsPerBlock,
    unitSize: outRows.rowLength,
    perWorkgroup: WORKGROUP_SIZE,
    unitName: `output row (${outRows.rowLength} elements)`,
    groups,
    range: (group, u0, u1) => (group === 'in' ? elements(inRows, cell, u0, u1) : elements(outRows, reaching, u0, u1)),
  };
}

/** The stride-cell gather's override: without dilation its modulo test is compiled out. */
export function gatherCellConstants(g: WindowGeometry): Record<string, number> {
  return { GATHER_DILATED: g.dilation.some((d) => d > 1) ? 1 : 0 };
}

/**
 * Four channels per invocation (docs/nd-selection.md): channels-last with C % 4 == 0, except max
 * pooling with zero padding (the scalar kernel visits the declared padding).
 */
export function ndForwardUsesVec4(reduction: NdReduction, g: MaxWindow | AvgWindow, channelsLast: boolean): boolean {
  return channelsLast && g.C % 4 === 0 && !(reduction === 'max' && (g as MaxWindow).padWithZero);
}

/**
 * The forward's thread mapping: 'vec4' (four channels of one output, ndForwardUsesVec4), 'w4' (four
 * outputs along the last axis of a channel-first row, map-window-w4.wgsl), 'scalar' (one output).
 */
export type NdForwardKernel = ForwardMapping;

/**
 * Where 'w4' applies: channel-first, real taps only (not max with zero padding), and rows of at
 * least 4 outputs with at least 3 of every 4 lanes busy.
 */
export function ndForwardW4Fits(reduction: NdReduction, g: MaxWindow | AvgWindow, channelsLast: boolean): boolean {
  return !(reduction === 'max' && (g as MaxWindow).padWithZero) && forwardW4Fits(g, channelsLast);
}

/** The rules' forward mapping (docs/nd-selection.md, "Forward mapping"). */
export function ndForwardKernel(reduction: NdReduction, g: MaxWindow | AvgWindow, channelsLast: boolean): NdForwardKernel {
  if (ndForwardUsesVec4(reduction, g, channelsLast)) return 'vec4';
  return ndForwardW4Fits(reduction, g, channelsLast) ? 'w4' : 'scalar';
}

/**
 * Forward max or average pooling of any rank: one invocation per output element, per four channels
 * or per four outputs of a row (NdForwardKernel); slots x → y (+ indices). `kernel` forces the
 * mapping (tests, measurements, tuning; `true` / `false` mean 'vec4' / 'scalar'). 'w4' runs its
 * full-row form and 'vec4' its full-window form where the windows allow (fullTapConstants:
 * straight-line taps, a max's padded taps clamped); `fullTaps: false` forces the clipped forms
 * (tests, measurements).
 */
export function ndForwardPlan(reduction: 'max', g: MaxWindow, channelsLast: boolean, withIndices: boolean, kernel?: NdForwardKernel | boolean, fullTaps?: boolean): KernelPlan;
export function ndForwardPlan(reduction: 'avg', g: AvgWindow, channelsLast: boolean, withIndices?: boolean, kernel?: NdForwardKernel | boolean, fullTaps?: boolean): KernelPlan;
export function ndForwardPlan(reduction: NdReduction, g: MaxWindow | AvgWindow, channelsLast: boolean, withIndices = false, kernel: NdForwardKernel | boolean = ndForwardKernel(reduction, g, channelsLast), fullTaps = true): KernelPlan {
  const which = forwardMappingOf(kernel);
  const vec4 = which === 'vec4';
  const w4 = which === 'w4';
  // The vec4 max kernel has no zero padding, so no PAD_ZERO constant.
  const max = g as MaxWindow;
  const maxConstants: Record<string, number> = vec4 ? maxRuleConstants(max) : { PAD_ZERO: max.padWithZero ? 1 : 0, ...maxRuleConstants(max) };
  const reductionConstants: Record<string, number> = reduction === 'max' ? maxConstants : { COUNT_INCLUDE_PAD: (g as AvgWindow).countIncludePad ? 1 : 0 };
  const { total, split, suffix } = forwardDomain(which, g, splitOf(g, channelsLast, 'out', withIndices ? { x: 'in', y: 'out', indices: 'out' } : { x: 'in', y: 'out' }));
  return {
    label: `${reduction}Pool${g.rank}d.nd.forward${suffix}`,
    code: vec4 ? CODE.forwardVec4[reduction] : w4 ? CODE.forwardW4[reduction] : CODE.forward[reduction],
    entryPoint: `main${w4 ? '_w4' : ''}${withIndices ? '_with_indices' : ''}`,
    constants: { WG: WORKGROUP_SIZE, CHANNELS_LAST: channelsLast ? 1 : 0, ...reductionConstants, ...(fullTaps ? fullTapConstants(which, g, reduction === 'max') : {}) },
    uniform: { struct: ND_PARAMS, values: ndParamsValues(g, total, reduction === 'avg' ? (g as AvgWindow).divisorOverride : 0) },
    bindings: withIndices ? { x: 1, y: 2, indices: 3 } : { x: 1, y: 2 },
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    split,
  };
}

/**
 * The gather's entry point: 'gather_near' (map-gather-near.wgsl) where no axis is dilated and
 * (k − 1) < 2·s on every axis, so at most two outputs per axis reach an element and their 8 shares
 * are loaded once per cell; else 'gather' (map-gather-cells.wgsl), which walks the reaching outputs
 * of each element. Both write the same bits.
 */
export type NdGatherKernel = 'gather' | 'gather_near';

export function ndGatherKernel(g: WindowGeometry): NdGatherKernel {
  const near = g.dilation.every((d) => d === 1) && g.kernel.every((k, a) => k - 1 < 2 * g.stride[a]!);
  return near ? 'gather_near' : 'gather';
}

/**
 * Backward of any rank: 'gather' one invocation per output, writing the dx elements of its stride
 * cell (deterministic, no clear; `gatherKernel` forces its entry point, for tests and
 * measurements), 'scatter' one per dy element adding atomically (dx cleared first: `zeroDx`).
 * Slots dy (+ indices) → dx.
 */
export function ndBackwardPlan(reduction: NdReduction, g: MaxWindow | AvgWindow, channelsLast: boolean, form: NdBackwardForm, gatherKernel: NdGatherKernel = ndGatherKernel(g)): { kernel: KernelPlan; zeroDx: boolean } {
  const total = g.N * g.C * count(g.outSize);
  const withIndices = reduction === 'max';
  const groups: Record<string, SlotGroup> = withIndices ? { dy: 'out', indices: 'out', dx: 'in' } : { dy: 'out', dx: 'in' };
  const avg = g as AvgWindow;
  const reductionConstants: Record<string, number> = reduction === 'avg' ? { COUNT_INCLUDE_PAD: avg.countIncludePad ? 1 : 0 } : {};
  const formConstants: Record<string, number> = form === 'gather' ? gatherCellConstants(g) : reduction === 'max' ? { DILATED: g.dilation.some((d) => d > 1) ? 1 : 0 } : {};
  return {
    kernel: {
      label: `${reduction}Pool${g.rank}dBackward.nd.${form === 'gather' ? gatherKernel : form}`,
      code: CODE[form][reduction],
      entryPoint: form === 'gather' ? gatherKernel : form,
      constants: { WG: WORKGROUP_SIZE, CHANNELS_LAST: channelsLast ? 1 : 0, ...reductionConstants, ...formConstants },
      uniform: { struct: ND_PARAMS, values: ndParamsValues(g, total, reduction === 'avg' ? avg.divisorOverride : 0) },
      bindings: withIndices ? { dy: 1, indices: 2, dx: 3 } : { dy: 1, dx: 3 },
      workgroups: workgroupsFor(total, WORKGROUP_SIZE),
      split: form === 'gather' ? cellGatherSplit(g, channelsLast, groups) : splitOf(g, channelsLast, 'out', groups),
    },
    zeroDx: form === 'scatter',
  };
}
