/**
 * Global max and average pooling forward on the CPU. A plane-long scan rarely raises its running
 * max, so the reference's branch (`v > m || v !== v`) predicts well here and is kept as is: the
 * same scan order, ties and NaN rule, bit for bit. Outputs are ordered n·C + c in both layouts.
 */
import type { Layout, PlaneShape } from '../types.js';
import { checkLength } from './check.js';

export function globalMaxPool(x: Float32Array, layout: Layout, s: PlaneShape): { output: Float32Array; indices: Int32Array } {
  const { N, C, H, W } = s;
  const planeSize = H * W;
  checkLength('cpu.globalMaxPool', 'x', x, N * C * planeSize);
  const output = new Float32Array(N * C);
  const indices = new Int32Array(N * C);
  if (layout === 'NCHW') {
    for (let plane = 0; plane < N * C; plane++) {
      const base = plane * planeSize;
      let m = x[base]!;
      let index = 0;
      for (let i = 1; i < planeSize; i++) {
        const v = x[base + i]!;
        if (v > m || v !== v) {
          m = v;
          index = i;
        }
      }
      output[plane] = m;
      indices[plane] = index;
    }
    return { output, indices };
  }
  // NHWC: the running max of the C channels of an image lives in the output; pixels in order.
  for (let n = 0; n < N; n++) {
    const o = n * C;
    const base = n * planeSize * C;
    for (let c = 0; c < C; c++) output[o + c] = x[base + c]!;
    for (let i = 1; i < planeSize; i++) {
      const at = base + i * C;
      for (let c = 0; c < C; c++) {
        const v = x[at + c]!;
        if (v > output[o + c]! || v !== v) {
          output[o + c] = v;
          indices[o + c] = i;
        }
      }
    }
  }
  return { output, indices };
}

/** f64 sums; the plane is summed by four running sums (a shorter dependency chain), combined in a fixed order. */
export function globalAvgPool(x: Float32Array, layout: Layout, s: PlaneShape): Float32Array {
  const { N, C, H, W } = s;
  const planeSize = H * W;
  checkLength('cpu.globalAvgPool', 'x', x, N * C * planeSize);
  const output = new Float32Array(N * C);
  if (layout === 'NCHW') {
    for (let plane = 0; plane < N * C; plane++) {
      const base = plane * planeSize;
      const end = base + planeSize;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let i = base;
      for (; i + 4 <= end; i += 4) {
        s0 += x[i]!;
        s1 += x[i + 1]!;
        s2 += x[i + 2]!;
        s3 += x[i + 3]!;
      }
      for (; i < end; i++) s0 += x[i]!;
      output[plane] = (s0 + s1 + (s2 + s3)) / planeSize;
    }
    return output;
  }
  const sums = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    sums.fill(0);
    const base = n * planeSize * C;
    for (let i = 0; i < planeSize; i++) {
      const at = base + i * C;
      for (let c = 0; c < C; c++) sums[c]! += x[at + c]!;
    }
    for (let c = 0; c < C; c++) output[n * C + c] = sums[c]! / planeSize;
  }
  return output;
}
