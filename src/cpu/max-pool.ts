/**
 * Max pooling forward on the CPU, bit-exact with the reference (docs/semantics.md). Strided 2×2 and
 * 3×3 windows go to the unrolled kernels of max-small.ts; every other window to the separable
 * passes here.
 *
 * Separable: the max of a window is the max, over its rows in order, of the max of each row's
 * taps. Pass 1 reduces every input row a window needs to one winner per output column (and
 * channel); pass 2 combines the window's rows. A later candidate replaces the running winner
 * only when it is greater or NaN (the reference's `v > m || v !== v`), so the winner is the one
 * the reference's row-major scan picks: the first maximum, or the last NaN, keeping -0 and +0 in
 * order. For a k×k window this is about k + k·k/s comparisons per output instead of k², and every
 * inner loop runs along memory (columns in NCHW, channels in NHWC).
 *
 * The comparison becomes a 0/-1 mask that selects the winner's offset, and the running value is
 * read back from x at that offset: V8 compiles `m = v > m ? v : m` on floats to a jump, and with
 * real data that jump is mispredicted about once per window, which costs more than the rest of
 * the comparison (docs/cpu-backend.md).
 *
 * Windows outside the separable form, those holding a padded tap of zero padding or no real
 * element at all, are scanned one by one with the reference's loop (exact-window.ts).
 */
import type { Layout, MaxPoolParams } from '../types.js';
import { axisTaps, realCount, type AxisTaps } from './axis-taps.js';
import { checkLength } from './check.js';
import { scanWindow, scanned } from './exact-window.js';
import { maxPoolUnrolled } from './max-small.js';
import { RowRing } from './row-ring.js';
import { maxPoolSimd } from './simd.js';
import { hasUnrolledKernel } from './small-window.js';

export interface MaxPoolOutput {
  output: Float32Array;
  /** In-plane positions h·W+w, -1 where the max is not an input element; null when not asked for. */
  indices: Int32Array | null;
}

export function maxPool2dForward(x: Float32Array, layout: Layout, p: MaxPoolParams, withIndices: boolean): MaxPoolOutput {
  checkLength('cpu.maxPool2dForward', 'x', x, p.N * p.C * p.H * p.W);
  const simd = maxPoolSimd(x, layout, p, withIndices);
  if (simd !== null) return simd;
  const output = new Float32Array(p.N * p.C * p.outH * p.outW);
  const indices = withIndices ? new Int32Array(output.length) : null;
  if (hasUnrolledKernel(p, false)) {
    const rows = axisTaps(p.outH, p.H, p.kH, p.sH, p.dH, p.padTop, p.padBottom);
    const cols = axisTaps(p.outW, p.W, p.kW, p.sW, p.dW, p.padLeft, p.padRight);
    maxPoolUnrolled(x, layout, p, rows, cols, output, indices);
    return { output, indices };
  }
  // NCHW is a stack of N·C one-channel images; NHWC is N images of C interleaved channels.
  const k = layout === 'NCHW' ? new MaxKernel(x, p, 1, output, indices) : new MaxKernel(x, p, p.C, output, indices);
  const images = layout === 'NCHW' ? p.N * p.C : p.N;
  for (let image = 0; image < images; image++) k.image(image);
  return { output, indices };
}

class MaxKernel {
  private readonly rows: AxisTaps;
  private readonly cols: AxisTaps;
  private readonly ring: RowRing;
  /** Pass 1 winners, one input row per ring slot: offsets into x, [outW][C]. */
  private readonly winners: Int32Array;
  /** Where in `winners` the current output row's real tap rows start, in ky order. */
  private readonly rowStarts: Int32Array;
  /** 1 for the rows and columns of windows the separable passes do not cover (see isSpecial). */
  private readonly specialRow: Uint8Array;
  private readonly specialCol: Uint8Array;

  constructor(
    private readonly x: Float32Array,
    private readonly p: MaxPoolParams,
    private readonly C: number,
    private readonly output: Float32Array,
    private readonly indices: Int32Array | null,
  ) {
    this.rows = axisTaps(p.outH, p.H, p.kH, p.sH, p.dH, p.padTop, p.padBottom);
    this.cols = axisTaps(p.outW, p.W, p.kW, p.sW, p.dW, p.padLeft, p.padRight);
    this.ring = new RowRing(p.dH * (p.kH - 1) + 1);
    this.winners = new Int32Array(this.ring.size * p.outW * C);
    this.rowStarts = new Int32Array(Math.max(p.kH, 3));
    this.specialRow = Uint8Array.from({ length: p.outH }, (_, oh) => (isSpecial(this.rows, oh, p.padWithZero) ? 1 : 0));
    this.specialCol = Uint8Array.from({ length: p.outW }, (_, ow) => (isSpecial(this.cols, ow, p.padWithZero) ? 1 : 0));
  }

  image(image: number): void {
    const { p, rows, ring, rowStarts } = this;
    const rowLength = p.outW * this.C;
    ring.clear();
    for (let oh = 0; oh < p.outH; oh++) {
      const kyFirst = rows.first[oh]!;
      const kyEnd = rows.end[oh]!;
      for (let ky = kyFirst; ky < kyEnd; ky++) {
        const h = rows.start[oh]! + ky * p.dH;
        const slot = ring.slot(h);
        if (ring.needs(slot, h)) {
          if (this.C === 1) this.reducePlaneRow(image, h, slot);
          else this.reduceRow(image, h, slot);
        }
        rowStarts[ky - kyFirst] = slot * rowLength;
      }
      if (this.C === 1) this.combinePlaneRows(image, oh, kyEnd - kyFirst);
      else this.combineRows(image, oh, kyEnd - kyFirst);
    }
  }

  /**
   * Pass 1, one channel (NCHW): each output column's winner among the row's real taps. Two and
   * three taps, the usual windows, are written out (a loop that short costs more than its body).
   */
  private reducePlaneRow(image: number, h: number, slot: number): void {
    const { p, x, cols, winners } = this;
    const { W, dW, outW } = p;
    const row = (image * p.H + h) * W;
    for (let ow = 0, r = slot * outW; ow < outW; ow++, r++) {
      const from = row + cols.start[ow]! + cols.first[ow]! * dW;
      const taps = cols.end[ow]! - cols.first[ow]!;
      let at = from;
      let best = x[at]!;
      let v: number;
      if (taps === 2 || taps === 3) {
        v = x[from + dW]!;
        at ^= (at ^ (from + dW)) & -((((v > best) as unknown as number) | ((v !== v) as unknown as number)) | 0);
        if (taps === 3) {
          best = x[at]!;
          v = x[from + 2 * dW]!;
          at ^= (at ^ (from + 2 * dW)) & -((((v > best) as unknown as number) | ((v !== v) as unknown as number)) | 0);
        }
      } else {
        for (let t = 1, i = from + dW; t < taps; t++, i += dW) {
          v = x[i]!;
          at ^= (at ^ i) & -((((v > best) as unknown as number) | ((v !== v) as unknown as number)) | 0);
          best = x[at]!;
        }
      }
      winners[r] = at;
    }
  }

  /** Pass 1, C interleaved channels (NHWC): a window's taps innermost, the winner in registers. */
  private reduceRow(image: number, h: number, slot: number): void {
    const { p, C, x, cols, winners } = this;
    const { W, dW, outW } = p;
    const row = (image * p.H + h) * W * C;
    const step = dW * C;
    for (let ow = 0, r = slot * outW * C; ow < outW; ow++, r += C) {
      const from = row + (cols.start[ow]! + cols.first[ow]! * dW) * C;
      const to = row + (cols.start[ow]! + cols.end[ow]! * dW) * C;
      for (let c = 0; c < C; c++) {
        let at = from + c;
        let best = x[at]!;
        for (let i = at + step; i < to; i += step) {
          const v = x[i]!;
        at ^= (at ^ i) & -((((v > best) as unknown as number) | ((v !== v) as unknown as number)) | 0);
          best = x[at]!;
        }
        winners[r + c] = at;
      }
    }
  }

  /** Pass 2, one channel (NCHW): the winner over the window's rows. */
  private combinePlaneRows(image: number, oh: number, rowCount: number): void {
    const { p, x, rowStarts, winners, output, indices, specialCol } = this;
    const outW = p.outW;
    const specialRow = this.specialRow[oh] === 1;
    const base = image * p.H * p.W;
    let o = (image * p.outH + oh) * outW;
    for (let ow = 0; ow < outW; ow++, o++) {
      if (specialRow || specialCol[ow] === 1) {
        this.rescan(image, oh, ow, o);
        continue;
      }
      let at = winners[rowStarts[0]! + ow]!;
      let best = x[at]!;
      if (rowCount === 2 || rowCount === 3) {
        let candidate = winners[rowStarts[1]! + ow]!;
        let v = x[candidate]!;
        at ^= (at ^ candidate) & -((((v > best) as unknown as number) | ((v !== v) as unknown as number)) | 0);
        best = x[at]!;
        if (rowCount === 3) {
          candidate = winners[rowStarts[2]! + ow]!;
          v = x[candidate]!;
          at ^= (at ^ candidate) & -((((v > best) as unknown as number) | ((v !== v) as unknown as number)) | 0);
          best = x[at]!;
        }
      } else {
        for (let i = 1; i < rowCount; i++) {
          const candidate = winners[rowStarts[i]! + ow]!;
          const v = x[candidate]!;
          at ^= (at ^ candidate) & -((((v > best) as unknown as number) | ((v !== v) as unknown as number)) | 0);
          best = x[at]!;
        }
      }
      output[o] = best;
      if (indices !== null) indices[o] = at - base;
    }
  }

  /** Pass 2, C interleaved channels (NHWC). */
  private combineRows(image: number, oh: number, rowCount: number): void {
    const { p, C, x, rowStarts, winners, output, indices, specialCol } = this;
    const rowLength = p.outW * C;
    const specialRow = this.specialRow[oh] === 1;
    const base = image * p.H * p.W * C;
    let o = (image * p.outH + oh) * rowLength;
    for (let ow = 0; ow < p.outW; ow++, o += C) {
      if (specialRow || specialCol[ow] === 1) {
        this.rescan(image, oh, ow, o);
        continue;
      }
      const r = ow * C;
      for (let c = 0; c < C; c++) {
        let at = winners[rowStarts[0]! + r + c]!;
        let best = x[at]!;
        for (let i = 1; i < rowCount; i++) {
          const candidate = winners[rowStarts[i]! + r + c]!;
          const v = x[candidate]!;
        at ^= (at ^ candidate) & -((((v > best) as unknown as number) | ((v !== v) as unknown as number)) | 0);
          best = x[at]!;
        }
        output[o + c] = best;
        if (indices !== null) indices[o + c] = (at - base - c) / C;
      }
    }
  }

  private rescan(image: number, oh: number, ow: number, o: number): void {
    const { p, C, x, rows, cols, output, indices } = this;
    for (let c = 0; c < C; c++) {
      scanWindow(x, image * p.H * p.W * C + c, C, p.W, p.dH, p.dW, rows, cols, oh, ow, p.padWithZero);
      output[o + c] = scanned.value;
      if (indices !== null) indices[o + c] = scanned.index;
    }
  }
}

/**
 * Windows outside the separable passes, per axis: no real tap along this axis, or (zero padding)
 * a padded tap. A window is special when its row or its column is.
 */
function isSpecial(taps: AxisTaps, o: number, padWithZero: boolean): boolean {
  return realCount(taps, o) === 0 || (padWithZero && taps.declared[o]! > realCount(taps, o));
}
