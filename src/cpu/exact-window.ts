/**
 * The reference's scan of one max-pooling window, float comparison and all: used for the windows
 * the fast kernels leave out, those holding padded taps of zero padding, no real element, or (2×2
 * and 3×3 kernels) dilated taps off the input. Same order, same `!found || v > m || v !== v` test
 * as src/reference/max-pool.ts, so its result is the reference's bit for bit.
 *
 * Zero padding: every padded tap is the same candidate (value +0, index -1), and once one has been
 * seen the running max is at least +0 or NaN, which a later +0 never replaces. So only the first
 * padded tap in scan order counts: the scan visits the real taps and that one tap, and a huge
 * window costs its real elements only.
 */
import type { AxisTaps } from './axis-taps.js';

/** Result of the last scan, in module scope so that a scan allocates nothing. */
export const scanned = { value: -Infinity, index: -1 };

/**
 * Scans window (oh, ow) of the plane whose element (h, w) is x[base + (h·W + w)·pixelStride].
 * zeroPadding: declared padded taps are candidates of value 0 and index -1.
 */
export function scanWindow(x: Float32Array, base: number, pixelStride: number, W: number, dH: number, dW: number, rows: AxisTaps, cols: AxisTaps, oh: number, ow: number, zeroPadding: boolean): void {
  const kyFirst = rows.first[oh]!;
  const kyEnd = rows.end[oh]!;
  const kxFirst = cols.first[ow]!;
  const kxEnd = cols.end[ow]!;
  const h0 = rows.start[oh]!;
  const w0 = cols.start[ow]!;
  // The first padded tap in row-major order, as (row, column) of the tap grid; -1: none.
  let padRow = -1;
  let padCol = -1;
  if (zeroPadding) {
    const kyDeclared = rows.declared[oh]!;
    const kxDeclared = cols.declared[ow]!;
    if (kyFirst >= kyEnd || kxFirst >= kxEnd || kyFirst > 0 || kxFirst > 0) {
      padRow = 0;
      padCol = 0;
    } else if (kxEnd < kxDeclared) {
      padRow = 0;
      padCol = kxEnd;
    } else if (kyEnd < kyDeclared) {
      padRow = kyEnd;
      padCol = 0;
    }
  }
  let m = -Infinity;
  let index = -1;
  let found = false;
  let padPending = padRow >= 0;
  for (let ky = kyFirst; ky < kyEnd; ky++) {
    const row = (h0 + ky * dH) * W + w0;
    for (let kx = kxFirst; kx < kxEnd; kx++) {
      if (padPending && (padRow < ky || (padRow === ky && padCol < kx))) {
        padPending = false;
        if (!found || 0 > m) {
          m = 0;
          index = -1;
          found = true;
        }
      }
      const i = row + kx * dW;
      const v = x[base + i * pixelStride]!;
      if (!found || v > m || v !== v) {
        m = v;
        index = i;
        found = true;
      }
    }
  }
  if (padPending && (!found || 0 > m)) {
    m = 0;
    index = -1;
  }
  scanned.value = m;
  scanned.index = index;
}
