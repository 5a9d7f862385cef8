/**
 * The benchmark cases of BENCHMARKS.md as one list, shared by the Node CLI, the page and the GPU
 * runs. Environment-agnostic: no Node or DOM APIs here.
 */
import type { Layout, SpatialRank, TensorLayout } from '../src/types.js';

/** BENCHMARKS.md's four 2-D ops, then the 1-D and 3-D windowed ops (the audio and video cases). */
export type OpName = 'maxPool2d' | 'avgPool2d' | 'globalMaxPool' | 'globalAvgPool' | 'maxPool1d' | 'avgPool1d' | 'maxPool3d' | 'avgPool3d';
export type Pass = 'forward' | 'backward';

export const OP_NAMES: readonly OpName[] = ['maxPool2d', 'avgPool2d', 'globalMaxPool', 'globalAvgPool', 'maxPool1d', 'avgPool1d', 'maxPool3d', 'avgPool3d'];
export const PASSES: readonly Pass[] = ['forward', 'backward'];
/**
 * The two memory orders every case runs in, named by their 4-D layouts: NCHW stands for the
 * channel-first order of the case's rank (NCL, NCHW, NCDHW), NHWC for the channels-last one
 * (NLC, NHWC, NDHWC). `--layouts` and the peers' layouts use these names; rows carry the real one.
 */
export const LAYOUTS: readonly Layout[] = ['NCHW', 'NHWC'];

/** The windowed ops by reduction and spatial rank. */
export const WINDOWED_OPS: Readonly<Record<'max' | 'avg', Readonly<Record<SpatialRank, OpName>>>> = {
  max: { 1: 'maxPool1d', 2: 'maxPool2d', 3: 'maxPool3d' },
  avg: { 1: 'avgPool1d', 2: 'avgPool2d', 3: 'avgPool3d' },
};

/** Max or average pooling of some spatial rank; undefined for the global ops. */
export function windowedOp(op: OpName): { reduction: 'max' | 'avg'; rank: SpatialRank } | undefined {
  const m = /^(max|avg)Pool([123])d$/.exec(op);
  return m ? { reduction: m[1] as 'max' | 'avg', rank: Number(m[2]) as SpatialRank } : undefined;
}

/** The memory order of a tensor of `rank` dimensions (3-5) in the family `layout` names (see LAYOUTS). */
export function tensorLayout(layout: Layout, rank: number): TensorLayout {
  const channelsLast = layout === 'NHWC';
  if (rank === 3) return channelsLast ? 'NLC' : 'NCL';
  if (rank === 5) return channelsLast ? 'NDHWC' : 'NCDHW';
  return layout;
}

/**
 * A cubic pooling window: kernel, stride and symmetric padding along every spatial axis
 * (PyTorch's `kernel_size`, `stride`, `padding` given as one number).
 */
export interface PoolWindow {
  readonly kernel: number;
  readonly stride: number;
  readonly pad: number;
}

export interface CaseOp {
  readonly op: OpName;
  readonly passes: readonly Pass[];
}

export interface BenchCase {
  /** BENCHMARKS.md's name (or the issue's, for the 1-D / 3-D cases): the JSON `case` field, the same in quick mode. */
  readonly id: string;
  /** Logical input: [N, C, H, W]; [N, C, L] for the 1-D cases, [N, C, D, H, W] for the 3-D ones. */
  readonly input: readonly number[];
  /** The window of the windowed ops (the same along every spatial axis); absent for the global cases. */
  readonly window?: PoolWindow;
  readonly ops: readonly CaseOp[];
  /** What the case stands for (BENCHMARKS.md's op column). */
  readonly note: string;
}

const BOTH: readonly Pass[] = ['forward', 'backward'];
const windowed = (passes: readonly Pass[] = BOTH): CaseOp[] => [
  { op: 'maxPool2d', passes },
  { op: 'avgPool2d', passes },
];
const global = (): CaseOp[] => [
  { op: 'globalMaxPool', passes: BOTH },
  { op: 'globalAvgPool', passes: BOTH },
];

export const BENCH_CASES: readonly BenchCase[] = [
  { id: 'r50stem_b32', input: [32, 64, 112, 112], window: { kernel: 3, stride: 2, pad: 1 }, ops: windowed(), note: 'ResNet-50 stem' },
  { id: 'r50stem_b8', input: [8, 64, 112, 112], window: { kernel: 3, stride: 2, pad: 1 }, ops: windowed(), note: 'ResNet-50 stem' },
  {
    id: 'r50stem_b1',
    input: [1, 64, 112, 112],
    window: { kernel: 3, stride: 2, pad: 1 },
    ops: [{ op: 'maxPool2d', passes: ['forward'] }],
    note: 'latency, batch 1',
  },
  { id: 'vgg_b16', input: [16, 64, 224, 224], window: { kernel: 2, stride: 2, pad: 0 }, ops: windowed(), note: 'VGG, non-overlapping' },
  { id: 'incep_b32', input: [32, 192, 28, 28], window: { kernel: 3, stride: 1, pad: 1 }, ops: windowed(), note: 'overlapping, stride 1' },
  { id: 'gpool_r50_b32', input: [32, 2048, 7, 7], ops: global(), note: 'ResNet-50 head' },
  { id: 'gpool_b8', input: [8, 256, 56, 56], ops: global(), note: 'mid-size planes' },
  { id: 'gpool_big', input: [1, 64, 512, 512], ops: global(), note: 'few large planes' },
  // The 1-D and 3-D cases (not in BENCHMARKS.md), one op per case, named op_shape_window.
  { id: 'max_pool1d_8x64x16000_k3_s3', input: [8, 64, 16000], window: { kernel: 3, stride: 3, pad: 0 }, ops: [{ op: 'maxPool1d', passes: BOTH }], note: '1-D audio' },
  { id: 'avg_pool1d_8x64x16000_k3_s3', input: [8, 64, 16000], window: { kernel: 3, stride: 3, pad: 0 }, ops: [{ op: 'avgPool1d', passes: BOTH }], note: '1-D audio' },
  { id: 'max_pool3d_4x64x16x56x56_k3_s2', input: [4, 64, 16, 56, 56], window: { kernel: 3, stride: 2, pad: 1 }, ops: [{ op: 'maxPool3d', passes: BOTH }], note: '3-D video (C3D / I3D), overlapping' },
  { id: 'avg_pool3d_4x64x16x56x56_k3_s2', input: [4, 64, 16, 56, 56], window: { kernel: 3, stride: 2, pad: 1 }, ops: [{ op: 'avgPool3d', passes: BOTH }], note: '3-D video (C3D / I3D), overlapping' },
  { id: 'max_pool3d_8x32x8x28x28_k2_s2', input: [8, 32, 8, 28, 28], window: { kernel: 2, stride: 2, pad: 0 }, ops: [{ op: 'maxPool3d', passes: BOTH }], note: '3-D, small, non-overlapping' },
  { id: 'avg_pool3d_8x32x8x28x28_k2_s2', input: [8, 32, 8, 28, 28], window: { kernel: 2, stride: 2, pad: 0 }, ops: [{ op: 'avgPool3d', passes: BOTH }], note: '3-D, small, non-overlapping' },
];

/** The cases of BENCHMARKS.md's table (all 2-D); the others are the 1-D and 3-D cases. */
export const SPEC_CASE_IDS: readonly string[] = ['r50stem_b32', 'r50stem_b8', 'r50stem_b1', 'vgg_b16', 'incep_b32', 'gpool_r50_b32', 'gpool_b8', 'gpool_big'];

/** Spatial rank of a case's input: 1, 2 or 3. */
export function spatialRank(c: BenchCase): SpatialRank {
  return (c.input.length - 2) as SpatialRank;
}

/** Quick mode: every batch shrinks to 1, so the suite runs in seconds on a software adapter. */
export function quickCase(c: BenchCase): BenchCase {
  const [, ...rest] = c.input;
  return { ...c, input: [1, ...rest] };
}

export interface CaseSelection {
  quick?: boolean;
  /** Case ids to keep; all when absent. Unknown ids throw. */
  ids?: readonly string[];
  /** Ops to keep; a case left with none is dropped. */
  ops?: readonly OpName[];
}

export function selectCases(selection: CaseSelection = {}): BenchCase[] {
  const known = new Set(BENCH_CASES.map((c) => c.id));
  for (const id of selection.ids ?? []) {
    if (!known.has(id)) throw new Error(`unknown case '${id}'; the cases are ${[...known].join(', ')}`);
  }
  for (const op of selection.ops ?? []) {
    if (!OP_NAMES.includes(op)) throw new Error(`unknown op '${op}'; the ops are ${OP_NAMES.join(', ')}`);
  }
  const out: BenchCase[] = [];
  for (const c of BENCH_CASES) {
    if (selection.ids && !selection.ids.includes(c.id)) continue;
    const ops = selection.ops ? c.ops.filter((o) => selection.ops!.includes(o.op)) : c.ops;
    if (ops.length === 0) continue;
    const picked = { ...c, ops };
    out.push(selection.quick ? quickCase(picked) : picked);
  }
  return out;
}

/** The case's shape as Burn names its pool benches, e.g. `32x64x112x112_k3_s2_p1`, `1x64x512x512_global`, `4x64x16x56x56_k3_s2_p1`. */
export function shapeLabel(c: BenchCase): string {
  const dims = c.input.join('x');
  return c.window ? `${dims}_k${c.window.kernel}_s${c.window.stride}_p${c.window.pad}` : `${dims}_global`;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
