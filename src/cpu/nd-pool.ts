/**
 * Fast CPU kernels of windowed max and average pooling of every spatial rank (1, 2, 3), forward and
 * backward: what the `cpu` backend runs for the 1-D and 3-D ops. They must equal the N-d reference
 * (src/reference/nd-pool.ts): max values and indices bit for bit, sums within docs/semantics.md's
 * tolerance (test/cpu-nd.test.ts, test/torch-nd.test.ts).
 *
 * Every window is lifted to three axes (volumeGeometry: leading axes of size 1 with a 1-tap window),
 * and the taps of every output position along each axis are classified once per call (axisTaps:
 * first and last real tap, taps inside the declared padding). The inner loops then run over plain
 * integer ranges of real taps, with no bounds test and no allocation per element. Channel-first
 * tensors scan one (n, c) volume at a time; channels-last tensors keep the C channels of a tap
 * innermost, contiguous in memory, with per-call scratch rows of C running values.
 *
 * Max with zero padding (padWithZero): every padded tap is the same candidate (+0, index -1) and
 * once one has been seen the running max is at least +0 or NaN, which a later +0 never replaces;
 * so only the first padded tap in row-major order counts (as in exact-window.ts). That tap always
 * falls at a boundary between rows of real taps — before them all, after the first row, after the
 * first plane, or after them all — so the scan tests for it once per row, never per tap.
 */
import { volumeGeometry } from '../geometry.js';
import type { AvgWindow, MaxWindow, WindowGeometry } from '../types.js';
import { axisTaps, type AxisTaps } from './axis-taps.js';
import { checkLength } from './check.js';

/** A window lifted to three axes, with its per-axis tap tables. */
interface Plan {
  readonly N: number;
  readonly C: number;
  readonly H: number;
  readonly W: number;
  readonly dD: number;
  readonly dH: number;
  readonly dW: number;
  readonly outD: number;
  readonly outH: number;
  readonly outW: number;
  readonly inVolume: number;
  readonly outVolume: number;
  readonly taps: readonly [AxisTaps, AxisTaps, AxisTaps];
}

function plan(g: WindowGeometry): Plan {
  const v = volumeGeometry(g);
  const taps = [0, 1, 2].map((a) => axisTaps(v.outSize[a]!, v.inSize[a]!, v.kernel[a]!, v.stride[a]!, v.dilation[a]!, v.padBegin[a]!, v.padEnd[a]!)) as [AxisTaps, AxisTaps, AxisTaps];
  const [D, H, W] = v.inSize as [number, number, number];
  const [outD, outH, outW] = v.outSize as [number, number, number];
  const [dD, dH, dW] = v.dilation as [number, number, number];
  return { N: g.N, C: g.C, H, W, dD, dH, dW, outD, outH, outW, inVolume: D * H * W, outVolume: outD * outH * outW, taps };
}

/**
 * Before how many rows of real taps (a row: fixed d and h) the first zero-padded tap of window
 * (od, oh, ow) comes in row-major order; -1 when the window has none (or without zero padding).
 */
function padAfterRows(p: Plan, od: number, oh: number, ow: number): number {
  const [td, th, tw] = p.taps;
  const fD = td.first[od]!;
  const eD = td.end[od]!;
  const fH = th.first[oh]!;
  const eH = th.end[oh]!;
  const fW = tw.first[ow]!;
  const eW = tw.end[ow]!;
  if (eD <= fD || eH <= fH || eW <= fW || fD > 0 || fH > 0 || fW > 0) return 0; // tap (0, 0, 0) is padded
  if (eW < tw.declared[ow]!) return 1; // (0, 0, eW): after the first row
  if (eH < th.declared[oh]!) return eH - fH; // (0, eH, 0): after the first plane
  if (eD < td.declared[od]!) return (eD - fD) * (eH - fH); // (eD, 0, 0): after every real tap
  return -1;
}

/** Result of the last single-channel scan, in module scope so that a scan allocates nothing. */
const scanned = { value: -Infinity, index: -1 };

/**
 * The reference's scan of window (od, oh, ow) of the volume whose element i is x[base + i·pixelStride].
 * `ignoreNan` (nan: 'ignore'): a NaN is never a candidate. `emptyValue`: the value of a window with
 * no candidate (index -1).
 */
function scanMax(x: Float32Array, base: number, pixelStride: number, p: Plan, od: number, oh: number, ow: number, padAfter: number, ignoreNan: boolean, emptyValue: number): void {
  const [td, th, tw] = p.taps;
  const { H, W, dD, dH, dW } = p;
  const d0 = td.start[od]!;
  const h0 = th.start[oh]!;
  const w0 = tw.start[ow]!;
  const fH = th.first[oh]!;
  const eH = th.end[oh]!;
  const fW = tw.first[ow]!;
  const eW = tw.end[ow]!;
  let m = -Infinity;
  let index = -1;
  let found = false;
  let rows = 0;
  for (let kd = td.first[od]!, eD = td.end[od]!; kd < eD; kd++) {
    const plane = (d0 + kd * dD) * H + h0;
    for (let kh = fH; kh < eH; kh++, rows++) {
      if (rows === padAfter && (!found || 0 > m)) {
        m = 0;
        index = -1;
        found = true;
      }
      const row = (plane + kh * dH) * W + w0;
      for (let kw = fW, i = row + fW * dW; kw < eW; kw++, i += dW) {
        const v = x[base + i * pixelStride]!;
        if (v !== v ? !ignoreNan : !found || v > m) {
          m = v;
          index = i;
          found = true;
        }
      }
    }
  }
  if (rows === padAfter && (!found || 0 > m)) {
    m = 0;
    index = -1;
    found = true;
  }
  scanned.value = found ? m : emptyValue;
  scanned.index = index;
}

/** Max pooling forward of rank 1, 2 or 3; bit-exact with reference.maxPoolNdForward. */
export function maxPoolNd(x: Float32Array, channelsLast: boolean, g: MaxWindow): { output: Float32Array; indices: Int32Array } {
  const p = plan(g);
  const { N, C, outD, outH, outW, inVolume, outVolume } = p;
  checkLength('cpu.maxPoolNd', 'x', x, N * C * inVolume);
  const output = new Float32Array(N * C * outVolume);
  const indices = new Int32Array(output.length);
  const zero = g.padWithZero;
  const ignoreNan = g.ignoreNan === true;
  const emptyValue = g.emptyValue ?? -Infinity;
  if (!channelsLast) {
    for (let volume = 0, o = 0; volume < N * C; volume++) {
      const base = volume * inVolume;
      for (let od = 0; od < outD; od++) {
        for (let oh = 0; oh < outH; oh++) {
          for (let ow = 0; ow < outW; ow++, o++) {
            scanMax(x, base, 1, p, od, oh, ow, zero ? padAfterRows(p, od, oh, ow) : -1, ignoreNan, emptyValue);
            output[o] = scanned.value;
            indices[o] = scanned.index;
          }
        }
      }
    }
    return { output, indices };
  }
  // Channels-last, one channel at a time (stride C): C = 1, and nan: 'ignore', whose channels find
  // their first candidate at different taps (the all-channels scan below assumes one first tap).
  if (C === 1 || ignoreNan) {
    for (let n = 0, o = 0; n < N; n++) {
      for (let od = 0; od < outD; od++) {
        for (let oh = 0; oh < outH; oh++) {
          for (let ow = 0; ow < outW; ow++, o += C) {
            const padAfter = zero ? padAfterRows(p, od, oh, ow) : -1;
            for (let c = 0; c < C; c++) {
              scanMax(x, n * inVolume * C + c, C, p, od, oh, ow, padAfter, ignoreNan, emptyValue);
              output[o + c] = scanned.value;
              indices[o + c] = scanned.index;
            }
          }
        }
      }
    }
    return { output, indices };
  }
  // Channels-last: all C channels of a tap at once, contiguous; one running max per channel.
  const best = new Float64Array(C);
  const at = new Int32Array(C);
  const [td, th, tw] = p.taps;
  const { H, W, dD, dH, dW } = p;
  for (let n = 0, o = 0; n < N; n++) {
    const sample = n * inVolume;
    for (let od = 0; od < outD; od++) {
      const d0 = td.start[od]!;
      const fD = td.first[od]!;
      const eD = td.end[od]!;
      for (let oh = 0; oh < outH; oh++) {
        const h0 = th.start[oh]!;
        const fH = th.first[oh]!;
        const eH = th.end[oh]!;
        for (let ow = 0; ow < outW; ow++, o += C) {
          const w0 = tw.start[ow]!;
          const fW = tw.first[ow]!;
          const eW = tw.end[ow]!;
          const padAfter = zero ? padAfterRows(p, od, oh, ow) : -1;
          let found = false;
          let rows = 0;
          for (let kd = fD; kd < eD; kd++) {
            const plane = (d0 + kd * dD) * H + h0;
            for (let kh = fH; kh < eH; kh++, rows++) {
              if (rows === padAfter) found = padCandidate(best, at, C, found);
              const row = (plane + kh * dH) * W + w0;
              for (let kw = fW, i = row + fW * dW; kw < eW; kw++, i += dW) {
                const pixel = (sample + i) * C;
                if (!found) {
                  for (let c = 0; c < C; c++) {
                    best[c] = x[pixel + c]!;
                    at[c] = i;
                  }
                  found = true;
                } else {
                  for (let c = 0; c < C; c++) {
                    const v = x[pixel + c]!;
                    if (v > best[c]! || v !== v) {
                      best[c] = v;
                      at[c] = i;
                    }
                  }
                }
              }
            }
          }
          if (rows === padAfter) found = padCandidate(best, at, C, found);
          if (!found) {
            output.fill(emptyValue, o, o + C);
            indices.fill(-1, o, o + C);
          } else {
            for (let c = 0; c < C; c++) {
              const i = at[c]!;
              // Read the winner back from x, so its bits (NaN payload, -0) are the input's.
              output[o + c] = i < 0 ? best[c]! : x[(sample + i) * C + c]!;
              indices[o + c] = i;
            }
          }
        }
      }
    }
  }
  return { output, indices };
}

/** The zero-padded candidate (+0, index -1) for every channel; returns `found` (now true). */
function padCandidate(best: Float64Array, at: Int32Array, C: number, found: boolean): boolean {
  for (let c = 0; c < C; c++) {
    if (!found || 0 > best[c]!) {
      best[c] = 0;
      at[c] = -1;
    }
  }
  return true;
}

/**
 * Max pooling backward of rank 1, 2 or 3: a scatter of dy to its argmax in output order, f64 sums
 * rounded once. The index rule (docs/semantics.md, "Max pooling, backward"): an index counts only
 * when it names a real tap of its own output's window on every axis, its coordinate minus the
 * window's tap-0 position being t·d for a tap t in [0, k); -1, a position outside the (n, c) row,
 * plane or volume, or one outside that window sends nothing (nothing is thrown), as on every WebGPU
 * form. Integer arithmetic only.
 */
export function maxPoolNdBackward(dy: Float32Array, indices: Int32Array, channelsLast: boolean, g: WindowGeometry): Float32Array {
  const op = 'cpu.maxPoolNdBackward';
  const p = plan(g);
  const { N, C, H, W, dD, dH, dW, outD, outH, outW, inVolume, outVolume } = p;
  const [kD, kH, kW] = volumeGeometry(g).kernel as [number, number, number];
  const spanD = dD * (kD - 1);
  const spanH = dH * (kH - 1);
  const spanW = dW * (kW - 1);
  const startD = p.taps[0].start;
  const startH = p.taps[1].start;
  const startW = p.taps[2].start;
  checkLength(op, 'dy', dy, N * C * outVolume);
  checkLength(op, 'indices', indices, N * C * outVolume);
  const sums = new Float64Array(N * C * inVolume);
  const planeSize = H * W;
  const lanes = channelsLast ? C : 1;
  const blocks = channelsLast ? N : N * C;
  for (let b = 0, o = 0; b < blocks; b++) {
    const base = b * inVolume;
    for (let od = 0; od < outD; od++) {
      const sd = startD[od]!;
      for (let oh = 0; oh < outH; oh++) {
        const sh = startH[oh]!;
        for (let ow = 0; ow < outW; ow++) {
          const sw = startW[ow]!;
          for (let c = 0; c < lanes; c++, o++) {
            const idx = indices[o]!;
            if (idx < 0 || idx >= inVolume) continue;
            const d = (idx / planeSize) | 0;
            const rest = idx - d * planeSize;
            const h = (rest / W) | 0;
            const offD = d - sd;
            const offH = h - sh;
            const offW = rest - h * W - sw;
            if (offD < 0 || offD > spanD || offH < 0 || offH > spanH || offW < 0 || offW > spanW) continue;
            if (offD % dD !== 0 || offH % dH !== 0 || offW % dW !== 0) continue;
            sums[(base + idx) * lanes + c]! += dy[o]!;
          }
        }
      }
    }
  }
  return Float32Array.from(sums);
}

/** Per-axis divisor factors: taps inside input + declared padding (countIncludePad) or real taps. */
function divisorFactors(taps: AxisTaps, includePad: boolean): Float64Array {
  const f = new Float64Array(taps.start.length);
  for (let o = 0; o < f.length; o++) f[o] = includePad ? taps.declared[o]! : taps.end[o]! - taps.first[o]!;
  return f;
}

/** The divisor of every window of a 3-D (or lifted) average pool, in (od, oh, ow) order. */
export function avgDivisors(g: AvgWindow): Float64Array {
  return divisors(plan(g), g);
}

/** Divisor of every window of an average pool, in (od, oh, ow) order: shared by forward and backward. */
function divisors(p: Plan, g: AvgWindow): Float64Array {
  const out = new Float64Array(p.outVolume);
  if (g.divisorOverride !== 0) return out.fill(g.divisorOverride);
  const [fd, fh, fw] = p.taps.map((t) => divisorFactors(t, g.countIncludePad)) as [Float64Array, Float64Array, Float64Array];
  for (let od = 0, j = 0; od < p.outD; od++) {
    for (let oh = 0; oh < p.outH; oh++) {
      const dh = fd[od]! * fh[oh]!;
      for (let ow = 0; ow < p.outW; ow++, j++) out[j] = dh * fw[ow]!;
    }
  }
  return out;
}

/**
 * Visits the real taps of every window of one volume in output order: begin(j) for window j (its
 * position in the output volume; false skips the window), tap(i) for each real tap at in-volume
 * position i, then end(j). The loops are written once for the four average kernels; the callbacks
 * are made once per volume, never per element.
 */
function forEachWindowTap(p: Plan, begin: (j: number) => boolean, tap: (i: number) => void, end: (j: number) => void): void {
  const [td, th, tw] = p.taps;
  const { H, W, dD, dH, dW, outD, outH, outW } = p;
  for (let od = 0, j = 0; od < outD; od++) {
    const d0 = td.start[od]!;
    const fD = td.first[od]!;
    const eD = td.end[od]!;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = th.start[oh]!;
      const fH = th.first[oh]!;
      const eH = th.end[oh]!;
      for (let ow = 0; ow < outW; ow++, j++) {
        if (!begin(j)) continue;
        const w0 = tw.start[ow]!;
        const fW = tw.first[ow]!;
        const eW = tw.end[ow]!;
        for (let kd = fD; kd < eD; kd++) {
          const plane = (d0 + kd * dD) * H + h0;
          for (let kh = fH; kh < eH; kh++) {
            const row = (plane + kh * dH) * W + w0;
            for (let kw = fW, i = row + fW * dW; kw < eW; kw++, i += dW) tap(i);
          }
        }
        end(j);
      }
    }
  }
}

const always = () => true;
const nothing = () => {};

/** Average pooling forward of rank 1, 2 or 3: f64 sums of the real taps over the reference's divisor. */
export function avgPoolNd(x: Float32Array, channelsLast: boolean, g: AvgWindow): Float32Array {
  const p = plan(g);
  const { N, C, inVolume, outVolume } = p;
  checkLength('cpu.avgPoolNd', 'x', x, N * C * inVolume);
  const div = divisors(p, g);
  const output = new Float32Array(N * C * outVolume);
  if (!channelsLast || C === 1) {
    for (let volume = 0; volume < N * C; volume++) {
      const base = volume * inVolume;
      const out = volume * outVolume;
      let sum = 0;
      forEachWindowTap(
        p,
        always,
        (i) => {
          sum += x[base + i]!;
        },
        (j) => {
          const d = div[j]!;
          output[out + j] = d === 0 ? 0 : sum / d;
          sum = 0;
        },
      );
    }
    return output;
  }
  const acc = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    const sample = n * inVolume;
    const outSample = n * outVolume;
    forEachWindowTap(
      p,
      always,
      (i) => {
        const pixel = (sample + i) * C;
        for (let c = 0; c < C; c++) acc[c]! += x[pixel + c]!;
      },
      (j) => {
        const d = div[j]!;
        const o = (outSample + j) * C;
        for (let c = 0; c < C; c++) output[o + c] = d === 0 ? 0 : acc[c]! / d;
        acc.fill(0);
      },
    );
  }
  return output;
}

/** Average pooling backward of rank 1, 2 or 3: every window spreads dy / divisor over its real taps, f64 sums rounded once. */
export function avgPoolNdBackward(dy: Float32Array, channelsLast: boolean, g: AvgWindow): Float32Array {
  const p = plan(g);
  const { N, C, inVolume, outVolume } = p;
  checkLength('cpu.avgPoolNdBackward', 'dy', dy, N * C * outVolume);
  const div = divisors(p, g);
  const sums = new Float64Array(N * C * inVolume);
  if (!channelsLast || C === 1) {
    for (let volume = 0; volume < N * C; volume++) {
      const base = volume * inVolume;
      const out = volume * outVolume;
      let share = 0;
      forEachWindowTap(
        p,
        (j) => {
          const d = div[j]!;
          share = d === 0 ? 0 : dy[out + j]! / d;
          return d !== 0;
        },
        (i) => {
          sums[base + i]! += share;
        },
        nothing,
      );
    }
    return Float32Array.from(sums);
  }
  const shares = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    const sample = n * inVolume;
    const outSample = n * outVolume;
    forEachWindowTap(
      p,
      (j) => {
        const d = div[j]!;
        if (d === 0) return false;
        const o = (outSample + j) * C;
        for (let c = 0; c < C; c++) shares[c] = dy[o + c]! / d;
        return true;
      },
      (i) => {
        const pixel = (sample + i) * C;
        for (let c = 0; c < C; c++) sums[pixel + c]! += shares[c]!;
      },
      nothing,
    );
  }
  return Float32Array.from(sums);
}
