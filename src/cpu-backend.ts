/**
 * The CPU backend: tensors are typed arrays and every op runs the fast CPU kernels of src/cpu/,
 * which test/cpu-fast.test.ts holds to the f64 reference (src/reference/, the oracle).
 */
import type { MaxPoolResult, PoolingBackend } from './backend.js';
import { PoolingError } from './errors.js';
import * as fast from './cpu/index.js';
import { Tensor, type TensorOwner } from './tensor.js';
import type { AvgPoolParams, Layout, MaxPoolParams, PlaneShape, PoolGeometry } from './types.js';

export class CpuBackend implements PoolingBackend, TensorOwner {
  readonly name = 'cpu' as const;
  readonly adapterInfo = null;
  readonly lost = new Promise<{ reason: string; message: string }>(() => {});
  private destroyed = false;
  private liveTensors = 0;
  private liveBytes = 0;

  checkUsable(op: string): void {
    if (this.destroyed) throw new PoolingError(op, undefined, 'the pooling context was destroyed');
  }

  upload<D extends 'float32' | 'int32'>(data: D extends 'int32' ? Int32Array : Float32Array, shape: readonly number[], layout: Layout, dtype: D): Tensor<D> {
    // Copied so that later changes to the caller's array do not reach the tensor, as on the GPU.
    const copy = dtype === 'int32' ? new Int32Array(data) : new Float32Array(data);
    return this.make(copy, shape, layout, dtype);
  }

  wrapBuffer(): Tensor {
    throw new PoolingError('fromGPUBuffer', 'backend', "the CPU backend has no GPU buffers; use backend 'webgpu'");
  }

  private make<D extends 'float32' | 'int32'>(data: Float32Array | Int32Array, shape: readonly number[], layout: Layout, dtype: D): Tensor<D> {
    this.liveTensors++;
    this.liveBytes += data.byteLength;
    return new Tensor(this, [...shape], layout, dtype, { data, byteLength: data.byteLength, owned: true });
  }

  private values(t: Tensor, op: string): Float32Array {
    return t.storage(op).data as Float32Array;
  }

  private ints(t: Tensor, op: string): Int32Array {
    return t.storage(op).data as Int32Array;
  }

  async readTensor(t: Tensor): Promise<Float32Array | Int32Array> {
    const data = t.storage('read').data!;
    return data.slice();
  }

  releaseTensor(t: Tensor): void {
    this.liveTensors--;
    this.liveBytes -= t.storage('destroy').byteLength;
  }

  async maxPool2d(x: Tensor, p: MaxPoolParams, layout: Layout, withIndices: boolean): Promise<MaxPoolResult> {
    const r = fast.maxPool2dForward(this.values(x, 'maxPool2d'), layout, p, withIndices);
    const shape = [p.N, p.C, p.outH, p.outW];
    const output = this.make(r.output, shape, layout, 'float32');
    return r.indices !== null ? { output, indices: this.make(r.indices, shape, layout, 'int32') } : { output };
  }

  async maxPool2dBackward(dy: Tensor, indices: Tensor, p: PoolGeometry, layout: Layout): Promise<Tensor<'float32'>> {
    const op = 'maxPool2dBackward';
    return this.make(fast.maxPool2dBackward(this.values(dy, op), this.ints(indices, op), layout, p), [p.N, p.C, p.H, p.W], layout, 'float32');
  }

  async avgPool2d(x: Tensor, p: AvgPoolParams, layout: Layout): Promise<Tensor<'float32'>> {
    return this.make(fast.avgPool2dForward(this.values(x, 'avgPool2d'), layout, p), [p.N, p.C, p.outH, p.outW], layout, 'float32');
  }

  async avgPool2dBackward(dy: Tensor, p: AvgPoolParams, layout: Layout): Promise<Tensor<'float32'>> {
    return this.make(fast.avgPool2dBackward(this.values(dy, 'avgPool2dBackward'), layout, p), [p.N, p.C, p.H, p.W], layout, 'float32');
  }

  async globalMaxPool(x: Tensor, s: PlaneShape, layout: Layout, outShape: readonly number[]): Promise<MaxPoolResult> {
    const r = fast.globalMaxPool(this.values(x, 'globalMaxPool'), layout, s);
    return { output: this.make(r.output, outShape, layout, 'float32'), indices: this.make(r.indices, outShape, layout, 'int32') };
  }

  async globalMaxPoolBackward(dy: Tensor, indices: Tensor, s: PlaneShape, layout: Layout): Promise<Tensor<'float32'>> {
    const op = 'globalMaxPoolBackward';
    return this.make(fast.globalMaxPoolBackward(this.values(dy, op), this.ints(indices, op), layout, s), [s.N, s.C, s.H, s.W], layout, 'float32');
  }

  async globalAvgPool(x: Tensor, s: PlaneShape, layout: Layout, outShape: readonly number[]): Promise<Tensor<'float32'>> {
    return this.make(fast.globalAvgPool(this.values(x, 'globalAvgPool'), layout, s), outShape, layout, 'float32');
  }

  async globalAvgPoolBackward(dy: Tensor, s: PlaneShape, layout: Layout): Promise<Tensor<'float32'>> {
    return this.make(fast.globalAvgPoolBackward(this.values(dy, 'globalAvgPoolBackward'), layout, s), [s.N, s.C, s.H, s.W], layout, 'float32');
  }

  stats() {
    return { liveBuffers: this.liveTensors, liveBytes: this.liveBytes, pooledBuffers: 0, pooledBytes: 0, pipelines: 0 };
  }

  destroy(): void {
    this.destroyed = true;
  }
}
