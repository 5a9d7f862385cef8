/**
 * The f64 CPU reference of adaptive max and average pooling of every spatial rank (1, 2, 3): the
 * oracle the adaptive kernels (CPU and WebGPU) are checked against, written literally from
 * docs/adaptive-pooling.md. Clarity over speed: every window is visited element by element in
 * row-major order (first axis outermost).
 *
 * Along an axis of input size I and output size O, window o covers the input positions
 * [floor(o·I/O), ceil((o+1)·I/O)) (PyTorch's AdaptiveAvgPool / AdaptiveMaxPool). Tensors are logical
 * [N, C, ...spatial], in memory channel-first or channels-last; indices are row-major flat positions
 * inside each (n, c) row, plane or volume, as max pooling's.
 */
import { invalid } from '../errors.js';
import { checkLength } from './layout.js';

/** What the reference needs of a call: N, C and the per-axis input and output sizes. */
export interface AdaptiveShape {
  readonly N: number;
  readonly C: number;
  readonly inSize: readonly number[];
  readonly outSize: readonly number[];
}

const product = (v: readonly number[]) => v.reduce((a, b) => a * b, 1);

/** floor(a / b) for non-negative integers, exactly (no rounding of a float quotient). */
function floorDiv(a: number, b: number): number {
  return (a - (a % b)) / b;
}

/** First input position of window o along an axis: floor(o·I/O). */
export function adaptiveStart(o: number, I: number, O: number): number {
  return floorDiv(o * I, O);
}

/** One past the last input position of window o along an axis: ceil((o+1)·I/O). */
export function adaptiveEnd(o: number, I: number, O: number): number {
  return floorDiv((o + 1) * I + O - 1, O);
}

function coordinates(flat: number, sizes: readonly number[]): number[] {
  const coords = new Array<number>(sizes.length);
  for (let a = sizes.length - 1; a >= 0; a--) {
    coords[a] = flat % sizes[a]!;
    flat = Math.floor(flat / sizes[a]!);
  }
  return coords;
}

function flatPosition(coords: readonly number[], sizes: readonly number[]): number {
  let flat = 0;
  for (let a = 0; a < sizes.length; a++) flat = flat * sizes[a]! + coords[a]!;
  return flat;
}

function offset(channelsLast: boolean, C: number, volume: number, n: number, c: number, flat: number): number {
  return channelsLast ? (n * volume + flat) * C + c : (n * C + c) * volume + flat;
}

/** The window of output coordinates `o`: per axis [begin, end). */
function windowOf(g: AdaptiveShape, o: readonly number[]): { begin: number[]; end: number[] } {
  const begin = o.map((v, a) => adaptiveStart(v, g.inSize[a]!, g.outSize[a]!));
  const end = o.map((v, a) => adaptiveEnd(v, g.inSize[a]!, g.outSize[a]!));
  return { begin, end };
}

/** Calls visit(flat) for every input position of window `o`, in row-major order. */
function forEachInWindow(g: AdaptiveShape, o: readonly number[], visit: (flat: number) => void): void {
  const { begin, end } = windowOf(g, o);
  const sizes = end.map((e, a) => e - begin[a]!);
  const taps = product(sizes);
  for (let t = 0; t < taps; t++) {
    const local = coordinates(t, sizes);
    visit(flatPosition(local.map((v, a) => v + begin[a]!), g.inSize));
  }
}

function check(op: string, g: AdaptiveShape): void {
  const rank = g.inSize.length;
  if (![1, 2, 3].includes(rank) || g.outSize.length !== rank) invalid(op, 'geometry', rank, 'rank must be 1, 2 or 3 with one output size per spatial axis');
}

function forEachOutput(g: AdaptiveShape, channelsLast: boolean, visit: (out: number, o: number[], inAt: (flat: number) => number) => void): void {
  const inVolume = product(g.inSize);
  const outVolume = product(g.outSize);
  for (let n = 0; n < g.N; n++) {
    for (let c = 0; c < g.C; c++) {
      const inAt = (flat: number) => offset(channelsLast, g.C, inVolume, n, c, flat);
      for (let of = 0; of < outVolume; of++) visit(offset(channelsLast, g.C, outVolume, n, c, of), coordinates(of, g.outSize), inAt);
    }
  }
}

/**
 * Adaptive max pooling: the first maximum in scan order wins ties, the last NaN wins (NaN
 * propagates), the running maximum starts from the window's first element (no sentinel). Every
 * window holds at least one element.
 */
export function adaptiveMaxPoolForward(x: Float32Array, channelsLast: boolean, g: AdaptiveShape): { output: Float32Array; indices: Int32Array } {
  const op = 'reference.adaptiveMaxPoolForward';
  check(op, g);
  checkLength(op, 'x', x, [g.N, g.C, ...g.inSize]);
  const output = new Float32Array(g.N * g.C * product(g.outSize));
  const indices = new Int32Array(output.length);
  forEachOutput(g, channelsLast, (out, o, inAt) => {
    let maxval = -Infinity;
    let index = -1;
    let found = false;
    forEachInWindow(g, o, (flat) => {
      const val = x[inAt(flat)]!;
      if (!found || val > maxval || Number.isNaN(val)) {
        maxval = val;
        index = flat;
        found = true;
      }
    });
    output[out] = maxval;
    indices[out] = index;
  });
  return { output, indices };
}

/** Adaptive average pooling: the window's sum (f64) over its element count. */
export function adaptiveAvgPoolForward(x: Float32Array, channelsLast: boolean, g: AdaptiveShape): Float32Array {
  const op = 'reference.adaptiveAvgPoolForward';
  check(op, g);
  checkLength(op, 'x', x, [g.N, g.C, ...g.inSize]);
  const output = new Float32Array(g.N * g.C * product(g.outSize));
  forEachOutput(g, channelsLast, (out, o, inAt) => {
    let sum = 0;
    let count = 0;
    forEachInWindow(g, o, (flat) => {
      sum += x[inAt(flat)]!;
      count++;
    });
    output[out] = sum / count;
  });
  return output;
}

/** Backward of adaptive average pooling: every element of window o receives dy[o] / its size; f64 sums. */
export function adaptiveAvgPoolBackward(dy: Float32Array, channelsLast: boolean, g: AdaptiveShape): Float32Array {
  const op = 'reference.adaptiveAvgPoolBackward';
  check(op, g);
  checkLength(op, 'dy', dy, [g.N, g.C, ...g.outSize]);
  const acc = new Float64Array(g.N * g.C * product(g.inSize));
  forEachOutput(g, channelsLast, (out, o, inAt) => {
    const { begin, end } = windowOf(g, o);
    const size = product(end.map((e, a) => e - begin[a]!));
    forEachInWindow(g, o, (flat) => {
      acc[inAt(flat)]! += dy[out]! / size;
    });
  });
  return Float32Array.from(acc);
}

/**
 * Backward of adaptive max pooling: dy[o] goes to the element its index names, adding where
 * windows overlap. The index rule (docs/semantics.md): an index counts only when it names an element
 * of its own output's window; any other (-1, outside the slice, or outside that window) is dropped.
 */
export function adaptiveMaxPoolBackward(dy: Float32Array, indices: Int32Array, channelsLast: boolean, g: AdaptiveShape): Float32Array {
  const op = 'reference.adaptiveMaxPoolBackward';
  check(op, g);
  checkLength(op, 'dy', dy, [g.N, g.C, ...g.outSize]);
  checkLength(op, 'indices', indices, [g.N, g.C, ...g.outSize]);
  const acc = new Float64Array(g.N * g.C * product(g.inSize));
  forEachOutput(g, channelsLast, (out, o, inAt) => {
    const idx = indices[out]!;
    // Literally: look for the element of this window that the index names.
    forEachInWindow(g, o, (flat) => {
      if (flat === idx) acc[inAt(flat)]! += dy[out]!;
    });
  });
  return Float32Array.from(acc);
}
