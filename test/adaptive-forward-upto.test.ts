/**
 * The adaptive max forward's W4 form reads each lane's taps along W as straight-line code up to the
 * widest window (W4_UPTO_KW, shaders/nd/map-window-w4.wgsl; docs/adaptive-pooling.md), a tap past a
 * lane's window repeating its last column. Forced below the public API beside the per-lane tap loop:
 * values and indices bit for bit against the reference in both forms, on windows of mixed widths,
 * rows whose last group is short, 1-D and 2-D, with NaN, ties, -0 and -inf.
 */
import { describe, expect, it } from 'vitest';
import { adaptiveForwardPlan } from '../src/kernels/adaptive-pool.js';
import { ADAPTIVE_OPS, adaptiveGeometry } from '../src/ops/adaptive-pool.js';
import * as ref from '../src/reference/adaptive.js';
import type { SpatialRank } from '../src/types.js';
import { expectBitExact } from './helpers/compare.js';
import { useGpuPool, withCleanErrorScope } from './helpers/gpu.js';
import { count } from './helpers/nd-windows.js';
import { pick, seededRandom } from './helpers/random.js';
import { runPlan } from './helpers/run-plan.js';

const pool = useGpuPool();
const device = () => (pool().impl as unknown as { device: GPUDevice }).device;

// [N, C, ...in] → out: widths 3-4 (13 → 5, 17 → 7), 1-2 (9 → 7), 6-7 (56 → 9), 1 (4 → 4), 1-D.
const CASES: [number[], number[]][] = [
  [[1, 3, 13, 17], [5, 7]],
  [[2, 2, 6, 9], [3, 7]],
  [[1, 2, 5, 56], [2, 9]],
  [[1, 4, 3, 4], [3, 4]],
  [[2, 3, 23], [6]],
  [[1, 2, 40], [11]],
];

describe('adaptive max W4: straight-line taps up to the widest window equal the tap loop and the reference', () => {
  for (const [shape, out] of CASES) {
    it(`${shape.join('x')} -> ${out.join('x')}`, async () => {
      const rank = (shape.length - 2) as SpatialRank;
      const g = adaptiveGeometry(rank, shape[0]!, shape[1]!, shape.slice(2), out);
      const rand = seededRandom(count(shape) + 5);
      const specials = [NaN, -0, 0, 1, 1, -Infinity];
      const x = Float32Array.from({ length: count(shape) }, () => (rand() < 0.3 ? pick(rand, specials) : Math.round((rand() * 2 - 1) * 4) / 4));
      const outputs = g.N * g.C * count(g.outSize);
      for (const data of [x, new Float32Array(x.length).fill(-Infinity)]) {
        const want = ref.adaptiveMaxPoolForward(data, false, g);
        for (const upto of [true, false]) {
          const plan = adaptiveForwardPlan('max', g, false, true, 'w4', upto);
          expect(plan.constants.W4_UPTO_KW).toBe(upto ? g.kernel[rank - 1] : undefined);
          const run = await withCleanErrorScope(pool(), () => runPlan(device(), plan, { x: data }, { y: outputs, indices: outputs }));
          expectBitExact(new Float32Array(run.outputs.y!), want.output, `${upto ? 'straight-line' : 'tap loop'} values`);
          expectBitExact(new Int32Array(run.outputs.indices!), want.indices, `${upto ? 'straight-line' : 'tap loop'} indices`);
        }
      }
    });
  }

  it('the average never takes it (a repeated tap would count twice)', () => {
    const g = adaptiveGeometry(2, 1, 2, [13, 17], [5, 7]);
    expect(adaptiveForwardPlan('avg', g, false, false, 'w4').constants.W4_UPTO_KW).toBeUndefined();
  });
});

describe('an even output\'s forward runs the windowed op (k = s = I / O)', () => {
  const label = (op: 'maxPool' | 'avgPool', inSize: number[], out: number[], layout: 'NCHW' | 'NHWC') => {
    const g = adaptiveGeometry(2, 1, 8, inSize, out);
    const plan = ADAPTIVE_OPS[op][2].gpu({ g, layout, withIndices: true } as never, { kind: 'swiftshader' } as never);
    return (plan.steps[0] as { plan: { label: string } }).plan.label;
  };
  it('even, not global: the windowed plans; global or uneven: the adaptive kernels', () => {
    expect(label('avgPool', [14, 14], [7, 7], 'NCHW')).toBe('avgPool2d.forward.w4');
    expect(label('maxPool', [14, 14], [7, 7], 'NHWC')).toBe('maxPool2d.forward.vec4');
    expect(label('avgPool', [7, 7], [1, 1], 'NCHW')).toMatch(/^adaptiveAvgPool2d/);
    expect(label('maxPool', [13, 17], [5, 7], 'NCHW')).toBe('adaptiveMaxPool2d.forward.w4');
  });
});

