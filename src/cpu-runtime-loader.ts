/**
 * Loads the CPU runtime (cpu-runtime.ts: the CPU backend and every host kernel), once, with its
 * SIMD kernels. createPooling awaits it before it returns a context that runs on the CPU or falls
 * back to it; from then on `cpuRuntime()` gives it synchronously to the descriptors' host kernels.
 */
import type * as Runtime from './cpu-runtime.js';

export type CpuRuntime = typeof Runtime;

let loaded: CpuRuntime | undefined;
let loading: Promise<CpuRuntime> | undefined;

export function loadCpuRuntime(): Promise<CpuRuntime> {
  loading ??= import('./cpu-runtime.js').then(
    async (runtime) => {
      await runtime.loadSimdKernels();
      loaded = runtime;
      return runtime;
    },
    (e: unknown) => {
      // A chunk that failed to load (a network error in a page) may load on the next try.
      loading = undefined;
      throw e;
    },
  );
  return loading;
}

/** The loaded runtime. Only code that runs on the CPU calls this, after createPooling loaded it. */
export function cpuRuntime(): CpuRuntime {
  if (!loaded) throw new Error('internal: the CPU runtime is used before loadCpuRuntime() has loaded it');
  return loaded;
}
