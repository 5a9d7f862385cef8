/**
 * The public context (docs/api.md): validates every argument, then hands the work to a backend as
 * an op descriptor and its resolved parameters (src/ops/). Nothing is dispatched for a call that
 * fails validation; every option is read once, own properties only (checkOptionsObject).
 */
import * as adaptive from './api/adaptive.js';
import * as fractional from './api/fractional.js';
import { formatIndices, withPlaneIndices } from './api/indices.js';
import * as lp from './api/lp.js';
import * as unpool from './api/unpool.js';
import type { MaxPoolResult, MaxPoolResultFor, PoolingBackend } from './backend.js';
import { tensorBytes } from './dtypes.js';
import { invalid } from './errors.js';
import { INDEX_FORMAT_KEYS, resolveIndexLayout, windowIndexGeometry, type IndexGeometry } from './index-format.js';
import { outputShape } from './geometry.js';
import { BufferUsage } from './host/gpu-flags.js';
import { checkLayoutForRank, layoutOfRank, isChannelsLast, planeLayout } from './layouts.js';
import { OPS, opsFor } from './ops/index.js';
import { planesOf } from './ops/global-pool.js';
import { backwardKeys, checkKnownKeys, checkOptionsObject, checkShape, checkShapeEquals, resolveAvgWindow, resolveBackwardAlgorithm, resolveMaxWindow } from './params.js';
import type { IndexTensor, Tensor, TensorDType } from './tensor.js';
import { emptyTable, type TuningTable } from './tuning/table.js';
import type { TuningDecision, TuningMode } from './tuning/tuner.js';
import { checkTensor, checkTensorDType, toFloat32, toHalves, toInt32 } from './tensor-checks.js';
import type {
  AdapterInfoSummary,
  AvgPool2dBackwardOptions,
  AvgPool2dOptions,
  AvgPoolNdBackwardOptions,
  AvgPoolNdOptions,
  BackendName,
  DType,
  GlobalBackwardOptions,
  GlobalMaxPoolOptions,
  GlobalPoolOptions,
  MaxPool2dBackwardOptions,
  MaxPool2dOptions,
  MaxPoolNdBackwardOptions,
  MaxPoolNdOptions,
  SpatialRank,
  TensorLayout,
} from './types.js';

export interface TensorOptions {
  layout?: TensorLayout;
  dtype?: 'float32' | 'float16' | 'int32';
}

export interface PoolingStats {
  liveBuffers: number;
  liveBytes: number;
  pooledBuffers: number;
  pooledBytes: number;
  pipelines: number;
}

function checkBoolean(op: string, name: string, v: unknown): boolean {
  if (v !== undefined && typeof v !== 'boolean') invalid(op, name, v, 'must be a boolean');
  return v === true;
}

/** Tensor ranks the API takes (docs/api.md "Ranks and layouts"). */
const TENSOR_RANKS = [2, 3, 4, 5];

/** The shape and options shared by tensor() and fromGPUBuffer(). */
function tensorArgs(op: string, shape: readonly number[], options: TensorOptions): { s: number[]; layout: TensorLayout; dtype: TensorDType } {
  const o = checkOptionsObject(op, options, false);
  checkKnownKeys(op, o, ['layout', 'dtype']);
  const s = checkShape(op, 'shape', shape, TENSOR_RANKS);
  const layout = checkLayoutForRank(op, o.layout, s.length);
  const dtype = checkTensorDType(op, o.dtype);
  return { s, layout, dtype };
}

const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** The index geometry of a global op's indices: one per (n, c). */
function globalIndexGeometry(inputShape: readonly number[]): IndexGeometry {
  return { N: inputShape[0]!, C: inputShape[1]!, outVolume: 1, inSize: inputShape.slice(2), channelsLast: false };
}

/** The descriptors of a checked value tensor's dtype: every op runs in its input's dtype, outputs included. */
const valueOps = (t: Tensor) => opsFor(t.dtype as DType);

/** `pool.tuning`: see Pooling.tuning. */
export interface PoolingTuning {
  readonly mode: TuningMode;
  decisions(): TuningDecision[];
  export(): TuningTable;
}

export class Pooling {
  /**
   * @internal createPooling() builds contexts. `reason` says why this backend was chosen (see
   * {@link Pooling.reason}).
   */
  constructor(
    /** @internal */ readonly impl: PoolingBackend,
    /**
     * Why `backend` is what it is, in words: the backend asked for, the adapter 'auto' found, or why
     * 'auto' took the CPU backend (no adapter, and why; only a software adapter; a refused device).
     */
    readonly reason: string = 'a context built directly on its backend',
  ) {}

  get backend(): BackendName {
    return this.impl.name;
  }

  get adapterInfo(): AdapterInfoSummary | null {
    return this.impl.adapterInfo;
  }

  /**
   * Threads this context's CPU kernels use, the calling one included (createPooling's `threads`,
   * as far as this environment allows); 1 on WebGPU.
   */
  get threads(): number {
    return this.impl.threads ?? 1;
  }

  /** Resolves when the GPU device is lost; later calls then fail with a PoolingError. */
  get lost(): Promise<{ reason: string; message: string }> {
    return this.impl.lost;
  }

  private usable(op: string): void {
    this.impl.checkUsable(op);
  }

  /** A tensor of rank 2-5 from host data: float32 values, or int32 indices (dtype 'int32'). */
  tensor(data: Int32Array | ArrayLike<number>, shape: readonly number[], options: TensorOptions & { dtype: 'int32' }): Tensor<'int32'>;
  tensor(data: Uint16Array | Float32Array | ArrayLike<number>, shape: readonly number[], options: TensorOptions & { dtype: 'float16' }): Tensor<'float16'>;
  tensor(data: Float32Array | ArrayLike<number>, shape: readonly number[], options?: TensorOptions): Tensor<'float32'>;
  tensor(data: Float32Array | Int32Array | ArrayLike<number>, shape: readonly number[], options: TensorOptions = {}): Tensor {
    const op = 'tensor';
    this.usable(op);
    const { s, layout, dtype } = tensorArgs(op, shape, options);
    if (dtype === 'int32') return this.impl.upload(toInt32(op, data, count(s)), s, layout, 'int32');
    if (dtype === 'float16') return this.impl.upload(toHalves(op, data, count(s)), s, layout, 'float16');
    return this.impl.upload(toFloat32(op, data, count(s)), s, layout, 'float32');
  }

  fromGPUBuffer(buffer: GPUBuffer, shape: readonly number[], options: TensorOptions & { dtype: 'int32' }): Tensor<'int32'>;
  fromGPUBuffer(buffer: GPUBuffer, shape: readonly number[], options: TensorOptions & { dtype: 'float16' }): Tensor<'float16'>;
  fromGPUBuffer(buffer: GPUBuffer, shape: readonly number[], options?: TensorOptions): Tensor<'float32'>;
  fromGPUBuffer(buffer: GPUBuffer, shape: readonly number[], options: TensorOptions = {}): Tensor {
    const op = 'fromGPUBuffer';
    this.usable(op);
    const { s, layout, dtype } = tensorArgs(op, shape, options);
    if (typeof buffer !== 'object' || buffer === null || typeof (buffer as GPUBuffer).size !== 'number') invalid(op, 'buffer', buffer, 'must be a GPUBuffer');
    const bytes = tensorBytes(s, dtype);
    if (buffer.size < bytes) invalid(op, 'buffer', buffer.size, `the buffer holds ${buffer.size} bytes; shape [${s.join(', ')}] needs ${bytes}`);
    if ((buffer.usage & BufferUsage.STORAGE) === 0) invalid(op, 'buffer', buffer.usage, 'the buffer needs STORAGE usage');
    return this.impl.wrapBuffer(buffer, s, layout, dtype);
  }

  /** The input of a windowed op of spatial rank `rank`: a float32 tensor of rank + 2. */
  private windowedInput(op: string, name: string, t: unknown, rank: SpatialRank): Tensor {
    const input = checkTensor(op, name, t, this.impl, 'float');
    checkShape(op, `${name}.shape`, input.shape, [rank + 2]);
    return input;
  }

  /** The logical input shape a backward op of rank `rank` is given. */
  private backwardInputShape(op: string, o: Record<string, unknown>, rank: SpatialRank): number[] {
    if (o.inputShape === undefined) invalid(op, 'inputShape', undefined, `is required: the logical shape of the forward input (rank ${rank + 2})`);
    return checkShape(op, 'inputShape', o.inputShape, [rank + 2]);
  }

  private async maxPoolNd(rank: SpatialRank, x: Tensor, options: unknown): Promise<MaxPoolResult> {
    const d = OPS.maxPool[rank];
    this.usable(d.name);
    const input = this.windowedInput(d.name, 'x', x, rank);
    const o = checkOptionsObject(d.name, options, true);
    const g = resolveMaxWindow(d.name, rank, input.shape, o, INDEX_FORMAT_KEYS);
    const format = resolveIndexLayout(d.name, o, g.N, g.C, g.inSize);
    const r = (await this.impl.run(valueOps(input).maxPool[rank], { g, layout: input.layout, withIndices: o.returnIndices === true }, { x: input })) as MaxPoolResult;
    if (!r.indices) return r;
    return { output: r.output, indices: await formatIndices(this.impl, d.name, r.indices, windowIndexGeometry(g, input.layout), format) };
  }

  private async avgPoolNd(rank: SpatialRank, x: Tensor, options: unknown): Promise<Tensor<'float32'>> {
    const d = OPS.avgPool[rank];
    this.usable(d.name);
    const input = this.windowedInput(d.name, 'x', x, rank);
    const g = resolveAvgWindow(d.name, rank, input.shape, checkOptionsObject(d.name, options, true));
    return (await this.impl.run(valueOps(input).avgPool[rank], { g, layout: input.layout }, { x: input })) as Tensor<'float32'>;
  }

  private async maxPoolNdBackward(rank: SpatialRank, dy: Tensor, indices: Tensor, options: unknown): Promise<Tensor<'float32'>> {
    const d = OPS.maxPoolBackward[rank];
    const op = d.name;
    this.usable(op);
    const o = checkOptionsObject(op, options, true);
    const g = resolveMaxWindow(op, rank, this.backwardInputShape(op, o, rank), o, [...backwardKeys, ...INDEX_FORMAT_KEYS]);
    const format = resolveIndexLayout(op, o, g.N, g.C, g.inSize);
    const algorithm = resolveBackwardAlgorithm(op, o.backward);
    const gy = checkTensor(op, 'dy', dy, this.impl, 'float');
    const idx = checkTensor(op, 'indices', indices, this.impl, 'int32');
    const outShape = outputShape(g);
    checkShapeEquals(op, 'dy', gy.shape, outShape, 'the forward output shape for inputShape and these options');
    checkShapeEquals(op, 'indices', idx.shape, outShape, 'the forward output shape for inputShape and these options');
    if (idx.layout !== gy.layout) invalid(op, 'indices', idx.layout, `layout must match dy's (${gy.layout})`);
    const run = (plane: Tensor) => this.impl.run(valueOps(gy).maxPoolBackward[rank], { g, layout: gy.layout, algorithm }, { dy: gy, indices: plane });
    return (await withPlaneIndices(this.impl, op, idx, windowIndexGeometry(g, gy.layout), format, run)) as Tensor<'float32'>;
  }

  private async avgPoolNdBackward(rank: SpatialRank, dy: Tensor, options: unknown): Promise<Tensor<'float32'>> {
    const d = OPS.avgPoolBackward[rank];
    const op = d.name;
    this.usable(op);
    const o = checkOptionsObject(op, options, true);
    const g = resolveAvgWindow(op, rank, this.backwardInputShape(op, o, rank), o, backwardKeys);
    const algorithm = resolveBackwardAlgorithm(op, o.backward);
    const gy = checkTensor(op, 'dy', dy, this.impl, 'float');
    checkShapeEquals(op, 'dy', gy.shape, outputShape(g), 'the forward output shape for inputShape and these options');
    return (await this.impl.run(valueOps(gy).avgPoolBackward[rank], { g, layout: gy.layout, algorithm }, { dy: gy })) as Tensor<'float32'>;
  }

  maxPool1d<O extends MaxPoolNdOptions>(x: Tensor, options: O): Promise<MaxPoolResultFor<O>> {
    return this.maxPoolNd(1, x, options) as Promise<MaxPoolResultFor<O>>;
  }
  maxPool2d<O extends MaxPool2dOptions>(x: Tensor, options: O): Promise<MaxPoolResultFor<O>> {
    return this.maxPoolNd(2, x, options) as Promise<MaxPoolResultFor<O>>;
  }
  maxPool3d<O extends MaxPoolNdOptions>(x: Tensor, options: O): Promise<MaxPoolResultFor<O>> {
    return this.maxPoolNd(3, x, options) as Promise<MaxPoolResultFor<O>>;
  }
  avgPool1d(x: Tensor, options: AvgPoolNdOptions): Promise<Tensor<'float32'>> {
    return this.avgPoolNd(1, x, options);
  }
  avgPool2d(x: Tensor, options: AvgPool2dOptions): Promise<Tensor<'float32'>> {
    return this.avgPoolNd(2, x, options);
  }
  avgPool3d(x: Tensor, options: AvgPoolNdOptions): Promise<Tensor<'float32'>> {
    return this.avgPoolNd(3, x, options);
  }
  maxPool1dBackward<D extends TensorDType>(dy: Tensor, indices: IndexTensor<D>, options: MaxPoolNdBackwardOptions): Promise<Tensor<'float32'>> {
    return this.maxPoolNdBackward(1, dy, indices, options);
  }
  maxPool2dBackward<D extends TensorDType>(dy: Tensor, indices: IndexTensor<D>, options: MaxPool2dBackwardOptions): Promise<Tensor<'float32'>> {
    return this.maxPoolNdBackward(2, dy, indices, options);
  }
  maxPool3dBackward<D extends TensorDType>(dy: Tensor, indices: IndexTensor<D>, options: MaxPoolNdBackwardOptions): Promise<Tensor<'float32'>> {
    return this.maxPoolNdBackward(3, dy, indices, options);
  }
  avgPool1dBackward(dy: Tensor, options: AvgPoolNdBackwardOptions): Promise<Tensor<'float32'>> {
    return this.avgPoolNdBackward(1, dy, options);
  }
  avgPool2dBackward(dy: Tensor, options: AvgPool2dBackwardOptions): Promise<Tensor<'float32'>> {
    return this.avgPoolNdBackward(2, dy, options);
  }
  avgPool3dBackward(dy: Tensor, options: AvgPoolNdBackwardOptions): Promise<Tensor<'float32'>> {
    return this.avgPoolNdBackward(3, dy, options);
  }

  /** The input of a global op (rank 3-5) and the shape and layout of its output. */
  private globalArgs(op: string, x: Tensor, o: Record<string, unknown>) {
    const keepDims = checkBoolean(op, 'keepDims', o.keepDims);
    const input = checkTensor(op, 'x', x, this.impl, 'float');
    const shape = checkShape(op, 'x.shape', input.shape, [3, 4, 5]);
    const outShape = keepDims ? [shape[0]!, shape[1]!, ...shape.slice(2).map(() => 1)] : [shape[0]!, shape[1]!];
    const outLayout: TensorLayout = keepDims ? input.layout : 'NC';
    return { input, s: planesOf(shape), planeLayout: planeLayout(input.layout), outShape, outLayout };
  }

  async globalMaxPool<O extends GlobalMaxPoolOptions = {}>(x: Tensor, options?: O): Promise<MaxPoolResultFor<O>> {
    const op = 'globalMaxPool';
    this.usable(op);
    const o = checkOptionsObject(op, options, false);
    checkKnownKeys(op, o, ['returnIndices', 'keepDims', ...INDEX_FORMAT_KEYS]);
    const withIndices = checkBoolean(op, 'returnIndices', o.returnIndices);
    const { input, ...p } = this.globalArgs(op, x, o);
    const format = resolveIndexLayout(op, o, input.shape[0]!, input.shape[1]!, input.shape.slice(2));
    const r = (await this.impl.run(valueOps(input).globalMaxPool, { ...p, withIndices }, { x: input })) as MaxPoolResult;
    if (!r.indices) return r as MaxPoolResultFor<O>;
    return { output: r.output, indices: await formatIndices(this.impl, op, r.indices, globalIndexGeometry(input.shape), format) } as MaxPoolResultFor<O>;
  }

  async globalAvgPool(x: Tensor, options: GlobalPoolOptions = {}): Promise<Tensor<'float32'>> {
    const op = 'globalAvgPool';
    this.usable(op);
    const o = checkOptionsObject(op, options, false);
    checkKnownKeys(op, o, ['keepDims']);
    const { input, ...p } = this.globalArgs(op, x, o);
    return (await this.impl.run(valueOps(input).globalAvgPool, { ...p, withIndices: false }, { x: input })) as Tensor<'float32'>;
  }

  /**
   * The shape and layout of a global backward op's dx: the forward input's shape; its layout that
   * of a keepDims-shaped dy, channel-first for a [N, C] dy (layout 'NC').
   */
  private globalBackwardArgs(op: string, o: Record<string, unknown>, dy: Tensor) {
    if (o.inputShape === undefined) invalid(op, 'inputShape', undefined, 'is required: the logical shape of the forward input (rank 3-5)');
    const inputShape = checkShape(op, 'inputShape', o.inputShape, [3, 4, 5]);
    const dxLayout = dy.shape.length === 2 ? layoutOfRank(inputShape.length, false) : layoutOfRank(inputShape.length, isChannelsLast(dy.layout));
    return { s: planesOf(inputShape), planeLayout: planeLayout(dxLayout), dxShape: inputShape, dxLayout, inputShape };
  }

  private checkGlobalGradShape(op: string, name: string, shape: readonly number[], inputShape: readonly number[]): void {
    const [N, C] = inputShape as [number, number];
    const kept = [N, C, ...inputShape.slice(2).map(() => 1)];
    const ok = (shape.length === 2 || shape.length === inputShape.length) && shape[0] === N && shape[1] === C && shape.slice(2).every((d) => d === 1);
    if (!ok) invalid(op, name, shape, `shape must be [${N}, ${C}] or [${kept.join(', ')}] (the global output for inputShape)`);
  }

  async globalMaxPoolBackward<D extends TensorDType>(dy: Tensor, indices: IndexTensor<D>, options: GlobalBackwardOptions): Promise<Tensor<'float32'>> {
    const op = 'globalMaxPoolBackward';
    this.usable(op);
    const o = checkOptionsObject(op, options, true);
    checkKnownKeys(op, o, ['inputShape', 'keepDims', 'returnIndices', ...INDEX_FORMAT_KEYS]);
    // Accepted so that the forward's options can be passed along; still checked.
    checkBoolean(op, 'keepDims', o.keepDims);
    checkBoolean(op, 'returnIndices', o.returnIndices);
    if (o.inputShape === undefined) invalid(op, 'inputShape', undefined, 'is required: the logical shape of the forward input (rank 3-5)');
    const g = checkTensor(op, 'dy', dy, this.impl, 'float');
    const idx = checkTensor(op, 'indices', indices, this.impl, 'int32');
    const { inputShape, ...p } = this.globalBackwardArgs(op, o, g);
    this.checkGlobalGradShape(op, 'dy', g.shape, inputShape);
    this.checkGlobalGradShape(op, 'indices', idx.shape, inputShape);
    const format = resolveIndexLayout(op, o, inputShape[0]!, inputShape[1]!, inputShape.slice(2));
    const run = (plane: Tensor) => this.impl.run(valueOps(g).globalMaxPoolBackward, p, { dy: g, indices: plane });
    return (await withPlaneIndices(this.impl, op, idx, globalIndexGeometry(inputShape), format, run)) as Tensor<'float32'>;
  }

  async globalAvgPoolBackward(dy: Tensor, options: GlobalBackwardOptions): Promise<Tensor<'float32'>> {
    const op = 'globalAvgPoolBackward';
    this.usable(op);
    const o = checkOptionsObject(op, options, true);
    checkKnownKeys(op, o, ['inputShape', 'keepDims']);
    checkBoolean(op, 'keepDims', o.keepDims);
    if (o.inputShape === undefined) invalid(op, 'inputShape', undefined, 'is required: the logical shape of the forward input (rank 3-5)');
    const g = checkTensor(op, 'dy', dy, this.impl, 'float');
    const { inputShape, ...p } = this.globalBackwardArgs(op, o, g);
    this.checkGlobalGradShape(op, 'dy', g.shape, inputShape);
    return (await this.impl.run(valueOps(g).globalAvgPoolBackward, p, { dy: g })) as Tensor<'float32'>;
  }

  // The rest of the pooling family (docs/api.md): each family's checks and descriptors live in its
  // own module (src/api/), so that a family is added without touching the others.
  adaptiveAvgPool1d(x: Tensor, options: adaptive.AdaptiveAvgPoolOptions): Promise<Tensor> {
    return adaptive.adaptiveAvgPool(this.impl, 1, x, options);
  }
  adaptiveAvgPool2d(x: Tensor, options: adaptive.AdaptiveAvgPoolOptions): Promise<Tensor> {
    return adaptive.adaptiveAvgPool(this.impl, 2, x, options);
  }
  adaptiveAvgPool3d(x: Tensor, options: adaptive.AdaptiveAvgPoolOptions): Promise<Tensor> {
    return adaptive.adaptiveAvgPool(this.impl, 3, x, options);
  }
  adaptiveMaxPool1d<O extends adaptive.AdaptiveMaxPoolOptions>(x: Tensor, options: O): Promise<MaxPoolResultFor<O>> {
    return adaptive.adaptiveMaxPool(this.impl, 1, x, options) as Promise<MaxPoolResultFor<O>>;
  }
  adaptiveMaxPool2d<O extends adaptive.AdaptiveMaxPoolOptions>(x: Tensor, options: O): Promise<MaxPoolResultFor<O>> {
    return adaptive.adaptiveMaxPool(this.impl, 2, x, options) as Promise<MaxPoolResultFor<O>>;
  }
  adaptiveMaxPool3d<O extends adaptive.AdaptiveMaxPoolOptions>(x: Tensor, options: O): Promise<MaxPoolResultFor<O>> {
    return adaptive.adaptiveMaxPool(this.impl, 3, x, options) as Promise<MaxPoolResultFor<O>>;
  }
  adaptiveAvgPool1dBackward(dy: Tensor, options: adaptive.AdaptiveBackwardOptions): Promise<Tensor> {
    return adaptive.adaptiveAvgPoolBackward(this.impl, 1, dy, options);
  }
  adaptiveAvgPool2dBackward(dy: Tensor, options: adaptive.AdaptiveBackwardOptions): Promise<Tensor> {
    return adaptive.adaptiveAvgPoolBackward(this.impl, 2, dy, options);
  }
  adaptiveAvgPool3dBackward(dy: Tensor, options: adaptive.AdaptiveBackwardOptions): Promise<Tensor> {
    return adaptive.adaptiveAvgPoolBackward(this.impl, 3, dy, options);
  }
  adaptiveMaxPool1dBackward<D extends TensorDType>(dy: Tensor, indices: IndexTensor<D>, options: adaptive.AdaptiveBackwardOptions): Promise<Tensor> {
    return adaptive.adaptiveMaxPoolBackward(this.impl, 1, dy, indices, options);
  }
  adaptiveMaxPool2dBackward<D extends TensorDType>(dy: Tensor, indices: IndexTensor<D>, options: adaptive.AdaptiveBackwardOptions): Promise<Tensor> {
    return adaptive.adaptiveMaxPoolBackward(this.impl, 2, dy, indices, options);
  }
  adaptiveMaxPool3dBackward<D extends TensorDType>(dy: Tensor, indices: IndexTensor<D>, options: adaptive.AdaptiveBackwardOptions): Promise<Tensor> {
    return adaptive.adaptiveMaxPoolBackward(this.impl, 3, dy, indices, options);
  }
  lpPool1d(x: Tensor, options: lp.LpPoolOptions): Promise<Tensor> {
    return lp.lpPool(this.impl, 1, x, options);
  }
  lpPool2d(x: Tensor, options: lp.LpPoolOptions): Promise<Tensor> {
    return lp.lpPool(this.impl, 2, x, options);
  }
  lpPool3d(x: Tensor, options: lp.LpPoolOptions): Promise<Tensor> {
    return lp.lpPool(this.impl, 3, x, options);
  }
  lpPool1dBackward(dy: Tensor, x: Tensor, y: Tensor, options: lp.LpPoolBackwardOptions): Promise<Tensor> {
    return lp.lpPoolBackward(this.impl, 1, dy, x, y, options);
  }
  lpPool2dBackward(dy: Tensor, x: Tensor, y: Tensor, options: lp.LpPoolBackwardOptions): Promise<Tensor> {
    return lp.lpPoolBackward(this.impl, 2, dy, x, y, options);
  }
  lpPool3dBackward(dy: Tensor, x: Tensor, y: Tensor, options: lp.LpPoolBackwardOptions): Promise<Tensor> {
    return lp.lpPoolBackward(this.impl, 3, dy, x, y, options);
  }
  maxUnpool1d<D extends TensorDType>(x: Tensor, indices: IndexTensor<D>, options: unpool.MaxUnpoolOptions): Promise<Tensor> {
    return unpool.maxUnpool(this.impl, 1, x, indices, options);
  }
  maxUnpool2d<D extends TensorDType>(x: Tensor, indices: IndexTensor<D>, options: unpool.MaxUnpoolOptions): Promise<Tensor> {
    return unpool.maxUnpool(this.impl, 2, x, indices, options);
  }
  maxUnpool3d<D extends TensorDType>(x: Tensor, indices: IndexTensor<D>, options: unpool.MaxUnpoolOptions): Promise<Tensor> {
    return unpool.maxUnpool(this.impl, 3, x, indices, options);
  }
  maxUnpool1dBackward<D extends TensorDType>(dy: Tensor, indices: IndexTensor<D>, options: unpool.MaxUnpoolOptions): Promise<Tensor> {
    return unpool.maxUnpoolBackward(this.impl, 1, dy, indices, options);
  }
  maxUnpool2dBackward<D extends TensorDType>(dy: Tensor, indices: IndexTensor<D>, options: unpool.MaxUnpoolOptions): Promise<Tensor> {
    return unpool.maxUnpoolBackward(this.impl, 2, dy, indices, options);
  }
  maxUnpool3dBackward<D extends TensorDType>(dy: Tensor, indices: IndexTensor<D>, options: unpool.MaxUnpoolOptions): Promise<Tensor> {
    return unpool.maxUnpoolBackward(this.impl, 3, dy, indices, options);
  }
  fractionalMaxPool2d<O extends fractional.FractionalMaxPoolOptions>(x: Tensor, options: O): Promise<MaxPoolResultFor<O>> {
    return fractional.fractionalMaxPool(this.impl, 2, x, options) as Promise<MaxPoolResultFor<O>>;
  }
  fractionalMaxPool3d<O extends fractional.FractionalMaxPoolOptions>(x: Tensor, options: O): Promise<MaxPoolResultFor<O>> {
    return fractional.fractionalMaxPool(this.impl, 3, x, options) as Promise<MaxPoolResultFor<O>>;
  }
  fractionalMaxPool2dBackward<D extends TensorDType>(dy: Tensor, indices: IndexTensor<D>, options: fractional.FractionalBackwardOptions): Promise<Tensor> {
    return fractional.fractionalMaxPoolBackward(this.impl, 2, dy, indices, options);
  }
  fractionalMaxPool3dBackward<D extends TensorDType>(dy: Tensor, indices: IndexTensor<D>, options: fractional.FractionalBackwardOptions): Promise<Tensor> {
    return fractional.fractionalMaxPoolBackward(this.impl, 3, dy, indices, options);
  }

  /**
   * What tuning chose on this context (docs/tuning.md): its mode, each decision (tuning key → kernel,
   * the rules' pick, the measured medians, the measuring cost) and the table to store or ship.
   * On the CPU backend: mode 'rules', no decisions.
   */
  get tuning(): PoolingTuning {
    const tuner = this.impl.tuner;
    return {
      mode: tuner?.mode ?? 'rules',
      decisions: () => tuner?.decisions() ?? [],
      export: () => tuner?.export() ?? emptyTable(),
    };
  }

  stats(): PoolingStats {
    return this.impl.stats();
  }

  /** Frees every GPU resource the context owns (and its device, unless the application passed one). */
  destroy(): void {
    this.impl.destroy();
  }
}
