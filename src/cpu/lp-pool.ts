/**
 * Fast CPU kernels of LP pooling of every spatial rank (1, 2, 3), forward and backward, both memory
 * orders: what the `cpu` backend runs. They equal the f64 reference (src/reference/lp-pool.ts)
 * within docs/lp-pooling.md's tolerance (test/family-lp-cpu.test.ts).
 *
 * Every window is lifted to three axes (volumeGeometry) and the taps of every output position along
 * each axis are classified once per call (axisTaps). A window's real taps are then listed once into
 * a per-call scratch of in-volume positions, and the sums run over that list: no bounds test and no
 * allocation per element. Sums are f64, rounded to f32 once. p = 1 and p = 2 take exact forms
 * (Σ|x|, sqrt(Σx²)); any other p uses Math.pow on |x|.
 *
 * Channel-first tensors run one (n, c) volume at a time; channels-last ones keep the C channels of a
 * tap innermost (contiguous), with per-call scratch rows of C running values.
 */
import { volumeGeometry } from '../geometry.js';
import type { WindowGeometry } from '../types.js';
import { axisTaps, type AxisTaps } from './axis-taps.js';
import { checkLength } from './check.js';

interface Plan {
  readonly N: number;
  readonly C: number;
  readonly inVolume: number;
  readonly outVolume: number;
  readonly H: number;
  readonly W: number;
  readonly d: readonly [number, number, number];
  readonly out: readonly [number, number, number];
  readonly taps: readonly [AxisTaps, AxisTaps, AxisTaps];
  /** Scratch: the in-volume positions of one window's real taps. */
  readonly list: Int32Array;
}

function plan(g: WindowGeometry): Plan {
  const v = volumeGeometry(g);
  const taps = [0, 1, 2].map((a) => axisTaps(v.outSize[a]!, v.inSize[a]!, v.kernel[a]!, v.stride[a]!, v.dilation[a]!, v.padBegin[a]!, v.padEnd[a]!)) as [AxisTaps, AxisTaps, AxisTaps];
  const [D, H, W] = v.inSize as [number, number, number];
  const out = v.outSize as [number, number, number];
  return {
    N: g.N,
    C: g.C,
    inVolume: D * H * W,
    outVolume: out[0] * out[1] * out[2],
    H,
    W,
    d: v.dilation as [number, number, number],
    out,
    taps,
    list: new Int32Array(v.kernel.reduce((a, b) => a * b, 1)),
  };
}

/** Lists the real taps of window j (output position (od, oh, ow)) into p.list; returns their count. */
function listTaps(p: Plan, od: number, oh: number, ow: number): number {
  const [td, th, tw] = p.taps;
  const { H, W, list } = p;
  const [dD, dH, dW] = p.d;
  const d0 = td.start[od]!;
  const h0 = th.start[oh]!;
  const w0 = tw.start[ow]!;
  const fH = th.first[oh]!;
  const eH = th.end[oh]!;
  const fW = tw.first[ow]!;
  const eW = tw.end[ow]!;
  let n = 0;
  for (let kd = td.first[od]!, eD = td.end[od]!; kd < eD; kd++) {
    const plane = (d0 + kd * dD) * H + h0;
    for (let kh = fH; kh < eH; kh++) {
      const row = (plane + kh * dH) * W + w0;
      for (let kw = fW, i = row + fW * dW; kw < eW; kw++, i += dW) list[n++] = i;
    }
  }
  return n;
}

/** Calls window(j, taps) for every output position j of one volume, with p.list holding its taps. */
function forEachWindow(p: Plan, window: (j: number, taps: number) => void): void {
  const [outD, outH, outW] = p.out;
  for (let od = 0, j = 0; od < outD; od++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, j++) window(j, listTaps(p, od, oh, ow));
    }
  }
}

const kindOf = (normType: number) => (normType === 1 ? 1 : normType === 2 ? 2 : 0);

function root(s: number, kind: number, normType: number): number {
  if (kind === 1) return s;
  if (kind === 2) return Math.sqrt(s);
  return s === 0 ? 0 : Math.pow(s, 1 / normType);
}

/** LP pooling forward of rank 1, 2 or 3: (Σ |x|^p)^(1/p) over each window's real taps. */
export function lpPoolNd(x: Float32Array, channelsLast: boolean, g: WindowGeometry, normType: number): Float32Array {
  const p = plan(g);
  const { N, C, inVolume, outVolume, list } = p;
  checkLength('cpu.lpPoolNd', 'x', x, N * C * inVolume);
  const kind = kindOf(normType);
  const output = new Float32Array(N * C * outVolume);
  if (!channelsLast || C === 1) {
    for (let volume = 0; volume < N * C; volume++) {
      const base = volume * inVolume;
      const out = volume * outVolume;
      forEachWindow(p, (j, taps) => {
        let sum = 0;
        if (kind === 1) for (let t = 0; t < taps; t++) sum += Math.abs(x[base + list[t]!]!);
        else if (kind === 2)
          for (let t = 0; t < taps; t++) {
            const v = x[base + list[t]!]!;
            sum += v * v;
          }
        else
          for (let t = 0; t < taps; t++) {
            const a = Math.abs(x[base + list[t]!]!);
            if (a !== 0) sum += Math.pow(a, normType);
          }
        output[out + j] = root(sum, kind, normType);
      });
    }
    return output;
  }
  const acc = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    const sample = n * inVolume;
    const outSample = n * outVolume;
    forEachWindow(p, (j, taps) => {
      acc.fill(0);
      for (let t = 0; t < taps; t++) {
        const pixel = (sample + list[t]!) * C;
        if (kind === 1) for (let c = 0; c < C; c++) acc[c]! += Math.abs(x[pixel + c]!);
        else if (kind === 2)
          for (let c = 0; c < C; c++) {
            const v = x[pixel + c]!;
            acc[c]! += v * v;
          }
        else
          for (let c = 0; c < C; c++) {
            const a = Math.abs(x[pixel + c]!);
            if (a !== 0) acc[c]! += Math.pow(a, normType);
          }
      }
      const o = (outSample + j) * C;
      for (let c = 0; c < C; c++) output[o + c] = root(acc[c]!, kind, normType);
    });
  }
  return output;
}

/** What a window sends each of its taps before the element's factor: dy·y^(1−p), 0 where y = 0, NaN where y is NaN or infinite. */
function share(dy: number, y: number, kind: number, normType: number): number {
  if (y === 0) return 0;
  if (!Number.isFinite(y)) return NaN;
  if (kind === 1) return dy;
  if (kind === 2) return dy / y;
  return dy * Math.pow(y, 1 - normType);
}

/** The element's factor sign(x)·|x|^(p−1), applied once to its summed shares; NaN for a NaN sum, else 0 where x or the sum is 0. */
function finish(sums: Float64Array, x: Float32Array, kind: number, normType: number): Float32Array {
  const dx = new Float32Array(sums.length);
  for (let i = 0; i < sums.length; i++) {
    const s = sums[i]!;
    const v = x[i]!;
    if (Number.isNaN(s)) {
      dx[i] = NaN;
      continue;
    }
    if (s === 0 || v === 0) continue;
    dx[i] = kind === 1 ? s * Math.sign(v) : kind === 2 ? s * v : s * Math.sign(v) * Math.pow(Math.abs(v), normType - 1);
  }
  return dx;
}

/** LP pooling backward of rank 1, 2 or 3: dx from dy, the forward's input x and its output y. */
export function lpPoolNdBackward(dy: Float32Array, x: Float32Array, y: Float32Array, channelsLast: boolean, g: WindowGeometry, normType: number): Float32Array {
  const p = plan(g);
  const { N, C, inVolume, outVolume, list } = p;
  checkLength('cpu.lpPoolNdBackward', 'dy', dy, N * C * outVolume);
  checkLength('cpu.lpPoolNdBackward', 'y', y, N * C * outVolume);
  checkLength('cpu.lpPoolNdBackward', 'x', x, N * C * inVolume);
  const kind = kindOf(normType);
  const sums = new Float64Array(N * C * inVolume);
  if (!channelsLast || C === 1) {
    for (let volume = 0; volume < N * C; volume++) {
      const base = volume * inVolume;
      const out = volume * outVolume;
      forEachWindow(p, (j, taps) => {
        const s = share(dy[out + j]!, y[out + j]!, kind, normType);
        if (s !== 0) for (let t = 0; t < taps; t++) sums[base + list[t]!]! += s;
      });
    }
    return finish(sums, x, kind, normType);
  }
  const shares = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    const sample = n * inVolume;
    const outSample = n * outVolume;
    forEachWindow(p, (j, taps) => {
      const o = (outSample + j) * C;
      for (let c = 0; c < C; c++) shares[c] = share(dy[o + c]!, y[o + c]!, kind, normType);
      for (let t = 0; t < taps; t++) {
        const pixel = (sample + list[t]!) * C;
        for (let c = 0; c < C; c++) sums[pixel + c]! += shares[c]!;
      }
    });
  }
  return finish(sums, x, kind, normType);
}
