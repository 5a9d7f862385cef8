/**
 * Random configurations of every op for the fuzz harness (and the split and concurrency tests):
 * valid ones, with what the f64 CPU reference says they must give, and invalid ones, each broken in
 * one known way, that must be refused with a PoolingError. No vitest here: the harness also runs as
 * a plain script.
 *
 * Every op of the pooling family is drawn: windowed max and average pooling of spatial rank 1, 2
 * and 3 and their backward ops, global max and average (+ backward) of input rank 3, 4 and 5, in
 * both memory orders. Ops are drawn with weights (OP_WEIGHTS) so the 2-D ops keep their share; data
 * is drawn in several kinds (tie-heavy, NaN / ±Infinity / ±0, all -Infinity, constant); a share of
 * windows is drawn "holey" (large dilation over a small input, large padding) so that some windows
 * hold no real element.
 */
import { PoolingError, type Pooling, type Tensor } from '../../src/index.js';
import { narrowToHalves, widenHalves } from '../../src/half.js';
import { resolveAvgPool, resolveAvgWindow, resolveMaxPool, resolveMaxWindow } from '../../src/params.js';
import * as ref from '../../src/reference/index.js';
import type { Layout, SpatialRank, TensorLayout, WindowGeometry } from '../../src/types.js';
import { pick, randomInt, seededRandom } from '../helpers/random.js';

export type Rand = () => number;
export { seededRandom };
/** A logical shape, channel-first: [N, C, ...spatial] (or [N, C] for a global gradient). */
export type Shape = number[];

export const OPS = [
  'maxPool1d',
  'maxPool2d',
  'maxPool3d',
  'avgPool1d',
  'avgPool2d',
  'avgPool3d',
  'globalMaxPool',
  'globalAvgPool',
  'maxPool1dBackward',
  'maxPool2dBackward',
  'maxPool3dBackward',
  'avgPool1dBackward',
  'avgPool2dBackward',
  'avgPool3dBackward',
  'globalMaxPoolBackward',
  'globalAvgPoolBackward',
] as const;
export type OpName = (typeof OPS)[number];

/**
 * How often each op is drawn, relative to the others: the 2-D windowed ops most (they were half the
 * draws before the N-d ops came), then the global ops (whose input rank is drawn apart: 4 half the
 * time, 3 and 5 a quarter each), then the 1-D and 3-D ops.
 */
export const OP_WEIGHTS: Readonly<Record<OpName, number>> = {
  maxPool1d: 1.5,
  maxPool2d: 3,
  maxPool3d: 1.5,
  avgPool1d: 1.5,
  avgPool2d: 3,
  avgPool3d: 1.5,
  globalMaxPool: 2.5,
  globalAvgPool: 2.5,
  maxPool1dBackward: 1.5,
  maxPool2dBackward: 3,
  maxPool3dBackward: 1.5,
  avgPool1dBackward: 1.5,
  avgPool2dBackward: 3,
  avgPool3dBackward: 1.5,
  globalMaxPoolBackward: 2.5,
  globalAvgPoolBackward: 2.5,
};

const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** The layouts of each tensor rank: channel-first, then channels-last (rank 2 has one). */
const LAYOUTS: Readonly<Record<number, readonly TensorLayout[]>> = { 2: ['NC'], 3: ['NCL', 'NLC'], 4: ['NCHW', 'NHWC'], 5: ['NCDHW', 'NDHWC'] };
const channelsLast = (layout: TensorLayout) => layout === 'NLC' || layout === 'NHWC' || layout === 'NDHWC';
const layoutOf = (rank: number, last: boolean): TensorLayout => LAYOUTS[rank]![last && rank > 2 ? 1 : 0]!;
/** The memory order of a tensor seen as (n, c) planes of H·W positions (the 2-D and global references). */
const planeOrder = (layout: TensorLayout): Layout => (channelsLast(layout) ? 'NHWC' : 'NCHW');

export const isGlobal = (op: OpName) => op.startsWith('global');
export const isBackward = (op: OpName) => op.endsWith('Backward');
const isMaxOp = (op: OpName) => op.startsWith('max') || op.startsWith('globalMax');
/** Spatial rank of a windowed op (1, 2, 3); 0 for the global ops. */
export function spatialRank(op: OpName): 0 | SpatialRank {
  const m = /Pool([123])d/.exec(op);
  return m ? (Number(m[1]) as SpatialRank) : 0;
}
/** The forward op of a backward op (itself for a forward op). */
export const forwardOp = (op: OpName) => op.replace(/Backward$/, '') as OpName;

/** A valid configuration: the op, the input shape and layout, the options as the caller passes them. */
export interface ValidCase {
  op: OpName;
  /** Logical input shape (of the forward input, for backward ops). */
  shape: Shape;
  layout: TensorLayout;
  /** The window options (for backward ops, without inputShape and backward). */
  window: Record<string, unknown>;
  /** Options only some calls take (returnIndices, keepDims, backward, ...), passed as they are. */
  extra: Record<string, unknown>;
  x: Float32Array;
  /** dy for backward ops, of the forward output's shape. */
  dy: Float32Array | null;
  /**
   * Global backward ops: dy's layout. 'NC' gives dy the shape [N, C] (dx is then channel-first);
   * any other layout gives it keepDims' shape [N, C, 1, ...] in that layout, which dx keeps.
   * Default: keepDims' shape in the input's layout.
   */
  dyLayout?: TensorLayout;
  /** globalMaxPoolBackward: the indices in keepDims' shape (the input's layout) rather than [N, C]. */
  indicesKeepDims?: boolean;
  /** Max backward ops: indices uploaded as an int32 tensor (saved from an earlier run) instead of a forward on the target. */
  indices?: Int32Array;
  /** What was drawn, for the coverage counts (data kind, padding form, empty windows...). */
  tags?: string[];
  /**
   * 'float16': x (and dy) are uploaded as halves; x and dy here hold the halves' values, widened
   * exactly, and the results are compared with the reference rounded to halves once.
   */
  dtype?: 'float16';
  /** The main call's options (or x's data) passed in a hostile form that must give the same result (issue 13). */
  hostile?: HostileForm;
  /** 'array-proxy' / 'array-getter': the option whose array is hostile. */
  hostileKey?: string;
}

/** Share of valid cases whose values are float16. */
const FLOAT16_SHARE = 0.25;
/** Share of valid cases whose options (or data) come in a hostile form. */
const HOSTILE_SHARE = 0.2;
/**
 * 'getters': every option an accessor that counts its reads (each may be read at most once);
 * 'array-proxy' / 'array-getter': one of kernelSize, stride, padding an array (a proxy, or with
 * accessor entries) whose entries answer validly on the first read and invalidly after;
 * 'inherited': the options an object whose prototype carries more keys (which must be ignored);
 * 'lying-length': x's data a typed-array subclass whose `length` lies (its real length is right).
 */
export const HOSTILE_FORMS = ['getters', 'array-proxy', 'array-getter', 'inherited', 'lying-length'] as const;
export type HostileForm = (typeof HOSTILE_FORMS)[number];
const ARRAY_KEYS = ['kernelSize', 'stride', 'padding'];

/** Values rounded to the nearest halves, widened back exactly. */
const roundToHalves = (v: Float32Array) => widenHalves(narrowToHalves(v));

// ---------------------------------------------------------------------------------------------
// Data

export type DataKind = 'quantised' | 'ties' | 'specials' | 'negInf' | 'constant';
const SPECIALS = [NaN, Infinity, -Infinity, -0, 0];

/**
 * Values of one kind: 'quantised' (1/32 steps, now and then NaN, ±Infinity or -0), 'ties' (a few
 * values, ±0 among them), 'specials' (a fifth NaN, ±Infinity, ±0), 'negInf' (mostly -Infinity:
 * windows whose real elements are all -Infinity), 'constant' (one value everywhere, NaN included).
 */
function data(rand: Rand, n: number, kind: DataKind): Float32Array {
  const out = new Float32Array(n);
  const q = () => Math.round((rand() * 2 - 1) * 32) / 32;
  const few = pick(rand, [
    [0, -0],
    [-1, 0, 1],
    [0.5, -0, 0, -0.5, 1],
    [1, 1, 2],
  ]);
  const constant = pick(rand, [0, -0, 1, -2.5, -Infinity, Infinity, NaN]);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (kind === 'quantised') out[i] = r < 0.01 ? pick(rand, SPECIALS) : q();
    else if (kind === 'ties') out[i] = pick(rand, few);
    else if (kind === 'specials') out[i] = r < 0.2 ? pick(rand, SPECIALS) : q();
    else if (kind === 'negInf') out[i] = r < 0.8 ? -Infinity : r < 0.85 ? pick(rand, SPECIALS) : q();
    else out[i] = constant;
  }
  return out;
}

function drawDataKind(rand: Rand): DataKind {
  const r = rand();
  return r < 0.45 ? 'quantised' : r < 0.65 ? 'ties' : r < 0.8 ? 'specials' : r < 0.9 ? 'negInf' : 'constant';
}

// ---------------------------------------------------------------------------------------------
// Windows

/** The per-axis value as the caller may pass it: a number when every axis agrees (half the time), else an array. */
function perAxisForm(rand: Rand, v: number[]): number | number[] {
  return v.every((x) => x === v[0]) && rand() < 0.5 ? v[0]! : v;
}

/** Largest kernel and stride drawn per rank (3-D small, so the f64 reference stays quick). */
const KERNEL_MAX: Readonly<Record<SpatialRank, number>> = { 1: 7, 2: 5, 3: 4 };
const STRIDE_MAX: Readonly<Record<SpatialRank, number>> = { 1: 4, 2: 4, 3: 3 };

function windowedShape(rand: Rand, rank: SpatialRank, holey: boolean): Shape {
  const spatialMax = { 1: 40, 2: 12, 3: 7 }[rank];
  const N = randomInt(rand, 1, rank === 3 ? 2 : 3);
  const C = randomInt(rand, 1, rank === 3 ? 4 : 5);
  const spatial = Array.from({ length: rank }, () => (holey && rand() < 0.7 ? randomInt(rand, 1, 3) : randomInt(rand, 1, spatialMax)));
  return [N, C, ...spatial];
}

/**
 * Window options over `shape`: kernel, stride, dilation (max and average), every padding form
 * (number, per axis, begins then ends, 'same', 'same-lower', 'valid', none), ceil mode, pad value,
 * countIncludePad, divisorOverride. `holey` draws large dilations and pads, so some windows fall
 * between the input's elements or wholly in the padding. Null when the draw is invalid.
 */
function windowOptions(rand: Rand, op: OpName, rank: SpatialRank, shape: Shape, holey: boolean, tags: string[]): Record<string, unknown> | null {
  const isMax = op.startsWith('max');
  const axes = Array.from({ length: rank });
  const k = axes.map(() => (holey ? randomInt(rand, 2, 3) : randomInt(rand, 1, KERNEL_MAX[rank])));
  const o: Record<string, unknown> = { kernelSize: perAxisForm(rand, k) };
  if (rand() < 0.7) o.stride = perAxisForm(rand, axes.map(() => randomInt(rand, 1, STRIDE_MAX[rank])));
  const d = holey ? axes.map(() => randomInt(rand, 2, 4)) : rand() < (isMax ? 0.3 : 0.2) ? axes.map(() => randomInt(rand, 1, 3)) : axes.map(() => 1);
  if (d.some((v) => v > 1)) o.dilation = perAxisForm(rand, d);
  const e = k.map((kk, a) => d[a]! * (kk - 1) + 1);
  const pad = (a: number) => randomInt(rand, holey ? Math.floor((e[a]! - 1) / 2) : 0, e[a]! - 1);
  const kind = holey ? 0.2 + rand() * 0.35 : rand();
  if (kind < 0.1) o.padding = randomInt(rand, 0, Math.min(...e) - 1);
  else if (kind < 0.3) o.padding = axes.map((_, a) => pad(a));
  else if (kind < 0.55) o.padding = [...axes.map((_, a) => pad(a)), ...axes.map((_, a) => pad(a))];
  else if (kind < 0.65) o.padding = 'same';
  else if (kind < 0.75) o.padding = 'same-lower';
  else if (kind < 0.8) o.padding = 'valid';
  if (rand() < 0.35) o.ceilMode = true;
  if (isMax && rand() < 0.2) o.padValue = 0;
  if (!isMax && rand() < 0.4) o.countIncludePad = rand() < 0.5;
  if (!isMax && rand() < 0.15) o.divisorOverride = randomInt(rand, 1, 30);
  let g: WindowGeometry;
  try {
    g = isMax ? resolveMaxWindow(op, rank, shape, { ...o }) : resolveAvgWindow(op, rank, shape, { ...o });
  } catch {
    return null;
  }
  const padForm = typeof o.padding === 'string' ? o.padding : o.padding === undefined ? 'none' : typeof o.padding === 'number' ? 'number' : (o.padding as unknown[]).length === rank ? 'per-axis' : 'begins-ends';
  tags.push(`padding ${padForm}`);
  if (o.dilation !== undefined) tags.push('dilation');
  if (o.ceilMode) tags.push('ceilMode');
  if (hasEmptyWindow(g)) tags.push('empty window');
  return o;
}

/** True when some window of `g` holds no real element (along some axis, none of its taps is inside the input). */
function hasEmptyWindow(g: WindowGeometry): boolean {
  for (let a = 0; a < g.rank; a++) {
    for (let o = 0; o < g.outSize[a]!; o++) {
      let real = false;
      for (let t = 0; t < g.kernel[a]! && !real; t++) {
        const pos = o * g.stride[a]! - g.padBegin[a]! + t * g.dilation[a]!;
        real = pos >= 0 && pos < g.inSize[a]!;
      }
      if (!real) return true;
    }
  }
  return false;
}

function globalShape(rand: Rand, rank: number): Shape {
  // Planes sometimes large enough for the one- and two-pass reductions (> 256, > 4096 positions).
  const big = rand() < 0.25;
  const N = randomInt(rand, 1, big ? 2 : 3);
  const C = randomInt(rand, 1, big ? 2 : 5);
  if (rank === 3) return [N, C, big ? randomInt(rand, 200, 6400) : randomInt(rand, 1, 60)];
  if (rank === 4) return big ? [N, C, randomInt(rand, 10, 80), randomInt(rand, 10, 80)] : [N, C, randomInt(rand, 1, 12), randomInt(rand, 1, 12)];
  return big ? [N, C, randomInt(rand, 4, 20), randomInt(rand, 4, 20), randomInt(rand, 4, 20)] : [N, C, randomInt(rand, 1, 6), randomInt(rand, 1, 6), randomInt(rand, 1, 6)];
}

function drawOp(rand: Rand, ops: readonly OpName[]): OpName {
  const total = ops.reduce((s, op) => s + OP_WEIGHTS[op], 0);
  let r = rand() * total;
  for (const op of ops) {
    r -= OP_WEIGHTS[op];
    if (r < 0) return op;
  }
  return ops[ops.length - 1]!;
}

/** A random valid case of one of `ops` (default: every op, with OP_WEIGHTS). */
export function randomValidCase(rand: Rand, ops: readonly OpName[] = OPS): ValidCase {
  const op = drawOp(rand, ops);
  const rank = spatialRank(op);
  const tags: string[] = [];
  let shape: Shape;
  let window: Record<string, unknown> = {};
  if (rank === 0) {
    const r = rand();
    shape = globalShape(rand, r < 0.5 ? 4 : r < 0.75 ? 3 : 5);
  } else {
    // Draw shapes and windows for this op until one is valid (the op stays: its weight holds).
    const holey = rand() < 0.12;
    for (;;) {
      shape = windowedShape(rand, rank, holey);
      tags.length = 0;
      const w = windowOptions(rand, op, rank, shape, holey, tags);
      if (w) {
        window = w;
        break;
      }
    }
  }
  const layout = pick(rand, LAYOUTS[shape.length]!);
  const extra: Record<string, unknown> = {};
  const backward = isBackward(op);
  if (rank > 0) {
    if (!backward && op.startsWith('max') && rand() < 0.6) extra.returnIndices = true;
    if (backward && rand() < 0.8) extra.backward = pick(rand, ['auto', 'scatter', 'gather']);
    // The forward's options passed along to the backward call.
    if (backward && op.startsWith('max') && rand() < 0.2) extra.returnIndices = true;
  } else if (!backward) {
    if (rand() < 0.5) extra.keepDims = true;
    if (op === 'globalMaxPool' && rand() < 0.6) extra.returnIndices = true;
  }
  const kind = drawDataKind(rand);
  tags.push(`data ${kind}`);
  const half = rand() < FLOAT16_SHARE;
  const x = data(rand, count(shape), kind);
  if (half) {
    // Off the 1/32 grid, so that the rounding to halves (and of the results) is not a no-op.
    if (kind === 'quantised') for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]!)) x[i] = x[i]! + (rand() - 0.5) / 256;
    tags.push('dtype float16');
  }
  const c: ValidCase = { op, shape, layout, window, extra, x: half ? roundToHalves(x) : x, dy: null, tags };
  if (half) c.dtype = 'float16';
  if (backward) {
    if (rank === 0) {
      const form = rand();
      c.dyLayout = form < 0.4 ? 'NC' : layoutOf(shape.length, form < 0.7);
      if (rand() < 0.3) extra.keepDims = c.dyLayout !== 'NC';
      if (op === 'globalMaxPoolBackward') {
        c.indicesKeepDims = rand() < 0.5;
        if (rand() < 0.2) extra.returnIndices = true;
      }
      tags.push(`dy ${c.dyLayout === 'NC' ? '[N, C]' : 'keepDims'}`);
    }
    c.dy = data(rand, count(forwardShape(c)), rand() < 0.1 ? 'specials' : 'quantised');
    if (half) c.dy = roundToHalves(c.dy.map((v) => (Number.isFinite(v) ? v + (rand() - 0.5) / 256 : v)));
    if (isMaxOp(op) && rand() < 0.25) {
      c.indices = referenceIndices(c);
      tags.push('indices uploaded');
    }
  }
  if (typeof extra.backward === 'string') tags.push(`backward ${extra.backward}`);
  if (rand() < HOSTILE_SHARE) {
    const arrayKeys = ARRAY_KEYS.filter((k) => typeof c.window[k] === 'number' || Array.isArray(c.window[k]));
    const forms = HOSTILE_FORMS.filter((f) => (f !== 'array-proxy' && f !== 'array-getter') || arrayKeys.length > 0);
    c.hostile = pick(rand, forms);
    if (c.hostile === 'array-proxy' || c.hostile === 'array-getter') c.hostileKey = pick(rand, arrayKeys);
    tags.push(`hostile ${c.hostile}`);
  }
  return c;
}

/** Logical shape of the forward output: [N, C, ...out], or [N, C, 1, ...] (keepDims' shape) for the global ops. */
export function forwardShape(c: Pick<ValidCase, 'op' | 'shape' | 'window'>): Shape {
  const [N, C] = c.shape as [number, number];
  if (isGlobal(c.op)) return [N, C, ...c.shape.slice(2).map(() => 1)];
  return [N, C, ...windowOf(c).outSize];
}

/** The resolved window of a windowed case (the forward op's, whose geometry the backward shares). */
function windowOf(c: Pick<ValidCase, 'op' | 'shape' | 'window'>): WindowGeometry {
  const rank = spatialRank(c.op) as SpatialRank;
  const op = forwardOp(c.op);
  return op.startsWith('max') ? resolveMaxWindow(op, rank, c.shape, { ...c.window }) : resolveAvgWindow(op, rank, c.shape, { ...c.window });
}

export function describeCase(c: ValidCase): string {
  const more = [c.dtype ?? '', c.hostile ? `hostile ${c.hostile}${c.hostileKey ? ` ${c.hostileKey}` : ''}` : '', c.dyLayout ? `dy ${c.dyLayout}` : '', c.indicesKeepDims !== undefined ? `indices ${c.indicesKeepDims ? 'keepDims' : '[N, C]'}` : '', c.indices ? 'indices uploaded' : ''].filter(Boolean);
  return `${c.op} ${c.shape.join('x')} ${c.layout} ${JSON.stringify({ ...c.window, ...c.extra })}${more.length ? ` (${more.join(', ')})` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// The reference

/** What a case must give: named arrays, each compared exactly or within `terms` summed terms, with the tensor's shape and layout. */
export type Expected = { name: string; want: Float32Array | Int32Array; exact: boolean; terms: number; shape: readonly number[]; layout: TensorLayout; half?: boolean }[];

/** One tensor read back from a target. */
export interface ReadBack {
  data: Float32Array | Int32Array;
  shape: readonly number[];
  layout: string;
}

/** The (n, c) planes of a global op's input: H·W positions each (H the product of all spatial axes but the last). */
function planes(shape: Shape) {
  const spatial = shape.slice(2);
  return { N: shape[0]!, C: shape[1]!, H: count(spatial.slice(0, -1)), W: spatial[spatial.length - 1]! };
}

/** Summed terms that reach one input element in a backward op: ceil(effective kernel / stride) per axis. */
function coverage(g: WindowGeometry): number {
  return count(g.kernel.map((k, a) => Math.ceil((g.dilation[a]! * (k - 1) + 1) / g.stride[a]!)));
}

/** The reference max-pool forward of a windowed case: the 2-D reference for 2-D ops, the N-d one otherwise. */
function maxForward(c: ValidCase): { output: Float32Array; indices: Int32Array } {
  if (spatialRank(c.op) === 2) return ref.maxPool2dForward(c.x, planeOrder(c.layout), resolveMaxPool('maxPool2d', c.shape, c.window));
  return ref.maxPoolNdForward(c.x, channelsLast(c.layout), windowOf(c) as ReturnType<typeof resolveMaxWindow>);
}

function referenceIndices(c: ValidCase): Int32Array {
  return isGlobal(c.op) ? ref.globalMaxPool(c.x, planeOrder(c.layout), planes(c.shape)).indices : maxForward(c).indices;
}

/** dx's layout for a global backward case. */
function globalDxLayout(c: ValidCase): TensorLayout {
  const dyLayout = c.dyLayout ?? c.layout;
  return dyLayout === 'NC' ? layoutOf(c.shape.length, false) : dyLayout;
}

/**
 * What a case must give. A float16 case: the reference on the widened halves (c.x and c.dy hold
 * them), each value rounded to a half once (max values are halves already; indices stay as they are).
 */
export function expected(c: ValidCase): Expected {
  const e = expectedFloat32(c);
  if (c.dtype !== 'float16') return e;
  return e.map((w) => (w.want instanceof Float32Array ? { ...w, want: roundToHalves(w.want), half: true } : w));
}

function expectedFloat32(c: ValidCase): Expected {
  const L = c.layout;
  const rank = spatialRank(c.op);
  const dx = (want: Float32Array, exact: boolean, terms: number, layout: TensorLayout = L): Expected => [{ name: 'dx', want, exact, terms, shape: c.shape, layout }];
  if (rank > 0) {
    const g = windowOf(c);
    const out = forwardShape(c);
    switch (forwardOp(c.op)) {
      case 'maxPool1d':
      case 'maxPool2d':
      case 'maxPool3d': {
        const r = maxForward(c);
        if (isBackward(c.op)) {
          const dxWant = rank === 2 ? ref.maxPool2dBackward(c.dy!, r.indices, planeOrder(L), resolveMaxPool('maxPool2d', c.shape, c.window)) : ref.maxPoolNdBackward(c.dy!, r.indices, channelsLast(L), g);
          return dx(dxWant, false, coverage(g));
        }
        const e: Expected = [{ name: 'output', want: r.output, exact: true, terms: 1, shape: out, layout: L }];
        if (c.extra.returnIndices) e.push({ name: 'indices', want: r.indices, exact: true, terms: 1, shape: out, layout: L });
        return e;
      }
      default: {
        const aw = windowOf(c) as ReturnType<typeof resolveAvgWindow>;
        if (isBackward(c.op)) {
          const dxWant = rank === 2 ? ref.avgPool2dBackward(c.dy!, planeOrder(L), resolveAvgPool('avgPool2d', c.shape, c.window)) : ref.avgPoolNdBackward(c.dy!, channelsLast(L), aw);
          return dx(dxWant, false, coverage(g));
        }
        const want = rank === 2 ? ref.avgPool2dForward(c.x, planeOrder(L), resolveAvgPool('avgPool2d', c.shape, c.window)) : ref.avgPoolNdForward(c.x, channelsLast(L), aw);
        return [{ name: 'output', want, exact: false, terms: count(g.kernel), shape: out, layout: L }];
      }
    }
  }
  const s = planes(c.shape);
  const keep = c.extra.keepDims === true;
  const outShape = keep ? forwardShape(c) : c.shape.slice(0, 2);
  const outLayout = keep ? L : 'NC';
  switch (c.op) {
    case 'globalMaxPool': {
      const r = ref.globalMaxPool(c.x, planeOrder(L), s);
      const e: Expected = [{ name: 'output', want: r.output, exact: true, terms: 1, shape: outShape, layout: outLayout }];
      if (c.extra.returnIndices) e.push({ name: 'indices', want: r.indices, exact: true, terms: 1, shape: outShape, layout: outLayout });
      return e;
    }
    case 'globalAvgPool':
      return [{ name: 'output', want: ref.globalAvgPool(c.x, planeOrder(L), s), exact: false, terms: s.H * s.W, shape: outShape, layout: outLayout }];
    case 'globalMaxPoolBackward': {
      const indices = ref.globalMaxPool(c.x, planeOrder(L), s).indices;
      const layout = globalDxLayout(c);
      return dx(ref.globalMaxPoolBackward(c.dy!, indices, planeOrder(layout), s), true, 1, layout);
    }
    default: {
      const layout = globalDxLayout(c);
      return dx(ref.globalAvgPoolBackward(c.dy!, planeOrder(layout), s), false, 1, layout);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Running a case

type Forward = (x: Tensor, o: never) => Promise<{ output: Tensor; indices?: Tensor }>;
type AvgForward = (x: Tensor, o: never) => Promise<Tensor>;
type MaxBackward = (dy: Tensor, indices: Tensor, o: never) => Promise<Tensor>;
type AvgBackward = (dy: Tensor, o: never) => Promise<Tensor>;

/** The context's method for an op, by name (every op of OPS is a method of Pooling). */
function method<T>(pool: Pooling, op: OpName): T {
  const f = (pool as unknown as Record<string, unknown>)[op];
  if (typeof f !== 'function') throw new Error(`fuzz: the context has no op ${op}`);
  return (f as (...args: unknown[]) => unknown).bind(pool) as T;
}

/** What runCase gives: the tensors read back by name, and what a hostile form caught, if anything. */
export const HOSTILE_PROBLEM: unique symbol = Symbol('hostile problem');
export type RunResult = Record<string, ReadBack> & { [HOSTILE_PROBLEM]?: string };

// Values read as f32 (float16 widens exactly), indices as int32.
const readBack = async (t: Tensor): Promise<ReadBack> => ({ data: t.dtype === 'int32' ? ((await t.read()) as Int32Array) : await t.readFloat32(), shape: [...t.shape], layout: t.layout });

/**
 * A typed array of the same class as `source` (a subclass of it) holding `real` of its elements,
 * whose own `length` says `lie`: the library must read the real length, not this one.
 */
export function lyingArray(source: Float32Array | Uint16Array, real: number, lie: number): Float32Array | Uint16Array {
  const out = source instanceof Uint16Array ? new (class LyingUint16Array extends Uint16Array {})(real) : new (class LyingFloat32Array extends Float32Array {})(real);
  out.set(source.subarray(0, Math.min(real, source.length)) as never);
  Object.defineProperty(out, 'length', { get: () => lie, configurable: true });
  return out;
}

/** Uploads values of the case's dtype: float16 as half bits (the values are halves already, so exactly). */
function upload(pool: Pooling, c: ValidCase, values: Float32Array, shape: readonly number[], layout: TensorLayout, hostileData = false): Tensor {
  let data: Float32Array | Uint16Array = c.dtype === 'float16' ? narrowToHalves(values) : values;
  if (hostileData) data = lyingArray(data, data.length, data.length + 3);
  return c.dtype === 'float16' ? pool.tensor(data, shape, { layout, dtype: 'float16' }) : pool.tensor(data as Float32Array, shape, { layout });
}

/** The prototype of the 'inherited' form's options: keys that would change the result, or be refused, were they seen. */
const INHERITED: Readonly<Record<string, unknown>> = { kernelSize: 1, stride: 1, padding: 'same', dilation: 2, ceilMode: true, padValue: 0, countIncludePad: 'yes', divisorOverride: 3, returnIndices: true, keepDims: true, backward: 'scatter', inputShape: [1, 1, 1, 1], kernel_size: 2, axis: 1 };

/**
 * The main call's options in the case's hostile form, and a check to run once the call returned
 * (the reads that were too many, or null).
 */
function hostileOptions(c: ValidCase, opts: Record<string, unknown>): { options: object; check: () => string | null } {
  const none = { options: opts, check: () => null };
  if (c.hostile === 'getters') {
    const reads: Record<string, number> = {};
    const o = {};
    for (const [key, value] of Object.entries(opts)) {
      reads[key] = 0;
      Object.defineProperty(o, key, {
        enumerable: true,
        configurable: true,
        get: () => {
          reads[key]!++;
          return value;
        },
      });
    }
    return { options: o, check: () => Object.entries(reads).filter(([, n]) => n > 1).map(([key, n]) => `hostile getters: option ${key} read ${n} times`)[0] ?? null };
  }
  if (c.hostile === 'inherited') return { options: Object.assign(Object.create(INHERITED) as object, opts), check: () => null };
  if (c.hostile !== 'array-proxy' && c.hostile !== 'array-getter') return none;
  const key = c.hostileKey!;
  const rank = spatialRank(c.op);
  const v = opts[key];
  // A number is the same value on every axis (padding too: begins and ends alike).
  const values = typeof v === 'number' ? new Array<number>(rank).fill(v) : [...(v as number[])];
  const bad = key === 'padding' ? -1 : 0;
  const reads = values.map(() => 0);
  const entry = (i: number) => (reads[i]!++ === 0 ? values[i]! : bad);
  let array: unknown;
  if (c.hostile === 'array-proxy') {
    array = new Proxy([...values], {
      get: (target, prop, receiver) => (typeof prop === 'string' && /^\d+$/.test(prop) && Number(prop) < values.length ? entry(Number(prop)) : Reflect.get(target, prop, receiver)),
    });
  } else {
    const arr: number[] = [...values];
    for (let i = 0; i < values.length; i++) Object.defineProperty(arr, i, { enumerable: true, configurable: true, get: () => entry(i) });
    array = arr;
  }
  return { options: { ...opts, [key]: array }, check: () => null };
}

/** The indices a max backward case runs with: uploaded, or from the forward on the same context. */
async function backwardIndices(pool: Pooling, c: ValidCase, keep: <T extends Tensor | undefined>(t: T) => T): Promise<Tensor> {
  const global = isGlobal(c.op);
  const keepShape = global ? c.indicesKeepDims === true : true;
  if (c.indices) {
    const shape = keepShape ? forwardShape(c) : c.shape.slice(0, 2);
    return keep(pool.tensor(c.indices, shape, { layout: keepShape ? c.layout : 'NC', dtype: 'int32' }));
  }
  const x = keep(upload(pool, c, c.x, c.shape, c.layout));
  const fwd = global ? await pool.globalMaxPool(x, { returnIndices: true, keepDims: keepShape }) : await method<Forward>(pool, forwardOp(c.op))(x, { ...c.window, returnIndices: true } as never);
  keep(fwd.output);
  return keep(fwd.indices)!;
}

/** dy's tensor for a backward case. */
function dyTensor(pool: Pooling, c: ValidCase, hostileData: boolean): Tensor {
  if (isGlobal(c.op)) {
    const layout = c.dyLayout ?? c.layout;
    return upload(pool, c, c.dy!, layout === 'NC' ? c.shape.slice(0, 2) : forwardShape(c), layout, hostileData);
  }
  return upload(pool, c, c.dy!, forwardShape(c), c.layout, hostileData);
}

/** Runs a valid case on a context; returns its tensors by name. Every tensor it made is destroyed. */
export async function runCase(pool: Pooling, c: ValidCase): Promise<RunResult> {
  const made: Tensor[] = [];
  const keep = <T extends Tensor | undefined>(t: T): T => {
    if (t) made.push(t);
    return t;
  };
  const lying = c.hostile === 'lying-length';
  const backward = isBackward(c.op);
  const h = hostileOptions(c, backward ? { ...c.window, ...c.extra, inputShape: c.shape } : { ...c.window, ...c.extra });
  const opts = h.options as never;
  // Only the main call's options and tensor (x, or dy) are hostile.
  const call = async (run: () => Promise<RunResult>): Promise<RunResult> => {
    let r: RunResult;
    try {
      r = await run();
    } catch (e) {
      if (!c.hostile || (e instanceof PoolingError && /too large to split/.test(e.message))) throw e;
      return { [HOSTILE_PROBLEM]: `hostile ${c.hostile}: threw ${String(e)}` };
    }
    const problem = h.check();
    if (problem) r[HOSTILE_PROBLEM] = problem;
    return r;
  };
  try {
    if (!backward) {
      const x = keep(upload(pool, c, c.x, c.shape, c.layout, lying));
      if (c.op.startsWith('avg') || c.op === 'globalAvgPool') return await call(async () => ({ output: await readBack(keep(await method<AvgForward>(pool, c.op)(x, opts))) }));
      return await call(async () => {
        const r = await method<Forward>(pool, c.op)(x, opts);
        keep(r.output);
        keep(r.indices);
        const got: RunResult = { output: await readBack(r.output) };
        if (r.indices) got.indices = await readBack(r.indices);
        return got;
      });
    }
    if (isMaxOp(c.op)) {
      const indices = await backwardIndices(pool, c, keep);
      const dy = keep(dyTensor(pool, c, lying));
      return await call(async () => ({ dx: await readBack(keep(await method<MaxBackward>(pool, c.op)(dy, indices, opts))) }));
    }
    const dy = keep(dyTensor(pool, c, lying));
    return await call(async () => ({ dx: await readBack(keep(await method<AvgBackward>(pool, c.op)(dy, opts))) }));
  } finally {
    for (const t of made) t.destroy();
  }
}

/** The distance between adjacent halves at |v| (the subnormal step below 2^-14). */
function halfSpacing(v: number): number {
  const m = Math.abs(v);
  return m < 2 ** -14 ? 2 ** -24 : 2 ** (Math.floor(Math.log2(m)) - 10);
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** The first difference between results and what the reference expects, or null (SEMANTICS.md tolerances). */
export function compare(got: RunResult, want: Expected): string | null {
  if (got[HOSTILE_PROBLEM]) return got[HOSTILE_PROBLEM];
  for (const name of Object.keys(got)) if (!want.some((w) => w.name === name)) return `${name}: not expected`;
  for (const w of want) {
    const r = got[w.name];
    if (!r) return `${w.name}: missing`;
    if (!sameShape(r.shape, w.shape)) return `${w.name}: shape [${r.shape.join(', ')}], want [${w.shape.join(', ')}]`;
    if (r.layout !== w.layout) return `${w.name}: layout ${r.layout}, want ${w.layout}`;
    const g = r.data;
    if (g.constructor !== w.want.constructor) return `${w.name}: ${g.constructor.name}, want ${w.want.constructor.name}`;
    if (g.length !== w.want.length) return `${w.name}: length ${g.length}, want ${w.want.length}`;
    if (w.exact) {
      const gb = new Uint32Array(g.buffer, g.byteOffset, g.length);
      const wb = new Uint32Array(w.want.buffer, w.want.byteOffset, w.want.length);
      for (let i = 0; i < g.length; i++) if (gb[i] !== wb[i]) return `${w.name}[${i}] = ${show(g[i])}, want ${show(w.want[i])} (bit-exact)`;
    } else {
      // float16 sums: rtol 1e-3, atol 1e-3 (docs/semantics.md), or the float32 bound where that is larger.
      const atol = w.half ? Math.max(1e-3, 1e-5 * w.terms) : 1e-5 * Math.max(w.terms, 1);
      const rtol = w.half ? 1e-3 : 1e-5;
      for (let i = 0; i < g.length; i++) {
        const a = g[i]!;
        const b = w.want[i]!;
        const ok = Number.isNaN(b) ? Number.isNaN(a) : a === b || Math.abs(a - b) <= atol + rtol * Math.abs(b);
        if (!ok) return `${w.name}[${i}] = ${a}, want ${b} (atol ${atol}${w.half ? ', float16' : ''})`;
        // And within one half of the reference rounded once (plus the float32 sums' own error).
        if (w.half && !Number.isNaN(b) && a !== b && !(Math.abs(a - b) <= Math.max(halfSpacing(a), halfSpacing(b)) + 1e-5 * w.terms)) return `${w.name}[${i}] = ${a}, want ${b} (within one half, float16)`;
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Invalid calls

/** An invalid call: what breaks it, and the call itself (which must throw a PoolingError). */
export interface InvalidCase {
  what: string;
  call: (pool: Pooling, foreign: Pooling) => Promise<unknown>;
  /** The option the PoolingError must name, where the case knows it. */
  option?: string;
  /** What was drawn, for the coverage counts. */
  tag?: string;
}

/** Per-axis values no op of spatial rank `rank` takes: not integers >= 1, or arrays of the wrong length. */
function badPerAxis(rank: SpatialRank): unknown[] {
  const zeroIn = new Array<number>(rank).fill(2);
  zeroIn[rank - 1] = 0;
  return [NaN, Infinity, -Infinity, -1, 2.5, '2', null, true, {}, [], new Array<number>(rank + 1).fill(2), [2, NaN], zeroIn, 2 ** 31, 2 ** 40, Number.MAX_VALUE];
}

/** Paddings no op of spatial rank `rank` takes (an array length other than 1, rank and 2·rank among them). */
function badPadding(rank: SpatialRank): unknown[] {
  const badLength = [2, 3, 4, 5, 7].find((n) => n !== 1 && n !== rank && n !== 2 * rank)!;
  return [-1, 2.5, NaN, Infinity, '1', 'full', 'SAME', 'same_lower', null, {}, new Array<number>(badLength).fill(1), new Array<number>(2 * rank + 1).fill(0), [0, -1], 2 ** 31];
}

const BAD_BOOLEANS: unknown[] = ['yes', 1, 0, null, {}, NaN];

type TensorBreak = 'lyingData' | 'foreign' | 'destroyed' | 'dtype' | 'shape' | 'data' | 'layout' | 'layoutRank' | 'rank' | 'int32' | 'indicesLayout';
type Mutation = [string, () => { window?: Record<string, unknown>; extra?: Record<string, unknown>; tensor?: TensorBreak }];

/** A shape of another tensor rank (2-5) holding the same elements, and that rank's channel-first layout. */
function otherRank(shape: Shape, rank: number): Shape {
  const [N, C, ...spatial] = shape as [number, number, ...number[]];
  return rank === 2 ? [N, C] : [N, C, ...new Array<number>(rank - 3).fill(1), count(spatial)];
}

/**
 * Breaks a valid case in one way that is invalid whatever the rest of the case is: a bad value for
 * one option, an unknown option, a bad tensor argument, a shape or rank that does not match.
 */
export function randomInvalidCase(rand: Rand, ops: readonly OpName[] = OPS): InvalidCase {
  const c = randomValidCase(rand, ops);
  const rank = spatialRank(c.op);
  const windowed = rank > 0;
  const isMax = isMaxOp(c.op);
  const backward = isBackward(c.op);
  const mutations: Mutation[] = [];
  const setWindow = (key: string, value: unknown) => () => ({ window: { ...c.window, [key]: value } });
  const setExtra = (key: string, value: unknown) => () => ({ extra: { ...c.extra, [key]: value } });
  if (windowed) {
    for (const key of ['kernelSize', 'stride', 'dilation']) mutations.push([`${key} = 0`, setWindow(key, 0)], ...badPerAxis(rank as SpatialRank).map((v): Mutation => [`${key} = ${show(v)}`, setWindow(key, v)]));
    for (const v of badPadding(rank as SpatialRank)) mutations.push([`padding = ${show(v)}`, setWindow('padding', v)]);
    mutations.push(['padding not below the effective kernel', setWindow('padding', 64)]);
    mutations.push(['kernel larger than the padded input', () => ({ window: { ...c.window, kernelSize: 64, padding: 0 } })]);
    for (const v of BAD_BOOLEANS) mutations.push([`ceilMode = ${show(v)}`, setWindow('ceilMode', v)]);
    if (isMax) {
      for (const v of [1, NaN, '0', null, -1, Infinity]) mutations.push([`padValue = ${show(v)}`, setWindow('padValue', v)]);
      mutations.push(['countIncludePad on max pooling', setWindow('countIncludePad', true)]);
      mutations.push(['divisorOverride on max pooling', setWindow('divisorOverride', 2)]);
    } else {
      for (const v of [0, 2.5, 2 ** 25, NaN, '3', null]) mutations.push([`divisorOverride = ${show(v)}`, setWindow('divisorOverride', v)]);
      for (const v of BAD_BOOLEANS) mutations.push([`countIncludePad = ${show(v)}`, setWindow('countIncludePad', v)]);
      mutations.push(['padValue on average pooling', setWindow('padValue', 0)]);
      mutations.push(['returnIndices on average pooling', setExtra('returnIndices', true)]);
    }
    mutations.push(['unknown option', setWindow('kernel_size', 2)]);
    mutations.push(['keepDims on a windowed op', setExtra('keepDims', true)]);
  }
  if (backward) {
    if (windowed) for (const v of ['fast', 1, null, 'Gather']) mutations.push([`backward = ${show(v)}`, setExtra('backward', v)]);
    const wrongRanks = windowed ? [rank + 3] : [2, 6];
    const huge = [2 ** 20, 2 ** 20, ...c.shape.slice(2).map(() => 4)];
    const zeroLast = [...c.shape.slice(0, -1), 0];
    const nanMid = c.shape.map((d, i) => (i === 2 ? NaN : d));
    for (const v of [...wrongRanks.map((r) => new Array<number>(r).fill(2)), zeroLast, nanMid, 'shape', huge]) mutations.push([`inputShape = ${show(v)}`, setExtra('inputShape', v)]);
    mutations.push(['dy of the wrong shape', () => ({ tensor: 'shape' })]);
    mutations.push(['an int32 dy', () => ({ tensor: 'int32' })]);
    if (isMax) mutations.push(['float indices', () => ({ tensor: 'dtype' })]);
    if (isMax && windowed) mutations.push(["indices in the other layout than dy's", () => ({ tensor: 'indicesLayout' })]);
    if (!windowed) mutations.push(['unknown option', setExtra('axis', 1)]);
    if (c.op === 'globalAvgPoolBackward') mutations.push(['returnIndices on globalAvgPoolBackward', setExtra('returnIndices', true)]);
    if (!windowed) for (const v of BAD_BOOLEANS) mutations.push([`keepDims = ${show(v)}`, setExtra('keepDims', v)]);
  } else {
    if (isMax) for (const v of BAD_BOOLEANS) mutations.push([`returnIndices = ${show(v)}`, setExtra('returnIndices', v)]);
    if (!windowed) {
      for (const v of BAD_BOOLEANS) mutations.push([`keepDims = ${show(v)}`, setExtra('keepDims', v)]);
      mutations.push(['unknown option', setExtra('axis', 1)]);
      if (!isMax) mutations.push(['returnIndices on globalAvgPool', setExtra('returnIndices', true)]);
    }
    mutations.push(['an input of another rank', () => ({ tensor: 'rank' })]);
    mutations.push(['an int32 input', () => ({ tensor: 'int32' })]);
  }
  mutations.push(['a tensor of another context', () => ({ tensor: 'foreign' })]);
  mutations.push(['a destroyed tensor', () => ({ tensor: 'destroyed' })]);
  mutations.push(['data of the wrong length', () => ({ tensor: 'data' })]);
  mutations.push(["data of the wrong length in a typed-array subclass whose length says the shape's count", () => ({ tensor: 'lyingData' })]);
  mutations.push(['layout NCWH', () => ({ tensor: 'layout' })]);
  mutations.push(['a layout of another rank', () => ({ tensor: 'layoutRank' })]);
  const [what, mutate] = pick(rand, mutations);
  const m = mutate();
  const window = m.window ?? c.window;
  const extra = m.extra ?? c.extra;
  // Forward inputs of another rank: a windowed op takes none but rank + 2; a global op none but 3-5.
  const wrongRank = windowed ? pick(rand, [2, 3, 4, 5].filter((r) => r !== rank + 2)) : 2;
  // A layout of a rank other than that of the tensor it is given to.
  const u = rand();
  const layoutOfOtherRank = (tensorRank: number) => {
    const others = Object.entries(LAYOUTS).flatMap(([r, ls]) => (Number(r) === tensorRank ? [] : ls));
    return others[Math.floor(u * others.length)]!;
  };
  return {
    what: `${c.op} ${c.shape.join('x')} ${c.layout}: ${what}`,
    ...(m.tensor === 'lyingData' ? { option: 'data', tag: `lying length${c.dtype ? ` ${c.dtype}` : ''}` } : {}),
    call: async (pool, foreign) => {
      const made: Tensor[] = [];
      const keep = <T extends Tensor | undefined>(t: T): T => {
        if (t) made.push(t);
        return t;
      };
      try {
        // The tensor the case breaks: x for a forward op, dy for a backward op.
        const broken = (data: Float32Array, shape: Shape, layout: TensorLayout): Tensor => {
          const source = m.tensor === 'foreign' ? foreign : pool;
          if (m.tensor === 'lyingData') {
            const real = u < 0.5 ? data.length - 1 : data.length + 1;
            if (c.dtype === 'float16') return keep(pool.tensor(lyingArray(narrowToHalves(data), real, data.length), shape, { layout, dtype: 'float16' }));
            return keep(pool.tensor(lyingArray(data, real, data.length) as Float32Array, shape, { layout }));
          }
          if (m.tensor === 'int32') return keep(pool.tensor(new Int32Array(count(shape)), shape, { layout, dtype: 'int32' }));
          const t = keep(source.tensor(m.tensor === 'data' ? data.subarray(1) : data, shape, { layout: (m.tensor === 'layout' ? 'NCWH' : m.tensor === 'layoutRank' ? layoutOfOtherRank(shape.length) : layout) as TensorLayout }));
          if (m.tensor === 'destroyed') t.destroy();
          return t;
        };
        if (!backward) {
          const x =
            m.tensor === 'rank'
              ? keep(pool.tensor(new Float32Array(count(otherRank(c.shape, wrongRank))), otherRank(c.shape, wrongRank), { layout: layoutOf(wrongRank, false) }))
              : broken(c.x, c.shape, c.layout);
          return await method<(x: Tensor, o: never) => Promise<unknown>>(pool, c.op)(x, { ...window, ...extra } as never);
        }
        const inputShape = 'inputShape' in extra ? extra.inputShape : c.shape;
        const dyLayout = isGlobal(c.op) ? (c.dyLayout ?? c.layout) : c.layout;
        const goodShape = isGlobal(c.op) && dyLayout === 'NC' ? c.shape.slice(0, 2) : forwardShape(c);
        const dyShape = m.tensor === 'shape' ? goodShape.map((d, i) => (i === 1 ? d + 1 : d)) : goodShape;
        const dy = broken(new Float32Array(count(dyShape)), dyShape, dyLayout);
        const opts = { ...window, ...extra, inputShape } as never;
        if (!isMax) return await method<AvgBackward>(pool, c.op)(dy, opts);
        // The indices come from a real forward on the same context, unless the case breaks them.
        let indices: Tensor;
        if (m.tensor === 'dtype') indices = keep(pool.tensor(new Float32Array(count(goodShape)), goodShape, { layout: dyLayout }));
        else if (m.tensor === 'indicesLayout') indices = keep(pool.tensor(new Int32Array(count(goodShape)), goodShape, { layout: layoutOf(goodShape.length, !channelsLast(dyLayout)), dtype: 'int32' }));
        else indices = await backwardIndices(pool, { ...c, indices: undefined }, keep);
        return await method<MaxBackward>(pool, c.op)(dy, indices, opts);
      } finally {
        for (const t of made) if (!t.destroyed) t.destroy();
      }
    },
  };
}

function show(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (v === null || typeof v === 'boolean' || v === undefined) return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** True when `e` is the error an invalid call must throw. */
export function isPoolingError(e: unknown): e is PoolingError {
  return e instanceof PoolingError;
}
