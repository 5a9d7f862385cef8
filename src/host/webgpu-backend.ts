/**
 * The WebGPU backend: owns the device (or borrows the application's), the buffer pool, and the
 * submission of every op. Each op runs inside validation and out-of-memory error scopes, so a GPU
 * failure becomes a PoolingError with the GPU's error as `cause`, and the context stays usable.
 */
import type { MaxPoolResult, PoolingBackend } from '../backend.js';
import { PoolingError } from '../errors.js';
import { avgPoolForwardPlan } from '../kernels/avg-pool.js';
import { globalPoolPlan, type GlobalKind } from '../kernels/global-pool.js';
import type { BindingBuffers } from '../kernels/kernel.js';
import { maxPoolForwardPlan } from '../kernels/max-pool.js';
import { Tensor, type TensorOwner } from '../tensor.js';
import type { AdapterInfoSummary, AvgPoolParams, BackwardAlgorithm, Layout, MaxPoolParams, PlaneShape, PoolGeometry } from '../types.js';
import { BufferPool } from './buffer-pool.js';
import { BufferUsage, MapMode } from './gpu-flags.js';
import { encodeSteps, type Step, type TimestampSink } from './dispatch.js';
import { pipelineCount } from './pipeline-cache.js';
import { gpuBackward } from './webgpu-backward.js';

const STORAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;

export interface LostInfo {
  reason: string;
  message: string;
}

export class WebGpuBackend implements PoolingBackend, TensorOwner {
  readonly name = 'webgpu' as const;
  readonly pool: BufferPool;
  readonly lost: Promise<LostInfo>;
  /** Set by the benchmark to time the next op's passes with timestamp queries. */
  timestamps: TimestampSink | undefined;
  private lostInfo: LostInfo | undefined;
  private destroyed = false;

  constructor(
    readonly device: GPUDevice,
    readonly adapterInfo: AdapterInfoSummary | null,
    private readonly ownsDevice: boolean,
  ) {
    this.pool = new BufferPool(device);
    this.lost = device.lost.then((info) => {
      this.lostInfo = { reason: info.reason ?? 'unknown', message: info.message };
      return this.lostInfo;
    });
  }

  checkUsable(op: string): void {
    if (this.destroyed) throw new PoolingError(op, undefined, 'the pooling context was destroyed');
    if (this.lostInfo) {
      throw new PoolingError(op, undefined, `the GPU device was lost (${this.lostInfo.reason}: ${this.lostInfo.message}); call createPooling() again`);
    }
  }

  upload<D extends 'float32' | 'int32'>(data: D extends 'int32' ? Int32Array : Float32Array, shape: readonly number[], layout: Layout, dtype: D): Tensor<D> {
    const buffer = this.pool.acquire(data.byteLength, STORAGE, 'tensor');
    this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return new Tensor(this, [...shape], layout, dtype, { buffer, byteLength: data.byteLength, owned: true });
  }

  wrapBuffer(buffer: GPUBuffer, shape: readonly number[], layout: Layout, dtype: 'float32' | 'int32'): Tensor {
    const byteLength = shape.reduce((a, b) => a * b, 1) * 4;
    return new Tensor(this, [...shape], layout, dtype, { buffer, byteLength, owned: false });
  }

  /** An output tensor in a pooled buffer. */
  allocate<D extends 'float32' | 'int32'>(shape: readonly number[], layout: Layout, dtype: D): Tensor<D> {
    const byteLength = shape.reduce((a, b) => a * b, 1) * 4;
    const buffer = this.pool.acquire(byteLength, STORAGE, 'tensor');
    return new Tensor(this, [...shape], layout, dtype, { buffer, byteLength, owned: true });
  }

  releaseTensor(t: Tensor): void {
    const s = t.storage('destroy');
    if (s.owned && s.buffer) this.pool.release(s.buffer);
  }

  async readTensor(t: Tensor): Promise<Float32Array | Int32Array> {
    const { buffer, byteLength } = t.storage('read');
    return this.withErrorScopes('read', async () => {
      const staging = this.pool.acquire(byteLength, BufferUsage.MAP_READ | BufferUsage.COPY_DST, 'read-back');
      try {
        const encoder = this.device.createCommandEncoder({ label: 'read-back' });
        encoder.copyBufferToBuffer(buffer!, 0, staging, 0, byteLength);
        this.device.queue.submit([encoder.finish()]);
        await staging.mapAsync(MapMode.READ, 0, byteLength);
        const bytes = staging.getMappedRange(0, byteLength).slice(0);
        staging.unmap();
        return t.dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes);
      } finally {
        this.pool.release(staging);
      }
    });
  }

  /** Runs `body` inside validation and out-of-memory scopes; a GPU error becomes a PoolingError. */
  async withErrorScopes<T>(op: string, body: () => Promise<T> | T): Promise<T> {
    this.checkUsable(op);
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    let result: T | undefined;
    let thrown: unknown;
    try {
      result = await body();
    } catch (e) {
      thrown = e;
    }
    const validation = await this.device.popErrorScope();
    const oom = await this.device.popErrorScope();
    if (this.lostInfo) this.checkUsable(op);
    const gpuError = validation ?? oom;
    if (gpuError) {
      const kind = validation ? 'GPU validation error' : 'GPU out-of-memory error';
      throw new PoolingError(op, undefined, `${kind}: ${gpuError.message}`, { cause: gpuError });
    }
    if (thrown !== undefined) {
      if (thrown instanceof PoolingError) throw thrown;
      throw new PoolingError(op, undefined, `GPU call failed: ${(thrown as Error)?.message ?? String(thrown)}`, { cause: thrown });
    }
    return result as T;
  }

  /** Encodes the steps into one submission; outputs are released again if anything fails. */
  async submit(op: string, steps: readonly Step[], buffers: BindingBuffers, outputs: readonly Tensor[]): Promise<void> {
    try {
      await this.withErrorScopes(op, () => {
        const encoder = this.device.createCommandEncoder({ label: op });
        const uniforms = encodeSteps(this.device, encoder, this.pool, steps, buffers, this.timestamps);
        this.device.queue.submit([encoder.finish()]);
        for (const u of uniforms) this.pool.release(u);
      });
    } catch (e) {
      for (const t of outputs) t.destroy();
      throw e;
    }
  }

  async maxPool2d(x: Tensor, p: MaxPoolParams, layout: Layout, withIndices: boolean): Promise<MaxPoolResult> {
    const shape = [p.N, p.C, p.outH, p.outW];
    const output = this.allocate(shape, layout, 'float32');
    const indices = withIndices ? this.allocate(shape, layout, 'int32') : undefined;
    const buffers: Record<string, GPUBuffer> = { x: x.storage('maxPool2d').buffer!, y: output.buffer! };
    if (indices) buffers.indices = indices.buffer!;
    const outputs = indices ? [output, indices] : [output];
    await this.submit('maxPool2d', [{ kind: 'kernel', plan: maxPoolForwardPlan(p, layout, withIndices) }], buffers, outputs);
    return indices ? { output, indices } : { output };
  }

  async avgPool2d(x: Tensor, p: AvgPoolParams, layout: Layout): Promise<Tensor<'float32'>> {
    const output = this.allocate([p.N, p.C, p.outH, p.outW], layout, 'float32');
    await this.submit('avgPool2d', [{ kind: 'kernel', plan: avgPoolForwardPlan(p, layout) }], { x: x.storage('avgPool2d').buffer!, y: output.buffer! }, [output]);
    return output;
  }

  private async globalPool(kind: GlobalKind, op: string, x: Tensor, s: PlaneShape, layout: Layout, outShape: readonly number[]) {
    const plan = globalPoolPlan(kind, s, layout, this.device.limits.maxComputeInvocationsPerWorkgroup);
    const output = this.allocate(outShape, layout, 'float32');
    // Max always tracks positions: ties and NaN are decided by them even when not returned.
    const indices = kind === 'max' ? this.allocate(outShape, layout, 'int32') : undefined;
    const temporaries = plan.partialCount > 0 ? [this.allocate([plan.partialCount], layout, 'float32'), this.allocate([plan.partialCount], layout, 'int32')] : [];
    const buffers: Record<string, GPUBuffer> = { x: x.storage(op).buffer!, y: output.buffer! };
    if (indices) buffers.y_indices = indices.buffer!;
    if (temporaries.length) {
      buffers.partials = temporaries[0]!.buffer!;
      buffers.partial_indices = temporaries[1]!.buffer!;
    }
    try {
      await this.submit(op, plan.passes.map((p) => ({ kind: 'kernel' as const, plan: p })), buffers, indices ? [output, indices] : [output]);
    } finally {
      for (const t of temporaries) t.destroy();
    }
    return { output, indices };
  }

  async globalMaxPool(x: Tensor, s: PlaneShape, layout: Layout, outShape: readonly number[]): Promise<MaxPoolResult> {
    const { output, indices } = await this.globalPool('max', 'globalMaxPool', x, s, layout, outShape);
    return { output, indices: indices as Tensor<'int32'> };
  }

  async globalAvgPool(x: Tensor, s: PlaneShape, layout: Layout, outShape: readonly number[]): Promise<Tensor<'float32'>> {
    return (await this.globalPool('avg', 'globalAvgPool', x, s, layout, outShape)).output;
  }

  maxPool2dBackward(dy: Tensor, indices: Tensor, p: PoolGeometry, layout: Layout, algorithm: BackwardAlgorithm): Promise<Tensor<'float32'>> {
    return gpuBackward.maxPool2d(this, dy, indices, p, layout, algorithm);
  }

  avgPool2dBackward(dy: Tensor, p: AvgPoolParams, layout: Layout, algorithm: BackwardAlgorithm): Promise<Tensor<'float32'>> {
    return gpuBackward.avgPool2d(this, dy, p, layout, algorithm);
  }

  globalMaxPoolBackward(dy: Tensor, indices: Tensor, s: PlaneShape, layout: Layout): Promise<Tensor<'float32'>> {
    return gpuBackward.globalMaxPool(this, dy, indices, s, layout);
  }

  globalAvgPoolBackward(dy: Tensor, s: PlaneShape, layout: Layout): Promise<Tensor<'float32'>> {
    return gpuBackward.globalAvgPool(this, dy, s, layout);
  }

  stats() {
    return { ...this.pool.stats(), pipelines: pipelineCount(this.device) };
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.pool.destroyAll();
    if (this.ownsDevice) this.device.destroy();
  }
}
