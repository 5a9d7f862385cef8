/**
 * The demo's pipeline, as data: the image is uploaded once, then every stage reads tensors that
 * earlier stages left on the device (a max and an average pyramid, overlapping and blurring
 * windows, global descriptors, the max-pooling backward pass). Nothing is read back until the last
 * stage has run. The same list runs on the CPU backend to give each stage its reference.
 */
import type { Rule } from '../bench/compare.js';
import type { Pooling, Tensor } from '../src/index.js';
import { shapeOf, type RgbImage } from './rgb-image.js';

/** How a stage's output is drawn: an RGB image, a heat map (summed over channels), or a bar per channel. */
export type StageView = 'rgb' | 'heat' | 'descriptor';
export type StageGroup = 'input' | 'max pyramid' | 'average pyramid' | 'windows' | 'descriptors' | 'backward';

export interface StageSpec {
  id: string;
  group: StageGroup;
  title: string;
  /** The library call, as the page prints it. */
  call: string;
  view: StageView;
  /** SEMANTICS.md's accuracy rule for the check against the CPU reference. */
  rule: Rule;
  /** Runs on the tensors of earlier stages (by id); returns this stage's tensors (its id first). */
  run(pool: Pooling, t: ReadonlyMap<string, Tensor>, image: RgbImage): Promise<Record<string, Tensor>>;
}

const EXACT: Rule = { kind: 'exact' };
const sum = (terms: number): Rule => ({ kind: 'tolerance', terms });

function need(t: ReadonlyMap<string, Tensor>, id: string): Tensor {
  const tensor = t.get(id);
  if (!tensor) throw new Error(`internal: stage '${id}' has not run`);
  return tensor;
}

const BACKWARD_WINDOW = { kernelSize: 3, stride: 2, padding: 1 } as const;

function halve(kind: 'max' | 'avg', from: string, to: string, level: number): StageSpec {
  const op = kind === 'max' ? 'maxPool2d' : 'avgPool2d';
  return {
    id: to,
    group: kind === 'max' ? 'max pyramid' : 'average pyramid',
    title: `${kind} ÷${2 ** level}`,
    call: `${op}(${from}, { kernelSize: 2 })`,
    view: 'rgb',
    rule: kind === 'max' ? EXACT : sum(4),
    run: async (pool, t) => ({ [to]: kind === 'max' ? (await pool.maxPool2d(need(t, from), { kernelSize: 2 })).output : await pool.avgPool2d(need(t, from), { kernelSize: 2 }) }),
  };
}

export const STAGES: readonly StageSpec[] = [
  {
    id: 'x',
    group: 'input',
    title: 'upload',
    call: 'pool.tensor(pixels, [1, 3, H, W])',
    view: 'rgb',
    rule: EXACT,
    run: async (pool, _t, image) => ({ x: pool.tensor(image.data, shapeOf(image)) }),
  },
  halve('max', 'x', 'max2', 1),
  halve('max', 'max2', 'max4', 2),
  halve('max', 'max4', 'max8', 3),
  halve('avg', 'x', 'avg2', 1),
  halve('avg', 'avg2', 'avg4', 2),
  halve('avg', 'avg4', 'avg8', 3),
  {
    id: 'maxOverlap',
    group: 'windows',
    title: 'max 3×3, stride 2, pad 1',
    call: 'maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1, returnIndices: true })',
    view: 'rgb',
    rule: EXACT,
    run: async (pool, t) => {
      const { output, indices } = await pool.maxPool2d(need(t, 'x'), { ...BACKWARD_WINDOW, returnIndices: true });
      return { maxOverlap: output, 'maxOverlap.indices': indices! };
    },
  },
  {
    id: 'blur',
    group: 'windows',
    title: 'average 5×5, stride 1, pad 2',
    call: "avgPool2d(x, { kernelSize: 5, stride: 1, padding: 2, countIncludePad: false })",
    view: 'rgb',
    rule: sum(25),
    run: async (pool, t) => ({ blur: await pool.avgPool2d(need(t, 'x'), { kernelSize: 5, stride: 1, padding: 2, countIncludePad: false }) }),
  },
  {
    id: 'coarse',
    group: 'windows',
    title: 'max 3×3, stride 3, ceil mode',
    call: 'maxPool2d(x, { kernelSize: 3, stride: 3, ceilMode: true })',
    view: 'rgb',
    rule: EXACT,
    run: async (pool, t) => ({ coarse: (await pool.maxPool2d(need(t, 'x'), { kernelSize: 3, stride: 3, ceilMode: true })).output }),
  },
  {
    id: 'globalMax',
    group: 'descriptors',
    title: 'global max',
    call: 'globalMaxPool(x)',
    view: 'descriptor',
    rule: EXACT,
    run: async (pool, t) => ({ globalMax: (await pool.globalMaxPool(need(t, 'x'))).output }),
  },
  {
    id: 'globalAvg',
    group: 'descriptors',
    title: 'global average',
    call: 'globalAvgPool(x)',
    view: 'descriptor',
    rule: sum(1),
    run: async (pool, t) => ({ globalAvg: await pool.globalAvgPool(need(t, 'x')) }),
  },
  {
    id: 'globalAvgOfMax',
    group: 'descriptors',
    title: 'average of the max ÷8 level',
    call: 'globalAvgPool(max8)',
    view: 'descriptor',
    rule: sum(1),
    run: async (pool, t) => ({ globalAvgOfMax: await pool.globalAvgPool(need(t, 'max8')) }),
  },
  {
    id: 'dy',
    group: 'backward',
    title: 'dy = 1',
    call: 'pool.tensor(ones, maxOverlap.shape)',
    view: 'heat',
    rule: EXACT,
    run: async (pool, t) => {
      const shape = need(t, 'maxOverlap').shape;
      return { dy: pool.tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1), shape) };
    },
  },
  {
    id: 'dx',
    group: 'backward',
    title: 'dx of max 3×3, stride 2',
    call: "maxPool2dBackward(dy, maxOverlap.indices, { kernelSize: 3, stride: 2, padding: 1, inputShape: x.shape })",
    view: 'heat',
    rule: sum(4),
    run: async (pool, t) => ({ dx: await pool.maxPool2dBackward(need(t, 'dy'), need(t, 'maxOverlap.indices'), { ...BACKWARD_WINDOW, inputShape: need(t, 'x').shape }) }),
  },
];

export interface StageRun {
  spec: StageSpec;
  /** Wall time from the call until the device finished it (`settle`), no read-back. */
  ms: number;
}

export interface PipelineRun {
  stages: StageRun[];
  tensors: Map<string, Tensor>;
  destroy(): void;
}

/**
 * Runs every stage on `pool`. `settle` waits for the device to finish what was submitted (the GPU
 * queue's onSubmittedWorkDone; nothing on the CPU), so each stage's time is its own.
 */
export async function runPipeline(pool: Pooling, image: RgbImage, settle: () => Promise<void>, onStage?: (run: StageRun) => void): Promise<PipelineRun> {
  const tensors = new Map<string, Tensor>();
  const stages: StageRun[] = [];
  const destroy = () => {
    for (const t of tensors.values()) t.destroy();
    tensors.clear();
  };
  try {
    for (const spec of STAGES) {
      const start = performance.now();
      const out = await spec.run(pool, tensors, image);
      await settle();
      const run = { spec, ms: performance.now() - start };
      for (const [id, t] of Object.entries(out)) tensors.set(id, t);
      stages.push(run);
      onStage?.(run);
    }
  } catch (e) {
    destroy();
    throw e;
  }
  return { stages, tensors, destroy };
}
