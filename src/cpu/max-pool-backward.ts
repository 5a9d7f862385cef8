/**
 * Max pooling backward on the CPU (derivation eq. 5-6): every dy goes to its argmax. A scatter in
 * output order, as the reference does; the index is an in-plane position, so it addresses dx
 * directly in either layout. Overlapping windows add up: where they can overlap the sums are kept
 * in f64 and rounded once, as in the reference; otherwise each dx gets at most one term and is
 * written directly.
 *
 * The index rule (docs/semantics.md, "Max pooling, backward"): an index counts only when it names
 * a real tap of its own output's window (o·s − pad + t·d on both axes, integer arithmetic: one
 * division per index to find its row); -1, an out-of-plane index or one outside that window sends
 * nothing, as on every WebGPU form. Nothing is thrown for such an index.
 */
import type { Layout, PoolGeometry } from '../types.js';
import { checkLength } from './check.js';

export function maxPool2dBackward(dy: Float32Array, indices: Int32Array, layout: Layout, p: PoolGeometry): Float32Array {
  const op = 'cpu.maxPool2dBackward';
  const { N, C, H, W, outH, outW, sH, sW, dH, dW, padTop, padLeft } = p;
  const planeSize = H * W;
  checkLength(op, 'dy', dy, N * C * outH * outW);
  checkLength(op, 'indices', indices, N * C * outH * outW);
  const spanH = dH * (p.kH - 1);
  const spanW = dW * (p.kW - 1);
  const overlapping = sH < spanH + 1 || sW < spanW + 1;
  const dx = new Float32Array(N * C * planeSize);
  const sums = overlapping ? new Float64Array(dx.length) : dx;
  // The window of output (oh, ow) has tap 0 at (oh·sH − padTop, ow·sW − padLeft).
  const lanes = layout === 'NCHW' ? 1 : C;
  const blocks = layout === 'NCHW' ? N * C : N;
  for (let b = 0, o = 0; b < blocks; b++) {
    const base = b * planeSize;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * sH - padTop;
      for (let ow = 0; ow < outW; ow++) {
        const w0 = ow * sW - padLeft;
        for (let c = 0; c < lanes; c++, o++) {
          const idx = indices[o]!;
          if (idx < 0 || idx >= planeSize) continue;
          const h = (idx / W) | 0;
          const offH = h - h0;
          const offW = idx - h * W - w0;
          if (offH < 0 || offH > spanH || offW < 0 || offW > spanW || offH % dH !== 0 || offW % dW !== 0) continue;
          sums[(base + idx) * lanes + c]! += dy[o]!;
        }
      }
    }
  }
  if (sums !== dx) dx.set(sums);
  return dx;
}
