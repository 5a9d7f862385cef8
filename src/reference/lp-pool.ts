/**
 * The f64 CPU reference of LP pooling of every spatial rank (1, 2, 3), forward and backward: the
 * oracle the LP kernels (CPU and WebGPU) are checked against, written literally from the semantics
 * (docs/lp-pooling.md): every window visited tap by tap in row-major order, every tap classified
 * per axis with window.ts. Clarity over speed.
 *
 * Forward: y = (Σ |x|^p)^(1/p) over the window's real taps; a padded tap or a ceil-mode overhang
 * adds |0|^p = 0. Backward: dx_i = Σ over the windows o with a real tap on i of
 * dy_o · sign(x_i)·|x_i|^(p−1) · y_o^(1−p), computed as S_i·f(x_i) with S_i = Σ dy_o·y_o^(1−p): a
 * window with y_o = 0 sends 0, one with y_o NaN or infinite sends NaN (undefined gradient), and an
 * element with x_i = 0 gets 0 unless S_i is NaN. `y` is the forward output the caller passes.
 *
 * Tensors are logical [N, C, ...spatial]; in memory channel-first or channels-last.
 */
import { invalid } from '../errors.js';
import type { WindowGeometry } from '../types.js';
import { checkLength } from './layout.js';
import { tapKind, tapPosition } from './window.js';

const product = (v: readonly number[]) => v.reduce((a, b) => a * b, 1);

/** Coordinates of row-major flat position `flat` in a box of the given sizes. */
function coordinates(flat: number, sizes: readonly number[]): number[] {
  const c = new Array<number>(sizes.length);
  for (let a = sizes.length - 1; a >= 0; a--) {
    c[a] = flat % sizes[a]!;
    flat = Math.floor(flat / sizes[a]!);
  }
  return c;
}

function flatPosition(coords: readonly number[], sizes: readonly number[]): number {
  let flat = 0;
  for (let a = 0; a < sizes.length; a++) flat = flat * sizes[a]! + coords[a]!;
  return flat;
}

function offset(channelsLast: boolean, C: number, volume: number, n: number, c: number, flat: number): number {
  return channelsLast ? (n * volume + flat) * C + c : (n * C + c) * volume + flat;
}

function checkP(op: string, p: number): void {
  if (!(typeof p === 'number' && Number.isFinite(p) && p > 0)) invalid(op, 'normType', p, 'must be a finite number > 0');
}

/**
 * Calls visit(n, c, outFlat, inFlat) for every real tap of every window (windows in output order,
 * taps in row-major order); padded and overhang taps are skipped (they add 0).
 */
function forEachRealTap(g: WindowGeometry, visit: (n: number, c: number, outFlat: number, inFlat: number) => void): void {
  const outVolume = product(g.outSize);
  const taps = product(g.kernel);
  for (let n = 0; n < g.N; n++) {
    for (let c = 0; c < g.C; c++) {
      for (let j = 0; j < outVolume; j++) {
        const o = coordinates(j, g.outSize);
        for (let t = 0; t < taps; t++) {
          const k = coordinates(t, g.kernel);
          const pos = o.map((oa, a) => tapPosition(oa, g.stride[a]!, g.padBegin[a]!, k[a]!, g.dilation[a]!));
          if (pos.every((q, a) => tapKind(q, g.inSize[a]!, g.padBegin[a]!, g.padEnd[a]!) === 'real')) visit(n, c, j, flatPosition(pos, g.inSize));
        }
      }
    }
  }
}

/** |v|^p, exactly 0 for v = 0. */
function term(v: number, p: number): number {
  const a = Math.abs(v);
  return a === 0 ? 0 : Math.pow(a, p);
}

/** LP pooling forward of rank 1, 2 or 3 (f64 sums, rounded once to f32). */
export function lpPoolNdForward(x: Float32Array, channelsLast: boolean, g: WindowGeometry, p: number): Float32Array {
  checkP('reference.lpPoolNdForward', p);
  const inVolume = product(g.inSize);
  const outVolume = product(g.outSize);
  checkLength('reference.lpPoolNdForward', 'x', x, [g.N, g.C, inVolume]);
  const sums = new Float64Array(g.N * g.C * outVolume);
  forEachRealTap(g, (n, c, j, i) => {
    sums[offset(channelsLast, g.C, outVolume, n, c, j)]! += term(x[offset(channelsLast, g.C, inVolume, n, c, i)]!, p);
  });
  return Float32Array.from(sums, (s) => (s === 0 ? 0 : Math.pow(s, 1 / p)));
}

/** LP pooling backward of rank 1, 2 or 3: dx from dy, the forward's input x and its output y (f64 sums). */
export function lpPoolNdBackward(dy: Float32Array, x: Float32Array, y: Float32Array, channelsLast: boolean, g: WindowGeometry, p: number): Float32Array {
  checkP('reference.lpPoolNdBackward', p);
  const inVolume = product(g.inSize);
  const outVolume = product(g.outSize);
  checkLength('reference.lpPoolNdBackward', 'dy', dy, [g.N, g.C, outVolume]);
  checkLength('reference.lpPoolNdBackward', 'y', y, [g.N, g.C, outVolume]);
  checkLength('reference.lpPoolNdBackward', 'x', x, [g.N, g.C, inVolume]);
  // S_i: the sum over the windows reaching i of dy·y^(1−p); 0 from a window with y = 0, NaN from
  // one whose y is NaN or infinite (its gradient is undefined).
  const sums = new Float64Array(g.N * g.C * inVolume);
  forEachRealTap(g, (n, c, j, i) => {
    const oi = offset(channelsLast, g.C, outVolume, n, c, j);
    const ii = offset(channelsLast, g.C, inVolume, n, c, i);
    const yo = y[oi]!;
    if (yo === 0) return;
    sums[ii]! += Number.isFinite(yo) ? dy[oi]! * Math.pow(yo, 1 - p) : NaN;
  });
  // dx_i = S_i · sign(x_i)·|x_i|^(p−1): NaN for a NaN S_i, else 0 where x_i or S_i is 0.
  return Float32Array.from(sums, (s, i) => {
    const xi = x[i]!;
    if (Number.isNaN(s)) return NaN;
    if (s === 0 || xi === 0) return 0;
    return s * Math.sign(xi) * Math.pow(Math.abs(xi), p - 1);
  });
}
