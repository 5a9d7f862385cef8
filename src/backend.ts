/**
 * What the context (src/pooling.ts) asks of a backend once every argument has been validated:
 * each op takes tensors of this backend and resolved parameters, and returns new tensors.
 */
import type { HostData, Tensor, TensorDType, TensorOwner } from './tensor.js';
import type { OpDescriptor } from './ops/descriptor.js';
import type { Tuner } from './tuning/tuner.js';
import type { AdapterInfoSummary, BackendName, TensorLayout } from './types.js';

export interface MaxPoolResult {
  output: Tensor<'float32'>;
  indices?: Tensor<'int32'>;
}

/**
 * What a max op resolves to for its options: `indices` is present (not optional) when the options
 * say `returnIndices: true` in their type, as an inline `{ ..., returnIndices: true }` does.
 */
export type MaxPoolResultFor<O> = [O] extends [{ returnIndices: true }] ? MaxPoolResult & { indices: Tensor<'int32'> } : MaxPoolResult;

export interface PoolingBackend extends TensorOwner {
  readonly name: BackendName;
  readonly adapterInfo: AdapterInfoSummary | null;
  /** Threads the backend's kernels use (the CPU backend's `threads`); absent: 1. */
  readonly threads?: number;
  /** Resolves when the device is lost (never on the CPU backend). */
  readonly lost: Promise<{ reason: string; message: string }>;
  /** The WebGPU backend's tuner (src/tuning/); absent on the CPU backend. */
  readonly tuner?: Tuner | undefined;

  upload<D extends TensorDType>(data: D extends 'int32' ? Int32Array : D extends 'float16' ? Uint16Array : Float32Array, shape: readonly number[], layout: TensorLayout, dtype: D): Tensor<D>;
  wrapBuffer(buffer: GPUBuffer, shape: readonly number[], layout: TensorLayout, dtype: TensorDType): Tensor;

  /** Runs any op descriptor (src/ops/) on this backend: its GPU plan, or its CPU kernel. */
  run<P>(d: OpDescriptor<P>, p: P, inputs: Record<string, Tensor>): Promise<Tensor | MaxPoolResult>;

  stats(): { liveBuffers: number; liveBytes: number; pooledBuffers: number; pooledBytes: number; pipelines: number };
  destroy(): void;
}
