/**
 * Option resolution and validation for every op. Everything here runs before any GPU work, so a
 * bad call throws a PoolingError and leaves the context untouched.
 */
import { invalid, describeValue } from './errors.js';
import type {
  AvgPoolParams,
  AvgPool2dOptions,
  BackwardAlgorithm,
  MaxPool2dOptions,
  MaxPoolParams,
  Padding,
  Pair,
  PlaneShape,
  PoolGeometry,
  Pool2dOptions,
} from './types.js';

/** Index arithmetic in the kernels is 32-bit: a tensor may hold at most this many elements. */
export const MAX_ELEMENTS = 2 ** 31 - 1;
/** The largest value any size, stride, dilation or pad may take: the kernels compute positions in i32. */
export const MAX_INDEX = 2 ** 31 - 1;

const WINDOW_KEYS = ['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode'];
const MAX_KEYS = [...WINDOW_KEYS, 'padValue', 'returnIndices'];
const AVG_KEYS = ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'];
const BACKWARD_KEYS = ['inputShape', 'backward'];

function isPositiveInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
}

function isIntegerIn(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

export function checkKnownKeys(op: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) invalid(op, key, (options as Record<string, unknown>)[key], `unknown option; ${op} accepts ${allowed.join(', ')}`);
  }
}

export function checkOptionsObject(op: string, options: unknown, required: boolean): Record<string, unknown> {
  if (options === undefined && !required) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    invalid(op, 'options', options, 'must be an options object');
  }
  return options as Record<string, unknown>;
}

/** A logical [N, C, H, W] shape: four positive integers whose product fits 32-bit indexing. */
export function checkShape4(op: string, option: string, shape: unknown): [number, number, number, number] {
  if (!Array.isArray(shape) || shape.length !== 4) {
    invalid(op, option, shape, 'must be a rank-4 shape [N, C, H, W]');
  }
  // A plain loop: forEach and reduce skip the holes of a sparse array such as [1, , 2, 2].
  let count = 1;
  for (let i = 0; i < 4; i++) {
    const d: unknown = shape[i];
    if (!isPositiveInteger(d)) invalid(op, `${option}[${i}]`, d, 'every dimension must be an integer >= 1');
    count *= d;
  }
  if (count > MAX_ELEMENTS) invalid(op, option, shape, `element count ${count} exceeds ${MAX_ELEMENTS} (32-bit indexing)`);
  return [shape[0], shape[1], shape[2], shape[3]];
}

function pair(op: string, option: string, value: unknown, min: number): [number, number] {
  const v = Array.isArray(value) ? value : [value, value];
  if (v.length !== 2) invalid(op, option, value, 'must be a number or a pair [h, w]');
  for (const x of v) {
    if (!isIntegerIn(x, min, MAX_INDEX)) invalid(op, option, value, `every entry must be an integer >= ${min} and <= ${MAX_INDEX} (32-bit index arithmetic)`);
  }
  return [v[0] as number, v[1] as number];
}

function outputSize(inSize: number, padBegin: number, padEnd: number, effective: number, stride: number, ceilMode: boolean): number {
  const span = inSize + padBegin + padEnd - effective;
  if (span < 0) return 0;
  let out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  // PyTorch's rule: the last window must start inside the input or the begin padding.
  if (ceilMode && (out - 1) * stride >= inSize + padBegin) out -= 1;
  return out;
}

interface ResolvedPadding {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

function resolvePadding(
  op: string,
  padding: Padding | undefined,
  inH: number,
  inW: number,
  effH: number,
  effW: number,
  sH: number,
  sW: number,
): ResolvedPadding {
  if (padding === undefined || padding === 'valid') return { top: 0, left: 0, bottom: 0, right: 0 };
  if (padding === 'same') {
    // TF / ONNX SAME_UPPER: output = ceil(in / stride), the odd pixel of padding goes at the end.
    const total = (inSize: number, eff: number, s: number) => Math.max((Math.ceil(inSize / s) - 1) * s + eff - inSize, 0);
    const tH = total(inH, effH, sH);
    const tW = total(inW, effW, sW);
    return { top: Math.floor(tH / 2), left: Math.floor(tW / 2), bottom: tH - Math.floor(tH / 2), right: tW - Math.floor(tW / 2) };
  }
  const list = Array.isArray(padding) ? padding : [padding];
  if (typeof padding === 'string' || ![1, 2, 4].includes(list.length)) {
    invalid(op, 'padding', padding, "must be a number, [pH, pW], [top, left, bottom, right], 'valid' or 'same'");
  }
  for (const p of list) {
    if (!isIntegerIn(p, 0, MAX_INDEX)) invalid(op, 'padding', padding, `every pad must be an integer >= 0 and <= ${MAX_INDEX} (32-bit index arithmetic)`);
  }
  const [a, b, c, d] = list as number[];
  if (list.length === 1) return { top: a!, left: a!, bottom: a!, right: a! };
  if (list.length === 2) return { top: a!, left: b!, bottom: a!, right: b! };
  return { top: a!, left: b!, bottom: c!, right: d! };
}

/**
 * Every position a kernel computes along one axis (window starts, taps, the padded extent) lies in
 * [-pad, in + padEnd + effective + stride), so that span must fit i32. The error names the largest
 * term, the likeliest culprit.
 */
function checkIndexRange(op: string, o: Pool2dOptions, axis: string, size: number, padBegin: number, padEnd: number, eff: number, d: number, s: number): void {
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

function resolveGeometry(op: string, inputShape: readonly number[], o: Pool2dOptions, allowDilation: boolean): PoolGeometry {
  const [N, C, H, W] = checkShape4(op, 'input shape', inputShape);
  if (o.kernelSize === undefined) invalid(op, 'kernelSize', undefined, 'is required');
  const [kH, kW] = pair(op, 'kernelSize', o.kernelSize, 1);
  const [sH, sW] = o.stride === undefined ? [kH, kW] : pair(op, 'stride', o.stride as Pair, 1);
  const [dH, dW] = o.dilation === undefined ? [1, 1] : pair(op, 'dilation', o.dilation as Pair, 1);
  if (!allowDilation && (dH !== 1 || dW !== 1)) invalid(op, 'dilation', o.dilation, 'average pooling has no dilation (must be 1)');
  if (o.ceilMode !== undefined && typeof o.ceilMode !== 'boolean') invalid(op, 'ceilMode', o.ceilMode, 'must be a boolean');
  const ceilMode = o.ceilMode ?? false;
  const effH = dH * (kH - 1) + 1;
  const effW = dW * (kW - 1) + 1;
  const pad = resolvePadding(op, o.padding, H, W, effH, effW, sH, sW);
  for (const [side, p, eff] of [
    ['top', pad.top, effH],
    ['bottom', pad.bottom, effH],
    ['left', pad.left, effW],
    ['right', pad.right, effW],
  ] as const) {
    if (p >= eff) invalid(op, 'padding', o.padding, `the ${side} pad ${p} must be smaller than the effective kernel ${eff} (dilation*(kernel-1)+1)`);
  }
  checkIndexRange(op, o, 'H', H, pad.top, pad.bottom, effH, dH, sH);
  checkIndexRange(op, o, 'W', W, pad.left, pad.right, effW, dW, sW);
  const outH = outputSize(H, pad.top, pad.bottom, effH, sH, ceilMode);
  const outW = outputSize(W, pad.left, pad.right, effW, sW, ceilMode);
  if (outH < 1 || outW < 1) {
    invalid(op, 'kernelSize', o.kernelSize, `the output would be ${outH}x${outW} for input ${H}x${W}; every output dimension must be >= 1`);
  }
  const outCount = N * C * outH * outW;
  if (outCount > MAX_ELEMENTS) {
    invalid(op, 'padding', o.padding, `the output [${N}, ${C}, ${outH}, ${outW}] would hold ${outCount} elements, more than ${MAX_ELEMENTS} (32-bit indexing)`);
  }
  return { N, C, H, W, kH, kW, sH, sW, dH, dW, padTop: pad.top, padLeft: pad.left, padBottom: pad.bottom, padRight: pad.right, outH, outW };
}

export function resolveMaxPool(op: string, inputShape: readonly number[], options: unknown, extraKeys: readonly string[] = []): MaxPoolParams {
  const o = checkOptionsObject(op, options, true) as unknown as MaxPool2dOptions;
  checkKnownKeys(op, o, [...MAX_KEYS, ...extraKeys]);
  const geometry = resolveGeometry(op, inputShape, o, true);
  const padValue = o.padValue === undefined ? -Infinity : o.padValue;
  if (padValue !== -Infinity && !Object.is(padValue, 0)) invalid(op, 'padValue', o.padValue, 'must be -Infinity (PyTorch) or 0 (zero padding)');
  if (o.returnIndices !== undefined && typeof o.returnIndices !== 'boolean') invalid(op, 'returnIndices', o.returnIndices, 'must be a boolean');
  return { ...geometry, padWithZero: padValue === 0 };
}

export function resolveAvgPool(op: string, inputShape: readonly number[], options: unknown, extraKeys: readonly string[] = []): AvgPoolParams {
  const o = checkOptionsObject(op, options, true) as unknown as AvgPool2dOptions & { dilation?: Pair };
  checkKnownKeys(op, o, [...AVG_KEYS, 'dilation', ...extraKeys]);
  const geometry = resolveGeometry(op, inputShape, o, false);
  if (o.countIncludePad !== undefined && typeof o.countIncludePad !== 'boolean') invalid(op, 'countIncludePad', o.countIncludePad, 'must be a boolean');
  const d = o.divisorOverride;
  if (d !== undefined && !(isPositiveInteger(d) && d <= 2 ** 24)) invalid(op, 'divisorOverride', d, 'must be an integer in [1, 2^24]');
  return { ...geometry, countIncludePad: o.countIncludePad ?? true, divisorOverride: d ?? 0 };
}

export function resolveBackwardAlgorithm(op: string, value: unknown): BackwardAlgorithm {
  if (value === undefined) return 'auto';
  if (value !== 'auto' && value !== 'scatter' && value !== 'gather') invalid(op, 'backward', value, "must be 'auto', 'scatter' or 'gather'");
  return value;
}

export function requireInputShape(op: string, options: Record<string, unknown>): [number, number, number, number] {
  if (options.inputShape === undefined) invalid(op, 'inputShape', undefined, 'is required: the logical [N, C, H, W] of the forward input');
  return checkShape4(op, 'inputShape', options.inputShape);
}

export const backwardKeys = BACKWARD_KEYS;

export function planeShape(shape: readonly number[]): PlaneShape {
  return { N: shape[0]!, C: shape[1]!, H: shape[2]!, W: shape[3]! };
}

/** Checks that a tensor's logical shape equals the one an op expects. */
export function checkShapeEquals(op: string, option: string, got: readonly number[], want: readonly number[], why: string): void {
  if (got.length !== want.length || got.some((d, i) => d !== want[i])) {
    invalid(op, option, got, `shape must be ${describeValue([...want])} (${why})`);
  }
}
