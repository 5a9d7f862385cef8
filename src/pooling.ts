/**
 * The public context (spec/API.md): validates every argument, then hands the work to a backend.
 * Nothing is dispatched for a call that fails validation.
 */
import type { MaxPoolResult, PoolingBackend } from './backend.js';
import { invalid } from './errors.js';
import { BufferUsage } from './host/gpu-flags.js';
import { backwardKeys, checkKnownKeys, checkOptionsObject, checkShape4, checkShapeEquals, planeShape, requireInputShape, resolveAvgPool, resolveBackwardAlgorithm, resolveMaxPool } from './params.js';
import type { Tensor } from './tensor.js';
import { checkFloatDType, checkLayout, checkRank4Tensor, checkTensor, toFloat32 } from './tensor-checks.js';
import type {
  AdapterInfoSummary,
  AvgPool2dBackwardOptions,
  AvgPool2dOptions,
  BackendName,
  GlobalBackwardOptions,
  GlobalMaxPoolOptions,
  GlobalPoolOptions,
  Layout,
  MaxPool2dBackwardOptions,
  MaxPool2dOptions,
} from './types.js';

export interface TensorOptions {
  layout?: Layout;
  dtype?: 'float32' | 'float16';
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

/** The shape and options shared by tensor() and fromGPUBuffer(). */
function tensorArgs(op: string, shape: readonly number[], options: TensorOptions): { s: [number, number, number, number]; layout: Layout } {
  const o = checkOptionsObject(op, options, false);
  checkKnownKeys(op, o, ['layout', 'dtype']);
  const s = checkShape4(op, 'shape', shape);
  const layout = checkLayout(op, o.layout);
  checkFloatDType(op, o.dtype);
  return { s, layout };
}

export class Pooling {
  constructor(readonly impl: PoolingBackend) {}

  get backend(): BackendName {
    return this.impl.name;
  }

  get adapterInfo(): AdapterInfoSummary | null {
    return this.impl.adapterInfo;
  }

  /** Resolves when the GPU device is lost; later calls then fail with a PoolingError. */
  get lost(): Promise<{ reason: string; message: string }> {
    return this.impl.lost;
  }

  private usable(op: string): void {
    this.impl.checkUsable(op);
  }

  tensor(data: Float32Array | ArrayLike<number>, shape: readonly number[], options: TensorOptions = {}): Tensor<'float32'> {
    const op = 'tensor';
    this.usable(op);
    const { s, layout } = tensorArgs(op, shape, options);
    return this.impl.upload(toFloat32(op, data, s[0] * s[1] * s[2] * s[3]), s, layout, 'float32');
  }

  fromGPUBuffer(buffer: GPUBuffer, shape: readonly number[], options: TensorOptions = {}): Tensor<'float32'> {
    const op = 'fromGPUBuffer';
    this.usable(op);
    const { s, layout } = tensorArgs(op, shape, options);
    if (typeof buffer !== 'object' || buffer === null || typeof (buffer as GPUBuffer).size !== 'number') invalid(op, 'buffer', buffer, 'must be a GPUBuffer');
    const bytes = s[0] * s[1] * s[2] * s[3] * 4;
    if (buffer.size < bytes) invalid(op, 'buffer', buffer.size, `the buffer holds ${buffer.size} bytes; shape [${s.join(', ')}] needs ${bytes}`);
    if ((buffer.usage & BufferUsage.STORAGE) === 0) invalid(op, 'buffer', buffer.usage, 'the buffer needs STORAGE usage');
    return this.impl.wrapBuffer(buffer, s, layout, 'float32') as Tensor<'float32'>;
  }

  async maxPool2d(x: Tensor, options: MaxPool2dOptions): Promise<MaxPoolResult> {
    const op = 'maxPool2d';
    this.usable(op);
    const input = checkTensor(op, 'x', x, this.impl, 'float32');
    const p = resolveMaxPool(op, checkRank4Tensor(op, 'x', input), options);
    return this.impl.maxPool2d(input, p, input.layout, options.returnIndices === true);
  }

  async maxPool2dBackward(dy: Tensor, indices: Tensor, options: MaxPool2dBackwardOptions): Promise<Tensor<'float32'>> {
    const op = 'maxPool2dBackward';
    this.usable(op);
    const o = checkOptionsObject(op, options, true);
    const inputShape = requireInputShape(op, o);
    const p = resolveMaxPool(op, inputShape, o, backwardKeys);
    const algorithm = resolveBackwardAlgorithm(op, o.backward);
    const g = checkTensor(op, 'dy', dy, this.impl, 'float32');
    const idx = checkTensor(op, 'indices', indices, this.impl, 'int32');
    const outShape = [p.N, p.C, p.outH, p.outW];
    checkShapeEquals(op, 'dy', g.shape, outShape, 'the forward output shape for inputShape and these options');
    checkShapeEquals(op, 'indices', idx.shape, outShape, 'the forward output shape for inputShape and these options');
    if (idx.layout !== g.layout) invalid(op, 'indices', idx.layout, `layout must match dy's (${g.layout})`);
    return this.impl.maxPool2dBackward(g, idx, p, g.layout, algorithm);
  }

  async avgPool2d(x: Tensor, options: AvgPool2dOptions): Promise<Tensor<'float32'>> {
    const op = 'avgPool2d';
    this.usable(op);
    const input = checkTensor(op, 'x', x, this.impl, 'float32');
    const p = resolveAvgPool(op, checkRank4Tensor(op, 'x', input), options);
    return this.impl.avgPool2d(input, p, input.layout);
  }

  async avgPool2dBackward(dy: Tensor, options: AvgPool2dBackwardOptions): Promise<Tensor<'float32'>> {
    const op = 'avgPool2dBackward';
    this.usable(op);
    const o = checkOptionsObject(op, options, true);
    const inputShape = requireInputShape(op, o);
    const p = resolveAvgPool(op, inputShape, o, backwardKeys);
    const algorithm = resolveBackwardAlgorithm(op, o.backward);
    const g = checkTensor(op, 'dy', dy, this.impl, 'float32');
    checkShapeEquals(op, 'dy', g.shape, [p.N, p.C, p.outH, p.outW], 'the forward output shape for inputShape and these options');
    return this.impl.avgPool2dBackward(g, p, g.layout, algorithm);
  }

  async globalMaxPool(x: Tensor, options: GlobalMaxPoolOptions = {}): Promise<MaxPoolResult> {
    const op = 'globalMaxPool';
    this.usable(op);
    const o = checkOptionsObject(op, options, false);
    checkKnownKeys(op, o, ['returnIndices', 'keepDims']);
    const returnIndices = checkBoolean(op, 'returnIndices', o.returnIndices);
    const outShape = this.globalOutShape(op, o);
    const input = checkTensor(op, 'x', x, this.impl, 'float32');
    const s = planeShape(checkRank4Tensor(op, 'x', input));
    const r = await this.impl.globalMaxPool(input, s, input.layout, [s.N, s.C, ...outShape]);
    if (returnIndices) return r;
    r.indices?.destroy();
    return { output: r.output };
  }

  async globalMaxPoolBackward(dy: Tensor, indices: Tensor, options: GlobalBackwardOptions): Promise<Tensor<'float32'>> {
    const op = 'globalMaxPoolBackward';
    this.usable(op);
    const o = checkOptionsObject(op, options, true);
    checkKnownKeys(op, o, ['inputShape', 'keepDims', 'returnIndices']);
    // Accepted so that the forward's options can be passed along; still checked.
    checkBoolean(op, 'keepDims', o.keepDims);
    checkBoolean(op, 'returnIndices', o.returnIndices);
    const s = planeShape(requireInputShape(op, o));
    const g = checkTensor(op, 'dy', dy, this.impl, 'float32');
    const idx = checkTensor(op, 'indices', indices, this.impl, 'int32');
    this.checkGlobalGradShape(op, 'dy', g.shape, s.N, s.C);
    this.checkGlobalGradShape(op, 'indices', idx.shape, s.N, s.C);
    return this.impl.globalMaxPoolBackward(g, idx, s, g.layout);
  }

  async globalAvgPool(x: Tensor, options: GlobalPoolOptions = {}): Promise<Tensor<'float32'>> {
    const op = 'globalAvgPool';
    this.usable(op);
    const o = checkOptionsObject(op, options, false);
    checkKnownKeys(op, o, ['keepDims']);
    const outShape = this.globalOutShape(op, o);
    const input = checkTensor(op, 'x', x, this.impl, 'float32');
    const s = planeShape(checkRank4Tensor(op, 'x', input));
    return this.impl.globalAvgPool(input, s, input.layout, [s.N, s.C, ...outShape]);
  }

  async globalAvgPoolBackward(dy: Tensor, options: GlobalBackwardOptions): Promise<Tensor<'float32'>> {
    const op = 'globalAvgPoolBackward';
    this.usable(op);
    const o = checkOptionsObject(op, options, true);
    checkKnownKeys(op, o, ['inputShape', 'keepDims']);
    checkBoolean(op, 'keepDims', o.keepDims);
    const s = planeShape(requireInputShape(op, o));
    const g = checkTensor(op, 'dy', dy, this.impl, 'float32');
    this.checkGlobalGradShape(op, 'dy', g.shape, s.N, s.C);
    return this.impl.globalAvgPoolBackward(g, s, g.layout);
  }

  private globalOutShape(op: string, o: Record<string, unknown>): number[] {
    return checkBoolean(op, 'keepDims', o.keepDims) ? [1, 1] : [];
  }

  private checkGlobalGradShape(op: string, name: string, shape: readonly number[], N: number, C: number): void {
    const ok = shape.length >= 2 && shape[0] === N && shape[1] === C && shape.slice(2).every((d) => d === 1) && shape.length <= 4;
    if (!ok) invalid(op, name, shape, `shape must be [${N}, ${C}] or [${N}, ${C}, 1, 1] (the global output for inputShape)`);
  }

  stats(): PoolingStats {
    return this.impl.stats();
  }

  /** Frees every GPU resource the context owns (and its device, unless the application passed one). */
  destroy(): void {
    this.impl.destroy();
  }
}
