/**
 * The max ops' `nan: 'ignore'` (TF.js's rule, docs/semantics.md "Max pooling"): a NaN is never a
 * candidate, a window holding only NaN gives -Infinity with index -1 (or the padded 0 with
 * padValue 0). Through the public API on WebGPU and on the CPU backend, ranks 1-3, both memory
 * orders, with indices, against the f64 reference bit for bit (values and indices); then every 2-D
 * kernel (scalar, W4, vec4) and the N-d vec4 kernel forced below the API; 'propagate' is the
 * default; a bad value is a PoolingError naming op, option and value.
 */
import { describe, expect, it } from 'vitest';
import { PoolingError, type Pooling, type Tensor } from '../src/index.js';
import { maxPoolForwardPlan } from '../src/kernels/max-pool.js';
import { ndForwardPlan } from '../src/kernels/nd-pool.js';
import { resolveMaxPool, resolveMaxWindow } from '../src/params.js';
import * as ref from '../src/reference/nd-pool.js';
import type { Layout, SpatialRank } from '../src/types.js';
import { expectBitExact } from './helpers/compare.js';
import { useBothContexts } from './helpers/contexts.js';
import { withCleanErrorScope } from './helpers/gpu.js';
import { randomData, seededRandom } from './helpers/random.js';
import { runPlan } from './helpers/run-plan.js';

const contexts = useBothContexts();
const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const LAYOUTS: Record<SpatialRank, [string, string]> = { 1: ['NCL', 'NLC'], 2: ['NCHW', 'NHWC'], 3: ['NCDHW', 'NDHWC'] };

/** Random data, a third of it NaN, and a run of NaN long enough to fill whole windows. */
function nanData(seed: number, n: number): Float32Array {
  const rand = seededRandom(seed);
  const data = randomData(rand, n);
  for (let i = 0; i < n; i++) if (rand() < 0.33) data[i] = NaN;
  data.fill(NaN, Math.floor(n / 4), Math.floor(n / 4) + Math.min(400, Math.floor(n / 2)));
  data[n - 1] = -Infinity;
  return data;
}

interface NanCase {
  rank: SpatialRank;
  shape: number[];
  options: Record<string, unknown>;
}

const CASES: NanCase[] = [
  { rank: 1, shape: [2, 3, 31], options: { kernelSize: 3, stride: 2, padding: 1 } },
  { rank: 1, shape: [1, 4, 17], options: { kernelSize: 4, stride: 1, dilation: 2, ceilMode: true } },
  { rank: 2, shape: [2, 3, 9, 11], options: { kernelSize: 3, stride: 2, padding: 1 } },
  { rank: 2, shape: [1, 8, 7, 9], options: { kernelSize: 2, stride: 2, ceilMode: true } },
  { rank: 2, shape: [2, 4, 8, 8], options: { kernelSize: [3, 2], stride: 1, padding: [1, 0], padValue: 0 } },
  { rank: 2, shape: [1, 5, 12, 13], options: { kernelSize: 3, stride: 1, dilation: 2 } },
  { rank: 3, shape: [1, 3, 5, 6, 7], options: { kernelSize: 2, stride: 2, ceilMode: true } },
  { rank: 3, shape: [2, 4, 4, 5, 6], options: { kernelSize: 3, stride: 1, padding: 1 } },
  { rank: 3, shape: [1, 2, 4, 5, 5], options: { kernelSize: 3, stride: 2, padding: 1, padValue: 0 } },
];

function maxPool(p: Pooling, rank: SpatialRank, x: Tensor, o: Record<string, unknown>) {
  return rank === 1 ? p.maxPool1d(x, o as never) : rank === 2 ? p.maxPool2d(x, o as never) : p.maxPool3d(x, o as never);
}

describe.each(contexts.each)("nan: 'ignore' on %s matches the reference", (_name, get) => {
  CASES.forEach((c, k) => {
    for (const li of [0, 1] as const) {
      for (const dtype of ['float32', 'float16'] as const) {
        it(`${c.shape.join('x')} ${LAYOUTS[c.rank][li]} ${dtype} ${JSON.stringify(c.options)}`, async () => {
          const p = get();
          const options = { ...c.options, nan: 'ignore', returnIndices: true };
          const g = resolveMaxWindow('test', c.rank, c.shape, options);
          expect(g.ignoreNan).toBe(true);
          const data = nanData(7100 + k, count(c.shape));
          const x = p.tensor(data, c.shape, { layout: LAYOUTS[c.rank][li], dtype } as never) as Tensor;
          // float16 data: the halves' values, so that the reference sees what the kernels see.
          const stored = await x.readFloat32();
          const { output, indices } = await maxPool(p, c.rank, x, options);
          const want = ref.maxPoolNdForward(stored, li === 1, g);
          expectBitExact(await output.readFloat32(), want.output, 'values');
          expectBitExact((await indices!.read()) as Int32Array, want.indices, 'indices');
          // Windows of NaN only exist in these data, and their result is the empty one.
          expect(want.indices.some((i, j) => i === -1 && want.output[j] === -Infinity) || c.options.padValue === 0).toBe(true);
          for (const t of [x, output, indices!]) t.destroy();
        });
      }
    }
  });

  it("'propagate' is the default, and equals PyTorch's rule", async () => {
    const p = get();
    const data = nanData(7200, 2 * 3 * 9 * 11);
    const x = p.tensor(data, [2, 3, 9, 11]);
    const a = await p.maxPool2d(x, { kernelSize: 3, stride: 2, returnIndices: true });
    const b = await p.maxPool2d(x, { kernelSize: 3, stride: 2, returnIndices: true, nan: 'propagate' });
    const want = ref.maxPoolNdForward(data, false, resolveMaxWindow('test', 2, [2, 3, 9, 11], { kernelSize: 3, stride: 2 }));
    expect((await a.output.readFloat32()).some(Number.isNaN)).toBe(true);
    for (const r of [a, b]) {
      expectBitExact(await r.output.readFloat32(), want.output, 'values');
      expectBitExact((await r.indices!.read()) as Int32Array, want.indices, 'indices');
    }
    for (const t of [x, a.output, a.indices!, b.output, b.indices!]) t.destroy();
  });

  it('a bad nan value is a PoolingError naming op, option and value; the context stays usable', async () => {
    const p = get();
    const x = p.tensor(new Float32Array(16), [1, 1, 4, 4]);
    for (const bad of ['IGNORE', true, 0, null]) {
      const e = await p.maxPool2d(x, { kernelSize: 2, nan: bad as never }).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(PoolingError);
      expect((e as PoolingError).op).toBe('maxPool2d');
      expect((e as PoolingError).option).toBe('nan');
      expect((e as Error).message).toContain(String(bad));
    }
    const ok = await p.maxPool2d(x, { kernelSize: 2, nan: 'ignore' });
    expect(ok.output.shape).toEqual([1, 1, 2, 2]);
    ok.output.destroy();
    x.destroy();
  });
});

describe("nan: 'ignore' in every max forward kernel", () => {
  let pool: Pooling;
  const device = () => (pool.impl as unknown as { device: GPUDevice }).device;
  it('the 2-D scalar, W4 and vec4 kernels and the N-d vec4 kernel match the reference bit for bit', async () => {
    pool = contexts.webgpu();
    const cases: { shape: [number, number, number, number]; layout: Layout; kernel: 'scalar' | 'w4'; label: string }[] = [
      { shape: [2, 3, 9, 13], layout: 'NCHW', kernel: 'scalar', label: 'maxPool2d.forward' },
      { shape: [2, 3, 9, 13], layout: 'NCHW', kernel: 'w4', label: 'maxPool2d.forward.w4' },
      { shape: [2, 8, 9, 13], layout: 'NHWC', kernel: 'scalar', label: 'maxPool2d.forward.vec4' },
      { shape: [2, 3, 9, 13], layout: 'NHWC', kernel: 'scalar', label: 'maxPool2d.forward' },
    ];
    for (const [i, c] of cases.entries()) {
      for (const options of [{ kernelSize: 3, stride: 2, padding: 1 }, { kernelSize: 2, stride: 1, dilation: 2, ceilMode: true }]) {
        const o = { ...options, nan: 'ignore' };
        const params = resolveMaxPool('test', [c.shape[0], c.shape[1], c.shape[2], c.shape[3]], o);
        const plan = maxPoolForwardPlan(params, c.layout, true, c.kernel);
        expect(plan.label).toBe(c.label);
        expect(plan.constants).toMatchObject({ NAN_IGNORE: 1 });
        const data = nanData(7300 + i, count(c.shape));
        const want = ref.maxPoolNdForward(data, c.layout === 'NHWC', resolveMaxWindow('test', 2, c.shape, o));
        const got = await withCleanErrorScope(pool, () => runPlan(device(), plan, data, { y: want.output.length, indices: want.output.length }));
        expectBitExact(new Float32Array(got.outputs.y!), want.output, `${c.label} values`);
        expectBitExact(new Int32Array(got.outputs.indices!), want.indices, `${c.label} indices`);
      }
    }
    const shape = [1, 8, 4, 5, 6];
    const g = resolveMaxWindow('test', 3, shape, { kernelSize: 2, stride: 1, padding: 1, nan: 'ignore' });
    const plan = ndForwardPlan('max', g, true, true, true);
    expect(plan.label).toBe('maxPool3d.nd.forward.vec4');
    const data = nanData(7400, count(shape));
    const want = ref.maxPoolNdForward(data, true, g);
    const got = await withCleanErrorScope(pool, () => runPlan(device(), plan, data, { y: want.output.length, indices: want.output.length }));
    expectBitExact(new Float32Array(got.outputs.y!), want.output, 'N-d vec4 values');
    expectBitExact(new Int32Array(got.outputs.indices!), want.indices, 'N-d vec4 indices');
  });
});
