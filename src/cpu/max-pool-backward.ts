/**
 * Max pooling backward on the CPU (derivation eq. 5-6): every dy goes to its argmax. A scatter in
 * output order, as the reference does; the index is an in-plane position, so it addresses dx
 * without a division in either layout. Overlapping windows add up: where they can overlap the sums
 * are kept in f64 and rounded once, as in the reference; otherwise each dx gets at most one term
 * and is written directly.
 */
import { invalid } from '../errors.js';
import type { Layout, PoolGeometry } from '../types.js';
import { checkLength } from './check.js';

export function maxPool2dBackward(dy: Float32Array, indices: Int32Array, layout: Layout, p: PoolGeometry): Float32Array {
  const op = 'cpu.maxPool2dBackward';
  const { N, C, H, W, outH, outW } = p;
  const planeSize = H * W;
  checkLength(op, 'dy', dy, N * C * outH * outW);
  checkLength(op, 'indices', indices, N * C * outH * outW);
  const overlapping = p.sH < p.dH * (p.kH - 1) + 1 || p.sW < p.dW * (p.kW - 1) + 1;
  const dx = new Float32Array(N * C * planeSize);
  const sums = overlapping ? new Float64Array(dx.length) : dx;
  const outPlane = outH * outW;
  if (layout === 'NCHW') {
    for (let plane = 0, o = 0; plane < N * C; plane++) {
      const base = plane * planeSize;
      for (let j = 0; j < outPlane; j++, o++) {
        const idx = indices[o]!;
        if (idx === -1) continue;
        if (idx < -1 || idx >= planeSize) badIndex(op, idx, planeSize);
        sums[base + idx]! += dy[o]!;
      }
    }
  } else {
    for (let n = 0, o = 0; n < N; n++) {
      const base = n * planeSize;
      for (let j = 0; j < outPlane; j++) {
        for (let c = 0; c < C; c++, o++) {
          const idx = indices[o]!;
          if (idx === -1) continue;
          if (idx < -1 || idx >= planeSize) badIndex(op, idx, planeSize);
          sums[(base + idx) * C + c]! += dy[o]!;
        }
      }
    }
  }
  if (sums !== dx) dx.set(sums);
  return dx;
}

export function badIndex(op: string, idx: number, planeSize: number): never {
  return invalid(op, 'indices', idx, `must be -1 or an in-plane position in [0, ${planeSize})`);
}
