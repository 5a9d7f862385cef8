/**
 * Max-unpooling on typed arrays (the CPU backend). Per (n, c) volume, sources in increasing flat
 * position, each written at its index: the last write (largest source position) wins, the rule of
 * every backend. Indices outside the output volume are skipped here (the context refuses them on
 * the CPU backend before calling; this path also serves the fallback after a device loss, where
 * WebGPU's rule, skip, applies). No allocation per element.
 */
import type { UnpoolShape } from '../kernels/unpool.js';

const count = (v: readonly number[]) => v.reduce((a, b) => a * b, 1);

export function maxUnpool(x: Float32Array, indices: Int32Array, channelsLast: boolean, s: UnpoolShape): Float32Array {
  const inVol = count(s.inSize);
  const outVol = count(s.outSize);
  const { N, C } = s;
  const y = new Float32Array(N * C * outVol);
  if (channelsLast) {
    for (let n = 0; n < N; n++) {
      const xBase = n * inVol * C;
      const yBase = n * outVol * C;
      for (let v = 0; v < inVol; v++) {
        const j0 = xBase + v * C;
        for (let c = 0; c < C; c++) {
          const idx = indices[j0 + c]!;
          if (idx >= 0 && idx < outVol) y[yBase + idx * C + c] = x[j0 + c]!;
        }
      }
    }
    return y;
  }
  for (let p = 0; p < N * C; p++) {
    const xBase = p * inVol;
    const yBase = p * outVol;
    for (let v = 0; v < inVol; v++) {
      const idx = indices[xBase + v]!;
      if (idx >= 0 && idx < outVol) y[yBase + idx] = x[xBase + v]!;
    }
  }
  return y;
}

/** dx[j] = dy at indices[j] in the same volume; 0 for an index outside it. */
export function maxUnpoolBackward(dy: Float32Array, indices: Int32Array, channelsLast: boolean, s: UnpoolShape): Float32Array {
  const inVol = count(s.inSize);
  const outVol = count(s.outSize);
  const { N, C } = s;
  const dx = new Float32Array(N * C * inVol);
  if (channelsLast) {
    for (let n = 0; n < N; n++) {
      const xBase = n * inVol * C;
      const yBase = n * outVol * C;
      for (let v = 0; v < inVol; v++) {
        const j0 = xBase + v * C;
        for (let c = 0; c < C; c++) {
          const idx = indices[j0 + c]!;
          if (idx >= 0 && idx < outVol) dx[j0 + c] = dy[yBase + idx * C + c]!;
        }
      }
    }
    return dx;
  }
  for (let p = 0; p < N * C; p++) {
    const xBase = p * inVol;
    const yBase = p * outVol;
    for (let v = 0; v < inVol; v++) {
      const idx = indices[xBase + v]!;
      if (idx >= 0 && idx < outVol) dx[xBase + v] = dy[yBase + idx]!;
    }
  }
  return dx;
}
