/**
 * The reference's scan of one max-pooling window, float comparison and all: used for the windows
 * the separable passes of max-pool.ts leave out, those holding padded taps of zero padding or no
 * real element. Same order, same `!found || v > m || v !== v` test as src/reference/max-pool.ts,
 * so its result is the reference's bit for bit.
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
  const kyTo = zeroPadding ? rows.declared[oh]! : kyEnd;
  const kxTo = zeroPadding ? cols.declared[ow]! : kxEnd;
  let m = -Infinity;
  let index = -1;
  let found = false;
  for (let ky = zeroPadding ? 0 : kyFirst; ky < kyTo; ky++) {
    const rowReal = ky >= kyFirst && ky < kyEnd;
    const row = (h0 + ky * dH) * W + w0;
    for (let kx = zeroPadding ? 0 : kxFirst; kx < kxTo; kx++) {
      let v = 0;
      let i = -1;
      if (rowReal && kx >= kxFirst && kx < kxEnd) {
        i = row + kx * dW;
        v = x[base + i * pixelStride]!;
      }
      if (!found || v > m || v !== v) {
        m = v;
        index = i;
        found = true;
      }
    }
  }
  scanned.value = m;
  scanned.index = index;
}
