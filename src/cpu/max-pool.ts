/**
 * Max pooling forward on the CPU, bit-exact with the reference (SEMANTICS.md): the same windows
 * scanned in the same row-major order, with ties going to the first maximum. The running max is
 * kept as an ordered key (ordered-key.ts) and updated with masks; a window whose max is a NaN, or
 * a zero whose sign the key cannot tell, is rescanned with the reference's float test, and so is
 * every window that holds padded taps of zero padding.
 */
import type { Layout, MaxPoolParams } from '../types.js';
import { axisTaps, realCount, type AxisTaps } from './axis-taps.js';
import { checkLength } from './check.js';
import { scanWindow, scanned } from './exact-window.js';
import { NAN_KEY, keyBits, orderedKey } from './ordered-key.js';

export interface MaxPoolOutput {
  output: Float32Array;
  /** In-plane positions h·W+w, -1 where the max is not an input element; null when not asked for. */
  indices: Int32Array | null;
}

export function maxPool2dForward(x: Float32Array, layout: Layout, p: MaxPoolParams, withIndices: boolean): MaxPoolOutput {
  checkLength('cpu.maxPool2dForward', 'x', x, p.N * p.C * p.H * p.W);
  const rows = axisTaps(p.outH, p.H, p.kH, p.sH, p.dH, p.padTop, p.padBottom);
  const cols = axisTaps(p.outW, p.W, p.kW, p.sW, p.dW, p.padLeft, p.padRight);
  const output = new Float32Array(p.N * p.C * p.outH * p.outW);
  const indices = withIndices ? new Int32Array(output.length) : null;
  const k = { x, bits: new Int32Array(x.buffer, x.byteOffset, x.length), p, rows, cols, output, outBits: new Int32Array(output.buffer), indices };
  if (layout === 'NCHW') maxNchw(k);
  else maxNhwc(k);
  return { output, indices };
}

interface MaxKernel {
  x: Float32Array;
  /** x's bits, for the keys. */
  bits: Int32Array;
  p: MaxPoolParams;
  rows: AxisTaps;
  cols: AxisTaps;
  output: Float32Array;
  /** output's bits, written from keys where no index is asked for. */
  outBits: Int32Array;
  indices: Int32Array | null;
}

/** Zero padding takes part only in windows that hold a padded tap; the others are all real taps. */
function holdsPaddedTap(rows: AxisTaps, cols: AxisTaps, oh: number, ow: number): boolean {
  return rows.declared[oh]! * cols.declared[ow]! > realCount(rows, oh) * realCount(cols, ow);
}

/** NCHW: a plane at a time, rows contiguous, each window's running max in registers. */
function maxNchw({ x, bits, p, rows, cols, output, outBits, indices }: MaxKernel): void {
  const { H, W, dH, dW, outH, outW, padWithZero } = p;
  const planeSize = H * W;
  let o = 0;
  for (let plane = 0; plane < p.N * p.C; plane++) {
    const base = plane * planeSize;
    for (let oh = 0; oh < outH; oh++) {
      const kyFirst = rows.first[oh]!;
      const kyEnd = rows.end[oh]!;
      const rowStart = rows.start[oh]! * W;
      for (let ow = 0; ow < outW; ow++, o++) {
        const kxFirst = cols.first[ow]!;
        const kxEnd = cols.end[ow]!;
        if ((padWithZero && holdsPaddedTap(rows, cols, oh, ow)) || kyFirst >= kyEnd || kxFirst >= kxEnd) {
          scanWindow(x, base, 1, W, dH, dW, rows, cols, oh, ow, padWithZero);
          output[o] = scanned.value;
          if (indices !== null) indices[o] = scanned.index;
          continue;
        }
        const w0 = cols.start[ow]!;
        let at = rowStart + kyFirst * dH * W + w0 + kxFirst * dW;
        let best = orderedKey(bits[base + at]!);
        if (indices !== null) {
          for (let ky = kyFirst; ky < kyEnd; ky++) {
            const row = rowStart + ky * dH * W + w0;
            for (let kx = kxFirst; kx < kxEnd; kx++) {
              const i = row + kx * dW;
              const key = orderedKey(bits[base + i]!);
              const take = -(((key > best) as unknown as number) | 0);
              best ^= (best ^ key) & take;
              at ^= (at ^ i) & take;
            }
          }
          if (best > NAN_KEY) {
            scanWindow(x, base, 1, W, dH, dW, rows, cols, oh, ow, false);
            at = scanned.index;
          }
          output[o] = x[base + at]!;
          indices[o] = at;
        } else {
          for (let ky = kyFirst; ky < kyEnd; ky++) {
            const row = rowStart + ky * dH * W + w0;
            for (let kx = kxFirst; kx < kxEnd; kx++) {
              const key = orderedKey(bits[base + row + kx * dW]!);
              best ^= (best ^ key) & -(((key > best) as unknown as number) | 0);
            }
          }
          if (best > NAN_KEY || best === 0) {
            scanWindow(x, base, 1, W, dH, dW, rows, cols, oh, ow, false);
            output[o] = scanned.value;
          } else {
            outBits[o] = keyBits(best);
          }
        }
      }
    }
  }
}

/**
 * NHWC: an image at a time; per window, the list of its real taps, then the channels innermost, so
 * every tap reads a contiguous run of C values.
 */
function maxNhwc({ x, bits, p, rows, cols, output, outBits, indices }: MaxKernel): void {
  const { C, H, W, dH, dW, outH, outW, padWithZero } = p;
  const imageSize = H * W * C;
  const tapOffset = new Int32Array(p.kH * p.kW);
  const tapIndex = new Int32Array(p.kH * p.kW);
  let o = 0;
  for (let n = 0; n < p.N; n++) {
    const base = n * imageSize;
    for (let oh = 0; oh < outH; oh++) {
      const kyFirst = rows.first[oh]!;
      const kyEnd = rows.end[oh]!;
      const h0 = rows.start[oh]!;
      for (let ow = 0; ow < outW; ow++, o += C) {
        const kxFirst = cols.first[ow]!;
        const kxEnd = cols.end[ow]!;
        if ((padWithZero && holdsPaddedTap(rows, cols, oh, ow)) || kyFirst >= kyEnd || kxFirst >= kxEnd) {
          for (let c = 0; c < C; c++) {
            scanWindow(x, base + c, C, W, dH, dW, rows, cols, oh, ow, padWithZero);
            output[o + c] = scanned.value;
            if (indices !== null) indices[o + c] = scanned.index;
          }
          continue;
        }
        const w0 = cols.start[ow]!;
        let taps = 0;
        for (let ky = kyFirst; ky < kyEnd; ky++) {
          const row = (h0 + ky * dH) * W + w0;
          for (let kx = kxFirst; kx < kxEnd; kx++, taps++) {
            tapIndex[taps] = row + kx * dW;
            tapOffset[taps] = (row + kx * dW) * C;
          }
        }
        if (indices !== null) {
          for (let c = 0; c < C; c++) {
            let best = orderedKey(bits[base + tapOffset[0]! + c]!);
            let t = 0;
            for (let u = 1; u < taps; u++) {
              const key = orderedKey(bits[base + tapOffset[u]! + c]!);
              const take = -(((key > best) as unknown as number) | 0);
              best ^= (best ^ key) & take;
              t ^= (t ^ u) & take;
            }
            if (best > NAN_KEY) {
              scanWindow(x, base + c, C, W, dH, dW, rows, cols, oh, ow, false);
              output[o + c] = scanned.value;
              indices[o + c] = scanned.index;
            } else {
              output[o + c] = x[base + tapOffset[t]! + c]!;
              indices[o + c] = tapIndex[t]!;
            }
          }
        } else {
          for (let c = 0; c < C; c++) {
            let best = orderedKey(bits[base + tapOffset[0]! + c]!);
            for (let u = 1; u < taps; u++) {
              const key = orderedKey(bits[base + tapOffset[u]! + c]!);
              best ^= (best ^ key) & -(((key > best) as unknown as number) | 0);
            }
            if (best > NAN_KEY || best === 0) {
              scanWindow(x, base + c, C, W, dH, dW, rows, cols, oh, ow, false);
              output[o + c] = scanned.value;
            } else {
              outBits[o + c] = keyBits(best);
            }
          }
        }
      }
    }
  }
}
