/**
 * Option resolution and validation for every op. Everything here runs before any GPU work, so a
 * bad call throws a PoolingError and leaves the context untouched.
 */
import { invalid, describeValue } from './errors.js';
import { isPositiveInteger, MAX_ELEMENTS, planeGeometry, resolveWindow } from './geometry.js';
import { LAYOUTS_BY_RANK } from './layouts.js';
import type { AvgPoolParams, AvgWindow, BackwardAlgorithm, MaxPoolParams, MaxWindow, SpatialRank } from './types.js';

export { MAX_ELEMENTS, MAX_INDEX } from './geometry.js';

const WINDOW_KEYS = ['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode', 'allowEmptyWindows'];
const MAX_KEYS = [...WINDOW_KEYS, 'padValue', 'returnIndices', 'nan', 'emptyValue'];
const AVG_KEYS = [...WINDOW_KEYS, 'countIncludePad', 'divisorOverride'];
const BACKWARD_KEYS = ['inputShape', 'backward'];

export function checkKnownKeys(op: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) invalid(op, key, (options as Record<string, unknown>)[key], `unknown option; ${op} accepts ${allowed.join(', ')}`);
  }
}

/**
 * The caller's options as a plain record of its own enumerable properties, each read exactly once:
 * a getter or a proxy cannot answer differently to the checks and to the kernels, and inherited
 * properties (a polluted Object.prototype) are never seen.
 */
export function checkOptionsObject(op: string, options: unknown, required: boolean): Record<string, unknown> {
  if (options === undefined && !required) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    invalid(op, 'options', options, 'must be an options object');
  }
  const own: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(options)) own[key] = snapshot((options as Record<string, unknown>)[key]);
  return own;
}

/**
 * A caller's value as it is now: an array (or a proxy of one) is copied entry by entry, each read
 * once, so an entry that answers differently on a second read cannot pass the checks and then run
 * with another value. Other values are kept as they are (numbers, strings, a GPUDevice).
 */
export function snapshot(value: unknown): unknown {
  return Array.isArray(value) ? Array.from(value as unknown[]) : value;
}

/** A logical shape of `rank` dimensions: positive integers whose product fits 32-bit indexing. */
export function checkShape(op: string, option: string, value: unknown, ranks: readonly number[]): number[] {
  // Every entry read once: what is checked is what is used.
  const shape = snapshot(value);
  if (!Array.isArray(shape) || !ranks.includes(shape.length)) {
    const names = ranks.map((r) => `rank-${r} shape ${LAYOUTS_BY_RANK[r]!.shapeName}`);
    invalid(op, option, shape, `must be a ${names.join(' or a ')}`);
  }
  // A plain loop: forEach and reduce skip the holes of a sparse array such as [1, , 2, 2].
  let count = 1;
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (!isPositiveInteger(d)) invalid(op, `${option}[${i}]`, d, 'every dimension must be an integer >= 1');
    count *= d;
  }
  if (count > MAX_ELEMENTS) invalid(op, option, shape, `element count ${count} exceeds ${MAX_ELEMENTS} (32-bit indexing)`);
  return shape as number[];
}

/** A logical [N, C, H, W] shape: four positive integers whose product fits 32-bit indexing. */
export function checkShape4(op: string, option: string, shape: unknown): [number, number, number, number] {
  return checkShape(op, option, shape, [4]) as [number, number, number, number];
}

function checkMaxOptions(op: string, o: Record<string, unknown>): { padWithZero: boolean; ignoreNan: boolean; emptyValue: number } {
  const padValue = o.padValue === undefined ? -Infinity : o.padValue;
  if (padValue !== -Infinity && !Object.is(padValue, 0)) invalid(op, 'padValue', o.padValue, 'must be -Infinity (PyTorch) or 0 (zero padding)');
  if (o.returnIndices !== undefined && typeof o.returnIndices !== 'boolean') invalid(op, 'returnIndices', o.returnIndices, 'must be a boolean');
  if (o.nan !== undefined && o.nan !== 'propagate' && o.nan !== 'ignore') invalid(op, 'nan', o.nan, "must be 'propagate' (PyTorch) or 'ignore' (TF.js)");
  const emptyValue = o.emptyValue === undefined ? -Infinity : o.emptyValue;
  if (typeof emptyValue !== 'number' || Number.isNaN(emptyValue)) invalid(op, 'emptyValue', o.emptyValue, 'must be a number (not NaN): the value of a max window with no candidate');
  // Stored as float32, the output's type.
  return { padWithZero: padValue === 0, ignoreNan: o.nan === 'ignore', emptyValue: Math.fround(emptyValue) };
}

function checkAvgOptions(op: string, o: Record<string, unknown>): { countIncludePad: boolean; divisorOverride: number } {
  if (o.countIncludePad !== undefined && typeof o.countIncludePad !== 'boolean') invalid(op, 'countIncludePad', o.countIncludePad, 'must be a boolean');
  const d = o.divisorOverride;
  if (d !== undefined && !(isPositiveInteger(d) && d <= 2 ** 24)) invalid(op, 'divisorOverride', d, 'must be an integer in [1, 2^24]');
  return { countIncludePad: o.countIncludePad !== false, divisorOverride: (d as number | undefined) ?? 0 };
}

/** The options of a max pool of spatial rank `rank` (read once: `o` comes from checkOptionsObject). */
export function resolveMaxWindow(op: string, rank: SpatialRank, inputShape: readonly number[], o: Record<string, unknown>, extraKeys: readonly string[] = []): MaxWindow {
  checkKnownKeys(op, o, [...MAX_KEYS, ...extraKeys]);
  const g = resolveWindow(op, rank, inputShape, o);
  const { padWithZero, ignoreNan, emptyValue } = checkMaxOptions(op, o);
  // ignoreNan and emptyValue only where asked for, so that PyTorch's windows keep their shape (and their plans).
  return { ...g, padWithZero, ...(ignoreNan ? { ignoreNan } : {}), ...(emptyValue !== -Infinity ? { emptyValue } : {}) };
}

/** The options of an average pool of spatial rank `rank`. */
export function resolveAvgWindow(op: string, rank: SpatialRank, inputShape: readonly number[], o: Record<string, unknown>, extraKeys: readonly string[] = []): AvgWindow {
  checkKnownKeys(op, o, [...AVG_KEYS, ...extraKeys]);
  const g = resolveWindow(op, rank, inputShape, o);
  return { ...g, ...checkAvgOptions(op, o) };
}

export function resolveMaxPool(op: string, inputShape: readonly number[], options: unknown, extraKeys: readonly string[] = []): MaxPoolParams {
  const o = checkOptionsObject(op, options, true);
  const w = resolveMaxWindow(op, 2, checkShape4(op, 'input shape', inputShape), o, extraKeys);
  return maxPlaneParams(w);
}

/** The plane (2-D kernel) parameters of a max window of rank 1 or 2, its NaN and empty-window rules included. */
export function maxPlaneParams(w: MaxWindow): MaxPoolParams {
  return { ...planeGeometry(w), padWithZero: w.padWithZero, ...(w.ignoreNan ? { ignoreNan: true } : {}), ...(w.emptyValue !== undefined ? { emptyValue: w.emptyValue } : {}) };
}

export function resolveAvgPool(op: string, inputShape: readonly number[], options: unknown, extraKeys: readonly string[] = []): AvgPoolParams {
  const o = checkOptionsObject(op, options, true);
  const w = resolveAvgWindow(op, 2, checkShape4(op, 'input shape', inputShape), o, extraKeys);
  return { ...planeGeometry(w), countIncludePad: w.countIncludePad, divisorOverride: w.divisorOverride };
}

export function resolveBackwardAlgorithm(op: string, value: unknown): BackwardAlgorithm {
  if (value === undefined) return 'auto';
  if (value !== 'auto' && value !== 'scatter' && value !== 'gather') invalid(op, 'backward', value, "must be 'auto', 'scatter' or 'gather'");
  return value;
}


export const backwardKeys = BACKWARD_KEYS;


/** Checks that a tensor's logical shape equals the one an op expects. */
export function checkShapeEquals(op: string, option: string, got: readonly number[], want: readonly number[], why: string): void {
  if (got.length !== want.length || got.some((d, i) => d !== want[i])) {
    invalid(op, option, got, `shape must be ${describeValue([...want])} (${why})`);
  }
}
