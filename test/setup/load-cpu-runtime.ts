// The CPU runtime (the CPU backend, its JavaScript and WebAssembly SIMD kernels, the references)
// loads lazily: createPooling awaits it before it returns a context that runs on the CPU. Suites
// that call descriptors' host kernels directly get it loaded first, as a CPU context would.
import { loadCpuRuntime } from '../../src/cpu-runtime-loader.js';

await loadCpuRuntime();
