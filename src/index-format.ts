/**
 * Index formats for interchange (docs/api.md "Index formats"). Every kernel makes and consumes
 * indices in the plane format: the flat row-major position inside the (n, c) row, plane or volume
 * (PyTorch's). `indexFormat: 'tensor'` adds the plane's offset in the logical channel-first tensor
 * (ONNX MaxPool's Indices, in [0, N·C·volume)); `indexOrder: 'column-major'` orders positions
 * within the plane column-major (ONNX storage_order = 1); 'channels-last' and 'channels-last-tensor'
 * interleave the channel as TensorFlow does (p·C + c, and (n·V + p)·C + c). A forward op converts its plane indices
 * once at the end; a backward or unpooling op converts what it is given back to the plane format
 * first, where an index that names no position of its own plane becomes -1 ("no index").
 */
import { invalid } from './errors.js';
import { isChannelsLast } from './layouts.js';
import type { TensorLayout } from './types.js';

/**
 * 'plane': the position in the (n, c) plane; 'tensor': in the whole channel-first tensor (ONNX);
 * 'channels-last': in the image's channels-last order, p·C + c (TensorFlow's MaxPoolWithArgmax);
 * 'channels-last-tensor': in the whole channels-last tensor, (n·V + p)·C + c (its includeBatchInIndex).
 */
export type IndexFormat = 'plane' | 'tensor' | 'channels-last' | 'channels-last-tensor';

const FORMATS: readonly IndexFormat[] = ['plane', 'tensor', 'channels-last', 'channels-last-tensor'];

/** Whether the format holds the channel interleaved (TensorFlow's), and whether it spans the whole tensor. */
export function formatTraits(f: IndexFormat): { interleaved: boolean; wholeTensor: boolean } {
  return { interleaved: f === 'channels-last' || f === 'channels-last-tensor', wholeTensor: f === 'tensor' || f === 'channels-last-tensor' };
}
export type IndexOrder = 'row-major' | 'column-major';

export interface IndexLayout {
  readonly format: IndexFormat;
  readonly order: IndexOrder;
}

export const PLANE_INDICES: IndexLayout = { format: 'plane', order: 'row-major' };

/** What a conversion needs: the index tensor's planes and volume, and the input planes' spatial size. */
export interface IndexGeometry {
  readonly N: number;
  readonly C: number;
  /** Index elements per (n, c) plane: the op's output volume. */
  readonly outVolume: number;
  /** Spatial size of the input (the positions' plane), one entry per axis. */
  readonly inSize: readonly number[];
  readonly channelsLast: boolean;
}

/** The index geometry of a windowed op's indices (shaped like its output), any window shape. */
export function windowIndexGeometry(g: { N: number; C: number; inSize: readonly number[]; outSize: readonly number[] }, layout: TensorLayout): IndexGeometry {
  return { N: g.N, C: g.C, outVolume: g.outSize.reduce((a, b) => a * b, 1), inSize: g.inSize, channelsLast: isChannelsLast(layout) };
}

export const INDEX_FORMAT_KEYS = ['indexFormat', 'indexOrder'] as const;

const volumeOf = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Reads `indexFormat` and `indexOrder` (from a snapshot of the options: read once). */
export function resolveIndexLayout(op: string, o: Record<string, unknown>, N: number, C: number, inSize: readonly number[]): IndexLayout {
  const format = o.indexFormat ?? 'plane';
  const order = o.indexOrder ?? 'row-major';
  if (!FORMATS.includes(format as IndexFormat)) {
    invalid(op, 'indexFormat', format, "must be 'plane' (the position in each (n, c) plane), 'tensor' (ONNX: in the whole channel-first tensor), 'channels-last' (TensorFlow: p·C + c in the image) or 'channels-last-tensor' (TensorFlow's includeBatchInIndex)");
  }
  if (order !== 'row-major' && order !== 'column-major') invalid(op, 'indexOrder', order, "must be 'row-major' or 'column-major' (ONNX storage_order 1)");
  const { interleaved, wholeTensor } = formatTraits(format as IndexFormat);
  const span = (wholeTensor ? N : 1) * (wholeTensor || interleaved ? C : 1) * volumeOf(inSize);
  if (span > 2 ** 31 - 1) invalid(op, 'indexFormat', format, `${format} indices over ${span} positions do not fit int32 (at most 2^31 - 1)`);
  return { format: format as IndexFormat, order };
}

export function isPlaneFormat(l: IndexLayout): boolean {
  return l.format === 'plane' && l.order === 'row-major';
}

/** Row-major position p over `size` (D, H, W order) to column-major, or back. */
function reorder(p: number, size: readonly number[], toColumnMajor: boolean): number {
  const rank = size.length;
  const coords = new Array<number>(rank);
  let rest = p;
  if (toColumnMajor) {
    for (let a = rank - 1; a >= 0; a--) {
      coords[a] = rest % size[a]!;
      rest = Math.floor(rest / size[a]!);
    }
    let q = 0;
    for (let a = rank - 1; a >= 0; a--) q = q * size[a]! + coords[a]!;
    return q;
  }
  for (let a = 0; a < rank; a++) {
    coords[a] = rest % size[a]!;
    rest = Math.floor(rest / size[a]!);
  }
  let q = 0;
  for (let a = 0; a < rank; a++) q = q * size[a]! + coords[a]!;
  return q;
}

/** The host form of shaders/index-format.wgsl, element for element. */
export function convertIndices(src: Int32Array, g: IndexGeometry, l: IndexLayout, toPlane: boolean): Int32Array {
  const out = new Int32Array(src.length);
  const size = volumeOf(g.inSize);
  const colMajor = l.order === 'column-major';
  const { interleaved, wholeTensor } = formatTraits(l.format);
  const C = g.C;
  for (let i = 0; i < src.length; i++) {
    const plane = g.channelsLast ? Math.floor(i / (C * g.outVolume)) * C + (i % C) : Math.floor(i / g.outVolume);
    const n = Math.floor(plane / C);
    const c = plane % C;
    const v = src[i]!;
    if (toPlane) {
      let p = -1;
      if (interleaved) {
        const t = wholeTensor ? v - n * size * C : v;
        if (t >= 0 && t < size * C && t % C === c) p = Math.floor(t / C);
      } else {
        p = wholeTensor ? v - plane * size : v;
      }
      out[i] = v !== -1 && p >= 0 && p < size ? (colMajor ? reorder(p, g.inSize, false) : p) : -1;
    } else if (v >= 0 && v < size) {
      const q = colMajor ? reorder(v, g.inSize, true) : v;
      out[i] = interleaved ? (wholeTensor ? n * size : 0) * C + q * C + c : wholeTensor ? q + plane * size : q;
    } else {
      out[i] = -1;
    }
  }
  return out;
}
