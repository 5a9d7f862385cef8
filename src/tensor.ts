/**
 * A tensor handle: a logical channel-first shape of rank 2-5 ([N, C, ...spatial]), a memory layout, and
 * storage on the backend that made it: a GPUBuffer on WebGPU, a typed array on the CPU backend.
 * Tensors stay where they are; only read() copies data back.
 */
import { PoolingError } from './errors.js';
import { float16ArrayClass, widenHalves } from './half.js';
import type { DType, TensorLayout } from './types.js';

/** Values are float32 or float16 (stored as packed halves); indices of max pooling are int32. */
export type TensorDType = DType | 'int32';
/**
 * What the ops that read indices accept: an int32 tensor, or a tensor whose dtype the type does not
 * know (`Tensor`); a tensor typed float32 or float16 does not compile. The dtype is checked at run
 * time either way.
 */
export type IndexTensor<D extends TensorDType = 'int32'> = 'int32' extends D ? Tensor<D> : Tensor<'int32'>;
/** A Float16Array where the engine has one (typed structurally: not every TypeScript lib declares it). */
export type Float16ArrayLike = ArrayBufferView & ArrayLike<number> & { readonly [Symbol.toStringTag]: 'Float16Array' };
export type TensorData<D extends TensorDType> = D extends 'int32' ? Int32Array : D extends 'float16' ? Uint16Array | Float16ArrayLike : Float32Array;
/** What a backend holds or reads back: float16 as the halves' 16-bit patterns. */
export type HostData = Float32Array | Int32Array | Uint16Array;

/** What a tensor needs from the backend that owns it. */
export interface TensorOwner {
  readTensor(t: Tensor): Promise<HostData>;
  releaseTensor(t: Tensor): void;
  /** Throws a PoolingError when the owner was destroyed or its device was lost. */
  checkUsable(op: string): void;
}

export interface TensorStorage {
  readonly buffer?: GPUBuffer;
  readonly data?: HostData;
  /** Bytes of real data at the start of the buffer (pooled buffers may be larger). */
  readonly byteLength: number;
  /** False for buffers wrapped with fromGPUBuffer: the application keeps ownership. */
  readonly owned: boolean;
}

export class Tensor<D extends TensorDType = TensorDType> {
  #storage: TensorStorage | null;

  /** Tensors come from `pool.tensor()`, `pool.fromGPUBuffer()` and the ops, never from here. */
  constructor(
    /** @internal The backend that made it. */ readonly owner: TensorOwner,
    readonly shape: readonly number[],
    readonly layout: TensorLayout,
    readonly dtype: D,
    storage: TensorStorage,
  ) {
    this.#storage = storage;
  }

  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  get destroyed(): boolean {
    return this.#storage === null;
  }

  /** The GPUBuffer on the WebGPU backend, undefined on the CPU backend. */
  get buffer(): GPUBuffer | undefined {
    return this.#storage?.buffer;
  }

  /** @internal The storage, or a PoolingError naming `op` when the tensor was destroyed. */
  storage(op: string): TensorStorage {
    if (!this.#storage) throw new PoolingError(op, 'tensor', 'the tensor was destroyed; it can no longer be used');
    return this.#storage;
  }

  /** The contents: Float32Array, Int32Array, or for float16 a Float16Array where the engine has one, else a Uint16Array of half bits. */
  async read(): Promise<TensorData<D>> {
    this.storage('read');
    this.owner.checkUsable('read');
    const data = await this.owner.readTensor(this);
    if (this.dtype !== 'float16') return data as TensorData<D>;
    const F16 = float16ArrayClass();
    return (F16 ? new F16(data.buffer, data.byteOffset, data.length) : data) as TensorData<D>;
  }

  /** The values as f32, for every float dtype (float16 widens exactly); an int32 tensor is an error. */
  async readFloat32(): Promise<Float32Array> {
    if (this.dtype === 'int32') throw new PoolingError('readFloat32', 'tensor', 'an int32 tensor holds indices, not float values: use read()');
    this.storage('readFloat32');
    this.owner.checkUsable('readFloat32');
    const data = await this.owner.readTensor(this);
    return this.dtype === 'float16' ? widenHalves(data as Uint16Array) : (data as Float32Array);
  }

  destroy(): void {
    if (!this.#storage) return;
    this.owner.releaseTensor(this);
    this.#storage = null;
  }
}
