/**
 * The benchmark cases of spec/BENCH.md as one list, shared by the Node CLI, the page and the GPU
 * runs. Environment-agnostic: no Node or DOM APIs here.
 */
import type { Layout } from '../src/types.js';

export type OpName = 'maxPool2d' | 'avgPool2d' | 'globalMaxPool' | 'globalAvgPool';
export type Pass = 'forward' | 'backward';

export const OP_NAMES: readonly OpName[] = ['maxPool2d', 'avgPool2d', 'globalMaxPool', 'globalAvgPool'];
export const PASSES: readonly Pass[] = ['forward', 'backward'];
export const LAYOUTS: readonly Layout[] = ['NCHW', 'NHWC'];

/** A square pooling window: kernel, stride and symmetric padding (PyTorch's `kernel_size`, `stride`, `padding`). */
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
  /** BENCH.md's name: the JSON `case` field, the same in quick mode. */
  readonly id: string;
  /** Logical [N, C, H, W] input. */
  readonly input: readonly [number, number, number, number];
  /** The window of maxPool2d / avgPool2d; absent for the global cases. */
  readonly window?: PoolWindow;
  readonly ops: readonly CaseOp[];
  /** What the case stands for (BENCH.md's op column). */
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
];

/** Quick mode: every batch shrinks to 1, so the suite runs in seconds on a software adapter. */
export function quickCase(c: BenchCase): BenchCase {
  const [, C, H, W] = c.input;
  return { ...c, input: [1, C, H, W] };
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

/** The case's shape as Burn names its pool benches, e.g. `32x64x112x112_k3_s2_p1`, `1x64x512x512_global`. */
export function shapeLabel(c: BenchCase): string {
  const dims = c.input.join('x');
  return c.window ? `${dims}_k${c.window.kernel}_s${c.window.stride}_p${c.window.pad}` : `${dims}_global`;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
