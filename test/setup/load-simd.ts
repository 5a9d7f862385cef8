// The CPU backend's WebAssembly SIMD kernels load lazily (createPooling awaits them); suites that
// call the CPU kernels directly get them loaded first, as a CPU context would.
import { loadSimdKernels } from '../../src/cpu/simd.js';

await loadSimdKernels();
