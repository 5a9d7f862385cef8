/**
 * Max-unpooling, the public side (docs/unpool-fractional.md): `maxUnpool{1,2,3}d` and their
 * backward ops, as PyTorch's MaxUnpoolNd. Every argument is checked here, every option read once
 * (own properties only, checkOptionsObject), before the op's descriptor (src/ops/unpool.ts) reaches
 * a backend. Indices outside the output volume are refused here on the CPU backend (their data is
 * on the host); WebGPU skips them in the kernels.
 */
import type { PoolingBackend } from '../backend.js';
import { invalid } from '../errors.js';
import { AXIS_NAMES, MAX_ELEMENTS, MAX_INDEX, perAxis } from '../geometry.js';
import type { UnpoolShape } from '../kernels/unpool.js';
import { unpoolOps } from '../ops/unpool.js';
import { INDEX_FORMAT_KEYS, resolveIndexLayout, windowIndexGeometry, type IndexGeometry } from '../index-format.js';
import { checkKnownKeys, checkOptionsObject, checkShape, checkShapeEquals } from '../params.js';
import { withPlaneIndices } from './indices.js';
import type { Tensor } from '../tensor.js';
import { checkTensor } from '../tensor-checks.js';
import type { DType, IndexFormatOptions, PerAxis, SpatialRank, TensorLayout } from '../types.js';

/** Options of maxUnpool{1,2,3}d and maxUnpool{1,2,3}dBackward (PyTorch's MaxUnpoolNd). */
export interface MaxUnpoolOptions extends IndexFormatOptions {
  /** Required: the forward max pool's kernel, a number or one entry per spatial axis. */
  kernelSize: PerAxis;
  /** The forward pool's stride; default kernelSize (as PyTorch). */
  stride?: PerAxis;
  /**
   * The forward pool's padding: a number, one per axis, or begins then ends ([begin, end] for 1-D,
   * [top, left, bottom, right] for 2-D, [front, top, left, back, bottom, right] for 3-D). Default 0.
   */
  padding?: PerAxis;
  /**
   * The output's spatial size, one entry per axis (or the full shape [N, C, ...spatial], whose N
   * and C must be x's). Default per axis (in − 1)·stride − padBegin − padEnd + kernelSize; each
   * entry must lie strictly between default − stride and default + stride (PyTorch's rule).
   * Indices are then flat positions in this output's (n, c) volume.
   */
  outputSize?: readonly number[];
}

const KEYS = ['kernelSize', 'stride', 'padding', 'outputSize'];
const count = (v: readonly number[]) => v.reduce((a, b) => a * b, 1);

const PADDING_FORM: Readonly<Record<SpatialRank, string>> = {
  1: 'a number, [p] or [begin, end]',
  2: 'a number, [pH, pW] or [top, left, bottom, right]',
  3: 'a number, [pD, pH, pW] or [front, top, left, back, bottom, right]',
};

function resolvePadding(op: string, rank: SpatialRank, value: unknown): { begin: number[]; end: number[] } {
  if (value === undefined) return { begin: new Array<number>(rank).fill(0), end: new Array<number>(rank).fill(0) };
  const list: unknown[] = Array.isArray(value) ? Array.from(value as unknown[]) : [value];
  if (!(Array.isArray(value) ? [rank, 2 * rank] : [1]).includes(list.length)) invalid(op, 'padding', value, `must be ${PADDING_FORM[rank]}`);
  for (const p of list) {
    if (!(typeof p === 'number' && Number.isInteger(p) && p >= 0 && p <= MAX_INDEX)) invalid(op, 'padding', value, `every pad must be an integer >= 0 and <= ${MAX_INDEX}`);
  }
  const pads = list as number[];
  if (pads.length === 2 * rank) return { begin: pads.slice(0, rank), end: pads.slice(rank) };
  const sym = pads.length === 1 ? new Array<number>(rank).fill(pads[0]!) : pads;
  return { begin: [...sym], end: [...sym] };
}

/** The unpooled spatial size from x's shape [N, C, ...in] and the options (docs/unpool-fractional.md). */
export function resolveUnpool(op: string, rank: SpatialRank, xShape: readonly number[], o: Record<string, unknown>, extraKeys: readonly string[] = []): UnpoolShape {
  checkKnownKeys(op, o, [...KEYS, ...extraKeys]);
  const [N, C, ...inSize] = xShape as number[];
  if (o.kernelSize === undefined) invalid(op, 'kernelSize', undefined, 'is required');
  const kernel = perAxis(op, 'kernelSize', o.kernelSize, rank, 1);
  const stride = o.stride === undefined ? [...kernel] : perAxis(op, 'stride', o.stride, rank, 1);
  const { begin, end } = resolvePadding(op, rank, o.padding);
  const axes = AXIS_NAMES[rank];
  const defaults = inSize.map((size, a) => (size - 1) * stride[a]! - begin[a]! - end[a]! + kernel[a]!);
  for (let a = 0; a < rank; a++) {
    const d = defaults[a]!;
    if (d < 1) invalid(op, 'padding', o.padding, `along ${axes[a]}, the output size (${inSize[a]} − 1)·${stride[a]} − ${begin[a]} − ${end[a]} + ${kernel[a]} = ${d} must be >= 1`);
    if (d > MAX_INDEX) invalid(op, 'stride', o.stride ?? o.kernelSize, `along ${axes[a]}, the output size ${d} exceeds ${MAX_INDEX} (32-bit index arithmetic)`);
  }
  let outSize = defaults;
  if (o.outputSize !== undefined) {
    const v = o.outputSize;
    if (!Array.isArray(v) || (v.length !== rank && v.length !== rank + 2)) {
      invalid(op, 'outputSize', v, `must be the spatial output size (${rank} entries) or the full output shape (${rank + 2} entries)`);
    }
    const entries = Array.from(v as unknown[]);
    entries.forEach((e, i) => {
      if (!(typeof e === 'number' && Number.isInteger(e) && e >= 1 && e <= MAX_INDEX)) invalid(op, 'outputSize', v, `entry ${i} (${String(e)}) must be an integer >= 1 and <= ${MAX_INDEX}`);
    });
    if (entries.length === rank + 2 && (entries[0] !== N || entries[1] !== C)) invalid(op, 'outputSize', v, `a full output shape must start with x's N and C (${N}, ${C})`);
    outSize = (entries as number[]).slice(entries.length - rank);
    outSize.forEach((size, a) => {
      const lo = defaults[a]! - stride[a]!;
      const hi = defaults[a]! + stride[a]!;
      if (!(size > lo && size < hi)) invalid(op, 'outputSize', v, `along ${axes[a]}, ${size} is impossible for these indices: it must lie strictly between ${lo} and ${hi} (the default ${defaults[a]} ± stride ${stride[a]})`);
    });
  }
  const outCount = N! * C! * count(outSize);
  if (count(outSize) > MAX_INDEX || outCount > MAX_ELEMENTS) invalid(op, 'outputSize', o.outputSize ?? outSize, `the output [${[N, C, ...outSize].join(', ')}] would hold ${outCount} elements, more than ${MAX_ELEMENTS} (32-bit indexing)`);
  return { rank, N: N!, C: C!, inSize, outSize, poolKernel: kernel, stride, padBegin: begin };
}

function checkIndicesTensor(op: string, impl: PoolingBackend, indices: unknown, rank: SpatialRank): Tensor {
  const idx = checkTensor(op, 'indices', indices, impl, 'int32');
  checkShape(op, 'indices.shape', idx.shape, [rank + 2]);
  return idx;
}

export async function maxUnpool(impl: PoolingBackend, rank: SpatialRank, x: unknown, indices: unknown, options: unknown): Promise<Tensor> {
  const op = `maxUnpool${rank}d`;
  impl.checkUsable(op);
  const input = checkTensor(op, 'x', x, impl, 'float');
  checkShape(op, 'x.shape', input.shape, [rank + 2]);
  const idx = checkIndicesTensor(op, impl, indices, rank);
  checkShapeEquals(op, 'indices', idx.shape, input.shape, "x's shape (the max pool's output and its indices)");
  if (idx.layout !== input.layout) invalid(op, 'indices', idx.layout, `layout must match x's (${input.layout})`);
  const o = checkOptionsObject(op, options, true);
  const g = resolveUnpool(op, rank, input.shape, o, INDEX_FORMAT_KEYS);
  const format = resolveIndexLayout(op, o, g.N, g.C, g.outSize);
  const d = unpoolOps(input.dtype as DType).forward[rank];
  return (await withPlaneIndices(impl, op, idx, unpoolIndexGeometry(g, input.layout), format, (plane) => {
    return impl.run(d, { g, layout: input.layout }, { x: input, indices: plane });
  })) as Tensor;
}

export async function maxUnpoolBackward(impl: PoolingBackend, rank: SpatialRank, dy: unknown, indices: unknown, options: unknown): Promise<Tensor> {
  const op = `maxUnpool${rank}dBackward`;
  impl.checkUsable(op);
  const gy = checkTensor(op, 'dy', dy, impl, 'float');
  checkShape(op, 'dy.shape', gy.shape, [rank + 2]);
  const idx = checkIndicesTensor(op, impl, indices, rank);
  const o = checkOptionsObject(op, options, true);
  const g = resolveUnpool(op, rank, idx.shape, o, INDEX_FORMAT_KEYS);
  const format = resolveIndexLayout(op, o, g.N, g.C, g.outSize);
  checkShapeEquals(op, 'dy', gy.shape, [g.N, g.C, ...g.outSize], 'the unpooled shape for these indices and options');
  if (idx.layout !== gy.layout) invalid(op, 'indices', idx.layout, `layout must match dy's (${gy.layout})`);
  const d = unpoolOps(gy.dtype as DType).backward[rank];
  return (await withPlaneIndices(impl, op, idx, unpoolIndexGeometry(g, gy.layout), format, (plane) => {
    return impl.run(d, { g, layout: gy.layout }, { dy: gy, indices: plane });
  })) as Tensor;
}

/** Unpooling's indices are shaped like x and name positions of the unpooled (output) planes. */
function unpoolIndexGeometry(g: UnpoolShape, layout: TensorLayout): IndexGeometry {
  return windowIndexGeometry({ N: g.N, C: g.C, inSize: g.outSize, outSize: g.inSize }, layout);
}
