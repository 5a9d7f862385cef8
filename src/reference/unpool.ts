/**
 * Max-unpooling, the literal reading of docs/unpool-fractional.md (f64 oracle): y starts at zero
 * and every x value, taken in increasing flat position of its (n, c) volume, is written at its
 * index, so where indices repeat the last write (the largest source position) stays. An index
 * outside the output volume is a PoolingError. The backward op reads dy at each index.
 */
import { invalid } from '../errors.js';
import type { UnpoolShape } from '../kernels/unpool.js';

const count = (v: readonly number[]) => v.reduce((a, b) => a * b, 1);

/** Memory offset of element (n, c, v) of a tensor with `vol` elements per volume. */
function at(channelsLast: boolean, C: number, vol: number, n: number, c: number, v: number): number {
  return channelsLast ? (n * vol + v) * C + c : (n * C + c) * vol + v;
}

function checkIndex(op: string, idx: number, vol: number, j: number): void {
  if (!(idx >= 0 && idx < vol)) invalid(op, 'indices', idx, `indices element ${j} must be a position in [0, ${vol}) of its (n, c) output volume`);
}

export function maxUnpoolForward(x: Float32Array, indices: Int32Array, channelsLast: boolean, s: UnpoolShape): Float32Array {
  const inVol = count(s.inSize);
  const outVol = count(s.outSize);
  const y = new Float64Array(s.N * s.C * outVol);
  for (let n = 0; n < s.N; n++) {
    for (let c = 0; c < s.C; c++) {
      for (let v = 0; v < inVol; v++) {
        const j = at(channelsLast, s.C, inVol, n, c, v);
        const idx = indices[j]!;
        checkIndex('maxUnpool', idx, outVol, j);
        y[at(channelsLast, s.C, outVol, n, c, idx)] = x[j]!;
      }
    }
  }
  return Float32Array.from(y);
}

export function maxUnpoolBackward(dy: Float32Array, indices: Int32Array, channelsLast: boolean, s: UnpoolShape): Float32Array {
  const inVol = count(s.inSize);
  const outVol = count(s.outSize);
  const dx = new Float32Array(s.N * s.C * inVol);
  for (let n = 0; n < s.N; n++) {
    for (let c = 0; c < s.C; c++) {
      for (let v = 0; v < inVol; v++) {
        const j = at(channelsLast, s.C, inVol, n, c, v);
        const idx = indices[j]!;
        checkIndex('maxUnpoolBackward', idx, outVol, j);
        dx[j] = dy[at(channelsLast, s.C, outVol, n, c, idx)]!;
      }
    }
  }
  return dx;
}
