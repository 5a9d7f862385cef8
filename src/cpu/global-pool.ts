/**
 * Global max and average pooling forward on the CPU. A plane-long scan rarely raises its running
 * max, so the reference's branch (`v > m || v !== v`) predicts well here and is kept as is: the
 * same scan order, ties and NaN rule, bit for bit. Outputs are ordered n·C + c in both layouts.
 */
import type { Layout, PlaneShape } from '../types.js';
import { checkLength } from './check.js';
import { globalAvgPoolSimd, globalMaxPoolSimd } from './simd.js';

export function globalMaxPool(x: Float32Array, layout: Layout, s: PlaneShape): { output: Float32Array; indices: Int32Array } {
  const { N, C, H, W } = s;
  const planeSize = H * W;
  checkLength('cpu.globalMaxPool', 'x', x, N * C * planeSize);
  const simd = globalMaxPoolSimd(x, layout, s);
  if (simd !== null) return simd;
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
  // NHWC: blocks of pixels (pixelBlock) scanned channel by channel, pixels in order.
  const block = pixelBlock(C);
  for (let n = 0; n < N; n++) {
    const o = n * C;
    const base = n * planeSize * C;
    for (let c = 0; c < C; c++) output[o + c] = x[base + c]!;
    for (let from = 0; from < planeSize; from += block) {
      const to = Math.min(planeSize, from + block);
      for (let c = 0; c < C; c++) {
        let m = output[o + c]!;
        let index = indices[o + c]!;
        for (let i = from, at = base + from * C + c; i < to; i++, at += C) {
          const v = x[at]!;
          if (v > m || v !== v) {
            m = v;
            index = i;
          }
        }
        output[o + c] = m;
        indices[o + c] = index;
      }
    }
  }
  return { output, indices };
}

/**
 * f64 sums. NCHW: four running sums over the plane (a shorter dependency chain), combined in a
 * fixed order; NHWC: one per channel, in the reference's order.
 */
export function globalAvgPool(x: Float32Array, layout: Layout, s: PlaneShape): Float32Array {
  const { N, C, H, W } = s;
  const planeSize = H * W;
  checkLength('cpu.globalAvgPool', 'x', x, N * C * planeSize);
  const simd = globalAvgPoolSimd(x, layout, s);
  if (simd !== null) return simd;
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
  const block = pixelBlock(C);
  const sums = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    sums.fill(0);
    const base = n * planeSize * C;
    for (let from = 0; from < planeSize; from += block) {
      const end = base + Math.min(planeSize, from + block) * C;
      for (let c = 0; c < C; c++) {
        let sum = sums[c]!;
        for (let at = base + from * C + c; at < end; at += C) sum += x[at]!;
        sums[c] = sum;
      }
    }
    for (let c = 0; c < C; c++) output[n * C + c] = sums[c]! / planeSize;
  }
  return output;
}

/**
 * NHWC puts a plane's pixels C elements apart. The global ops walk a block of pixels channel by
 * channel, keeping each channel's running max or sum in a register; a block of about 16 KiB stays
 * in L1 while its C channels are walked, so every cache line is fetched once. At least 8 pixels,
 * so that wide images (C in the thousands) still walk more than a pixel or two per channel.
 */
function pixelBlock(C: number): number {
  return Math.max(8, Math.floor(4096 / C));
}
