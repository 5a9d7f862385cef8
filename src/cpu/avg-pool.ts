/**
 * Average pooling forward on the CPU. 2×2 and 3×3 windows go to the unrolled kernels of
 * avg-small.ts; the others to the separable passes here. Separable, like max-pool.ts: pass 1 sums each needed input
 * row over every output column's real taps, pass 2 adds up a window's row sums and divides by the
 * reference's divisor. Sums are f64 (the reference's accumulation); only the order of the additions
 * differs (row by row), far inside docs/semantics.md's tolerance.
 */
import type { AvgPoolParams, Layout } from '../types.js';
import { axisTaps, type AxisTaps } from './axis-taps.js';
import { divisorFactors, divisorOf } from './avg-divisors.js';
import { checkLength } from './check.js';
import { avgPoolUnrolled } from './avg-small.js';
import { RowRing } from './row-ring.js';
import { avgPoolSimd } from './simd.js';
import { hasUnrolledKernel } from './small-window.js';

export function avgPool2dForward(x: Float32Array, layout: Layout, p: AvgPoolParams): Float32Array {
  checkLength('cpu.avgPool2dForward', 'x', x, p.N * p.C * p.H * p.W);
  const simd = avgPoolSimd(x, layout, p);
  if (simd !== null) return simd;
  const output = new Float32Array(p.N * p.C * p.outH * p.outW);
  if (hasUnrolledKernel(p, true)) {
    const rows = axisTaps(p.outH, p.H, p.kH, p.sH, 1, p.padTop, p.padBottom);
    const cols = axisTaps(p.outW, p.W, p.kW, p.sW, 1, p.padLeft, p.padRight);
    avgPoolUnrolled(x, layout, p, rows, cols, output);
    return output;
  }
  const k = layout === 'NCHW' ? new AvgKernel(x, p, 1, output) : new AvgKernel(x, p, p.C, output);
  const images = layout === 'NCHW' ? p.N * p.C : p.N;
  for (let image = 0; image < images; image++) k.image(image);
  return output;
}

class AvgKernel {
  private readonly rows: AxisTaps;
  private readonly cols: AxisTaps;
  private readonly rowDivisor: Float64Array;
  private readonly colDivisor: Float64Array;
  private readonly ring: RowRing;
  /** Pass 1 row sums, one input row per ring slot, [outW][C]. */
  private readonly rowSums: Float64Array;
  /** Where in rowSums the current output row's real rows start, top to bottom. */
  private readonly rowStarts: Int32Array;

  constructor(
    private readonly x: Float32Array,
    private readonly p: AvgPoolParams,
    private readonly C: number,
    private readonly output: Float32Array,
  ) {
    this.rows = axisTaps(p.outH, p.H, p.kH, p.sH, 1, p.padTop, p.padBottom);
    this.cols = axisTaps(p.outW, p.W, p.kW, p.sW, 1, p.padLeft, p.padRight);
    this.rowDivisor = divisorFactors(p, this.rows);
    this.colDivisor = divisorFactors(p, this.cols);
    this.ring = new RowRing(p.kH);
    this.rowSums = new Float64Array(p.kH * p.outW * C);
    this.rowStarts = new Int32Array(Math.max(p.kH, 3));
  }

  image(image: number): void {
    const { p, C, rows, ring, rowStarts } = this;
    ring.clear();
    for (let oh = 0; oh < p.outH; oh++) {
      const kyFirst = rows.first[oh]!;
      const kyEnd = rows.end[oh]!;
      for (let ky = kyFirst; ky < kyEnd; ky++) {
        const h = rows.start[oh]! + ky;
        const slot = ring.slot(h);
        if (ring.needs(slot, h)) {
          if (C === 1) this.sumPlaneRow(image, h, slot);
          else this.sumRow(image, h, slot);
        }
        rowStarts[ky - kyFirst] = slot * p.outW * C;
      }
      if (C === 1) this.combinePlaneRows(image, oh, kyEnd - kyFirst);
      else this.combineRows(image, oh, kyEnd - kyFirst);
    }
  }

  /**
   * Pass 1, one channel (NCHW). Windows of one to three taps per row, the usual ones, are written
   * out: a loop that runs two or three times costs more than its additions (docs/cpu-backend.md).
   */
  private sumPlaneRow(image: number, h: number, slot: number): void {
    const { p, x, cols, rowSums } = this;
    const row = (image * p.H + h) * p.W;
    for (let ow = 0, r = slot * p.outW; ow < p.outW; ow++, r++) {
      const i = row + cols.start[ow]! + cols.first[ow]!;
      const taps = cols.end[ow]! - cols.first[ow]!;
      if (taps === 3) rowSums[r] = x[i]! + x[i + 1]! + x[i + 2]!;
      else if (taps === 2) rowSums[r] = x[i]! + x[i + 1]!;
      else if (taps === 1) rowSums[r] = x[i]!;
      else {
        let sum = 0;
        for (let t = 0; t < taps; t++) sum += x[i + t]!;
        rowSums[r] = sum;
      }
    }
  }

  /** Pass 2, one channel (NCHW), with the same unrolling. */
  private combinePlaneRows(image: number, oh: number, rowCount: number): void {
    const { p, rowSums, rowStarts, output, rowDivisor, colDivisor } = this;
    const r0 = rowStarts[0]!;
    const r1 = rowStarts[1]!;
    const r2 = rowStarts[2]!;
    let o = (image * p.outH + oh) * p.outW;
    for (let ow = 0; ow < p.outW; ow++, o++) {
      const divisor = divisorOf(p, rowDivisor, colDivisor, oh, ow);
      if (divisor === 0 || rowCount === 0) continue; // the output stays 0
      let sum: number;
      if (rowCount === 3) sum = rowSums[r0 + ow]! + rowSums[r1 + ow]! + rowSums[r2 + ow]!;
      else if (rowCount === 2) sum = rowSums[r0 + ow]! + rowSums[r1 + ow]!;
      else {
        sum = rowSums[r0 + ow]!;
        for (let i = 1; i < rowCount; i++) sum += rowSums[rowStarts[i]! + ow]!;
      }
      output[o] = sum / divisor;
    }
  }

  /** Pass 1, C interleaved channels (NHWC): per output column and channel, the f64 sum of the row's real taps. */
  private sumRow(image: number, h: number, slot: number): void {
    const { p, C, x, cols, rowSums } = this;
    const row = (image * p.H + h) * p.W * C;
    for (let ow = 0, r = slot * p.outW * C; ow < p.outW; ow++, r += C) {
      const from = row + (cols.start[ow]! + cols.first[ow]!) * C;
      const to = row + (cols.start[ow]! + cols.end[ow]!) * C;
      for (let c = 0; c < C; c++) {
        let sum = 0;
        for (let i = from + c; i < to; i += C) sum += x[i]!;
        rowSums[r + c] = sum;
      }
    }
  }

  /** Pass 2, NHWC: the window's row sums, top to bottom, over the divisor (0 when the divisor is 0). */
  private combineRows(image: number, oh: number, rowCount: number): void {
    const { p, C, rowSums, rowStarts, output, rowDivisor, colDivisor } = this;
    let o = (image * p.outH + oh) * p.outW * C;
    for (let ow = 0; ow < p.outW; ow++, o += C) {
      const divisor = divisorOf(p, rowDivisor, colDivisor, oh, ow);
      if (divisor === 0 || rowCount === 0) continue; // the output stays 0
      const r = ow * C;
      for (let c = 0; c < C; c++) {
        let sum = rowSums[rowStarts[0]! + r + c]!;
        for (let i = 1; i < rowCount; i++) sum += rowSums[rowStarts[i]! + r + c]!;
        output[o + c] = sum / divisor;
      }
    }
  }
}
