/**
 * Average pooling backward on the CPU, in gather form: each input element sums dy/divisor over
 * the windows that cover it, in f64 and in the order the reference's scatter adds them (output
 * rows, then columns), so the two agree bit for bit. The shares dy/divisor are divided once per
 * output, into a scratch plane (NCHW) or image (NHWC).
 */
import type { AvgPoolParams, Layout } from '../types.js';
import { axisTaps, coveringOutputs } from './axis-taps.js';
import { divisorFactors, divisorOf } from './avg-divisors.js';
import { checkLength } from './check.js';

export function avgPool2dBackward(dy: Float32Array, layout: Layout, p: AvgPoolParams): Float32Array {
  const { N, C, H, W, outH, outW } = p;
  checkLength('cpu.avgPool2dBackward', 'dy', dy, N * C * outH * outW);
  const rows = axisTaps(outH, H, p.kH, p.sH, 1, p.padTop, p.padBottom);
  const cols = axisTaps(outW, W, p.kW, p.sW, 1, p.padLeft, p.padRight);
  const rowDiv = divisorFactors(p, rows);
  const colDiv = divisorFactors(p, cols);
  const byRow = coveringOutputs(rows, H, p.kH);
  const byCol = coveringOutputs(cols, W, p.kW);
  const dx = new Float32Array(N * C * H * W);
  if (layout === 'NCHW') {
    const share = new Float64Array(outH * outW);
    for (let plane = 0; plane < N * C; plane++) {
      const dyBase = plane * outH * outW;
      for (let oh = 0, j = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++, j++) {
          const divisor = divisorOf(p, rowDiv, colDiv, oh, ow);
          share[j] = divisor === 0 ? 0 : dy[dyBase + j]! / divisor;
        }
      }
      let i = plane * H * W;
      for (let h = 0; h < H; h++) {
        const ohFrom = byRow.lo[h]!;
        const ohTo = byRow.hi[h]!;
        for (let w = 0; w < W; w++, i++) {
          const owFrom = byCol.lo[w]!;
          const owTo = byCol.hi[w]!;
          let sum = 0;
          for (let oh = ohFrom; oh < ohTo; oh++) {
            for (let j = oh * outW + owFrom; j < oh * outW + owTo; j++) sum += share[j]!;
          }
          dx[i] = sum;
        }
      }
    }
    return dx;
  }
  const share = new Float64Array(outH * outW * C);
  const sums = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    const dyBase = n * outH * outW * C;
    for (let oh = 0, j = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        const divisor = divisorOf(p, rowDiv, colDiv, oh, ow);
        for (let c = 0; c < C; c++, j++) share[j] = divisor === 0 ? 0 : dy[dyBase + j]! / divisor;
      }
    }
    let i = n * H * W * C;
    for (let h = 0; h < H; h++) {
      const ohFrom = byRow.lo[h]!;
      const ohTo = byRow.hi[h]!;
      for (let w = 0; w < W; w++, i += C) {
        const owFrom = byCol.lo[w]!;
        const owTo = byCol.hi[w]!;
        sums.fill(0);
        for (let oh = ohFrom; oh < ohTo; oh++) {
          for (let ow = owFrom; ow < owTo; ow++) {
            const at = (oh * outW + ow) * C;
            for (let c = 0; c < C; c++) sums[c]! += share[at + c]!;
          }
        }
        for (let c = 0; c < C; c++) dx[i + c] = sums[c]!;
      }
    }
  }
  return dx;
}
