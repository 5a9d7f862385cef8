/**
 * The one check of index contents: on the CPU (the CPU backend, the reference context and the
 * fallback after a device loss) an index outside [0, volume) is a PoolingError naming its value and
 * position. WebGPU's kernels skip such indices instead (docs/unpool-fractional.md): reading the
 * indices back to check them would cost a round trip per call.
 */
import { invalid } from '../errors.js';

export function checkIndexRange(op: string, indices: Int32Array, volume: number, what: string): void {
  for (let j = 0; j < indices.length; j++) {
    const v = indices[j]!;
    if (v < 0 || v >= volume) invalid(op, 'indices', v, `indices element ${j} (memory order) must be a flat position in [0, ${volume}) of its (n, c) ${what} volume`);
  }
}
