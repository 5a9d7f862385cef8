/**
 * The windowed ops' `allowEmptyWindows` (TensorFlow's window rule, docs/semantics.md "Empty
 * windows") and the max ops' `emptyValue`: pads as large as the window or larger, and ceil mode
 * keeping a last window that starts in the end padding, so that windows without an element exist.
 * Max gives emptyValue (default -Infinity) with index -1 there, average 0; the backward sends such
 * windows nothing. Through the public API on WebGPU and on the CPU backend, ranks 1-3, both memory
 * orders, against the f64 reference (max bit for bit, average within docs/semantics.md's
 * tolerance); then the rules' validation.
 */
import { describe, expect, it } from 'vitest';
import { PoolingError, type Pooling, type Tensor } from '../src/index.js';
import { hasEmptyWindows } from '../src/geometry.js';
import { resolveAvgWindow, resolveMaxWindow } from '../src/params.js';
import * as ref from '../src/reference/nd-pool.js';
import type { SpatialRank } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { useBothContexts } from './helpers/contexts.js';
import { overlap } from './helpers/nd-windows.js';
import { randomData, seededRandom } from './helpers/random.js';

const contexts = useBothContexts();
const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const LAYOUTS: Record<SpatialRank, [string, string]> = { 1: ['NCL', 'NLC'], 2: ['NCHW', 'NHWC'], 3: ['NCDHW', 'NDHWC'] };
const NAMES: Record<SpatialRank, string> = { 1: '1d', 2: '2d', 3: '3d' };

interface EmptyCase {
  rank: SpatialRank;
  shape: number[];
  options: Record<string, unknown>;
}

const CASES: EmptyCase[] = [
  // TF.js's `f=1 s=2 p=1`: the first window of each axis lies in the padding.
  { rank: 2, shape: [2, 3, 2, 2], options: { kernelSize: 1, stride: 2, padding: 1 } },
  // TF.js's `f=2 s=3 p=1 'ceil'`: the last window starts in the end padding and is kept.
  { rank: 2, shape: [1, 4, 2, 2], options: { kernelSize: 2, stride: 3, padding: 1, ceilMode: true } },
  { rank: 2, shape: [2, 5, 5, 6], options: { kernelSize: [2, 3], stride: [2, 1], padding: [3, 0, 2, 4] } },
  { rank: 1, shape: [2, 3, 7], options: { kernelSize: 2, stride: 2, padding: 3, ceilMode: true } },
  { rank: 1, shape: [1, 8, 5], options: { kernelSize: 3, stride: 4, padding: [1, 6] } },
  { rank: 3, shape: [1, 2, 3, 4, 3], options: { kernelSize: 2, stride: 2, padding: 2 } },
  { rank: 3, shape: [1, 4, 2, 3, 5], options: { kernelSize: [1, 2, 2], stride: [2, 3, 2], padding: 1, ceilMode: true } },
];

function pool(p: Pooling, kind: 'max' | 'avg', rank: SpatialRank, x: Tensor, o: Record<string, unknown>) {
  const f = (p as unknown as Record<string, (x: Tensor, o: unknown) => Promise<unknown>>)[`${kind}Pool${NAMES[rank]}`]!;
  return f.call(p, x, o);
}

function poolBackward(p: Pooling, kind: 'max' | 'avg', rank: SpatialRank, args: Tensor[], o: Record<string, unknown>): Promise<Tensor> {
  const f = (p as unknown as Record<string, (...a: unknown[]) => Promise<Tensor>>)[`${kind}Pool${NAMES[rank]}Backward`]!;
  return f.call(p, ...args, o);
}

describe.each(contexts.each)('allowEmptyWindows on %s matches the reference', (_name, get) => {
  CASES.forEach((c, k) => {
    for (const li of [0, 1] as const) {
      const layout = LAYOUTS[c.rank][li];
      for (const emptyValue of [undefined, -1e20]) {
        it(`max ${c.shape.join('x')} ${layout} ${JSON.stringify(c.options)} emptyValue ${emptyValue}`, async () => {
          const p = get();
          const options = { ...c.options, allowEmptyWindows: true, returnIndices: true, ...(emptyValue === undefined ? {} : { emptyValue }) };
          const g = resolveMaxWindow('test', c.rank, c.shape, options);
          expect(hasEmptyWindows(g)).toBe(true);
          const data = randomData(seededRandom(7600 + k), count(c.shape));
          const x = p.tensor(data, c.shape, { layout } as never) as Tensor;
          const r = (await pool(p, 'max', c.rank, x, options)) as { output: Tensor; indices: Tensor };
          const want = ref.maxPoolNdForward(data, li === 1, g);
          expect(want.output.includes(Math.fround(emptyValue ?? -Infinity))).toBe(true);
          expectBitExact(await r.output.readFloat32(), want.output, 'values');
          expectBitExact((await r.indices.read()) as Int32Array, want.indices, 'indices');
          const dy = p.tensor(randomData(seededRandom(7650 + k), want.output.length), r.output.shape, { layout } as never) as Tensor;
          const dx = await poolBackward(p, 'max', c.rank, [dy, r.indices], { ...options, inputShape: c.shape });
          const dyData = await dy.readFloat32();
          expectClose(await dx.readFloat32(), ref.maxPoolNdBackward(dyData, want.indices, li === 1, g), overlap(g), 'dx');
          for (const t of [x, r.output, r.indices, dy, dx]) t.destroy();
        });
      }
      for (const countIncludePad of [false, true]) {
        it(`avg ${c.shape.join('x')} ${layout} ${JSON.stringify(c.options)} countIncludePad ${countIncludePad}`, async () => {
          const p = get();
          const options = { ...c.options, allowEmptyWindows: true, countIncludePad };
          const g = resolveAvgWindow('test', c.rank, c.shape, options);
          const data = randomData(seededRandom(7700 + k), count(c.shape));
          const x = p.tensor(data, c.shape, { layout } as never) as Tensor;
          const y = (await pool(p, 'avg', c.rank, x, options)) as Tensor;
          const want = ref.avgPoolNdForward(data, li === 1, g);
          expect(want.includes(0)).toBe(true);
          expectClose(await y.readFloat32(), want, count(g.kernel), 'y');
          const dy = p.tensor(randomData(seededRandom(7750 + k), want.length), y.shape, { layout } as never) as Tensor;
          const dx = await poolBackward(p, 'avg', c.rank, [dy], { ...options, inputShape: c.shape });
          expectClose(await dx.readFloat32(), ref.avgPoolNdBackward(await dy.readFloat32(), li === 1, g), overlap(g), 'dx');
          for (const t of [x, y, dy, dx]) t.destroy();
        });
      }
    }
  });

  it("without the option, such pads are refused and ceil mode drops the last window (PyTorch's rule)", async () => {
    const p = get();
    const x = p.tensor(new Float32Array(12), [1, 3, 2, 2]);
    await expect(p.maxPool2d(x, { kernelSize: 1, stride: 2, padding: 1 })).rejects.toThrow(/must be smaller than the effective kernel/);
    const pytorch = await p.maxPool2d(x, { kernelSize: 2, stride: 3, padding: 1, ceilMode: true });
    const tensorflow = await p.maxPool2d(x, { kernelSize: 2, stride: 3, padding: 1, ceilMode: true, allowEmptyWindows: true });
    expect(pytorch.output.shape).toEqual([1, 3, 1, 1]);
    expect(tensorflow.output.shape).toEqual([1, 3, 2, 2]);
    for (const t of [x, pytorch.output, tensorflow.output]) t.destroy();
  });

  it('bad values are PoolingErrors naming op, option and value; the context stays usable', async () => {
    const p = get();
    const x = p.tensor(new Float32Array(16), [1, 1, 4, 4]);
    const bad: [string, Record<string, unknown>, string][] = [
      ['maxPool2d', { kernelSize: 2, allowEmptyWindows: 'yes' }, 'allowEmptyWindows'],
      ['avgPool2d', { kernelSize: 2, allowEmptyWindows: 1 }, 'allowEmptyWindows'],
      ['maxPool2d', { kernelSize: 2, emptyValue: NaN }, 'emptyValue'],
      ['maxPool2d', { kernelSize: 2, emptyValue: '-1e20' }, 'emptyValue'],
      ['avgPool2d', { kernelSize: 2, emptyValue: 0 }, 'emptyValue'],
    ];
    for (const [op, o, option] of bad) {
      const run = op === 'maxPool2d' ? p.maxPool2d(x, o as never) : p.avgPool2d(x, o as never);
      const e = await run.then(
        () => null,
        (err: unknown) => err,
      );
      expect(e, `${op} ${option}`).toBeInstanceOf(PoolingError);
      expect((e as PoolingError).op).toBe(op);
      expect((e as PoolingError).option).toBe(option);
    }
    const ok = await p.avgPool2d(x, { kernelSize: 2, padding: 2, allowEmptyWindows: true });
    expect(ok.shape).toEqual([1, 1, 4, 4]);
    ok.destroy();
    x.destroy();
  });
});
