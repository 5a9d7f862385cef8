import type { AvgPoolParams, Layout } from '../types.js';
import { avgPoolDivisor } from './avg-divisor.js';
import { checkLength, offsetFn } from './layout.js';
import { tapPosition } from './window.js';

/** Calls visit(inputOffset) for every real input element of window (oh, ow) of plane (n, c). */
function forEachReal(p: AvgPoolParams, xAt: (n: number, c: number, h: number, w: number) => number, n: number, c: number, oh: number, ow: number, visit: (offset: number) => void): void {
  for (let ky = 0; ky < p.kH; ky++) {
    const h = tapPosition(oh, p.sH, p.padTop, ky, p.dH);
    if (h < 0 || h >= p.H) continue;
    for (let kx = 0; kx < p.kW; kx++) {
      const w = tapPosition(ow, p.sW, p.padLeft, kx, p.dW);
      if (w < 0 || w >= p.W) continue;
      visit(xAt(n, c, h, w));
    }
  }
}

/** Average pooling forward (derivation eq. 2): f64 sum of the real elements over avgPoolDivisor. */
export function avgPool2dForward(x: Float32Array, layout: Layout, p: AvgPoolParams): Float32Array {
  const { N, C, H, W, outH, outW } = p;
  checkLength('reference.avgPool2dForward', 'x', x, [N, C, H, W]);
  const xAt = offsetFn(layout, N, C, H, W);
  const yAt = offsetFn(layout, N, C, outH, outW);
  const output = new Float32Array(N * C * outH * outW);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++) {
          const divisor = avgPoolDivisor(p, oh, ow);
          let sum = 0;
          forEachReal(p, xAt, n, c, oh, ow, (i) => {
            sum += x[i]!;
          });
          output[yAt(n, c, oh, ow)] = divisor === 0 ? 0 : sum / divisor;
        }
      }
    }
  }
  return output;
}

/** Average pooling backward (derivation eq. 7-9) with the forward's divisor; overlapping windows add. */
export function avgPool2dBackward(dy: Float32Array, layout: Layout, p: AvgPoolParams): Float32Array {
  const { N, C, H, W, outH, outW } = p;
  checkLength('reference.avgPool2dBackward', 'dy', dy, [N, C, outH, outW]);
  const xAt = offsetFn(layout, N, C, H, W);
  const yAt = offsetFn(layout, N, C, outH, outW);
  const acc = new Float64Array(N * C * H * W);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++) {
          const divisor = avgPoolDivisor(p, oh, ow);
          if (divisor === 0) continue;
          const share = dy[yAt(n, c, oh, ow)]! / divisor;
          forEachReal(p, xAt, n, c, oh, ow, (i) => {
            acc[i]! += share;
          });
        }
      }
    }
  }
  return Float32Array.from(acc);
}
