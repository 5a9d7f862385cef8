import type { AvgPoolParams } from '../types.js';
import { tapKind, tapPosition } from './window.js';

function countTaps(o: number, stride: number, padBegin: number, k: number, dilation: number, size: number, padEnd: number, includePad: boolean): number {
  let count = 0;
  for (let t = 0; t < k; t++) {
    const kind = tapKind(tapPosition(o, stride, padBegin, t, dilation), size, padBegin, padEnd);
    if (kind === 'real' || (includePad && kind === 'pad')) count++;
  }
  return count;
}

/**
 * The divisor of window (oh, ow), shared by forward and backward so the two can never disagree
 * (TF.js's mismatch is the bug docs/semantics.md warns about). Ceil-mode overhang never counts.
 */
export function avgPoolDivisor(p: AvgPoolParams, oh: number, ow: number): number {
  if (p.divisorOverride !== 0) return p.divisorOverride;
  const rows = countTaps(oh, p.sH, p.padTop, p.kH, p.dH, p.H, p.padBottom, p.countIncludePad);
  const cols = countTaps(ow, p.sW, p.padLeft, p.kW, p.dW, p.W, p.padRight, p.countIncludePad);
  return rows * cols;
}
