/// <reference types="@webgpu/types" preserve="true" />
/** webgpu-pooling: the public API (docs/api.md). */
export { createPooling, type CreatePoolingOptions } from './create.js';
export { Pooling, type PoolingStats, type PoolingTuning, type TensorOptions } from './pooling.js';
export { fileTuningStore, localStorageTuningStore, memoryTuningStore, type TuningStore } from './tuning/store.js';
export { TUNING_TABLE_VERSION, type TuningEntry, type TuningTable } from './tuning/table.js';
export type { TuningDecision, TuningMode } from './tuning/tuner.js';
export type { TuningOptions } from './tuning/options.js';
export { PoolingError } from './errors.js';
export { Tensor, type IndexTensor, type TensorData, type TensorDType, type Float16ArrayLike } from './tensor.js';
export type { NodeAdapterKind } from './host/node-gpu.js';
export type { MaxPoolResult, MaxPoolResultFor } from './backend.js';
export type * from './types.js';
export type { AdaptiveAvgPoolOptions, AdaptiveMaxPoolOptions, AdaptiveBackwardOptions, AdaptiveOutputSize } from './api/adaptive.js';
export type { LpPoolOptions, LpPoolBackwardOptions } from './api/lp.js';
export type { MaxUnpoolOptions } from './api/unpool.js';
export type { FractionalMaxPoolOptions, FractionalBackwardOptions } from './api/fractional.js';
