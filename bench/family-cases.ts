/**
 * The benchmark cases of the rest of the pooling family (adaptive, LP, max-unpooling, fractional
 * max pooling): each op beside the windowed max pool of the same input size, its yardstick (the
 * target: within 1.5x of it), and TF.js's average pooling where a window with the same result exists.
 * Environment-agnostic: no Node or DOM APIs here.
 */
import type { Pooling, Tensor } from '../src/index.js';

export type FamilyOpName = 'adaptiveAvgPool2d' | 'adaptiveMaxPool2d' | 'lpPool2d' | 'maxUnpool2d' | 'fractionalMaxPool2d';

/** What one family op needs besides its input: indices from a max pool (unpool), fixed samples (fractional). */
export interface FamilyInputs {
  x: Tensor;
  /** maxUnpool2d: the k2 s2 max pool's indices of `x`'s unpooled input. */
  indices?: Tensor<'int32'>;
}

export interface FamilyForward {
  output: Tensor;
  indices?: Tensor<'int32'>;
}

export interface FamilyCase {
  readonly id: string;
  readonly op: FamilyOpName;
  /** The op's logical input [N, C, H, W] (for unpooling: the pooled x). */
  readonly input: readonly number[];
  /** The yardstick's input: the windowed max pool of the same input size (for unpooling, the unpooled size). */
  readonly baselineInput: readonly number[];
  /**
   * Which results must be bit-exact: max values and indices forward, unpooling both ways; every
   * other result is a sum (averages, LP, and the max ops' backward where windows overlap and
   * several gradients add into one element) within tolerance.
   */
  readonly exact: { forward: boolean; backward: boolean };
  /** Terms summed per output (forward) and per input element (backward), for the tolerance. */
  readonly terms: { forward: number; backward: number };
  /** TF.js avgPool with the same result (adaptive windows that divide evenly), when there is one. */
  readonly tfjsWindow?: { kernel: number; stride: number };
  forward(pool: Pooling, inputs: FamilyInputs, returnIndices: boolean): Promise<FamilyForward>;
  backward(pool: Pooling, dy: Tensor, inputs: FamilyInputs, forward: FamilyForward): Promise<Tensor>;
  readonly note: string;
}

/** The yardstick: max pooling k2 s2, forward and backward. */
export const BASELINE_WINDOW = { kernelSize: 2, stride: 2 } as const;

const single = async (t: Promise<Tensor>): Promise<FamilyForward> => ({ output: await t });

/** fractional_b8's samples: fixed, so every run, backend and layout pools the same windows. */
export const FRACTIONAL_SEED = 20261204;

export const FAMILY_CASES: readonly FamilyCase[] = [
  {
    id: 'adaptive_r50',
    op: 'adaptiveAvgPool2d',
    input: [32, 2048, 7, 7],
    baselineInput: [32, 2048, 7, 7],
    exact: { forward: false, backward: false },
    terms: { forward: 49, backward: 1 },
    tfjsWindow: { kernel: 7, stride: 7 },
    forward: (pool, { x }) => single(pool.adaptiveAvgPool2d(x, { outputSize: 1 })),
    backward: (pool, dy, { x }) => pool.adaptiveAvgPool2dBackward(dy, { inputShape: x.shape }),
    note: 'ResNet-50 head, 7x7 to 1x1',
  },
  {
    id: 'adaptive_vgg',
    op: 'adaptiveAvgPool2d',
    input: [16, 512, 14, 14],
    baselineInput: [16, 512, 14, 14],
    exact: { forward: false, backward: false },
    terms: { forward: 4, backward: 1 },
    tfjsWindow: { kernel: 2, stride: 2 },
    forward: (pool, { x }) => single(pool.adaptiveAvgPool2d(x, { outputSize: [7, 7] })),
    backward: (pool, dy, { x }) => pool.adaptiveAvgPool2dBackward(dy, { inputShape: x.shape }),
    note: 'VGG head, 14x14 to 7x7',
  },
  {
    id: 'adaptive_odd',
    op: 'adaptiveMaxPool2d',
    input: [8, 256, 13, 17],
    baselineInput: [8, 256, 13, 17],
    exact: { forward: true, backward: false },
    terms: { forward: 1, backward: 4 },
    forward: (pool, { x }, returnIndices) => pool.adaptiveMaxPool2d(x, { outputSize: [5, 7], returnIndices }),
    backward: (pool, dy, { x }, f) => pool.adaptiveMaxPool2dBackward(dy, f.indices!, { inputShape: x.shape }),
    note: 'non-divisible, 13x17 to 5x7',
  },
  {
    id: 'lp2_b8',
    op: 'lpPool2d',
    input: [8, 64, 112, 112],
    baselineInput: [8, 64, 112, 112],
    exact: { forward: false, backward: false },
    terms: { forward: 9, backward: 4 },
    forward: (pool, { x }) => single(pool.lpPool2d(x, { normType: 2, kernelSize: 3, stride: 2 })),
    backward: (pool, dy, { x }, f) => pool.lpPool2dBackward(dy, x, f.output, { normType: 2, kernelSize: 3, stride: 2, inputShape: x.shape }),
    note: 'LP (p = 2), k3 s2',
  },
  {
    id: 'unpool_segnet',
    op: 'maxUnpool2d',
    input: [8, 64, 56, 56],
    baselineInput: [8, 64, 112, 112],
    exact: { forward: true, backward: true },
    terms: { forward: 1, backward: 1 },
    forward: (pool, { x, indices }) => single(pool.maxUnpool2d(x, indices!, BASELINE_WINDOW)),
    backward: (pool, dy, { indices }) => pool.maxUnpool2dBackward(dy, indices!, BASELINE_WINDOW),
    note: 'SegNet decoder, k2 s2 indices, 56x56 to 112x112',
  },
  {
    id: 'fractional_b8',
    op: 'fractionalMaxPool2d',
    input: [8, 64, 112, 112],
    baselineInput: [8, 64, 112, 112],
    exact: { forward: true, backward: false },
    terms: { forward: 1, backward: 4 },
    forward: (pool, { x }, returnIndices) => pool.fractionalMaxPool2d(x, { kernelSize: 2, outputSize: [79, 79], seed: FRACTIONAL_SEED, returnIndices }),
    backward: (pool, dy, { x }, f) => pool.fractionalMaxPool2dBackward(dy, f.indices!, { inputShape: x.shape }),
    note: 'fractional, 112x112 to 79x79, k2',
  },
];

/** Quick mode: batch 1, as the windowed cases. */
export function quickFamilyCase(c: FamilyCase): FamilyCase {
  return { ...c, input: [1, ...c.input.slice(1)], baselineInput: [1, ...c.baselineInput.slice(1)] };
}

export function selectFamilyCases(quick: boolean, ids?: readonly string[]): FamilyCase[] {
  const known = new Set(FAMILY_CASES.map((c) => c.id));
  for (const id of ids ?? []) if (!known.has(id)) throw new Error(`unknown family case '${id}'; the family cases are ${[...known].join(', ')}`);
  return FAMILY_CASES.filter((c) => !ids || ids.includes(c.id)).map((c) => (quick ? quickFamilyCase(c) : c));
}
