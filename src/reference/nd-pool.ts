/**
 * The f64 CPU reference of windowed max and average pooling of every spatial rank (1, 2, 3): the
 * oracle the N-d kernels (CPU and WebGPU) are checked against, written literally from docs/semantics.md
 * for any number of axes. Clarity over speed: every window is visited tap by tap in row-major order
 * (first axis outermost) and every tap is classified per axis with window.ts, the same rules as the
 * 2-D reference (max-pool.ts, avg-pool.ts, avg-divisor.ts), which this one equals at rank 2
 * (test/reference-nd.test.ts) and PyTorch at ranks 1 and 3 (test/torch-nd.test.ts).
 *
 * Tensors are logical [N, C, ...spatial]; in memory channel-first (N, C, spatial...) or
 * channels-last (N, spatial..., C). Positions inside one (n, c) row / plane / volume are row-major
 * flat positions (l, h·W + w, d·H·W + h·W + w): the indices max pooling returns.
 */
import { invalid } from '../errors.js';
import type { AvgWindow, MaxWindow, WindowGeometry } from '../types.js';
import { checkLength } from './layout.js';
import { tapKind, tapPosition, type TapKind } from './window.js';

function product(v: readonly number[]): number {
  return v.reduce((a, b) => a * b, 1);
}

/** Coordinates of the row-major flat position `flat` in a box of the given sizes (first axis outermost). */
function coordinates(flat: number, sizes: readonly number[]): number[] {
  const coords = new Array<number>(sizes.length);
  for (let a = sizes.length - 1; a >= 0; a--) {
    coords[a] = flat % sizes[a]!;
    flat = Math.floor(flat / sizes[a]!);
  }
  return coords;
}

/** Row-major flat position of `coords` in a box of the given sizes. */
function flatPosition(coords: readonly number[], sizes: readonly number[]): number {
  let flat = 0;
  for (let a = 0; a < sizes.length; a++) flat = flat * sizes[a]! + coords[a]!;
  return flat;
}

/** Memory offset of element `flat` (a spatial position) of channel c of sample n. */
function offset(channelsLast: boolean, C: number, spatialVolume: number, n: number, c: number, flat: number): number {
  return channelsLast ? (n * spatialVolume + flat) * C + c : (n * C + c) * spatialVolume + flat;
}

/** One tap of a window: its input coordinates and how it falls along each axis. */
interface Tap {
  readonly position: number[];
  readonly kinds: TapKind[];
}

/** Tap `t` (kernel coordinates) of the window at output coordinates `o`. */
function tapOf(g: WindowGeometry, o: readonly number[], t: readonly number[]): Tap {
  const position: number[] = [];
  const kinds: TapKind[] = [];
  for (let a = 0; a < g.rank; a++) {
    const pos = tapPosition(o[a]!, g.stride[a]!, g.padBegin[a]!, t[a]!, g.dilation[a]!);
    position.push(pos);
    kinds.push(tapKind(pos, g.inSize[a]!, g.padBegin[a]!, g.padEnd[a]!));
  }
  return { position, kinds };
}

/** Calls visit(tap) for every tap of window `o`, in row-major tap order (first axis outermost). */
function forEachTap(g: WindowGeometry, o: readonly number[], visit: (tap: Tap) => void): void {
  const taps = product(g.kernel);
  for (let t = 0; t < taps; t++) visit(tapOf(g, o, coordinates(t, g.kernel)));
}

const isReal = (tap: Tap) => tap.kinds.every((k) => k === 'real');
const isOutside = (tap: Tap) => tap.kinds.some((k) => k === 'outside');

function checkRank(op: string, g: WindowGeometry): void {
  const arrays = [g.inSize, g.outSize, g.kernel, g.stride, g.dilation, g.padBegin, g.padEnd];
  if (![1, 2, 3].includes(g.rank) || arrays.some((v) => v.length !== g.rank)) invalid(op, 'geometry', g.rank, 'rank must be 1, 2 or 3 with one entry per spatial axis in every array');
}

/**
 * Max pooling forward of any rank (docs/semantics.md, max pooling): first maximum wins ties, the last
 * NaN wins (with g.ignoreNan a NaN is no candidate at all), the running max starts from the first
 * candidate (no finite sentinel). Padded taps take
 * no part unless padWithZero, where a tap inside the declared padding is a candidate of value 0
 * and index -1; a ceil-mode overhang (beyond the declared end padding) never takes part. A window
 * with no candidate outputs -Infinity with index -1.
 */
export function maxPoolNdForward(x: Float32Array, channelsLast: boolean, g: MaxWindow): { output: Float32Array; indices: Int32Array } {
  const op = 'reference.maxPoolNdForward';
  checkRank(op, g);
  const { N, C } = g;
  checkLength(op, 'x', x, [N, C, ...g.inSize]);
  const inVolume = product(g.inSize);
  const outVolume = product(g.outSize);
  const output = new Float32Array(N * C * outVolume);
  const indices = new Int32Array(output.length);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      for (let of = 0; of < outVolume; of++) {
        let maxval = -Infinity;
        let index = -1;
        // `found` generalises PyTorch's `index == -1` test: a zero-padded candidate has index -1
        // and must not be displaced by a smaller real element (as in max-pool.ts).
        let found = false;
        forEachTap(g, coordinates(of, g.outSize), (tap) => {
          if (isOutside(tap)) return;
          let val: number;
          let idx: number;
          if (isReal(tap)) {
            idx = flatPosition(tap.position, g.inSize);
            val = x[offset(channelsLast, C, inVolume, n, c, idx)]!;
          } else if (g.padWithZero) {
            val = 0;
            idx = -1;
          } else {
            return;
          }
          // nan: 'ignore' (TF.js's rule): a NaN is no candidate.
          if (g.ignoreNan && Number.isNaN(val)) return;
          // First maximum wins ties; the last NaN wins. No normalisation of -0 vs +0.
          if (!found || val > maxval || Number.isNaN(val)) {
            maxval = val;
            index = idx;
            found = true;
          }
        });
        const o = offset(channelsLast, C, outVolume, n, c, of);
        // A window with no candidate: -Infinity, or the emptyValue option.
        output[o] = found ? maxval : (g.emptyValue ?? -Infinity);
        indices[o] = index;
      }
    }
  }
  return { output, indices };
}

/**
 * Max pooling backward of any rank: each dy goes to its argmax; overlapping windows add in f64.
 * The index rule (docs/semantics.md, "Max pooling, backward"): an index counts only when it is a
 * real tap of its own output's window; any other index (-1, outside the (n, c) row, plane or volume,
 * or inside it but outside that window) is dropped.
 */
export function maxPoolNdBackward(dy: Float32Array, indices: Int32Array, channelsLast: boolean, g: WindowGeometry): Float32Array {
  const op = 'reference.maxPoolNdBackward';
  checkRank(op, g);
  const { N, C } = g;
  checkLength(op, 'dy', dy, [N, C, ...g.outSize]);
  checkLength(op, 'indices', indices, [N, C, ...g.outSize]);
  const inVolume = product(g.inSize);
  const outVolume = product(g.outSize);
  const acc = new Float64Array(N * C * inVolume);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      for (let of = 0; of < outVolume; of++) {
        const o = offset(channelsLast, C, outVolume, n, c, of);
        const idx = indices[o]!;
        // Literally: look for the real tap of this window that names idx (taps are distinct).
        forEachTap(g, coordinates(of, g.outSize), (tap) => {
          if (isReal(tap) && flatPosition(tap.position, g.inSize) === idx) acc[offset(channelsLast, C, inVolume, n, c, idx)]! += dy[o]!;
        });
      }
    }
  }
  return Float32Array.from(acc);
}

/**
 * The divisor of window `o` (docs/semantics.md, average pooling), shared by forward and backward:
 * divisorOverride when given; else the taps inside input + declared padding (countIncludePad) or
 * the real taps, counted per axis and multiplied. A ceil-mode overhang never counts.
 */
function avgDivisor(g: AvgWindow, o: readonly number[]): number {
  if (g.divisorOverride !== 0) return g.divisorOverride;
  let divisor = 1;
  for (let a = 0; a < g.rank; a++) {
    let count = 0;
    for (let t = 0; t < g.kernel[a]!; t++) {
      const kind = tapKind(tapPosition(o[a]!, g.stride[a]!, g.padBegin[a]!, t, g.dilation[a]!), g.inSize[a]!, g.padBegin[a]!, g.padEnd[a]!);
      if (kind === 'real' || (g.countIncludePad && kind === 'pad')) count++;
    }
    divisor *= count;
  }
  return divisor;
}

/**
 * Calls visit for every output of every (n, c), in order: its flat spatial position and coordinates,
 * and the offsets of that output and of a spatial position of the input in their tensors.
 */
function forEachOutput(g: WindowGeometry, channelsLast: boolean, visit: (out: number, o: number[], inAt: (flat: number) => number) => void): void {
  const { N, C } = g;
  const inVolume = product(g.inSize);
  const outVolume = product(g.outSize);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const inAt = (flat: number) => offset(channelsLast, C, inVolume, n, c, flat);
      for (let of = 0; of < outVolume; of++) visit(offset(channelsLast, C, outVolume, n, c, of), coordinates(of, g.outSize), inAt);
    }
  }
}

/** Calls visit(flat) with the flat spatial position of every real tap of window `o`. */
function forEachRealTap(g: WindowGeometry, o: readonly number[], visit: (flat: number) => void): void {
  forEachTap(g, o, (tap) => {
    if (isReal(tap)) visit(flatPosition(tap.position, g.inSize));
  });
}

/** Average pooling forward of any rank: f64 sum of the real taps over the divisor; divisor 0 gives 0. */
export function avgPoolNdForward(x: Float32Array, channelsLast: boolean, g: AvgWindow): Float32Array {
  const op = 'reference.avgPoolNdForward';
  checkRank(op, g);
  const { N, C } = g;
  checkLength(op, 'x', x, [N, C, ...g.inSize]);
  const output = new Float32Array(N * C * product(g.outSize));
  forEachOutput(g, channelsLast, (out, o, inAt) => {
    const divisor = avgDivisor(g, o);
    let sum = 0;
    forEachRealTap(g, o, (flat) => {
      sum += x[inAt(flat)]!;
    });
    output[out] = divisor === 0 ? 0 : sum / divisor;
  });
  return output;
}

/** Average pooling backward of any rank: every window spreads dy / divisor (the forward's) over its real taps; overlaps add in f64. */
export function avgPoolNdBackward(dy: Float32Array, channelsLast: boolean, g: AvgWindow): Float32Array {
  const op = 'reference.avgPoolNdBackward';
  checkRank(op, g);
  const { N, C } = g;
  checkLength(op, 'dy', dy, [N, C, ...g.outSize]);
  const acc = new Float64Array(N * C * product(g.inSize));
  forEachOutput(g, channelsLast, (out, o, inAt) => {
    const divisor = avgDivisor(g, o);
    if (divisor === 0) return;
    const share = dy[out]! / divisor;
    forEachRealTap(g, o, (flat) => {
      acc[inAt(flat)]! += share;
    });
  });
  return Float32Array.from(acc);
}
