/**
 * The fast CPU kernels behind the `cpu` backend: typed arrays, loops specialised per layout, no
 * allocation or closure per element. src/reference/ stays the oracle they are tested against
 * (test/cpu-fast.test.ts); docs/cpu-backend.md has the measurements.
 */
export { maxPool2dForward, type MaxPoolOutput } from './max-pool.js';
export { maxPool2dBackward } from './max-pool-backward.js';
export { avgPool2dForward } from './avg-pool.js';
export { avgPool2dBackward } from './avg-pool-backward.js';
export { globalMaxPool, globalAvgPool } from './global-pool.js';
export { globalMaxPoolBackward, globalAvgPoolBackward } from './global-backward.js';
export { maxPoolNd, maxPoolNdBackward, avgPoolNd, avgPoolNdBackward } from './nd-pool.js';
export { avgPool3dByPlanes, maxPool3dByPlanes } from './volume-by-planes.js';
