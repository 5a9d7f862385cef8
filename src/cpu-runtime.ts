/**
 * The CPU backend with every host kernel: the JavaScript and WebAssembly kernels, the f64
 * references, and the slicing that keeps the event loop beating. A chunk of its own in the
 * package's bundle, loaded (cpu-runtime-loader.ts) only when a context runs on the CPU or may fall
 * back to it, so that an app on WebGPU alone never fetches it. The op descriptors reach their host
 * kernels through `cpuRuntime()`.
 */
export { CpuBackend } from './cpu-backend.js';
export { loadSimdKernels, startCpuThreads } from './cpu/simd.js';
export { defaultThreadCount } from './cpu/threads.js';
export * as kernels from './cpu/index.js';
export * as adaptiveKernels from './cpu/adaptive.js';
export * as lpKernels from './cpu/lp-pool.js';
export * as unpoolKernels from './cpu/unpool.js';
export * as fractionalKernels from './cpu/fractional-pool.js';
export * as globalPixelRuns from './cpu/global-pixel-runs.js';
export * as reference from './reference/index.js';
export * as adaptiveReference from './reference/adaptive.js';
export * as lpReference from './reference/lp-pool.js';
export * as unpoolReference from './reference/unpool.js';
export * as fractionalReference from './reference/fractional-pool.js';
