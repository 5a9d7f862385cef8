/**
 * Global max and average pooling forward on the CPU. A plane-long scan rarely raises its running
 * max, so the reference's branch (`v > m || v !== v`) predicts well here and is kept as is: the
 * same scan order, ties and NaN rule, bit for bit. Outputs are ordered n·C + c in both layouts.
 */
import type { Layout, PlaneShape } from '../types.js';
import { checkLength } from './check.js';
import { addGlobalSumsSimd, globalAvgPoolSimd, globalMaxPoolSimd } from './simd.js';

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
 * f64 sums (addGlobalSums). NCHW: four running sums over the plane (a shorter dependency chain),
 * combined in a fixed order; NHWC: one per channel, in the reference's order.
 */
export function globalAvgPool(x: Float32Array, layout: Layout, s: PlaneShape): Float32Array {
  const { N, C, H, W } = s;
  const planeSize = H * W;
  checkLength('cpu.globalAvgPool', 'x', x, N * C * planeSize);
  const simd = globalAvgPoolSimd(x, layout, s);
  if (simd !== null) return simd;
  // Units: planes (NCHW) or images of C channels (NHWC), summed one at a time.
  const channels = layout === 'NCHW' ? 1 : C;
  const output = new Float32Array(N * C);
  const sums = new Float64Array(globalSumCount(layout, C));
  for (let unit = 0, at = 0; at < output.length; unit++, at += channels) {
    sums.fill(0);
    addGlobalSums(x.subarray(unit * planeSize * channels, (unit + 1) * planeSize * channels), layout, C, sums);
    globalMeans(sums, layout, planeSize, output, at);
  }
  return output;
}

/** How many f64 sums one unit keeps: four lanes of a plane (NCHW), one per channel (NHWC). */
export function globalSumCount(layout: Layout, C: number): number {
  return layout === 'NCHW' ? 4 : C;
}

/**
 * Adds a run of one unit's pixels into its running sums (globalSumCount of them; the contract of
 * addGlobalSumsSimd: an NCHW run starts on a multiple of 4 elements, and only a plane's last run may
 * end off one). Runs added in turn give the whole unit's sums bit for bit, which lets the CPU backend
 * cut one large plane into slices that yield (src/host/cpu-chunks.ts).
 */
export function addGlobalSums(x: Float32Array, layout: Layout, C: number, sums: Float64Array): void {
  if (addGlobalSumsSimd(x, layout, C, sums)) return;
  if (layout === 'NCHW') {
    let s0 = sums[0]!;
    let s1 = sums[1]!;
    let s2 = sums[2]!;
    let s3 = sums[3]!;
    let i = 0;
    for (; i + 4 <= x.length; i += 4) {
      s0 += x[i]!;
      s1 += x[i + 1]!;
      s2 += x[i + 2]!;
      s3 += x[i + 3]!;
    }
    for (; i < x.length; i++) s0 += x[i]!;
    sums.set([s0, s1, s2, s3]);
    return;
  }
  const block = pixelBlock(C);
  const pixels = x.length / C;
  for (let from = 0; from < pixels; from += block) {
    const end = Math.min(pixels, from + block) * C;
    for (let c = 0; c < C; c++) {
      let sum = sums[c]!;
      for (let at = from * C + c; at < end; at += C) sum += x[at]!;
      sums[c] = sum;
    }
  }
}

/** A unit's means from its sums, rounded once into out[at...]: (s0 + s1) + (s2 + s3) for a plane, sum / H·W per channel. */
export function globalMeans(sums: Float64Array, layout: Layout, planeSize: number, out: Float32Array, at: number): void {
  if (layout === 'NCHW') {
    out[at] = (sums[0]! + sums[1]! + (sums[2]! + sums[3]!)) / planeSize;
    return;
  }
  for (let c = 0; c < sums.length; c++) out[at + c] = sums[c]! / planeSize;
}

/**
 * Folds the winners of a later run of a unit's pixels (its values and in-run positions, one per
 * channel) into the running winners: the later NaN, else the greater value (equal values keep the
 * earlier index). Runs folded in turn give the whole scan's winners (the reference's rule: the last
 * NaN, else the first maximum).
 */
export function foldGlobalMax(m: Float32Array, index: Int32Array, runMax: Float32Array, runIndex: Int32Array, offset: number): void {
  for (let c = 0; c < m.length; c++) {
    const v = runMax[c]!;
    if (v > m[c]! || v !== v) {
      m[c] = v;
      index[c] = runIndex[c]! + offset;
    }
  }
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
