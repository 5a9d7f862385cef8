/**
 * Adaptive pooling, the public side (docs/adaptive-pooling.md): `adaptiveAvgPool{1,2,3}d`,
 * `adaptiveMaxPool{1,2,3}d` and their backward ops, as PyTorch's AdaptiveAvgPoolNd /
 * AdaptiveMaxPoolNd. Every argument is checked here, and every option read once (own properties
 * only, checkOptionsObject), before the op's descriptor (src/ops/adaptive-pool.ts) reaches a backend.
 */
import type { MaxPoolResult, PoolingBackend } from '../backend.js';
import { describeValue, invalid } from '../errors.js';
import { AXIS_NAMES, MAX_ELEMENTS, MAX_INDEX } from '../geometry.js';
import { adaptiveGeometry, adaptiveOpsFor, type AdaptiveBackwardParams, type AdaptiveForwardParams } from '../ops/adaptive-pool.js';
import { INDEX_FORMAT_KEYS, resolveIndexLayout, windowIndexGeometry } from '../index-format.js';
import { checkKnownKeys, checkOptionsObject, checkShape, checkShapeEquals, resolveBackwardAlgorithm } from '../params.js';
import { formatIndices, withPlaneIndices } from './indices.js';
import type { Tensor } from '../tensor.js';
import { checkTensor } from '../tensor-checks.js';
import type { BackwardAlgorithm, DType, IndexFormatOptions, SpatialRank, WindowGeometry } from '../types.js';

/**
 * The output size of an adaptive op: one number for every spatial axis, or exactly one entry per
 * axis ([l], [h, w], [d, h, w]) where `null` keeps that axis's input size. Any integer >= 1, also
 * larger than the input (windows then repeat input elements).
 */
export type AdaptiveOutputSize = number | readonly (number | null)[];

/** Options of adaptiveAvgPool{1,2,3}d. */
export interface AdaptiveAvgPoolOptions {
  /** Required. Window o of an axis of input I and output O covers [floor(o·I/O), ceil((o+1)·I/O)). */
  outputSize: AdaptiveOutputSize;
}

/** Options of adaptiveMaxPool{1,2,3}d. */
export interface AdaptiveMaxPoolOptions extends IndexFormatOptions {
  /** Required; see AdaptiveAvgPoolOptions.outputSize. */
  outputSize: AdaptiveOutputSize;
  /** Also return the int32 indices: flat positions inside each (n, c) row, plane or volume. Default false. */
  returnIndices?: boolean;
}

/**
 * Options of the adaptive backward ops. `inputShape` (the logical shape of the forward input) is
 * required; the forward's options may be passed along: `outputSize`, when given, must give dy's
 * shape, and `returnIndices` (max only) must be a boolean. `backward`, as on the windowed ops:
 * 'auto' (the default) lets the library pick its kernel, which for a max whose input shrinks 4
 * times or more is an atomic scatter, not bit-reproducible where three or more overlapping windows
 * picked the same element; 'gather' is deterministic (PyTorch's CPU summation order); 'scatter'
 * forces the scatter (for the average too).
 */
export interface AdaptiveBackwardOptions extends IndexFormatOptions {
  inputShape: readonly number[];
  outputSize?: AdaptiveOutputSize;
  returnIndices?: boolean;
  backward?: BackwardAlgorithm;
}

/** The i32 products of the kernels: o·I + I and i·O + O per axis stay below 2^31 when (I + 1)·(O + 1) does. */
export const MAX_ADAPTIVE_PRODUCT = MAX_INDEX;

const FORM: Readonly<Record<SpatialRank, string>> = { 1: 'a number or [l]', 2: 'a number or [h, w]', 3: 'a number or [d, h, w]' };

const isSizeEntry = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_INDEX;

/** outputSize resolved against the input's spatial sizes, with every rule of docs/adaptive-pooling.md checked. */
function resolveOutputSize(op: string, rank: SpatialRank, inSize: readonly number[], value: unknown, N: number, C: number): number[] {
  if (value === undefined) invalid(op, 'outputSize', value, `is required: ${FORM[rank]}, null entries keeping the input size`);
  let out: number[];
  if (Array.isArray(value)) {
    const entries = Array.from(value as unknown[]);
    if (entries.length !== rank) invalid(op, 'outputSize', value, `must be ${FORM[rank]} (one entry per spatial axis, null keeps the input size)`);
    out = entries.map((v, a) => {
      if (v === null) return inSize[a]!;
      if (!isSizeEntry(v)) invalid(op, `outputSize[${a}]`, v, `every entry must be null or an integer >= 1 and <= ${MAX_INDEX}`);
      return v;
    });
  } else {
    if (!isSizeEntry(value)) invalid(op, 'outputSize', value, `must be ${FORM[rank]}: integers >= 1 and <= ${MAX_INDEX} (null entries keep the input size)`);
    out = new Array<number>(rank).fill(value);
  }
  checkRange(op, 'outputSize', value, inSize, out, rank, N, C);
  return out;
}

/** The 32-bit rules: per axis (in + 1)·(out + 1) <= 2^31 − 1, and the output holds at most 2^31 − 1 elements. */
function checkRange(op: string, option: string, value: unknown, inSize: readonly number[], out: readonly number[], rank: SpatialRank, N: number, C: number): void {
  out.forEach((O, a) => {
    const I = inSize[a]!;
    if ((I + 1) * (O + 1) > MAX_ADAPTIVE_PRODUCT) {
      invalid(op, option, value, `along axis ${AXIS_NAMES[rank][a]} (input ${I}, output ${O}), (input + 1)·(output + 1) must not exceed ${MAX_ADAPTIVE_PRODUCT} (32-bit window arithmetic)`);
    }
  });
  const count = out.reduce((p, o) => p * o, N * C);
  if (count > MAX_ELEMENTS) invalid(op, option, value, `the output [${[N, C, ...out].join(', ')}] would hold ${count} elements, more than ${MAX_ELEMENTS} (32-bit indexing)`);
}

function checkBoolean(op: string, name: string, v: unknown): boolean {
  if (v !== undefined && typeof v !== 'boolean') invalid(op, name, v, 'must be a boolean');
  return v === true;
}

/** The checked input tensor of a forward op: float32 or float16, rank + 2. */
function forwardInput(op: string, impl: PoolingBackend, x: unknown, rank: SpatialRank): Tensor {
  const input = checkTensor(op, 'x', x, impl, 'float');
  checkShape(op, 'x.shape', input.shape, [rank + 2]);
  return input;
}

function forwardParams(op: string, rank: SpatialRank, input: Tensor, o: Record<string, unknown>, withIndices: boolean): AdaptiveForwardParams {
  const [N, C, ...inSize] = input.shape as number[];
  const outSize = resolveOutputSize(op, rank, inSize, o.outputSize, N!, C!);
  return { g: adaptiveGeometry(rank, N!, C!, inSize, outSize), layout: input.layout, withIndices };
}

export async function adaptiveAvgPool(impl: PoolingBackend, rank: SpatialRank, x: unknown, options: unknown): Promise<Tensor> {
  const op = `adaptiveAvgPool${rank}d`;
  impl.checkUsable(op);
  const input = forwardInput(op, impl, x, rank);
  const o = checkOptionsObject(op, options, true);
  checkKnownKeys(op, o, ['outputSize']);
  const p = forwardParams(op, rank, input, o, false);
  return (await impl.run(adaptiveOpsFor(input.dtype as DType).avgPool[rank], p, { x: input })) as Tensor;
}

export async function adaptiveMaxPool(impl: PoolingBackend, rank: SpatialRank, x: unknown, options: unknown): Promise<MaxPoolResult> {
  const op = `adaptiveMaxPool${rank}d`;
  impl.checkUsable(op);
  const input = forwardInput(op, impl, x, rank);
  const o = checkOptionsObject(op, options, true);
  checkKnownKeys(op, o, ['outputSize', 'returnIndices', ...INDEX_FORMAT_KEYS]);
  const withIndices = checkBoolean(op, 'returnIndices', o.returnIndices);
  const p = forwardParams(op, rank, input, o, withIndices);
  const format = resolveIndexLayout(op, o, p.g.N, p.g.C, p.g.inSize);
  const r = (await impl.run(adaptiveOpsFor(input.dtype as DType).maxPool[rank], p, { x: input })) as MaxPoolResult;
  if (!r.indices) return r;
  return { output: r.output, indices: await formatIndices(impl, op, r.indices, windowIndexGeometry(p.g, p.layout), format) };
}

/**
 * The geometry of a backward op: inputShape (required, rank + 2); the output size from dy's shape,
 * which must be [N, C, ...] of inputShape and, where outputSize is given, its forward output.
 */
function backwardGeometry(op: string, rank: SpatialRank, o: Record<string, unknown>, dy: Tensor): WindowGeometry {
  if (o.inputShape === undefined) invalid(op, 'inputShape', undefined, `is required: the logical shape of the forward input (rank ${rank + 2})`);
  const inputShape = checkShape(op, 'inputShape', o.inputShape, [rank + 2]);
  const [N, C, ...inSize] = inputShape as [number, number, ...number[]];
  if (o.outputSize !== undefined) {
    const outSize = resolveOutputSize(op, rank, inSize, o.outputSize, N, C);
    checkShapeEquals(op, 'dy', dy.shape, [N, C, ...outSize], 'the forward output shape for inputShape and outputSize');
    return adaptiveGeometry(rank, N, C, inSize, outSize);
  }
  if (dy.shape.length !== rank + 2 || dy.shape[0] !== N || dy.shape[1] !== C) {
    invalid(op, 'dy', dy.shape, `shape must be [${N}, ${C}, ${AXIS_NAMES[rank].map((a) => `out${a}`).join(', ')}] (a forward output for inputShape ${describeValue([...inputShape])})`);
  }
  const outSize = dy.shape.slice(2);
  checkRange(op, 'dy', dy.shape, inSize, outSize, rank, N, C);
  return adaptiveGeometry(rank, N, C, inSize, outSize);
}

export async function adaptiveAvgPoolBackward(impl: PoolingBackend, rank: SpatialRank, dy: unknown, options: unknown): Promise<Tensor> {
  const op = `adaptiveAvgPool${rank}dBackward`;
  impl.checkUsable(op);
  const o = checkOptionsObject(op, options, true);
  checkKnownKeys(op, o, ['inputShape', 'outputSize', 'backward']);
  const algorithm = resolveBackwardAlgorithm(op, o.backward);
  const gy = checkTensor(op, 'dy', dy, impl, 'float');
  const p: AdaptiveBackwardParams = { g: backwardGeometry(op, rank, o, gy), layout: gy.layout, algorithm };
  return (await impl.run(adaptiveOpsFor(gy.dtype as DType).avgPoolBackward[rank], p, { dy: gy })) as Tensor;
}

export async function adaptiveMaxPoolBackward(impl: PoolingBackend, rank: SpatialRank, dy: unknown, indices: unknown, options: unknown): Promise<Tensor> {
  const op = `adaptiveMaxPool${rank}dBackward`;
  impl.checkUsable(op);
  const o = checkOptionsObject(op, options, true);
  checkKnownKeys(op, o, ['inputShape', 'outputSize', 'returnIndices', 'backward', ...INDEX_FORMAT_KEYS]);
  // Accepted so that the forward's options can be passed along; still checked.
  checkBoolean(op, 'returnIndices', o.returnIndices);
  const algorithm = resolveBackwardAlgorithm(op, o.backward);
  const gy = checkTensor(op, 'dy', dy, impl, 'float');
  const idx = checkTensor(op, 'indices', indices, impl, 'int32');
  const g = backwardGeometry(op, rank, o, gy);
  checkShapeEquals(op, 'indices', idx.shape, gy.shape, "dy's shape (the forward output)");
  if (idx.layout !== gy.layout) invalid(op, 'indices', idx.layout, `layout must match dy's (${gy.layout})`);
  const format = resolveIndexLayout(op, o, g.N, g.C, g.inSize);
  const p: AdaptiveBackwardParams = { g, layout: gy.layout, algorithm };
  const run = (plane: Tensor) => impl.run(adaptiveOpsFor(gy.dtype as DType).maxPoolBackward[rank], p, { dy: gy, indices: plane });
  return (await withPlaneIndices(impl, op, idx, windowIndexGeometry(g, gy.layout), format, run)) as Tensor;
}
