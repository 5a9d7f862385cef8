/**
 * Adaptive max and average pooling of every spatial rank as op descriptors (docs/adaptive-pooling.md):
 * forward and backward, float32 and their float16 forms. The GPU plans are the adaptive N-d kernels
 * (src/kernels/adaptive-pool.ts); the CPU kernels src/cpu/adaptive.ts; the reference
 * src/reference/adaptive.ts. Parameters carry `g` (a WindowGeometry: N, C, inSize, outSize, with
 * kernel the largest window per axis, stride and dilation 1, no padding) and `layout`, so the CPU
 * backend slices large calls by planes (src/host/cpu-chunks.ts); never by rows.
 */
import { inputShapeOf, outputShape } from '../geometry.js';
import { adaptiveBackwardPlan, adaptiveForwardKernel, adaptiveForwardPlan, type AdaptiveForwardKernel, adaptiveScatterPlan, GATHER_MAX_RUN, type AdaptiveReduction } from '../kernels/adaptive-pool.js';
import { forwardW4Fits } from '../kernels/forward-mapping.js';
import { globalBackwardPlan } from '../kernels/global-backward.js';
import { windowClass } from '../tuning/key.js';
import { planesOf } from './global-pool.js';
import { isChannelsLast } from '../layouts.js';
import { adaptiveEnd, adaptiveStart } from '../reference/adaptive.js';
import { cpuRuntime } from '../cpu-runtime-loader.js';
import type { AdapterKind } from '../adapter-profile.js';
import type { BackwardAlgorithm, DType, SpatialRank, TensorLayout, WindowGeometry } from '../types.js';
import { backwardSteps, type DeviceProfile, type GpuChoice, type HostArray, type HostArrays, type OpDescriptor, type OpPlan, type OutputSpec } from './descriptor.js';
import { halfStorage } from './half-storage.js';
import { OPS } from './index.js';

/** The host kernels, in the CPU runtime's chunk (cpu-runtime.ts): loaded before any runs. */
const fast = () => cpuRuntime().adaptiveKernels;
const reference = () => cpuRuntime().adaptiveReference;

export interface AdaptiveForwardParams {
  readonly g: WindowGeometry;
  readonly layout: TensorLayout;
  /** Max pooling only: whether the indices are an output. */
  readonly withIndices: boolean;
}

export interface AdaptiveBackwardParams {
  readonly g: WindowGeometry;
  readonly layout: TensorLayout;
  /** The `backward` option: 'gather' keeps the scatter out (determinism), 'scatter' forces it. Absent: 'auto'. */
  readonly algorithm?: BackwardAlgorithm;
}

/** The largest window along an axis of input size I and output size O (a loop over the O windows). */
function largestWindow(I: number, O: number): number {
  let k = 0;
  for (let o = 0; o < O; o++) k = Math.max(k, adaptiveEnd(o, I, O) - adaptiveStart(o, I, O));
  return k;
}

/** The geometry of an adaptive call: per axis the sizes, the largest window, stride and dilation 1, no padding. */
export function adaptiveGeometry(rank: SpatialRank, N: number, C: number, inSize: readonly number[], outSize: readonly number[]): WindowGeometry {
  const ones = new Array<number>(rank).fill(1);
  const zeros = new Array<number>(rank).fill(0);
  return { rank, N, C, inSize: [...inSize], outSize: [...outSize], kernel: inSize.map((I, a) => largestWindow(I, outSize[a]!)), stride: ones, dilation: ones, padBegin: zeros, padEnd: zeros };
}

const f32 = (a: HostArrays, slot: string) => a[slot] as Float32Array;
const i32 = (a: HostArrays, slot: string) => a[slot] as Int32Array;

function forwardOutputs(p: AdaptiveForwardParams, withIndices: boolean): OutputSpec[] {
  const shape = outputShape(p.g);
  const y: OutputSpec = { slot: 'y', shape, layout: p.layout, dtype: 'float32' };
  return withIndices ? [y, { slot: 'indices', shape, layout: p.layout, dtype: 'int32' }] : [y];
}

/** The tuning class of an adaptive call: its window geometry and its output size. */
const adaptiveClass = (g: WindowGeometry) => `${windowClass(g)} out=${g.outSize.join('x')}`;

/**
 * Forward: channels-last with C % 4 == 0, four channels per invocation against one output per
 * invocation; channel-first rows that fit the W4 rule, four outputs of a row against one.
 */
function forwardChoice(reduction: AdaptiveReduction, p: AdaptiveForwardParams, device: DeviceProfile): GpuChoice | undefined {
  const channelsLast = isChannelsLast(p.layout);
  const mapping = adaptiveForwardKernel(p.g, channelsLast);
  // The other mapping that applies: vec4 against scalar, or W4 (also on 3-D rows) against scalar.
  const other: AdaptiveForwardKernel | undefined = mapping !== 'scalar' ? mapping : forwardW4Fits(p.g, channelsLast) ? 'w4' : undefined;
  const even = forwardWindowedForm(p.g);
  if (!other && !even) return undefined;
  const withIndices = reduction === 'max' && p.withIndices;
  const own = ([...(other ? [other] : []), 'scalar'] as const).map((kernel) => ({ name: kernel, plan: { steps: [{ kind: 'kernel' as const, plan: adaptiveForwardPlan(reduction, p.g, channelsLast, withIndices, kernel) }], scratch: [] } }));
  return {
    rule: even ? 'windowed' : mapping,
    alternatives: [...(even ? [{ name: 'windowed', plan: windowedForwardPlan(reduction, p, even, device) }] : []), ...own],
    layout: p.layout,
    dtype: 'float32',
    shapeClass: `${adaptiveClass(p.g)} indices=${withIndices ? 1 : 0}`,
  };
}

/**
 * The forward's windowed form (decision record "An even output's forward runs the windowed
 * kernels"): an even output (windowedForm) that is not a global one, through the windowed op's own
 * forward plan (k = s = I / O: the same taps in the same order, divisor and index rule), which has
 * the straight-line full-row and full-window forms.
 */
function forwardWindowedForm(g: WindowGeometry): WindowGeometry | undefined {
  return isGlobalOutput(g) ? undefined : windowedForm(g);
}

function windowedForwardPlan(reduction: AdaptiveReduction, p: AdaptiveForwardParams, w: WindowGeometry, device: DeviceProfile): OpPlan {
  const rank = p.g.rank;
  if (reduction === 'max') return OPS.maxPool[rank].gpu({ g: { ...w, padWithZero: false }, layout: p.layout, withIndices: p.withIndices }, device);
  return OPS.avgPool[rank].gpu({ g: { ...w, countIncludePad: false, divisorOverride: 0 }, layout: p.layout }, device);
}

/** The rules' forward plan: the windowed form for an even output, else the adaptive kernels. */
function forwardPlan(reduction: AdaptiveReduction, p: AdaptiveForwardParams, device: DeviceProfile): OpPlan {
  const even = forwardWindowedForm(p.g);
  if (even) return windowedForwardPlan(reduction, p, even, device);
  return { steps: [{ kind: 'kernel', plan: adaptiveForwardPlan(reduction, p.g, isChannelsLast(p.layout), reduction === 'max' && p.withIndices) }], scratch: [] };
}

/**
 * An output of one element per plane is global pooling: the same window (the whole plane), divisor
 * and index rule, so its backward may run the global kernel, one invocation per dx element with no
 * window arithmetic (docs/adaptive-pooling.md, "Backward").
 */
const isGlobalOutput = (g: WindowGeometry) => g.outSize.every((o) => o === 1);

function globalFormPlan(reduction: AdaptiveReduction, p: AdaptiveBackwardParams) {
  return globalBackwardPlan(reduction, planesOf(inputShapeOf(p.g)), isChannelsLast(p.layout) ? 'NHWC' : 'NCHW');
}

/** Rows up to this long let a global output's backward take the global kernel (decision record below). */
const GLOBAL_FORM_MAX_W = 8;

/** A max backward scatters when the input holds at least this many elements per output (decision record below). */
const SCATTER_MIN_RATIO = 4;

/**
 * The largest window (elements) an even output's backward hands to the windowed kernels: their
 * non-overlapping forms give one invocation a whole window (the cell form writes it, 0s included),
 * so a large window is a long serial loop over few invocations (a 5000×5000 plane would be one
 * invocation writing 25M elements: seconds, and a hardware GPU's watchdog). The measured windows
 * reach 14×14 = 196.
 */
const WINDOWED_MAX_WINDOW = 256;

/** The even output's windowed geometry, where its windows are small enough for the windowed kernels. */
function windowedForm(g: WindowGeometry): WindowGeometry | undefined {
  const w = evenWindow(g);
  return w && count(w.kernel) <= WINDOWED_MAX_WINDOW ? w : undefined;
}

/**
 * The rules' backward form (decision records: docs/adaptive-pooling.md, "A global output's backward
 * runs the global kernel", "An even output's backward runs the windowed kernels" and "A shrinking
 * max backward scatters"):
 *  - a global output with rows of at most GLOBAL_FORM_MAX_W: the global kernel, except on
 *    SwiftShader, where the windowed kernels measured 1.1-17x faster (its direct max scatter and
 *    vec4 average writes against one division-heavy invocation per element);
 *  - an even output (every axis I % O == 0) with windows of at most WINDOWED_MAX_WINDOW elements:
 *    the windowed kernels (k = s = I / O), 1.4-40x faster than the gather by runs, except 3-D
 *    averages (their N-d backward lost to the gather, 0.75x);
 *  - a max whose input has at least SCATTER_MIN_RATIO elements per output: the scatter (dx
 *    cleared, one atomic add per dy element), 2.2-15x faster than the gather where it shrinks that
 *    much, slower on llvmpipe where it shrinks less (1-D 1000 → 333: 2-5x slower);
 *  - anything else: the gather by runs.
 */
export function adaptiveBackwardForm(reduction: AdaptiveReduction, g: WindowGeometry, kind: AdapterKind, requested: BackwardAlgorithm = 'auto'): 'global' | 'windowed' | 'scatter' | 'gather' {
  if (requested === 'scatter') return 'scatter';
  const global = isGlobalOutput(g);
  if (global && g.inSize[g.rank - 1]! <= GLOBAL_FORM_MAX_W && kind !== 'swiftshader') return 'global';
  if (windowedForm(g) && (reduction === 'max' || g.rank < 3 || global)) return 'windowed';
  if (requested === 'auto' && reduction === 'max' && count(g.inSize) >= SCATTER_MIN_RATIO * count(g.outSize)) return 'scatter';
  return 'gather';
}

/**
 * The windowed op's geometry when every axis divides evenly (I % O == 0): then the adaptive windows
 * are a regular pooling's, kernel = stride = I / O, no padding, with the same taps, divisor (the
 * window's size) and index rule, so the windowed op's backward gives the same dx element for
 * element (docs/adaptive-pooling.md, decision record "An even output's backward runs the windowed
 * kernels"). Undefined when an axis does not divide.
 */
export function evenWindow(g: WindowGeometry): WindowGeometry | undefined {
  if (!g.inSize.every((I, a) => I % g.outSize[a]! === 0)) return undefined;
  const k = g.inSize.map((I, a) => I / g.outSize[a]!);
  return { ...g, kernel: k, stride: k };
}

/** The windowed op's backward plan (the rules' form for the adapter) over an even adaptive window. */
function windowedFormPlan(reduction: AdaptiveReduction, p: AdaptiveBackwardParams, w: WindowGeometry, device: DeviceProfile): OpPlan {
  const rank = p.g.rank;
  if (reduction === 'max') return OPS.maxPoolBackward[rank].gpu({ g: { ...w, padWithZero: false }, layout: p.layout, algorithm: 'auto' }, device);
  return OPS.avgPoolBackward[rank].gpu({ g: { ...w, countIncludePad: false, divisorOverride: 0 }, layout: p.layout, algorithm: 'auto' }, device);
}

const single = (plan: ReturnType<typeof adaptiveBackwardPlan>): OpPlan => ({ steps: [{ kind: 'kernel', plan }], scratch: [] });

/** The scatter: dx cleared, then one atomic add per dy element (max) or per window element (average). */
const scatterPlan = (reduction: AdaptiveReduction, p: AdaptiveBackwardParams): OpPlan => ({ steps: backwardSteps({ kernel: adaptiveScatterPlan(reduction, p.g, isChannelsLast(p.layout)), zeroDx: true }), scratch: [] });

/** The rules' backward plan (adaptiveBackwardForm). */
function backwardPlan(reduction: AdaptiveReduction, p: AdaptiveBackwardParams, device: DeviceProfile): OpPlan {
  const form = adaptiveBackwardForm(reduction, p.g, device.kind, p.algorithm);
  if (form === 'global') return single(globalFormPlan(reduction, p));
  if (form === 'windowed') return windowedFormPlan(reduction, p, windowedForm(p.g)!, device);
  if (form === 'scatter') return scatterPlan(reduction, p);
  return single(adaptiveBackwardPlan(reduction, p.g, isChannelsLast(p.layout)));
}

/**
 * Backward: the gather's run of dx elements per invocation (the rules' run, the row up to
 * GATHER_MAX_RUN, against shorter ones), the scatter, the windowed kernels for an even output with
 * small windows, and the global kernel for a global output.
 */
function backwardChoice(reduction: AdaptiveReduction, p: AdaptiveBackwardParams, device: DeviceProfile): GpuChoice | undefined {
  // An explicit `backward` is honoured as given, never tuned away.
  if ((p.algorithm ?? 'auto') !== 'auto') return undefined;
  const W = p.g.inSize[p.g.rank - 1]!;
  const longest = Math.min(W, GATHER_MAX_RUN);
  const runs = [...new Set([longest, Math.min(longest, 8), 1])];
  const even = windowedForm(p.g);
  const alternatives = [
    ...(isGlobalOutput(p.g) ? [{ name: 'global', plan: single(globalFormPlan(reduction, p)) }] : []),
    ...(even ? [{ name: 'windowed', plan: windowedFormPlan(reduction, p, even, device) }] : []),
    ...runs.map((run) => ({ name: `run${run}`, plan: single(adaptiveBackwardPlan(reduction, p.g, isChannelsLast(p.layout), run)) })),
    { name: 'scatter', plan: scatterPlan(reduction, p) },
  ];
  if (alternatives.length < 2) return undefined;
  return {
    rule: { global: 'global', windowed: 'windowed', scatter: 'scatter', gather: `run${longest}` }[adaptiveBackwardForm(reduction, p.g, device.kind)],
    alternatives,
    layout: p.layout,
    dtype: 'float32',
    shapeClass: adaptiveClass(p.g),
  };
}

const dxOutput = (p: AdaptiveBackwardParams): OutputSpec[] => [{ slot: 'dx', shape: inputShapeOf(p.g), layout: p.layout, dtype: 'float32' }];

export function adaptiveMaxPoolOp(rank: SpatialRank): OpDescriptor<AdaptiveForwardParams> {
  return {
    name: `adaptiveMaxPool${rank}d`,
    returns: 'output-indices',
    inputs: ['x'],
    outputs: (p) => forwardOutputs(p, p.withIndices),
    gpu: (p, device) => forwardPlan('max', p, device),
    gpuAlternatives: (p, device) => forwardChoice('max', p, device),
    cpu: (p, a): Record<string, HostArray> => {
      const r = fast().adaptiveMaxPool(f32(a, 'x'), isChannelsLast(p.layout), p.g);
      return p.withIndices ? { y: r.output, indices: r.indices } : { y: r.output };
    },
    reference: (p, a): Record<string, HostArray> => {
      const r = reference().adaptiveMaxPoolForward(f32(a, 'x'), isChannelsLast(p.layout), p.g);
      return p.withIndices ? { y: r.output, indices: r.indices } : { y: r.output };
    },
  };
}

export function adaptiveAvgPoolOp(rank: SpatialRank): OpDescriptor<AdaptiveForwardParams> {
  return {
    name: `adaptiveAvgPool${rank}d`,
    returns: 'tensor',
    inputs: ['x'],
    outputs: (p) => forwardOutputs(p, false),
    gpu: (p, device) => forwardPlan('avg', p, device),
    gpuAlternatives: (p, device) => forwardChoice('avg', p, device),
    cpu: (p, a) => ({ y: fast().adaptiveAvgPool(f32(a, 'x'), isChannelsLast(p.layout), p.g) }),
    reference: (p, a) => ({ y: reference().adaptiveAvgPoolForward(f32(a, 'x'), isChannelsLast(p.layout), p.g) }),
  };
}

export function adaptiveMaxPoolBackwardOp(rank: SpatialRank): OpDescriptor<AdaptiveBackwardParams> {
  return {
    name: `adaptiveMaxPool${rank}dBackward`,
    returns: 'tensor',
    inputs: ['dy', 'indices'],
    intInputs: ['indices'],
    outputs: dxOutput,
    gpu: (p, device) => backwardPlan('max', p, device),
    gpuAlternatives: (p, device) => backwardChoice('max', p, device),
    cpu: (p, a) => ({ dx: fast().adaptiveMaxPoolBackward(f32(a, 'dy'), i32(a, 'indices'), isChannelsLast(p.layout), p.g) }),
    reference: (p, a) => ({ dx: reference().adaptiveMaxPoolBackward(f32(a, 'dy'), i32(a, 'indices'), isChannelsLast(p.layout), p.g) }),
  };
}

export function adaptiveAvgPoolBackwardOp(rank: SpatialRank): OpDescriptor<AdaptiveBackwardParams> {
  return {
    name: `adaptiveAvgPool${rank}dBackward`,
    returns: 'tensor',
    inputs: ['dy'],
    outputs: dxOutput,
    gpu: (p, device) => backwardPlan('avg', p, device),
    gpuAlternatives: (p, device) => backwardChoice('avg', p, device),
    cpu: (p, a) => ({ dx: fast().adaptiveAvgPoolBackward(f32(a, 'dy'), isChannelsLast(p.layout), p.g) }),
    reference: (p, a) => ({ dx: reference().adaptiveAvgPoolBackward(f32(a, 'dy'), isChannelsLast(p.layout), p.g) }),
  };
}

const RANKS: readonly SpatialRank[] = [1, 2, 3];
const byRank = <T>(make: (rank: SpatialRank) => T): Readonly<Record<SpatialRank, T>> => Object.fromEntries(RANKS.map((r) => [r, make(r)])) as Record<SpatialRank, T>;
const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** The adaptive descriptors of every rank, float32, made once. */
export const ADAPTIVE_OPS = {
  maxPool: byRank(adaptiveMaxPoolOp),
  avgPool: byRank(adaptiveAvgPoolOp),
  maxPoolBackward: byRank(adaptiveMaxPoolBackwardOp),
  avgPoolBackward: byRank(adaptiveAvgPoolBackwardOp),
} as const;

const forwardCounts = (p: AdaptiveForwardParams) => ({ x: count(inputShapeOf(p.g)) });
const backwardCounts = (p: AdaptiveBackwardParams) => ({ dy: count(outputShape(p.g)) });
const half = <P>(ops: Readonly<Record<SpatialRank, OpDescriptor<P>>>, counts: (p: P) => Record<string, number>) => byRank((r) => halfStorage(ops[r], counts));

/** Their float16 forms (src/ops/half-storage.ts): packed-half storage, f32 arithmetic, indices int32. */
export const HALF_ADAPTIVE_OPS: typeof ADAPTIVE_OPS = {
  maxPool: half(ADAPTIVE_OPS.maxPool, forwardCounts),
  avgPool: half(ADAPTIVE_OPS.avgPool, forwardCounts),
  maxPoolBackward: half(ADAPTIVE_OPS.maxPoolBackward, backwardCounts),
  avgPoolBackward: half(ADAPTIVE_OPS.avgPoolBackward, backwardCounts),
};

/** The adaptive descriptors of a value dtype. */
export function adaptiveOpsFor(dtype: DType): typeof ADAPTIVE_OPS {
  return dtype === 'float16' ? HALF_ADAPTIVE_OPS : ADAPTIVE_OPS;
}
