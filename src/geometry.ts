/**
 * Per-axis window geometry for the windowed ops of every spatial rank (1, 2, 3): option parsing,
 * padding resolution, output sizes and the 32-bit range checks. 2-D is the case of two axes; the
 * 2-D parameter objects the older kernels take are made from it (`planeGeometry`).
 * Everything here runs before any GPU work, so a bad call throws a PoolingError and leaves the
 * context untouched.
 */
import { invalid } from './errors.js';
import type { PoolGeometry, SpatialRank, WindowGeometry } from './types.js';

/** Index arithmetic in the kernels is 32-bit: a tensor may hold at most this many elements. */
export const MAX_ELEMENTS = 2 ** 31 - 1;
/** The largest value any size, stride, dilation or pad may take: the kernels compute positions in i32. */
export const MAX_INDEX = 2 ** 31 - 1;

/** Axis names per rank, for error messages. */
export const AXIS_NAMES: Readonly<Record<SpatialRank, readonly string[]>> = { 1: ['L'], 2: ['H', 'W'], 3: ['D', 'H', 'W'] };

const PER_AXIS_FORM: Readonly<Record<SpatialRank, string>> = { 1: 'a number or [l]', 2: 'a number or a pair [h, w]', 3: 'a number or [d, h, w]' };
const PADDING_FORM: Readonly<Record<SpatialRank, string>> = {
  1: "a number, [p], [begin, end], 'valid', 'same' or 'same-lower'",
  2: "a number, [pH, pW], [top, left, bottom, right], 'valid', 'same' or 'same-lower'",
  3: "a number, [pD, pH, pW], [front, top, left, back, bottom, right], 'valid', 'same' or 'same-lower'",
};

export function isPositiveInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
}

function isIntegerIn(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/** One value per axis: a number for every axis, or an array of exactly `rank` entries. */
export function perAxis(op: string, option: string, value: unknown, rank: SpatialRank, min: number): number[] {
  const v: unknown[] = Array.isArray(value) ? Array.from(value) : [value];
  if (Array.isArray(value) ? v.length !== rank : false) invalid(op, option, value, `must be ${PER_AXIS_FORM[rank]} (one entry per spatial axis)`);
  for (const x of v) {
    if (!isIntegerIn(x, min, MAX_INDEX)) invalid(op, option, value, `every entry must be an integer >= ${min} and <= ${MAX_INDEX} (32-bit index arithmetic)`);
  }
  return Array.isArray(value) ? (v as number[]) : new Array<number>(rank).fill(value as number);
}

/**
 * Output size along one axis (docs/semantics.md): floor or ceil mode, with PyTorch's rule that the last
 * window must start inside the input or the begin padding. 0 when not even one window fits.
 */
export function outputLength(inSize: number, padBegin: number, padEnd: number, effective: number, stride: number, ceilMode: boolean, keepLastWindow = false): number {
  const span = inSize + padBegin + padEnd - effective;
  if (span < 0) return 0;
  let out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  // PyTorch's rule: a ceil-mode window that would start in the end padding is dropped.
  // `keepLastWindow` (allowEmptyWindows, TensorFlow's rule) keeps it.
  if (ceilMode && !keepLastWindow && (out - 1) * stride >= inSize + padBegin) out -= 1;
  return out;
}

/**
 * Whether some output's window holds no element of the input along some axis (so that window is
 * empty): possible with dilation, with allowEmptyWindows' pads and kept ceil-mode windows.
 */
export function hasEmptyWindows(g: WindowGeometry): boolean {
  for (let a = 0; a < g.rank; a++) {
    const [k, s, d, pb, size] = [g.kernel[a]!, g.stride[a]!, g.dilation[a]!, g.padBegin[a]!, g.inSize[a]!];
    for (let o = 0; o < g.outSize[a]!; o++) {
      const start = o * s - pb;
      // The first tap at or after position 0.
      const t = start >= 0 ? 0 : Math.ceil(-start / d);
      if (t >= k || start + t * d >= size) return true;
    }
  }
  return false;
}

/** 'same' padding of one axis: output ceil(in / stride); the odd pad goes at the end, or the begin for 'same-lower'. */
function samePadding(inSize: number, effective: number, stride: number, lower: boolean): [number, number] {
  const total = Math.max((Math.ceil(inSize / stride) - 1) * stride + effective - inSize, 0);
  const small = Math.floor(total / 2);
  return lower ? [total - small, small] : [small, total - small];
}

/** Begin and end pads per axis from any padding form. */
export function resolvePads(op: string, padding: unknown, rank: SpatialRank, inSize: readonly number[], effective: readonly number[], stride: readonly number[]): { begin: number[]; end: number[] } {
  if (padding === undefined || padding === 'valid') return { begin: new Array<number>(rank).fill(0), end: new Array<number>(rank).fill(0) };
  if (padding === 'same' || padding === 'same-lower') {
    const pads = inSize.map((size, a) => samePadding(size, effective[a]!, stride[a]!, padding === 'same-lower'));
    return { begin: pads.map((p) => p[0]), end: pads.map((p) => p[1]) };
  }
  const list: unknown[] = Array.isArray(padding) ? Array.from(padding) : [padding];
  if (typeof padding === 'string' || ![1, rank, 2 * rank].includes(list.length)) invalid(op, 'padding', padding, `must be ${PADDING_FORM[rank]}`);
  for (const p of list) {
    if (!isIntegerIn(p, 0, MAX_INDEX)) invalid(op, 'padding', padding, `every pad must be an integer >= 0 and <= ${MAX_INDEX} (32-bit index arithmetic)`);
  }
  const pads = list as number[];
  if (pads.length === 2 * rank) return { begin: pads.slice(0, rank), end: pads.slice(rank) };
  const sym = pads.length === 1 ? new Array<number>(rank).fill(pads[0]!) : pads;
  return { begin: [...sym], end: [...sym] };
}

const SIDE_NAMES: Readonly<Record<SpatialRank, readonly [string[], string[]]>> = {
  1: [['begin'], ['end']],
  2: [
    ['top', 'left'],
    ['bottom', 'right'],
  ],
  3: [
    ['front', 'top', 'left'],
    ['back', 'bottom', 'right'],
  ],
};

/**
 * Every position a kernel computes along one axis lies in [-pad, in + padEnd + effective + stride),
 * so that span must fit i32. The error names the largest term, the likeliest culprit.
 */
function checkIndexRange(op: string, o: Record<string, unknown>, axis: string, size: number, padBegin: number, padEnd: number, eff: number, d: number, s: number): void {
  const span = size + padBegin + padEnd + eff + s;
  if (span <= MAX_INDEX) return;
  const terms: [string, unknown, number][] = [
    ['padding', o.padding, padBegin + padEnd],
    [d > 1 ? 'dilation' : 'kernelSize', d > 1 ? o.dilation : o.kernelSize, eff],
    ['stride', o.stride, s],
    ['input shape', size, size],
  ];
  const [option, value] = terms.reduce((a, b) => (b[2] > a[2] ? b : a));
  invalid(op, option, value, `along ${axis}, input ${size} + padding ${padBegin}+${padEnd} + effective kernel ${eff} + stride ${s} = ${span} exceeds ${MAX_INDEX} (32-bit index arithmetic)`);
}

/**
 * The window of a windowed op of spatial rank `rank` over a logical input shape [N, C, ...spatial]
 * (already checked to be of rank + 2). `o` is the caller's options object, read once by the caller.
 */
export function resolveWindow(op: string, rank: SpatialRank, inputShape: readonly number[], o: Record<string, unknown>): WindowGeometry {
  const [N, C, ...inSize] = inputShape as number[];
  if (o.kernelSize === undefined) invalid(op, 'kernelSize', undefined, 'is required');
  const kernel = perAxis(op, 'kernelSize', o.kernelSize, rank, 1);
  const stride = o.stride === undefined ? [...kernel] : perAxis(op, 'stride', o.stride, rank, 1);
  const dilation = o.dilation === undefined ? new Array<number>(rank).fill(1) : perAxis(op, 'dilation', o.dilation, rank, 1);
  if (o.ceilMode !== undefined && typeof o.ceilMode !== 'boolean') invalid(op, 'ceilMode', o.ceilMode, 'must be a boolean');
  const ceilMode = o.ceilMode === true;
  if (o.allowEmptyWindows !== undefined && typeof o.allowEmptyWindows !== 'boolean') invalid(op, 'allowEmptyWindows', o.allowEmptyWindows, 'must be a boolean');
  // TensorFlow's window rule (docs/semantics.md, "Empty windows"): pads of any size, and ceil mode
  // keeps a last window that starts in the end padding; windows without an element are allowed.
  const allowEmpty = o.allowEmptyWindows === true;
  const effective = kernel.map((k, a) => dilation[a]! * (k - 1) + 1);
  const { begin, end } = resolvePads(op, o.padding, rank, inSize, effective, stride);
  const [beginNames, endNames] = SIDE_NAMES[rank];
  for (let a = 0; a < rank && !allowEmpty; a++) {
    for (const [side, p] of [
      [beginNames[a]!, begin[a]!],
      [endNames[a]!, end[a]!],
    ] as const) {
      if (p >= effective[a]!) invalid(op, 'padding', o.padding, `the ${side} pad ${p} must be smaller than the effective kernel ${effective[a]} (dilation*(kernel-1)+1)`);
    }
  }
  const axes = AXIS_NAMES[rank];
  for (let a = 0; a < rank; a++) checkIndexRange(op, o, axes[a]!, inSize[a]!, begin[a]!, end[a]!, effective[a]!, dilation[a]!, stride[a]!);
  const outSize = inSize.map((size, a) => outputLength(size, begin[a]!, end[a]!, effective[a]!, stride[a]!, ceilMode, allowEmpty));
  if (outSize.some((s) => s < 1)) {
    invalid(op, 'kernelSize', o.kernelSize, `the output would be ${outSize.join('x')} for input ${inSize.join('x')}; every output dimension must be >= 1`);
  }
  const outCount = outSize.reduce((a, b) => a * b, N! * C!);
  if (outCount > MAX_ELEMENTS) {
    invalid(op, 'padding', o.padding, `the output [${[N, C, ...outSize].join(', ')}] would hold ${outCount} elements, more than ${MAX_ELEMENTS} (32-bit indexing)`);
  }
  return { rank, N: N!, C: C!, inSize, outSize, kernel, stride, dilation, padBegin: begin, padEnd: end };
}

/**
 * The 2-D parameters of a window of rank 1 or 2, for the plane kernels: a 1-D window is a plane
 * of one row (H = 1, a 1-tap window of stride 1 along it), so every 2-D kernel runs it unchanged
 * and its in-plane indices h·W + w are the 1-D positions.
 */
export function planeGeometry(g: WindowGeometry): PoolGeometry {
  if (g.rank === 3) throw new Error('planeGeometry: a 3-D window has no plane form');
  const a = g.rank === 1 ? (v: readonly number[], lead: number) => [lead, v[0]!] : (v: readonly number[]) => [v[0]!, v[1]!];
  const [H, W] = a(g.inSize, 1);
  const [outH, outW] = a(g.outSize, 1);
  const [kH, kW] = a(g.kernel, 1);
  const [sH, sW] = a(g.stride, 1);
  const [dH, dW] = a(g.dilation, 1);
  const [padTop, padLeft] = a(g.padBegin, 0);
  const [padBottom, padRight] = a(g.padEnd, 0);
  return { N: g.N, C: g.C, H: H!, W: W!, kH: kH!, kW: kW!, sH: sH!, sW: sW!, dH: dH!, dW: dW!, padTop: padTop!, padLeft: padLeft!, padBottom: padBottom!, padRight: padRight!, outH: outH!, outW: outW! };
}

/** A window of any rank as three axes (D, H, W), leading axes of size 1 with a 1-tap window: what the N-d kernels take. */
export function volumeGeometry(g: WindowGeometry): WindowGeometry {
  if (g.rank === 3) return g;
  const lead = 3 - g.rank;
  const pad = (v: readonly number[], fill: number) => [...new Array<number>(lead).fill(fill), ...v];
  return {
    rank: 3,
    N: g.N,
    C: g.C,
    inSize: pad(g.inSize, 1),
    outSize: pad(g.outSize, 1),
    kernel: pad(g.kernel, 1),
    stride: pad(g.stride, 1),
    dilation: pad(g.dilation, 1),
    padBegin: pad(g.padBegin, 0),
    padEnd: pad(g.padEnd, 0),
  };
}

/** Logical [N, C, ...out] of a window's output. */
export function outputShape(g: WindowGeometry): number[] {
  return [g.N, g.C, ...g.outSize];
}

/** Logical [N, C, ...in] of a window's input. */
export function inputShapeOf(g: WindowGeometry): number[] {
  return [g.N, g.C, ...g.inSize];
}
