/**
 * How a kernel's dispatch splits when one of its tensors is larger than a storage binding may be
 * (maxStorageBufferBindingSize; 128 MiB by default, on llvmpipe even with the adapter's limits).
 *
 * Every kernel runs over a one-dimensional domain (output elements, input elements, planes or chunk
 * workgroups) cut into units: rows for the windowed kernels, planes or images for the global ones.
 * A dispatch covers a contiguous run of units; the spec says which elements of the op's
 * input-shaped and output-shaped tensors that run touches, and the host (src/host/split.ts) binds
 * just those elements, passing the base index and the two element offsets in the uniform. Data only:
 * nothing here touches a device.
 */
import type { Layout, PlaneShape, PoolGeometry } from '../types.js';

/** The uniform fields every splittable struct ends with (pool-params.wgsl, plane-params.wgsl). */
export const SPLIT_FIELDS = [
  ['base', 'u32'],
  ['end', 'u32'],
  ['inOffset', 'u32'],
  ['outOffset', 'u32'],
] as const;

export type SplitField = (typeof SPLIT_FIELDS)[number][0];

/** The split fields of a single dispatch over domain indices [0, end): no offsets. */
export function unsplit(end: number): Record<SplitField, number> {
  return { base: 0, end, inOffset: 0, outOffset: 0 };
}

/** The input-shaped tensors of an op (x, dx, partials read by combine) or its output-shaped ones (y, indices, dy). */
export type SlotGroup = 'in' | 'out';

export interface SplitSpec {
  /** Units along the domain; a dispatch covers units [u0, u1). */
  readonly units: number;
  /** Domain indices per unit. */
  readonly unitSize: number;
  /** Domain indices per workgroup: the workgroup size, or 1 where each workgroup is one index. */
  readonly perWorkgroup: number;
  /** What a unit is, for the error when a single one does not fit a binding. */
  readonly unitName: string;
  /** The group of every binding slot but the uniform. */
  readonly groups: Readonly<Record<string, SlotGroup>>;
  /** Elements [begin, end) of the group's tensors that units [u0, u1) read or write; both ends grow with u0 and u1. */
  range(group: SlotGroup, u0: number, u1: number): readonly [number, number];
}

/** Rows of a [N, C, rows, cols] tensor: (n, c, row) of `cols` elements in NCHW, (n, row) of cols·C in NHWC. */
interface Rows {
  blocks: number;
  rowsPerBlock: number;
  rowLength: number;
}

function rowsOf(layout: Layout, N: number, C: number, rows: number, cols: number): Rows {
  return layout === 'NHWC' ? { blocks: N, rowsPerBlock: rows, rowLength: cols * C } : { blocks: N * C, rowsPerBlock: rows, rowLength: cols };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}

/**
 * Rows of `to` that the units [u0, u1) (rows of `from`) reach: the hull of the first unit's begin
 * and the last unit's end, which are monotone in the row, so every unit in between lies inside.
 * `reach(row)` is the row range [lo, hi) of `to` inside the same block.
 */
function reachedElements(from: Rows, to: Rows, reach: (row: number) => [number, number], u0: number, u1: number): [number, number] {
  const first = reach(u0 % from.rowsPerBlock);
  const last = reach((u1 - 1) % from.rowsPerBlock);
  const begin = Math.floor(u0 / from.rowsPerBlock) * to.rowsPerBlock + clamp(first[0], 0, to.rowsPerBlock);
  const end = Math.floor((u1 - 1) / from.rowsPerBlock) * to.rowsPerBlock + clamp(last[1], 0, to.rowsPerBlock);
  return [begin * to.rowLength, Math.max(end, begin) * to.rowLength];
}

/**
 * A windowed kernel (forward, scatter, direct or gather backward). Domain 'out': one index per output
 * element, units are output rows, each reaching the input rows under its window. Domain 'in'
 * (gather): one index per input element, units are input rows, each reaching the output rows whose
 * windows cover it (the shader's reaching_range).
 */
export function windowedSplit(p: PoolGeometry, layout: Layout, domain: SlotGroup, workgroupSize: number, groups: Record<string, SlotGroup>): SplitSpec {
  const inRows = rowsOf(layout, p.N, p.C, p.H, p.W);
  const outRows = rowsOf(layout, p.N, p.C, p.outH, p.outW);
  const effH = p.dH * (p.kH - 1) + 1;
  const windowRows = (oh: number): [number, number] => [oh * p.sH - p.padTop, oh * p.sH - p.padTop + effH];
  const reachingRows = (h: number): [number, number] => {
    const pos = h + p.padTop;
    const earliest = pos - (effH - 1);
    const first = earliest > 0 ? Math.ceil(earliest / p.sH) : 0;
    return [first, Math.min(Math.floor(pos / p.sH), p.outH - 1) + 1];
  };
  const own = domain === 'out' ? outRows : inRows;
  const other = domain === 'out' ? inRows : outRows;
  const reach = domain === 'out' ? windowRows : reachingRows;
  return {
    units: own.blocks * own.rowsPerBlock,
    unitSize: own.rowLength,
    perWorkgroup: workgroupSize,
    unitName: `${domain === 'out' ? 'output' : 'input'} row (${own.rowLength} elements)`,
    groups,
    range: (group, u0, u1) => (group === domain ? [u0 * own.rowLength, u1 * own.rowLength] : reachedElements(own, other, reach, u0, u1)),
  };
}

/**
 * A global kernel whose domain index is a plane, or (one index per element) an element of a plane.
 * Planes of an NCHW tensor are contiguous, so the unit is a plane; NHWC interleaves the planes of an
 * image, so the unit is an image. `inPerPlane` / `outPerPlane` are the elements per plane on each side.
 */
export function planeSplit(
  s: PlaneShape,
  layout: Layout,
  indicesPerPlane: number,
  workgroupSize: number,
  inPerPlane: number,
  outPerPlane: number,
  groups: Record<string, SlotGroup>,
): SplitSpec {
  const planesPerUnit = layout === 'NHWC' ? s.C : 1;
  return {
    units: (s.N * s.C) / planesPerUnit,
    unitSize: planesPerUnit * indicesPerPlane,
    perWorkgroup: workgroupSize,
    unitName: layout === 'NHWC' ? `image (${s.C} interleaved planes)` : 'plane',
    groups,
    range: (group, u0, u1) => {
      const per = (group === 'in' ? inPerPlane : outPerPlane) * planesPerUnit;
      return [u0 * per, u1 * per];
    },
  };
}

/**
 * The chunk pass of a global reduction: one workgroup per (plane, chunk of chunkSize positions).
 * NCHW: the unit is one workgroup, whose chunk is contiguous, so a plane larger than a binding is
 * reduced over several dispatches (its partials meet in combine). NHWC: the unit is an (image,
 * chunk), the C workgroups that read one contiguous block of the image (chunk_of in
 * plane-params.wgsl). The output side is the partials (or the result), at p * chunks + k.
 */
export function chunkSplit(s: PlaneShape, layout: Layout, chunkSize: number, chunks: number, groups: Record<string, SlotGroup>): SplitSpec {
  const planeSize = s.H * s.W;
  const begin = (k: number) => k * chunkSize;
  const end = (k: number) => Math.min(k * chunkSize + chunkSize, planeSize);
  if (layout === 'NCHW') {
    const plane = (g: number) => Math.floor(g / chunks) * planeSize;
    return {
      units: s.N * s.C * chunks,
      unitSize: 1,
      perWorkgroup: 1,
      unitName: `chunk of ${chunkSize} elements`,
      groups,
      range: (group, u0, u1) => (group === 'in' ? [plane(u0) + begin(u0 % chunks), plane(u1 - 1) + end((u1 - 1) % chunks)] : [u0, u1]),
    };
  }
  const { C } = s;
  return {
    units: s.N * chunks,
    unitSize: C,
    perWorkgroup: 1,
    unitName: `chunk of ${chunkSize} pixels (x ${C} channels)`,
    groups,
    range: (group, u0, u1) => {
      const [n0, k0] = [Math.floor(u0 / chunks), u0 % chunks];
      const [n1, k1] = [Math.floor((u1 - 1) / chunks), (u1 - 1) % chunks];
      if (group === 'in') return [(n0 * planeSize + begin(k0)) * C, (n1 * planeSize + end(k1)) * C];
      return [n0 * C * chunks + k0, (n1 * C + C - 1) * chunks + k1 + 1];
    },
  };
}

/**
 * Global pooling backward: one index per dx element, and the unit a row (W elements of a plane in
 * NCHW, W·C of an image in NHWC); dy and the indices hold one value per plane.
 */
export function globalBackwardSplit(s: PlaneShape, layout: Layout, workgroupSize: number, groups: Record<string, SlotGroup>): SplitSpec {
  const rows = rowsOf(layout, s.N, s.C, s.H, s.W);
  const planesPerBlock = layout === 'NHWC' ? s.C : 1;
  return {
    units: rows.blocks * rows.rowsPerBlock,
    unitSize: rows.rowLength,
    perWorkgroup: workgroupSize,
    unitName: `row (${rows.rowLength} elements)`,
    groups,
    range: (group, u0, u1) =>
      group === 'in' ? [u0 * rows.rowLength, u1 * rows.rowLength] : [Math.floor(u0 / rows.rowsPerBlock) * planesPerBlock, (Math.floor((u1 - 1) / rows.rowsPerBlock) + 1) * planesPerBlock],
  };
}
