/** CPU reference of every op: the literal reading of docs/semantics.md that GPU kernels are checked against. */
export { maxPool2dForward, maxPool2dBackward } from './max-pool.js';
export { avgPool2dForward, avgPool2dBackward } from './avg-pool.js';
export { avgPoolDivisor } from './avg-divisor.js';
export { maxPoolNdForward, maxPoolNdBackward, avgPoolNdForward, avgPoolNdBackward } from './nd-pool.js';
export { globalMaxPool, globalMaxPoolBackward, globalAvgPool, globalAvgPoolBackward } from './global-pool.js';
export { offsetFn, checkLength } from './layout.js';
export type { OffsetFn } from './layout.js';
