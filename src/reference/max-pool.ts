import type { Layout, MaxPoolParams, PoolGeometry } from '../types.js';
import { checkLength, offsetFn } from './layout.js';
import { tapKind, tapPosition } from './window.js';

/**
 * Max pooling forward (docs/semantics.md, derivation eq. 1). Indices are in-plane positions h*W+w, laid
 * out like the output; -1 marks a window whose max is not an input element.
 */
export function maxPool2dForward(x: Float32Array, layout: Layout, p: MaxPoolParams): { output: Float32Array; indices: Int32Array } {
  const { N, C, H, W, kH, kW, sH, sW, dH, dW, padTop, padLeft, padBottom, padRight, outH, outW } = p;
  checkLength('reference.maxPool2dForward', 'x', x, [N, C, H, W]);
  const xAt = offsetFn(layout, N, C, H, W);
  const yAt = offsetFn(layout, N, C, outH, outW);
  const output = new Float32Array(N * C * outH * outW);
  const indices = new Int32Array(output.length);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++) {
          let maxval = -Infinity;
          let index = -1;
          // `found` generalises PyTorch's `index == -1` test: with zero padding a padded tap is a
          // candidate whose index is -1, and it must not be displaced by a smaller real element.
          let found = false;
          for (let ky = 0; ky < kH; ky++) {
            const h = tapPosition(oh, sH, padTop, ky, dH);
            const hKind = tapKind(h, H, padTop, padBottom);
            if (hKind === 'outside') continue;
            for (let kx = 0; kx < kW; kx++) {
              const w = tapPosition(ow, sW, padLeft, kx, dW);
              const wKind = tapKind(w, W, padLeft, padRight);
              if (wKind === 'outside') continue;
              let val: number;
              let idx: number;
              if (hKind === 'real' && wKind === 'real') {
                val = x[xAt(n, c, h, w)]!;
                idx = h * W + w;
              } else if (p.padWithZero) {
                val = 0;
                idx = -1;
              } else {
                continue;
              }
              // First maximum wins ties; the last NaN wins. No normalisation of -0 vs +0.
              if (!found || val > maxval || Number.isNaN(val)) {
                maxval = val;
                index = idx;
                found = true;
              }
            }
          }
          const o = yAt(n, c, oh, ow);
          output[o] = maxval;
          indices[o] = index;
        }
      }
    }
  }
  return { output, indices };
}

/**
 * Max pooling backward (derivation eq. 5-6): each dy goes to its argmax; overlapping windows add.
 * The index rule (docs/semantics.md, "Max pooling, backward"): an index counts only when it is a tap
 * of its own output's window, a real element at o·s − pad + t·d on both axes; any other index (-1,
 * outside the plane, or in the plane but outside that window) is dropped.
 */
export function maxPool2dBackward(dy: Float32Array, indices: Int32Array, layout: Layout, p: PoolGeometry): Float32Array {
  const { N, C, H, W, kH, kW, sH, sW, dH, dW, padTop, padLeft, outH, outW } = p;
  const op = 'reference.maxPool2dBackward';
  checkLength(op, 'dy', dy, [N, C, outH, outW]);
  checkLength(op, 'indices', indices, [N, C, outH, outW]);
  const xAt = offsetFn(layout, N, C, H, W);
  const yAt = offsetFn(layout, N, C, outH, outW);
  const acc = new Float64Array(N * C * H * W);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++) {
          const o = yAt(n, c, oh, ow);
          const idx = indices[o]!;
          // Literally: look for the tap of this window that names idx.
          for (let ky = 0; ky < kH; ky++) {
            const h = tapPosition(oh, sH, padTop, ky, dH);
            if (h < 0 || h >= H) continue;
            for (let kx = 0; kx < kW; kx++) {
              const w = tapPosition(ow, sW, padLeft, kx, dW);
              if (w >= 0 && w < W && h * W + w === idx) acc[xAt(n, c, h, w)]! += dy[o]!;
            }
          }
        }
      }
    }
  }
  return Float32Array.from(acc);
}
