/**
 * Index formats for interchange (docs/api.md "Index formats"). Every kernel makes and consumes
 * indices in the plane format: the flat row-major position inside the (n, c) row, plane or volume
 * (PyTorch's). `indexFormat: 'tensor'` adds the plane's offset in the logical channel-first tensor
 * (ONNX MaxPool's Indices, in [0, N·C·volume)); `indexOrder: 'column-major'` orders positions
 * within the plane column-major (ONNX storage_order = 1). A forward op converts its plane indices
 * once at the end; a backward or unpooling op converts what it is given back to the plane format
 * first, where an index that names no position of its own plane becomes -1 ("no index").
 */
import { invalid } from './errors.js';
import { isChannelsLast } from './layouts.js';
import type { TensorLayout } from './types.js';

export type IndexFormat = 'plane' | 'tensor';
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
  if (format !== 'plane' && format !== 'tensor') invalid(op, 'indexFormat', format, "must be 'plane' (the position in each (n, c) plane) or 'tensor' (ONNX: the position in the whole channel-first tensor)");
  if (order !== 'row-major' && order !== 'column-major') invalid(op, 'indexOrder', order, "must be 'row-major' or 'column-major' (ONNX storage_order 1)");
  if (format === 'tensor' && N * C * volumeOf(inSize) > 2 ** 31 - 1) {
    invalid(op, 'indexFormat', format, `tensor indices of ${N}·${C}·${volumeOf(inSize)} positions do not fit int32 (at most 2^31 - 1)`);
  }
  return { format, order };
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
  const tensor = l.format === 'tensor';
  for (let i = 0; i < src.length; i++) {
    const plane = g.channelsLast ? Math.floor(i / (g.C * g.outVolume)) * g.C + (i % g.C) : Math.floor(i / g.outVolume);
    const v = src[i]!;
    if (toPlane) {
      const p = tensor ? v - plane * size : v;
      out[i] = v !== -1 && p >= 0 && p < size ? (colMajor ? reorder(p, g.inSize, false) : p) : -1;
    } else if (v >= 0 && v < size) {
      const q = colMajor ? reorder(v, g.inSize, true) : v;
      out[i] = tensor ? q + plane * size : q;
    } else {
      out[i] = -1;
    }
  }
  return out;
}
