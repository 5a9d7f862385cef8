/** Global max and average pooling backward on the CPU (derivation eq. 10, 12). */
import type { Layout, PlaneShape } from '../types.js';
import { checkLength } from './check.js';

/**
 * dy goes to the argmax only. The index rule (docs/semantics.md): an index outside [0, H·W) (-1: no
 * argmax) sends nothing, as on WebGPU; nothing is thrown.
 */
export function globalMaxPoolBackward(dy: Float32Array, indices: Int32Array, layout: Layout, s: PlaneShape): Float32Array {
  const op = 'cpu.globalMaxPoolBackward';
  const { N, C, H, W } = s;
  const planeSize = H * W;
  checkLength(op, 'dy', dy, N * C);
  checkLength(op, 'indices', indices, N * C);
  const dx = new Float32Array(N * C * planeSize);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const o = n * C + c;
      const idx = indices[o]!;
      if (idx < 0 || idx >= planeSize) continue;
      dx[layout === 'NCHW' ? o * planeSize + idx : (n * planeSize + idx) * C + c] = dy[o]!;
    }
  }
  return dx;
}

/** dy / (H·W) everywhere: plane by plane (NCHW), or pixel by pixel from one row of C shares (NHWC). */
export function globalAvgPoolBackward(dy: Float32Array, layout: Layout, s: PlaneShape): Float32Array {
  const { N, C, H, W } = s;
  const planeSize = H * W;
  checkLength('cpu.globalAvgPoolBackward', 'dy', dy, N * C);
  const dx = new Float32Array(N * C * planeSize);
  if (layout === 'NCHW') {
    for (let o = 0, i = 0; o < N * C; o++) {
      const share = dy[o]! / planeSize;
      for (const end = i + planeSize; i < end; i++) dx[i] = share;
    }
    return dx;
  }
  const shares = new Float32Array(C);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) shares[c] = dy[n * C + c]! / planeSize;
    const base = n * planeSize * C;
    for (let i = 0; i < planeSize; i++) dx.set(shares, base + i * C);
  }
  return dx;
}
