/**
 * Fractional max pooling, the public side (docs/unpool-fractional.md): `fractionalMaxPool{2,3}d`
 * and their backward ops, as PyTorch's FractionalMaxPool2d/3d. Every argument is checked and every
 * option read once (own properties only) before anything is uploaded; the window start table is
 * then made on the host (float32 arithmetic, src/ops/fractional-pool.ts), uploaded as an internal
 * int32 tensor, and destroyed after the run, whether it succeeds or fails.
 */
import type { MaxPoolResult, PoolingBackend } from '../backend.js';
import { invalid } from '../errors.js';
import { AXIS_NAMES, MAX_ELEMENTS, perAxis } from '../geometry.js';
import type { FractionalShape } from '../kernels/fractional-pool.js';
import { isChannelsLast } from '../layouts.js';
import { fractionalOps, seededSamples, windowStartTable, type FractionalRank } from '../ops/fractional-pool.js';
import { INDEX_FORMAT_KEYS, resolveIndexLayout, windowIndexGeometry } from '../index-format.js';
import { checkKnownKeys, checkOptionsObject, checkShape, checkShapeEquals } from '../params.js';
import { formatIndices, withPlaneIndices } from './indices.js';
import type { Tensor } from '../tensor.js';
import { checkTensor } from '../tensor-checks.js';
import type { DType, IndexFormatOptions, PerAxis } from '../types.js';

/** Options of fractionalMaxPool{2,3}d (PyTorch's FractionalMaxPool2d/3d). */
export interface FractionalMaxPoolOptions extends IndexFormatOptions {
  /** Required: the window, a number or one entry per spatial axis ([kH, kW] / [kD, kH, kW]). */
  kernelSize: PerAxis;
  /** The output's spatial size, a number or one entry per axis. Exactly one of outputSize and outputRatio. */
  outputSize?: PerAxis;
  /** out = floor(in · r) per axis; r finite and > 0, a number or one entry per axis. */
  outputRatio?: number | readonly number[];
  /** Also return the int32 indices (flat positions in each (n, c) plane or volume). Default false. */
  returnIndices?: boolean;
  /**
   * N·C·rank values u in [0, 1) (as float32), in PyTorch's `_random_samples` order: per (n, c)
   * plane, [w, h] for 2-D and [d, h, w] for 3-D. Default: drawn from `seed`, else Math.random().
   */
  samples?: readonly number[] | Float32Array;
  /** A 32-bit unsigned integer for the library's own generator (mulberry32, 24-bit floats): same seed, same windows on every backend. */
  seed?: number;
}

/**
 * Options of fractionalMaxPool{2,3}dBackward. `inputShape` (the forward input's logical shape) is
 * required; the forward's options may be passed along and are checked for type, not used: the
 * indices carry the windows.
 */
export interface FractionalBackwardOptions extends Partial<FractionalMaxPoolOptions> {
  inputShape: readonly number[];
}

const FORWARD_KEYS = ['kernelSize', 'outputSize', 'outputRatio', 'returnIndices', 'samples', 'seed'];
const count = (v: readonly number[]) => v.reduce((a, b) => a * b, 1);

function resolveRatio(op: string, rank: FractionalRank, value: unknown): number[] {
  const list: unknown[] = Array.isArray(value) ? Array.from(value as unknown[]) : [value];
  if (Array.isArray(value) && list.length !== rank) invalid(op, 'outputRatio', value, `must be a number or ${rank} entries (one per spatial axis)`);
  for (const r of list) if (!(typeof r === 'number' && Number.isFinite(r) && r > 0)) invalid(op, 'outputRatio', value, 'every ratio must be a finite number > 0');
  return Array.isArray(value) ? (list as number[]) : new Array<number>(rank).fill(value as number);
}

/** The windows' shapes from x's shape and the options: kernel, output sizes, every rule checked. */
function resolveShape(op: string, rank: FractionalRank, xShape: readonly number[], o: Record<string, unknown>): FractionalShape {
  const [N, C, ...inSize] = xShape as number[];
  if (o.kernelSize === undefined) invalid(op, 'kernelSize', undefined, 'is required');
  const kernel = perAxis(op, 'kernelSize', o.kernelSize, rank, 1);
  const hasSize = o.outputSize !== undefined;
  const hasRatio = o.outputRatio !== undefined;
  if (hasSize === hasRatio) invalid(op, hasSize ? 'outputRatio' : 'outputSize', hasSize ? o.outputRatio : undefined, 'exactly one of outputSize and outputRatio must be given');
  const option = hasSize ? 'outputSize' : 'outputRatio';
  const outSize = hasSize ? perAxis(op, 'outputSize', o.outputSize, rank, 1) : resolveRatio(op, rank, o.outputRatio).map((r, a) => Math.floor(inSize[a]! * r));
  const axes = AXIS_NAMES[rank];
  for (let a = 0; a < rank; a++) {
    const [I, O, k] = [inSize[a]!, outSize[a]!, kernel[a]!];
    if (k > I) invalid(op, 'kernelSize', o.kernelSize, `along ${axes[a]}, the kernel ${k} is larger than the input ${I}`);
    if (O < 1) invalid(op, option, o[option], `along ${axes[a]}, the output size floor(${I} · ratio) = ${O} must be >= 1`);
    if (O + k - 1 > I) invalid(op, option, o[option], `along ${axes[a]}, output ${O} + kernel ${k} − 1 must not exceed the input ${I}`);
  }
  const total = N! * C! * count(outSize);
  if (total > MAX_ELEMENTS) invalid(op, option, o[option], `the output would hold ${total} elements, more than ${MAX_ELEMENTS}`);
  return { rank, N: N!, C: C!, inSize, outSize, kernel };
}

/** The samples as float32, each in [0, 1): given, from the seed, or from Math.random(). */
function resolveSamples(op: string, o: Record<string, unknown>, want: number): Float32Array {
  if (o.samples !== undefined && o.seed !== undefined) invalid(op, 'seed', o.seed, 'give samples or seed, not both');
  if (o.seed !== undefined) {
    const s = o.seed;
    if (!(typeof s === 'number' && Number.isInteger(s) && s >= 0 && s < 2 ** 32)) invalid(op, 'seed', s, 'must be an integer in [0, 2^32)');
    return seededSamples(s, want);
  }
  if (o.samples === undefined) return Float32Array.from({ length: want }, () => Math.fround(Math.random() * (1 - 2 ** -24)));
  const v = o.samples;
  const isTyped = ArrayBuffer.isView(v) && !(v instanceof DataView);
  if (!Array.isArray(v) && !isTyped) invalid(op, 'samples', v, 'must be an array or a Float32Array of N·C·rank numbers');
  // One read of each entry (an array was copied by checkOptionsObject; a typed array is copied here).
  const values: unknown[] = Array.from(v as ArrayLike<unknown>);
  if (values.length !== want) invalid(op, 'samples', v, `must hold N·C·rank = ${want} values (one per plane and spatial axis), not ${values.length}`);
  const out = new Float32Array(want);
  values.forEach((e, i) => {
    if (typeof e !== 'number') invalid(op, 'samples', v, `samples[${i}] = ${String(e)} must be a number`);
    const u = Math.fround(e);
    if (!(u >= 0 && u < 1)) invalid(op, 'samples', v, `samples[${i}] = ${e} (float32 ${u}) must be in [0, 1)`);
    out[i] = u;
  });
  return out;
}

export async function fractionalMaxPool(impl: PoolingBackend, rank: FractionalRank, x: unknown, options: unknown): Promise<MaxPoolResult> {
  const op = `fractionalMaxPool${rank}d`;
  impl.checkUsable(op);
  const input = checkTensor(op, 'x', x, impl, 'float');
  checkShape(op, 'x.shape', input.shape, [rank + 2]);
  const o = checkOptionsObject(op, options, true);
  checkKnownKeys(op, o, [...FORWARD_KEYS, ...INDEX_FORMAT_KEYS]);
  const g = resolveShape(op, rank, input.shape, o);
  const format = resolveIndexLayout(op, o, g.N, g.C, g.inSize);
  if (o.returnIndices !== undefined && typeof o.returnIndices !== 'boolean') invalid(op, 'returnIndices', o.returnIndices, 'must be a boolean');
  const samples = resolveSamples(op, o, g.N * g.C * rank);
  const table = impl.upload(windowStartTable(g, isChannelsLast(input.layout), samples), [g.N, g.C, ...g.outSize], input.layout, 'int32');
  try {
    const d = fractionalOps(input.dtype as DType).forward[rank];
    const r = (await impl.run(d, { g, layout: input.layout, withIndices: o.returnIndices === true }, { x: input, window_starts: table })) as MaxPoolResult;
    if (!r.indices) return r;
    return { output: r.output, indices: await formatIndices(impl, op, r.indices, windowIndexGeometry(g, input.layout), format) };
  } finally {
    table.destroy();
  }
}

export async function fractionalMaxPoolBackward(impl: PoolingBackend, rank: FractionalRank, dy: unknown, indices: unknown, options: unknown): Promise<Tensor> {
  const op = `fractionalMaxPool${rank}dBackward`;
  impl.checkUsable(op);
  const o = checkOptionsObject(op, options, true);
  checkKnownKeys(op, o, ['inputShape', ...FORWARD_KEYS, ...INDEX_FORMAT_KEYS]);
  if (o.inputShape === undefined) invalid(op, 'inputShape', undefined, `is required: the logical shape of the forward input (rank ${rank + 2})`);
  const inputShape = checkShape(op, 'inputShape', o.inputShape, [rank + 2]);
  if (o.returnIndices !== undefined && typeof o.returnIndices !== 'boolean') invalid(op, 'returnIndices', o.returnIndices, 'must be a boolean');
  const gy = checkTensor(op, 'dy', dy, impl, 'float');
  checkShape(op, 'dy.shape', gy.shape, [rank + 2]);
  const idx = checkTensor(op, 'indices', indices, impl, 'int32');
  if (gy.shape[0] !== inputShape[0] || gy.shape[1] !== inputShape[1]) invalid(op, 'dy', gy.shape, `N and C must be inputShape's (${inputShape[0]}, ${inputShape[1]})`);
  checkShapeEquals(op, 'indices', idx.shape, gy.shape, "dy's shape (the forward output's)");
  if (idx.layout !== gy.layout) invalid(op, 'indices', idx.layout, `layout must match dy's (${gy.layout})`);
  const [N, C, ...inSize] = inputShape;
  const outSize = gy.shape.slice(2);
  const g: FractionalShape = { rank, N: N!, C: C!, inSize, outSize, kernel: inSize.map(() => 1) };
  const format = resolveIndexLayout(op, o, g.N, g.C, g.inSize);
  const d = fractionalOps(gy.dtype as DType).backward[rank];
  return (await withPlaneIndices(impl, op, idx, windowIndexGeometry(g, gy.layout), format, (plane) => {
    return impl.run(d, { g, layout: gy.layout }, { dy: gy, indices: plane });
  })) as Tensor;
}
