/**
 * Average pooling forward on the CPU: the reference's f64 sums over the real elements of each
 * window, in the reference's order, divided by the same divisor; only the loops differ.
 */
import type { AvgPoolParams, Layout } from '../types.js';
import { axisTaps } from './axis-taps.js';
import { divisorFactors, divisorOf } from './avg-divisors.js';
import { checkLength } from './check.js';

export function avgPool2dForward(x: Float32Array, layout: Layout, p: AvgPoolParams): Float32Array {
  checkLength('cpu.avgPool2dForward', 'x', x, p.N * p.C * p.H * p.W);
  const rows = axisTaps(p.outH, p.H, p.kH, p.sH, 1, p.padTop, p.padBottom);
  const cols = axisTaps(p.outW, p.W, p.kW, p.sW, 1, p.padLeft, p.padRight);
  const rowDiv = divisorFactors(p, rows);
  const colDiv = divisorFactors(p, cols);
  const { N, C, H, W, outH, outW } = p;
  const output = new Float32Array(N * C * outH * outW);
  if (layout === 'NCHW') {
    let o = 0;
    for (let plane = 0; plane < N * C; plane++) {
      const base = plane * H * W;
      for (let oh = 0; oh < outH; oh++) {
        const hFrom = rows.start[oh]! + rows.first[oh]!;
        const hTo = rows.start[oh]! + rows.end[oh]!;
        for (let ow = 0; ow < outW; ow++, o++) {
          const wFrom = base + cols.start[ow]! + cols.first[ow]!;
          const wTo = base + cols.start[ow]! + cols.end[ow]!;
          let sum = 0;
          for (let h = hFrom; h < hTo; h++) {
            const row = h * W;
            for (let i = row + wFrom; i < row + wTo; i++) sum += x[i]!;
          }
          const divisor = divisorOf(p, rowDiv, colDiv, oh, ow);
          output[o] = divisor === 0 ? 0 : sum / divisor;
        }
      }
    }
    return output;
  }
  // NHWC: the channels innermost; the window's C running sums live in one f64 scratch row.
  const sums = new Float64Array(C);
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const hFrom = rows.start[oh]! + rows.first[oh]!;
      const hTo = rows.start[oh]! + rows.end[oh]!;
      for (let ow = 0; ow < outW; ow++, o += C) {
        const wFrom = cols.start[ow]! + cols.first[ow]!;
        const wTo = cols.start[ow]! + cols.end[ow]!;
        sums.fill(0);
        for (let h = hFrom; h < hTo; h++) {
          for (let w = wFrom; w < wTo; w++) {
            const at = ((n * H + h) * W + w) * C;
            for (let c = 0; c < C; c++) sums[c]! += x[at + c]!;
          }
        }
        const divisor = divisorOf(p, rowDiv, colDiv, oh, ow);
        if (divisor === 0) continue; // the output is already 0
        for (let c = 0; c < C; c++) output[o + c] = sums[c]! / divisor;
      }
    }
  }
  return output;
}
