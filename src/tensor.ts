/**
 * A tensor handle: a logical channel-first shape of rank 2-5 ([N, C, ...spatial]), a memory layout, and
 * storage on the backend that made it: a GPUBuffer on WebGPU, a typed array on the CPU backend.
 * Tensors stay where they are; only read() copies data back.
 */
import { PoolingError } from './errors.js';
import type { DType, TensorLayout } from './types.js';

/** Indices of max pooling are int32; values are float32 (float16 is planned). */
export type TensorDType = DType | 'int32';
export type TensorData<D extends TensorDType> = D extends 'int32' ? Int32Array : Float32Array;

/** What a tensor needs from the backend that owns it. */
export interface TensorOwner {
  readTensor(t: Tensor): Promise<Float32Array | Int32Array>;
  releaseTensor(t: Tensor): void;
  /** Throws a PoolingError when the owner was destroyed or its device was lost. */
  checkUsable(op: string): void;
}

export interface TensorStorage {
  readonly buffer?: GPUBuffer;
  readonly data?: Float32Array | Int32Array;
  /** Bytes of real data at the start of the buffer (pooled buffers may be larger). */
  readonly byteLength: number;
  /** False for buffers wrapped with fromGPUBuffer: the application keeps ownership. */
  readonly owned: boolean;
}

export class Tensor<D extends TensorDType = TensorDType> {
  #storage: TensorStorage | null;

  constructor(
    readonly owner: TensorOwner,
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

  /** Internal: the storage, or a PoolingError naming `op` when the tensor was destroyed. */
  storage(op: string): TensorStorage {
    if (!this.#storage) throw new PoolingError(op, 'tensor', 'the tensor was destroyed; it can no longer be used');
    return this.#storage;
  }

  async read(): Promise<TensorData<D>> {
    this.storage('read');
    this.owner.checkUsable('read');
    return (await this.owner.readTensor(this)) as TensorData<D>;
  }

  destroy(): void {
    if (!this.#storage) return;
    this.owner.releaseTensor(this);
    this.#storage = null;
  }
}
