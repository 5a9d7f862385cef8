/**
 * Index formats for interchange (docs/api.md "Index formats"): ONNX's whole-tensor indices and its
 * column-major storage order, made by every op that returns indices and taken by every op that
 * consumes them, on both backends and both memory orders.
 */
import { describe, expect, it } from 'vitest';
import { PoolingError, type Pooling, type Tensor } from '../src/index.js';
import { useBothContexts } from './helpers/contexts.js';
import { randomData, seededRandom } from './helpers/random.js';

const ctx = useBothContexts();

/** Position of logical element (n, c, spatial...) in a tensor of `shape` in channel-first or channels-last order. */
function offsetOf(shape: readonly number[], channelsLast: boolean, n: number, c: number, p: number): number {
  const [, C] = shape as [number, number];
  const volume = shape.slice(2).reduce((a, b) => a * b, 1);
  return channelsLast ? (n * volume + p) * C + c : (n * C + c) * volume + p;
}

/** Row-major position p over `size` to column-major. */
function columnMajor(p: number, size: readonly number[]): number {
  const coords: number[] = [];
  let rest = p;
  for (let a = size.length - 1; a >= 0; a--) {
    coords[a] = rest % size[a]!;
    rest = Math.floor(rest / size[a]!);
  }
  let q = 0;
  for (let a = size.length - 1; a >= 0; a--) q = q * size[a]! + coords[a]!;
  return q;
}

const CASES: { rank: 1 | 2 | 3; shape: number[]; layouts: readonly [string, string]; opts: Record<string, unknown> }[] = [
  { rank: 1, shape: [2, 3, 11], layouts: ['NCL', 'NLC'], opts: { kernelSize: 3, stride: 2, padding: 1 } },
  { rank: 2, shape: [2, 3, 7, 6], layouts: ['NCHW', 'NHWC'], opts: { kernelSize: 3, stride: 2, padding: 1 } },
  { rank: 3, shape: [1, 4, 5, 4, 6], layouts: ['NCDHW', 'NDHWC'], opts: { kernelSize: 2, stride: 2 } },
];

async function maxPool(pool: Pooling, rank: 1 | 2 | 3, x: Tensor, options: Record<string, unknown>) {
  const f = rank === 1 ? pool.maxPool1d : rank === 2 ? pool.maxPool2d : pool.maxPool3d;
  return f.call(pool, x, { ...(options as { kernelSize: number }), returnIndices: true });
}

async function maxBackward(pool: Pooling, rank: 1 | 2 | 3, dy: Tensor, idx: Tensor, options: Record<string, unknown>) {
  const f = rank === 1 ? pool.maxPool1dBackward : rank === 2 ? pool.maxPool2dBackward : pool.maxPool3dBackward;
  return f.call(pool, dy, idx as never, options as never);
}

describe.each(ctx.each)('index formats on %s', (_name, pool) => {
  for (const c of CASES) {
    for (const layout of c.layouts) {
      const channelsLast = layout !== c.layouts[0];
      it(`maxPool${c.rank}d ${layout}: tensor, column-major and TensorFlow's channels-last indices are the plane ones renumbered, and backward takes them`, async () => {
        const p = pool();
        const rand = seededRandom(c.rank * 31 + (channelsLast ? 7 : 0));
        const count = c.shape.reduce((a, b) => a * b, 1);
        const x = p.tensor(randomData(rand, count), c.shape, { layout: layout as never });
        const plane = await maxPool(p, c.rank, x, c.opts);
        const planeIdx = await plane.indices!.read();
        const size = c.shape.slice(2);
        const volume = size.reduce((a, b) => a * b, 1);
        const outShape = plane.output.shape;
        const outVolume = outShape.slice(2).reduce((a, b) => a * b, 1);
        const [N, C] = c.shape as unknown as [number, number];
        const FORMATS = [
          ['tensor', 'row-major'],
          ['plane', 'column-major'],
          ['tensor', 'column-major'],
          ['channels-last', 'row-major'],
          ['channels-last-tensor', 'row-major'],
          ['channels-last-tensor', 'column-major'],
        ] as const;
        // Each format's number for plane position q of (n, ch): ONNX's and TensorFlow's.
        const expected = (format: (typeof FORMATS)[number][0], n: number, ch: number, q: number) =>
          ({ plane: q, tensor: (n * C + ch) * volume + q, 'channels-last': q * C + ch, 'channels-last-tensor': (n * volume + q) * C + ch })[format];
        for (const [indexFormat, indexOrder] of FORMATS) {
          const r = await maxPool(p, c.rank, x, { ...c.opts, indexFormat, indexOrder });
          const got = await r.indices!.read();
          expect(await r.output.read()).toEqual(await plane.output.read());
          for (let n = 0; n < N; n++) {
            for (let ch = 0; ch < C; ch++) {
              for (let o = 0; o < outVolume; o++) {
                const i = offsetOf(outShape, channelsLast, n, ch, o);
                const q = indexOrder === 'column-major' ? columnMajor(planeIdx[i]!, size) : planeIdx[i]!;
                expect(got[i]).toBe(expected(indexFormat, n, ch, q));
              }
            }
          }
          // The backward op takes them back: the same dx as from the plane indices.
          const dy = p.tensor(randomData(rand, got.length), outShape, { layout: layout as never });
          const want = await maxBackward(p, c.rank, dy, plane.indices!, { ...c.opts, inputShape: c.shape });
          const dx = await maxBackward(p, c.rank, dy, r.indices!, { ...c.opts, inputShape: c.shape, indexFormat, indexOrder });
          expect(await dx.read()).toEqual(await want.read());
          for (const t of [r.output, r.indices!, dy, want, dx]) t.destroy();
        }
        for (const t of [x, plane.output, plane.indices!]) t.destroy();
      });
    }
  }

  it('globalMaxPool: tensor indices, and its backward takes them', async () => {
    const p = pool();
    const shape = [2, 3, 4, 5];
    const x = p.tensor(randomData(seededRandom(5), 120), shape);
    const plane = await p.globalMaxPool(x, { returnIndices: true });
    const t = await p.globalMaxPool(x, { returnIndices: true, indexFormat: 'tensor' });
    const planeIdx = await plane.indices!.read();
    expect([...(await t.indices!.read())]).toEqual([...planeIdx].map((v, i) => v + i * 20));
    const dy = p.tensor(randomData(seededRandom(6), 6), [2, 3], { layout: 'NC' });
    const a = await p.globalMaxPoolBackward(dy, plane.indices!, { inputShape: shape });
    const b = await p.globalMaxPoolBackward(dy, t.indices!, { inputShape: shape, indexFormat: 'tensor' });
    expect(await b.read()).toEqual(await a.read());
    for (const v of [x, plane.output, plane.indices!, t.output, t.indices!, dy, a, b]) v.destroy();
  });

  it('adaptiveMaxPool2d: tensor indices, and its backward takes them', async () => {
    const p = pool();
    const shape = [2, 3, 7, 5];
    for (const layout of ['NCHW', 'NHWC'] as const) {
      const x = p.tensor(randomData(seededRandom(9), 210), shape, { layout });
      const plane = await p.adaptiveMaxPool2d(x, { outputSize: [3, 2], returnIndices: true });
      const t = await p.adaptiveMaxPool2d(x, { outputSize: [3, 2], returnIndices: true, indexFormat: 'tensor', indexOrder: 'column-major' });
      const planeIdx = await plane.indices!.read();
      const got = await t.indices!.read();
      for (let n = 0; n < 2; n++)
        for (let c = 0; c < 3; c++)
          for (let o = 0; o < 6; o++) {
            const i = offsetOf([2, 3, 3, 2], layout === 'NHWC', n, c, o);
            expect(got[i]).toBe((n * 3 + c) * 35 + columnMajor(planeIdx[i]!, [7, 5]));
          }
      const dy = p.tensor(randomData(seededRandom(10), 36), [2, 3, 3, 2], { layout });
      const a = await p.adaptiveMaxPool2dBackward(dy, plane.indices!, { inputShape: shape });
      const b = await p.adaptiveMaxPool2dBackward(dy, t.indices!, { inputShape: shape, indexFormat: 'tensor', indexOrder: 'column-major' });
      expect(await b.read()).toEqual(await a.read());
      for (const v of [x, plane.output, plane.indices!, t.output, t.indices!, dy, a, b]) v.destroy();
    }
  });

  it('maxUnpool2d and fractionalMaxPool2d take and give ONNX indices, with the plane results', async () => {
    const p = pool();
    const shape = [2, 3, 8, 6];
    for (const layout of ['NCHW', 'NHWC'] as const) {
      const x = p.tensor(randomData(seededRandom(11), 288), shape, { layout });
      const fmt = { indexFormat: 'tensor', indexOrder: 'column-major' } as const;
      const plane = await p.maxPool2d(x, { kernelSize: 2, returnIndices: true });
      const onnx = await p.maxPool2d(x, { kernelSize: 2, returnIndices: true, ...fmt });
      const a = await p.maxUnpool2d(plane.output, plane.indices!, { kernelSize: 2 });
      const b = await p.maxUnpool2d(plane.output, onnx.indices!, { kernelSize: 2, ...fmt });
      expect(await b.read()).toEqual(await a.read());
      const ga = await p.maxUnpool2dBackward(a, plane.indices!, { kernelSize: 2 });
      const gb = await p.maxUnpool2dBackward(a, onnx.indices!, { kernelSize: 2, ...fmt });
      expect(await gb.read()).toEqual(await ga.read());
      const f = { kernelSize: 2, outputSize: [5, 4], seed: 3, returnIndices: true } as const;
      const fp = await p.fractionalMaxPool2d(x, f);
      const ft = await p.fractionalMaxPool2d(x, { ...f, indexFormat: 'tensor' });
      const fpi = await fp.indices!.read();
      const fti = await ft.indices!.read();
      for (let i = 0; i < fpi.length; i++) {
        const plane0 = layout === 'NHWC' ? Math.floor(i / 60) * 3 + (i % 3) : Math.floor(i / 20);
        expect(fti[i]).toBe(fpi[i]! + plane0 * 48);
      }
      const dy = p.tensor(randomData(seededRandom(12), 120), [2, 3, 5, 4], { layout });
      const da = await p.fractionalMaxPool2dBackward(dy, fp.indices!, { inputShape: shape });
      const db = await p.fractionalMaxPool2dBackward(dy, ft.indices!, { inputShape: shape, indexFormat: 'tensor' });
      expect(await db.read()).toEqual(await da.read());
      for (const v of [x, plane.output, plane.indices!, onnx.output, onnx.indices!, a, b, ga, gb, fp.output, fp.indices!, ft.output, ft.indices!, dy, da, db]) v.destroy();
    }
  });

  it('an index of another plane sends nothing (it is not a position of its own plane)', async () => {
    const p = pool();
    const shape = [1, 2, 2, 2];
    const dy = p.tensor([1, 2], [1, 2, 1, 1]);
    // Plane 0's gradient names plane 1's element 5 (= 4 + 1); plane 1's names its own element 1.
    const idx = p.tensor([5, 5], [1, 2, 1, 1], { dtype: 'int32' });
    const dx = await p.maxPool2dBackward(dy, idx, { kernelSize: 2, inputShape: shape, indexFormat: 'tensor' });
    expect([...(await dx.read())]).toEqual([0, 0, 0, 0, 0, 2, 0, 0]);
    for (const v of [dy, idx, dx]) v.destroy();
  });

  it('bad index options are PoolingErrors naming the option, and nothing breaks', async () => {
    const p = pool();
    const x = p.tensor(new Float32Array(16), [1, 1, 4, 4]);
    await expect(p.maxPool2d(x, { kernelSize: 2, returnIndices: true, indexFormat: 'onnx' as never })).rejects.toThrow(PoolingError);
    await expect(p.maxPool2d(x, { kernelSize: 2, indexOrder: 'F' as never })).rejects.toThrow(/maxPool2d.*indexOrder/);
    await expect(p.globalMaxPool(x, { indexFormat: 1 as never })).rejects.toThrow(/globalMaxPool.*indexFormat/);
    const r = await p.maxPool2d(x, { kernelSize: 2, returnIndices: true, indexFormat: 'tensor' });
    expect(r.indices!.shape).toEqual([1, 1, 2, 2]);
    for (const v of [x, r.output, r.indices!]) v.destroy();
  });
});
