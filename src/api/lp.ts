/**
 * LP pooling (docs/lp-pooling.md): `pool.lpPool{1,2,3}d` and their backward ops. Checks every
 * tensor and option before anything is dispatched (each problem a PoolingError naming the op, the
 * option, the value and the rule), reads every option once (own properties only), resolves the
 * window with the windowed ops' resolver (all padding forms, dilation, ceil mode) and runs the
 * LP descriptor of the tensors' dtype (src/ops/lp-pool.ts).
 */
import type { PoolingBackend } from '../backend.js';
import { invalid } from '../errors.js';
import { outputShape, resolveWindow } from '../geometry.js';
import { lpOpsFor } from '../ops/lp-pool.js';
import { checkKnownKeys, checkOptionsObject, checkShape, checkShapeEquals, resolveBackwardAlgorithm } from '../params.js';
import type { Tensor } from '../tensor.js';
import { checkTensor } from '../tensor-checks.js';
import type { PaddingNd, PerAxis, SpatialRank } from '../types.js';

/** Options of `lpPool1d` / `lpPool2d` / `lpPool3d`: one entry per spatial axis where an array is given. */
export interface LpPoolOptions {
  /** p of the norm: finite and > 0. 1 and 2 run exact forms (Σ|x|, sqrt(Σx²)); any other p uses pow. */
  normType: number;
  /** Window size per axis (required). */
  kernelSize: PerAxis;
  /** Step per axis; default: kernelSize. */
  stride?: PerAxis;
  /**
   * A number, one per axis, begins then ends (2·rank entries), 'valid' (none), 'same' (output =
   * ceil(in / stride), the odd pad at the end) or 'same-lower' (at the begin). Padded taps add 0.
   */
  padding?: PaddingNd;
  /** Spacing of the taps per axis (ONNX LpPool-18); default 1. */
  dilation?: PerAxis;
  /** Round the output size up; a last window's overhang past the end padding adds 0. Default false. */
  ceilMode?: boolean;
}

/** Options of `lpPool{1,2,3}dBackward`: the forward's options and its input's logical shape. */
export interface LpPoolBackwardOptions extends LpPoolOptions {
  /** Logical shape [N, C, ...spatial] of the forward input x (rank + 2 entries); x must have it. */
  inputShape: readonly number[];
  /**
   * The WebGPU backward kernel: 'gather' (each dx element written once from the outputs reaching
   * it; deterministic, no atomics), 'scatter' (one thread per dy element, atomic adds) or 'auto'
   * (default: the gather where at most two outputs per axis reach an element (rank ≤ 2, no
   * dilation, k − 1 < 2·s) or the windows overlap without dilation, else the scatter;
   * docs/lp-pooling.md has the measurements). The CPU backend has one kernel and ignores it.
   */
  backward?: 'auto' | 'scatter' | 'gather';
}

const FORWARD_KEYS = ['normType', 'kernelSize', 'stride', 'padding', 'dilation', 'ceilMode'];
const BACKWARD_KEYS = [...FORWARD_KEYS, 'inputShape', 'backward'];

/** p: a finite number > 0. */
function resolveNormType(op: string, value: unknown): number {
  if (value === undefined) invalid(op, 'normType', value, 'is required: the p of the norm, a finite number > 0');
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) invalid(op, 'normType', value, 'must be a finite number > 0');
  return value;
}

function windowedInput(op: string, name: string, t: unknown, impl: PoolingBackend, rank: SpatialRank): Tensor {
  const input = checkTensor(op, name, t, impl, 'float');
  checkShape(op, `${name}.shape`, input.shape, [rank + 2]);
  return input;
}

/** `pool.lpPool{rank}d(x, options)`: y = (Σ |x|^p)^(1/p) over every window. */
export async function lpPool(impl: PoolingBackend, rank: SpatialRank, x: unknown, options: unknown): Promise<Tensor> {
  const op = `lpPool${rank}d`;
  impl.checkUsable(op);
  const input = windowedInput(op, 'x', x, impl, rank);
  const o = checkOptionsObject(op, options, true);
  checkKnownKeys(op, o, FORWARD_KEYS);
  const normType = resolveNormType(op, o.normType);
  const g = resolveWindow(op, rank, input.shape, o);
  return (await impl.run(lpOpsFor(input.dtype).lpPool[rank], { g, layout: input.layout, normType }, { x: input })) as Tensor;
}

/**
 * `pool.lpPool{rank}dBackward(dy, x, y, options)`: dx = Σ over the windows holding an element of
 * dy·sign(x)·|x|^(p−1)·y^(1−p), 0 where y = 0. dy and y have the forward output's shape, x
 * inputShape; all three one dtype and one layout; y is the forward output.
 */
export async function lpPoolBackward(impl: PoolingBackend, rank: SpatialRank, dy: unknown, x: unknown, y: unknown, options: unknown): Promise<Tensor> {
  const op = `lpPool${rank}dBackward`;
  impl.checkUsable(op);
  const o = checkOptionsObject(op, options, true);
  checkKnownKeys(op, o, BACKWARD_KEYS);
  const normType = resolveNormType(op, o.normType);
  if (o.inputShape === undefined) invalid(op, 'inputShape', undefined, `is required: the logical shape of the forward input (rank ${rank + 2})`);
  const inputShape = checkShape(op, 'inputShape', o.inputShape, [rank + 2]);
  const g = resolveWindow(op, rank, inputShape, o);
  const algorithm = resolveBackwardAlgorithm(op, o.backward);
  const gy = checkTensor(op, 'dy', dy, impl, 'float');
  const xs = checkTensor(op, 'x', x, impl, 'float');
  const ys = checkTensor(op, 'y', y, impl, 'float');
  const outShape = outputShape(g);
  const why = 'the forward output shape for inputShape and these options';
  checkShapeEquals(op, 'dy', gy.shape, outShape, why);
  checkShapeEquals(op, 'y', ys.shape, outShape, why);
  checkShapeEquals(op, 'x', xs.shape, inputShape, 'inputShape');
  for (const [name, t] of [['x', xs], ['y', ys]] as const) {
    if (t.dtype !== gy.dtype) invalid(op, name, t.dtype, `dtype must match dy's (${gy.dtype})`);
    if (t.layout !== gy.layout) invalid(op, name, t.layout, `layout must match dy's (${gy.layout})`);
  }
  return (await impl.run(lpOpsFor(gy.dtype).lpPoolBackward[rank], { g, layout: gy.layout, normType, algorithm }, { dy: gy, x: xs, y: ys })) as Tensor;
}
