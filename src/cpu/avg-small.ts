/**
 * Average pooling with 2×2 and 3×3 windows (small-window.ts): the windows wholly inside
 * the input summed with their taps written out, the border windows with a loop over their real
 * taps. Both add in the reference's order, starting from +0, in f64, and divide by the same
 * divisor, so the outputs are the reference's bit for bit.
 */
import type { AvgPoolParams, Layout } from '../types.js';
import type { AxisTaps } from './axis-taps.js';
import { divisorFactors, divisorOf } from './avg-divisors.js';
import { fullWindows, tapSteps } from './small-window.js';

export function avgPoolUnrolled(x: Float32Array, layout: Layout, p: AvgPoolParams, rows: AxisTaps, cols: AxisTaps, output: Float32Array): void {
  const { N, H, W, outH, outW } = p;
  const C = layout === 'NCHW' ? 1 : p.C;
  const images = layout === 'NCHW' ? N * p.C : N;
  const { right, down } = tapSteps(layout, p);
  const run = p.kH === 2 ? avg2x2 : avg3x3;
  const fullRows = fullWindows(rows, p.kH);
  const fullCols = fullWindows(cols, p.kW);
  const rowDivisor = divisorFactors(p, rows);
  const colDivisor = divisorFactors(p, cols);
  const [runStep, runCount] = layout === 'NCHW' ? [p.sW, fullCols.hi - fullCols.lo] : [1, C];
  for (let image = 0, o = 0; image < images; image++) {
    const base = image * H * W * C;
    for (let oh = 0; oh < outH; oh++) {
      const fullRow = oh >= fullRows.lo && oh < fullRows.hi;
      const hFrom = rows.start[oh]! + rows.first[oh]!;
      const hTo = rows.start[oh]! + rows.end[oh]!;
      for (let ow = 0; ow < outW; ow++, o += C) {
        const divisor = divisorOf(p, rowDivisor, colDivisor, oh, ow);
        if (fullRow && ow >= fullCols.lo && ow < fullCols.hi) {
          run(x, base + (rows.start[oh]! * W + cols.start[ow]!) * C, runStep, runCount, down, right, output, o, divisor);
          if (layout === 'NCHW') {
            o += (fullCols.hi - 1 - ow) * C;
            ow = fullCols.hi - 1;
          }
          continue;
        }
        if (divisor === 0) continue; // the output stays 0
        const wFrom = cols.start[ow]! + cols.first[ow]!;
        const wTo = cols.start[ow]! + cols.end[ow]!;
        for (let c = 0; c < C; c++) {
          let sum = 0;
          for (let h = hFrom; h < hTo; h++) {
            for (let w = wFrom; w < wTo; w++) sum += x[base + (h * W + w) * C + c]!;
          }
          output[o + c] = sum / divisor;
        }
      }
    }
  }
}

/** `count` windows with first taps at x[first + j·step], outputs out[o + j]; taps at first + {0, down} + {0, right}. */
function avg2x2(x: Float32Array, first: number, step: number, count: number, down: number, right: number, out: Float32Array, o: number, divisor: number): void {
  for (let j = 0, i = first; j < count; j++, i += step) {
    out[o + j] = (0 + x[i]! + x[i + right]! + x[i + down]! + x[i + down + right]!) / divisor;
  }
}

function avg3x3(x: Float32Array, first: number, step: number, count: number, down: number, right: number, out: Float32Array, o: number, divisor: number): void {
  const right2 = 2 * right;
  const down2 = 2 * down;
  for (let j = 0, i = first; j < count; j++, i += step) {
    const top = 0 + x[i]! + x[i + right]! + x[i + right2]!;
    const middle = top + x[i + down]! + x[i + down + right]! + x[i + down + right2]!;
    out[o + j] = (middle + x[i + down2]! + x[i + down2 + right]! + x[i + down2 + right2]!) / divisor;
  }
}
