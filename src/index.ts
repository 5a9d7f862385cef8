/** webgpu-pooling: the public API (docs/api.md). */
export { createPooling, type CreatePoolingOptions } from './create.js';
export { Pooling, type PoolingStats, type TensorOptions } from './pooling.js';
export { PoolingError } from './errors.js';
export { Tensor, type TensorDType } from './tensor.js';
export type { MaxPoolResult } from './backend.js';
export type * from './types.js';
