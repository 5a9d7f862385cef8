/**
 * Fractional max pooling on typed arrays (the CPU backend), over the output-shaped table of window
 * starts (flat positions in the (n, c) input volume; src/ops/fractional-pool.ts). The max rule is
 * max pooling's: the first tap is taken, then a greater one or a NaN (ties keep the first, the last
 * NaN wins). Taps are visited in scan order through a precomputed offset list; no allocation per
 * element. The backward op adds dy into dx at each index in output order (f32), skipping an index
 * outside the volume (the context refuses those on the CPU backend before calling).
 */
import type { FractionalShape } from '../kernels/fractional-pool.js';

const count = (v: readonly number[]) => v.reduce((a, b) => a * b, 1);

/** In-volume offsets of a window's taps relative to its start, in scan order (first axis outermost). */
function tapOffsets(s: FractionalShape): Int32Array {
  let taps = [0];
  for (let a = 0; a < s.rank; a++) {
    const inner = count(s.inSize.slice(a + 1));
    const next: number[] = [];
    for (const t of taps) for (let q = 0; q < s.kernel[a]!; q++) next.push(t + q * inner);
    taps = next;
  }
  return Int32Array.from(taps);
}

export function fractionalMaxPool(x: Float32Array, starts: Int32Array, channelsLast: boolean, s: FractionalShape, withIndices: boolean): { output: Float32Array; indices: Int32Array | undefined } {
  const inVol = count(s.inSize);
  const outVol = count(s.outSize);
  const { N, C } = s;
  const output = new Float32Array(N * C * outVol);
  const indices = withIndices ? new Int32Array(output.length) : undefined;
  const taps = tapOffsets(s);
  const T = taps.length;
  // Element step between positions, per-plane bases of x and of the outputs.
  const step = channelsLast ? C : 1;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const xBase = channelsLast ? n * inVol * C + c : (n * C + c) * inVol;
      const oBase = channelsLast ? n * outVol * C + c : (n * C + c) * outVol;
      for (let v = 0; v < outVol; v++) {
        const o = oBase + v * step;
        const start = starts[o]!;
        let pos = start + taps[0]!;
        let best = x[xBase + pos * step]!;
        let index = pos;
        for (let t = 1; t < T; t++) {
          pos = start + taps[t]!;
          const value = x[xBase + pos * step]!;
          if (value > best || value !== value) {
            best = value;
            index = pos;
          }
        }
        output[o] = best;
        if (indices) indices[o] = index;
      }
    }
  }
  return { output, indices };
}

export function fractionalMaxPoolBackward(dy: Float32Array, indices: Int32Array, channelsLast: boolean, s: FractionalShape): Float32Array {
  const inVol = count(s.inSize);
  const outVol = count(s.outSize);
  const { N, C } = s;
  const dx = new Float32Array(N * C * inVol);
  const step = channelsLast ? C : 1;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const xBase = channelsLast ? n * inVol * C + c : (n * C + c) * inVol;
      const oBase = channelsLast ? n * outVol * C + c : (n * C + c) * outVol;
      for (let v = 0; v < outVol; v++) {
        const o = oBase + v * step;
        const idx = indices[o]!;
        if (idx >= 0 && idx < inVol) dx[xBase + idx * step]! += dy[o]!;
      }
    }
  }
  return dx;
}
