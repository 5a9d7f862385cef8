import type { Layout, PlaneShape } from '../types.js';
import { checkLength, offsetFn } from './layout.js';

/** Global max (derivation eq. 3): output and indices ordered n*C+c, index h*W+w, same tie/NaN rule as maxPool2d. */
export function globalMaxPool(x: Float32Array, layout: Layout, s: PlaneShape): { output: Float32Array; indices: Int32Array } {
  const { N, C, H, W } = s;
  checkLength('reference.globalMaxPool', 'x', x, [N, C, H, W]);
  const xAt = offsetFn(layout, N, C, H, W);
  const output = new Float32Array(N * C);
  const indices = new Int32Array(N * C);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      let maxval = -Infinity;
      let index = -1;
      for (let h = 0; h < H; h++) {
        for (let w = 0; w < W; w++) {
          const val = x[xAt(n, c, h, w)]!;
          if (val > maxval || Number.isNaN(val) || index === -1) {
            maxval = val;
            index = h * W + w;
          }
        }
      }
      output[n * C + c] = maxval;
      indices[n * C + c] = index;
    }
  }
  return { output, indices };
}

/** Global max backward (derivation eq. 10): dy goes to the argmax only; an index outside [0, H·W) sends nothing. */
export function globalMaxPoolBackward(dy: Float32Array, indices: Int32Array, layout: Layout, s: PlaneShape): Float32Array {
  const { N, C, H, W } = s;
  checkLength('reference.globalMaxPoolBackward', 'dy', dy, [N, C]);
  checkLength('reference.globalMaxPoolBackward', 'indices', indices, [N, C]);
  const xAt = offsetFn(layout, N, C, H, W);
  const dx = new Float32Array(N * C * H * W);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const idx = indices[n * C + c]!;
      // The index rule: only a position of the plane receives dy; any other index (-1) is dropped.
      if (idx < 0 || idx >= H * W) continue;
      dx[xAt(n, c, Math.floor(idx / W), idx % W)] = dy[n * C + c]!;
    }
  }
  return dx;
}

/** Global average (derivation eq. 4): f64 sum over the plane divided by H*W, ordered n*C+c. */
export function globalAvgPool(x: Float32Array, layout: Layout, s: PlaneShape): Float32Array {
  const { N, C, H, W } = s;
  checkLength('reference.globalAvgPool', 'x', x, [N, C, H, W]);
  const xAt = offsetFn(layout, N, C, H, W);
  const output = new Float32Array(N * C);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      let sum = 0;
      for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) sum += x[xAt(n, c, h, w)]!;
      output[n * C + c] = sum / (H * W);
    }
  }
  return output;
}

/** Global average backward: dy / (H*W) everywhere (eq. 12 read with the input plane size, as docs/semantics.md says). */
export function globalAvgPoolBackward(dy: Float32Array, layout: Layout, s: PlaneShape): Float32Array {
  const { N, C, H, W } = s;
  checkLength('reference.globalAvgPoolBackward', 'dy', dy, [N, C]);
  const xAt = offsetFn(layout, N, C, H, W);
  const dx = new Float32Array(N * C * H * W);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const share = dy[n * C + c]! / (H * W);
      for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) dx[xAt(n, c, h, w)] = share;
    }
  }
  return dx;
}
