import type { AvgPoolParams } from '../types.js';
import type { AxisTaps } from './axis-taps.js';

/**
 * Per-axis factors of the average-pooling divisor (the reference's avgPoolDivisor, factored):
 * divisor(oh, ow) = rows[oh]·cols[ow], or divisorOverride when given. countIncludePad counts the
 * declared padding; the ceil-mode overhang never counts.
 */
export function divisorFactors(p: AvgPoolParams, taps: AxisTaps): Float64Array {
  const out = new Float64Array(taps.start.length);
  for (let o = 0; o < out.length; o++) {
    out[o] = p.divisorOverride !== 0 ? 1 : p.countIncludePad ? taps.declared[o]! : taps.end[o]! - taps.first[o]!;
  }
  return out;
}

/** The divisor of window (oh, ow) from the factors; 0 means the window outputs 0. */
export function divisorOf(p: AvgPoolParams, rows: Float64Array, cols: Float64Array, oh: number, ow: number): number {
  return p.divisorOverride !== 0 ? p.divisorOverride : rows[oh]! * cols[ow]!;
}
