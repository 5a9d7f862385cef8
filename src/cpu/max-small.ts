/**
 * Max pooling with 2×2 and 3×3 windows (small-window.ts), taps written out.
 *
 * Each tap is the reference's test `v > m || v !== v` turned into a 0/-1 mask that selects the
 * winning offset; the running max is read back from x at that offset. V8 compiles
 * `m = v > m ? v : m` on floats to a jump, and real data mispredicts it about once per window,
 * which costs more than the rest of the comparison. The winner is the reference's, bit for bit:
 * the first maximum in row-major order, or the last NaN, with -0 and +0 kept in order.
 *
 * Border windows: with -Infinity padding and no dilation, a tap outside the input is replaced by
 * the nearest real tap of the same window (clamped coordinates), which changes no winner: a
 * duplicate of the row or column at an edge only repeats candidates next to their originals or
 * in a whole repeated edge row, so the first maximum and the last NaN keep their offsets. With
 * zero padding or dilation the border windows are scanned with the reference's loop.
 */
import type { Layout, MaxPoolParams } from '../types.js';
import type { AxisTaps } from './axis-taps.js';
import { scanWindow, scanned } from './exact-window.js';
import { clampedTaps, fullWindows, tapSteps } from './small-window.js';

export function maxPoolUnrolled(x: Float32Array, layout: Layout, p: MaxPoolParams, rows: AxisTaps, cols: AxisTaps, output: Float32Array, indices: Int32Array | null): void {
  const { N, H, W, outH, outW } = p;
  const C = layout === 'NCHW' ? 1 : p.C;
  const images = layout === 'NCHW' ? N * p.C : N;
  const { right, down } = tapSteps(layout, p);
  const k = p.kH;
  const run = k === 2 ? max2x2 : max3x3;
  const fullRows = fullWindows(rows, k);
  const fullCols = fullWindows(cols, k);
  const clamp = !p.padWithZero && p.dH === 1 && p.dW === 1;
  const rowAt = clamp ? clampedTaps(rows, k, H, down) : null;
  const colAt = clamp ? clampedTaps(cols, k, W, right) : null;
  // Per image: NCHW runs along the full stretch of an output row, NHWC across a window's channels.
  const [runStep, runCount] = layout === 'NCHW' ? [p.sW, fullCols.hi - fullCols.lo] : [1, C];
  for (let image = 0, o = 0; image < images; image++) {
    const base = image * H * W * C;
    for (let oh = 0; oh < outH; oh++) {
      const fullRow = oh >= fullRows.lo && oh < fullRows.hi;
      for (let ow = 0; ow < outW; ow++, o += C) {
        if (fullRow && ow >= fullCols.lo && ow < fullCols.hi) {
          const first = base + (rows.start[oh]! * W + cols.start[ow]!) * C;
          run(x, first, runStep, runCount, down, 2 * down, right, 2 * right, output, o, indices, base, C);
          if (layout === 'NCHW') {
            // the run covered the row's full windows
            o += (fullCols.hi - 1 - ow) * C;
            ow = fullCols.hi - 1;
          }
        } else if (rowAt !== null && colAt !== null) {
          const r = oh * k;
          const c = ow * k;
          const first = base + rowAt[r]! + colAt[c]!;
          const r1 = rowAt[r + 1]! - rowAt[r]!;
          const c1 = colAt[c + 1]! - colAt[c]!;
          const r2 = k === 3 ? rowAt[r + 2]! - rowAt[r]! : 0;
          const c2 = k === 3 ? colAt[c + 2]! - colAt[c]! : 0;
          run(x, first, 1, C, r1, r2, c1, c2, output, o, indices, base, C);
        } else {
          for (let ch = 0; ch < C; ch++) {
            scanWindow(x, base + ch, C, W, p.dH, p.dW, rows, cols, oh, ow, p.padWithZero);
            output[o + ch] = scanned.value;
            if (indices !== null) indices[o + ch] = scanned.index;
          }
        }
      }
    }
  }
}

/**
 * `count` windows with first taps at x[first + j·step], outputs out[o + j]; taps at
 * first + {0, r1} + {0, c1}. Indices are in-plane: (offset - base) / C, C the channel interleave.
 */
function max2x2(x: Float32Array, first: number, step: number, count: number, r1: number, _r2: number, c1: number, _c2: number, out: Float32Array, o: number, indices: Int32Array | null, base: number, C: number): void {
  for (let j = 0, i = first; j < count; j++, i += step) {
    let at = i;
    let best = x[i]!;
    let t = i + c1;
    let v = x[t]!;
    at ^= (at ^ t) & -((((v > best) as unknown as number) | ((v !== v) as unknown as number)) | 0);
    best = x[at]!;
    t = i + r1;
    v = x[t]!;
    at ^= (at ^ t) & -((((v > best) as unknown as number) | ((v !== v) as unknown as number)) | 0);
    best = x[at]!;
    t = i + r1 + c1;
    v = x[t]!;
    at ^= (at ^ t) & -((((v > best) as unknown as number) | ((v !== v) as unknown as number)) | 0);
    out[o + j] = x[at]!;
    if (indices !== null) indices[o + j] = ((at - base) / C) | 0;
  }
}

/** As max2x2, taps at first + {0, r1, r2} + {0, c1, c2}. */
function max3x3(x: Float32Array, first: number, step: number, count: number, r1: number, r2: number, c1: number, c2: number, out: Float32Array, o: number, indices: Int32Array | null, base: number, C: number): void {
  for (let j = 0, i = first; j < count; j++, i += step) {
    let at = i;
    let best = x[i]!;
    let t = i + c1;
    let v = x[t]!;
    at ^= (at ^ t) & -((((v > best) as unknown as number) | ((v !== v) as unknown as number)) | 0);
    best = x[at]!;
    t = i + c2;
    v = x[t]!;
    at ^= (at ^ t) & -((((v > best) as unknown as number) | ((v !== v) as unknown as number)) | 0);
    best = x[at]!;
    t = i + r1;
    v = x[t]!;
    at ^= (at ^ t) & -((((v > best) as unknown as number) | ((v !== v) as unknown as number)) | 0);
    best = x[at]!;
    t = i + r1 + c1;
    v = x[t]!;
    at ^= (at ^ t) & -((((v > best) as unknown as number) | ((v !== v) as unknown as number)) | 0);
    best = x[at]!;
    t = i + r1 + c2;
    v = x[t]!;
    at ^= (at ^ t) & -((((v > best) as unknown as number) | ((v !== v) as unknown as number)) | 0);
    best = x[at]!;
    t = i + r2;
    v = x[t]!;
    at ^= (at ^ t) & -((((v > best) as unknown as number) | ((v !== v) as unknown as number)) | 0);
    best = x[at]!;
    t = i + r2 + c1;
    v = x[t]!;
    at ^= (at ^ t) & -((((v > best) as unknown as number) | ((v !== v) as unknown as number)) | 0);
    best = x[at]!;
    t = i + r2 + c2;
    v = x[t]!;
    at ^= (at ^ t) & -((((v > best) as unknown as number) | ((v !== v) as unknown as number)) | 0);
    out[o + j] = x[at]!;
    if (indices !== null) indices[o + j] = ((at - base) / C) | 0;
  }
}
