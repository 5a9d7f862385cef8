/**
 * The CPU backend: tensors are typed arrays and every op runs the fast CPU kernels of src/cpu/,
 * which test/cpu-fast.test.ts holds to the f64 reference (src/reference/, the oracle).
 */
import type { MaxPoolResult, PoolingBackend } from './backend.js';
import { PoolingError } from './errors.js';
import { descriptorResult, type HostArray, type OpDescriptor } from './ops/descriptor.js';
import { giveBack } from './cpu/host-arrays.js';
import { THREADED_BYTES } from './cpu/simd.js';
import { runInSlices } from './host/cpu-chunks.js';
import { copyInSlices } from './host/yielding.js';
import { Tensor, type HostData, type TensorDType, type TensorOwner } from './tensor.js';
import type { TensorLayout } from './types.js';

/**
 * Uploads of at least this size go into a SharedArrayBuffer when the context has threads: calls that
 * large may run on threads, whose workers read their inputs there (smaller calls stay on one thread,
 * and a plain buffer copies faster).
 */
const SHARED_FROM_BYTES = THREADED_BYTES;

export class CpuBackend implements PoolingBackend, TensorOwner {
  readonly name = 'cpu' as const;
  readonly adapterInfo = null;
  readonly lost = new Promise<{ reason: string; message: string }>(() => {});
  private destroyed = false;
  private liveTensors = 0;
  private liveBytes = 0;
  /** Arrays an op or a read is using across yields, and how many use each. */
  private readonly inUse = new Map<HostData, number>();
  /** Arrays of tensors destroyed while in use: handed back for reuse once the last user is done. */
  private readonly released = new Set<HostData>();

  /**
   * `kernels`: 'fast' runs each descriptor's CPU kernel (the CPU backend users get); 'reference'
   * runs its f64 reference instead, whole (the benchmark checks every op against such a context
   * through the same public API).
   */
  constructor(
    private readonly kernels: 'fast' | 'reference' = 'fast',
    /** Threads the kernels may use (createPooling's `threads`, resolved); 1: the calling thread only. */
    readonly threads = 1,
  ) {}

  checkUsable(op: string): void {
    if (this.destroyed) throw new PoolingError(op, undefined, 'the pooling context was destroyed');
  }

  upload<D extends TensorDType>(data: D extends 'int32' ? Int32Array : D extends 'float16' ? Uint16Array : Float32Array, shape: readonly number[], layout: TensorLayout, dtype: D): Tensor<D> {
    // Copied so that later changes to the caller's array do not reach the tensor, as on the GPU.
    // With threads, into a SharedArrayBuffer, which the kernel threads copy from directly.
    const Ctor = dtype === 'int32' ? Int32Array : dtype === 'float16' ? Uint16Array : Float32Array;
    if (this.threads <= 1 || data.byteLength < SHARED_FROM_BYTES) return this.make(new Ctor(data), shape, layout, dtype);
    const buffer = new SharedArrayBuffer(data.byteLength);
    const copy = dtype === 'int32' ? new Int32Array(buffer) : dtype === 'float16' ? new Uint16Array(buffer) : new Float32Array(buffer);
    copy.set(data);
    return this.make(copy, shape, layout, dtype);
  }

  /** A tensor over `data` itself, not a copy (the CPU fallback's kept contents; the kernels never write inputs). */
  adopt<D extends TensorDType>(data: HostData, shape: readonly number[], layout: TensorLayout, dtype: D): Tensor<D> {
    return this.make(data, shape, layout, dtype);
  }

  wrapBuffer(): Tensor {
    throw new PoolingError('fromGPUBuffer', 'backend', "the CPU backend has no GPU buffers; use backend 'webgpu'");
  }

  private make<D extends TensorDType>(data: HostData, shape: readonly number[], layout: TensorLayout, dtype: D): Tensor<D> {
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

  async readTensor(t: Tensor): Promise<HostData> {
    const data = t.storage('read').data!;
    // A large copy goes in slices that yield; the context may be destroyed meanwhile, and the
    // tensor too (its array is then reused only after the copy).
    const copy = await this.using([data], () => copyInSlices(data));
    this.checkUsable('read');
    return copy;
  }

  releaseTensor(t: Tensor): void {
    const storage = t.storage('destroy');
    this.liveTensors--;
    this.liveBytes -= storage.byteLength;
    // A kernel's output array goes back for reuse (cpu/host-arrays.ts; others are left to the GC),
    // once no op or read still uses it.
    if (!storage.data) return;
    if (this.inUse.has(storage.data)) this.released.add(storage.data);
    else giveBack(storage.data);
  }

  /** Runs `f` with `arrays` marked in use, so that destroying their tensors meanwhile does not hand them out. */
  private async using<T>(arrays: readonly HostData[], f: () => Promise<T>): Promise<T> {
    for (const a of arrays) this.inUse.set(a, (this.inUse.get(a) ?? 0) + 1);
    try {
      return await f();
    } finally {
      for (const a of arrays) {
        const n = this.inUse.get(a)! - 1;
        if (n > 0) {
          this.inUse.set(a, n);
          continue;
        }
        this.inUse.delete(a);
        if (this.released.delete(a)) giveBack(a);
      }
    }
  }

  /** Runs any op descriptor with its CPU kernel over the inputs' typed arrays. */
  async run<P>(d: OpDescriptor<P>, p: P, inputs: Record<string, Tensor>): Promise<Tensor | MaxPoolResult> {
    const host: Record<string, HostArray> = {};
    for (const slot of d.inputs) host[slot] = inputs[slot]!.storage(d.name).data!;
    d.checkHost?.(p, host);
    // Large work runs in slices that yield to the event loop (host/cpu-chunks.ts), small work directly.
    const arrays = this.kernels === 'reference' ? d.reference(p, host) : await this.using(Object.values(host), () => runInSlices(d, p, host, { threads: this.threads }));
    this.checkUsable(d.name);
    const outputs: Record<string, Tensor> = {};
    for (const s of d.outputs(p)) outputs[s.slot] = this.make(arrays[s.slot]!, s.shape, s.layout, s.dtype);
    const result = descriptorResult(d, p, outputs);
    for (const s of d.outputs(p)) if (s.internal) outputs[s.slot]!.destroy();
    return result;
  }

  /** All zeros after destroy(), as on WebGPU: the context holds nothing any more. */
  stats() {
    if (this.destroyed) return { liveBuffers: 0, liveBytes: 0, pooledBuffers: 0, pooledBytes: 0, pipelines: 0 };
    return { liveBuffers: this.liveTensors, liveBytes: this.liveBytes, pooledBuffers: 0, pooledBytes: 0, pipelines: 0 };
  }

  destroy(): void {
    this.destroyed = true;
  }
}
