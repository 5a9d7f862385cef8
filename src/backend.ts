/**
 * What the context (src/pooling.ts) asks of a backend once every argument has been validated:
 * each op takes tensors of this backend and resolved parameters, and returns new tensors.
 */
import type { Tensor, TensorOwner } from './tensor.js';
import type { AdapterInfoSummary, AvgPoolParams, BackendName, BackwardAlgorithm, Layout, MaxPoolParams, PlaneShape, PoolGeometry } from './types.js';

export interface MaxPoolResult {
  output: Tensor<'float32'>;
  indices?: Tensor<'int32'>;
}

export interface PoolingBackend extends TensorOwner {
  readonly name: BackendName;
  readonly adapterInfo: AdapterInfoSummary | null;
  /** Resolves when the device is lost (never on the CPU backend). */
  readonly lost: Promise<{ reason: string; message: string }>;

  upload<D extends 'float32' | 'int32'>(data: D extends 'int32' ? Int32Array : Float32Array, shape: readonly number[], layout: Layout, dtype: D): Tensor<D>;
  wrapBuffer(buffer: GPUBuffer, shape: readonly number[], layout: Layout, dtype: 'float32' | 'int32'): Tensor;

  maxPool2d(x: Tensor, p: MaxPoolParams, layout: Layout, withIndices: boolean): Promise<MaxPoolResult>;
  maxPool2dBackward(dy: Tensor, indices: Tensor, p: PoolGeometry, layout: Layout, algorithm: BackwardAlgorithm): Promise<Tensor<'float32'>>;
  avgPool2d(x: Tensor, p: AvgPoolParams, layout: Layout): Promise<Tensor<'float32'>>;
  avgPool2dBackward(dy: Tensor, p: AvgPoolParams, layout: Layout, algorithm: BackwardAlgorithm): Promise<Tensor<'float32'>>;
  globalMaxPool(x: Tensor, s: PlaneShape, layout: Layout, outShape: readonly number[]): Promise<MaxPoolResult>;
  globalMaxPoolBackward(dy: Tensor, indices: Tensor, s: PlaneShape, layout: Layout): Promise<Tensor<'float32'>>;
  globalAvgPool(x: Tensor, s: PlaneShape, layout: Layout, outShape: readonly number[]): Promise<Tensor<'float32'>>;
  globalAvgPoolBackward(dy: Tensor, s: PlaneShape, layout: Layout): Promise<Tensor<'float32'>>;

  stats(): { liveBuffers: number; liveBytes: number; pooledBuffers: number; pooledBytes: number; pipelines: number };
  destroy(): void;
}
