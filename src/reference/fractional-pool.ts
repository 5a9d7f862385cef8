/**
 * Fractional max pooling, the literal reading of docs/unpool-fractional.md (f64 oracle). Window
 * starts per axis follow PyTorch's generate_intervals in float32 (each float32 step rounded through
 * a Float32Array here, independently of the host's Math.fround code in src/ops/fractional-pool.ts):
 * alpha = f32(f32(in − k) / f32(out − 1)); start(i) = trunc(f32(f32(i + u)·alpha)) − trunc(f32(u·alpha))
 * for i < out − 1, and in − k for the last. The max follows max pooling's rule (first taken, then
 * greater or NaN; ties keep the first). Backward: dx[index] += dy, accumulated in f64.
 */
import { invalid } from '../errors.js';
import type { FractionalShape } from '../kernels/fractional-pool.js';

const count = (v: readonly number[]) => v.reduce((a, b) => a * b, 1);

/** Offset of element (n, c, v) of a tensor with `vol` elements per volume. */
function at(channelsLast: boolean, C: number, vol: number, n: number, c: number, v: number): number {
  return channelsLast ? (n * vol + v) * C + c : (n * C + c) * vol + v;
}

/** PyTorch's interval starts of one axis for sample u (a float32 value). */
export function fractionalIntervals(inSize: number, outSize: number, k: number, u: number): number[] {
  const f = new Float32Array(1);
  const r = (v: number) => ((f[0] = v), f[0]!);
  const starts: number[] = [];
  if (outSize > 1) {
    const alpha = r(r(inSize - k) / r(outSize - 1));
    for (let i = 0; i < outSize - 1; i++) starts.push(Math.trunc(r(r(i + u) * alpha)) - Math.trunc(r(u * alpha)));
  }
  starts.push(inSize - k);
  return starts;
}

/** The sample of `axis` (0 = first spatial axis) in PyTorch's _random_samples order: 2-D [w, h], 3-D [d, h, w]. */
export function sampleOf(samples: ArrayLike<number>, rank: number, plane: number, axis: number): number {
  return samples[plane * rank + (rank === 2 ? 1 - axis : axis)]!;
}

/** The flat in-volume start of every window, in output (memory) order: what the GPU table holds. */
export function fractionalStartsReference(s: FractionalShape, channelsLast: boolean, samples: ArrayLike<number>): Int32Array {
  const outVol = count(s.outSize);
  const table = new Int32Array(s.N * s.C * outVol);
  for (let n = 0; n < s.N; n++) {
    for (let c = 0; c < s.C; c++) {
      const plane = n * s.C + c;
      const axes = s.inSize.map((size, a) => fractionalIntervals(size, s.outSize[a]!, s.kernel[a]!, sampleOf(samples, s.rank, plane, a)));
      for (let v = 0; v < outVol; v++) {
        // Output coordinates of v, and the flat start position of its window.
        let rest = v;
        let start = 0;
        let stride = 1;
        for (let a = s.rank - 1; a >= 0; a--) {
          const o = rest % s.outSize[a]!;
          rest = Math.floor(rest / s.outSize[a]!);
          start += axes[a]![o]! * stride;
          stride *= s.inSize[a]!;
        }
        table[at(channelsLast, s.C, outVol, n, c, v)] = start;
      }
    }
  }
  return table;
}

/** Forward over a start table (fractionalStartsReference's form). */
export function fractionalMaxPoolFromStarts(x: Float32Array, starts: Int32Array, channelsLast: boolean, s: FractionalShape): { output: Float32Array; indices: Int32Array } {
  const inVol = count(s.inSize);
  const outVol = count(s.outSize);
  const output = new Float32Array(s.N * s.C * outVol);
  const indices = new Int32Array(output.length);
  // Offsets of the window's taps relative to its start, in scan order (first axis outermost).
  const taps: number[] = [0];
  for (let a = 0; a < s.rank; a++) {
    const inner = count(s.inSize.slice(a + 1));
    const next: number[] = [];
    for (const t of taps) for (let q = 0; q < s.kernel[a]!; q++) next.push(t + q * inner);
    taps.splice(0, taps.length, ...next);
  }
  for (let n = 0; n < s.N; n++) {
    for (let c = 0; c < s.C; c++) {
      for (let v = 0; v < outVol; v++) {
        const o = at(channelsLast, s.C, outVol, n, c, v);
        let best = -Infinity;
        let index = -1;
        for (const t of taps) {
          const pos = starts[o]! + t;
          const value = x[at(channelsLast, s.C, inVol, n, c, pos)]!;
          if (index < 0 || value > best || Number.isNaN(value)) {
            best = value;
            index = pos;
          }
        }
        output[o] = best;
        indices[o] = index;
      }
    }
  }
  return { output, indices };
}

/** Forward from the samples (N·C·rank values in PyTorch's order). */
export function fractionalMaxPoolForward(x: Float32Array, channelsLast: boolean, s: FractionalShape, samples: ArrayLike<number>): { output: Float32Array; indices: Int32Array } {
  return fractionalMaxPoolFromStarts(x, fractionalStartsReference(s, channelsLast, samples), channelsLast, s);
}

export function fractionalMaxPoolBackward(dy: Float32Array, indices: Int32Array, channelsLast: boolean, s: FractionalShape): Float32Array {
  const inVol = count(s.inSize);
  const outVol = count(s.outSize);
  const dx = new Float64Array(s.N * s.C * inVol);
  for (let n = 0; n < s.N; n++) {
    for (let c = 0; c < s.C; c++) {
      for (let v = 0; v < outVol; v++) {
        const o = at(channelsLast, s.C, outVol, n, c, v);
        const idx = indices[o]!;
        if (!(idx >= 0 && idx < inVol)) invalid('fractionalMaxPoolBackward', 'indices', idx, `indices element ${o} must be a position in [0, ${inVol}) of its (n, c) input volume`);
        dx[at(channelsLast, s.C, inVol, n, c, idx)]! += dy[o]!;
      }
    }
  }
  return Float32Array.from(dx);
}
