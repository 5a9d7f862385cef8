/**
 * The CPU backend's threads (src/cpu/threads.ts): the SIMD kernels split into blocks of units or of
 * output rows, staged in each thread's slot and run by workers and the calling thread on one shared
 * WebAssembly memory (one thread runs the same blocks on its own memory). Results must
 * be one thread's bit for bit (max values and indices, and the f32 averages too, since every output
 * is computed by the same code in the same order), over seeded random windows, both layouts, one
 * image (row blocks) and batches (unit blocks), the chunked path of rows wider than a stage, inputs in
 * and out of SharedArrayBuffers and at an offset in them; block plans must cover every output once;
 * the workers must take blocks; the option is checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PoolingError, createPooling } from '../src/index.js';
import * as fast from '../src/cpu/index.js';
import { avgPoolSimd, maxPoolSimd, setSimdMemoryLimit, setThreadedMinimum, simdAvailable, startCpuThreads, withThreads } from '../src/cpu/simd.js';
import { ARGS_MAX, BLOCK_RECORD, threadPool } from '../src/cpu/threads.js';
import { STAGE_BYTES, planBlocks, stageLayout, type RowSplit, type Units } from '../src/cpu/simd-blocks.js';
import { axisTaps } from '../src/cpu/axis-taps.js';
import { resolveAvgPool, resolveMaxPool } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { Layout } from '../src/types.js';
import { expectBitExact } from './helpers/compare.js';
import { pick, randomData, randomInt, seededRandom } from './helpers/random.js';

const THREADS = 3;

function inShared(x: Float32Array, offset = 0): Float32Array {
  const s = new Float32Array(new SharedArrayBuffer((x.length + offset) * 4), offset * 4, x.length);
  s.set(x);
  return s;
}

describe('threaded SIMD kernels', () => {
  // Small calls on threads too (calls from 8 MiB are threaded by default), so that many shapes run.
  beforeAll(() => setThreadedMinimum(64 * 1024));
  afterAll(() => {
    setSimdMemoryLimit();
    setThreadedMinimum();
  });

  it('start in Node, and the kernels run', async () => {
    expect(await startCpuThreads(THREADS)).toBe(THREADS);
    expect(simdAvailable()).toBe(true);
    expect(threadPool()!.size).toBeGreaterThanOrEqual(THREADS);
  });

  const rand = seededRandom(0x7e4d);
  const cases = Array.from({ length: 24 }, (_, i) => {
    const layout: Layout = i % 2 ? 'NHWC' : 'NCHW';
    const N = i % 3 === 0 ? 1 : randomInt(rand, 2, 5);
    const C = pick(rand, [4, 7, 16, 33]);
    const H = randomInt(rand, 40, 90);
    const W = randomInt(rand, 40, 90);
    const k = randomInt(rand, 1, 4);
    const s = randomInt(rand, 1, 3);
    const pad = randomInt(rand, 0, Math.floor(k / 2));
    const d = k > 1 && rand() < 0.2 ? 2 : 1;
    return { layout, shape: [N, C, H, W], opts: { kernelSize: k, stride: s, padding: pad, dilation: d, ceilMode: rand() < 0.3 } };
  });

  for (const [i, c] of cases.entries()) {
    it(`case ${i}: ${c.layout} ${c.shape.join('x')} ${JSON.stringify(c.opts)}`, () => {
      const [N, C, H, W] = c.shape as [number, number, number, number];
      const x = randomData(seededRandom(i + 1), N * C * H * W);
      for (let j = 0; j < x.length; j += 97) x[j] = pick(rand, [NaN, -0, 0, Infinity, -Infinity]);
      const pm = resolveMaxPool('maxPool2d', c.shape, c.opts);
      const pa = resolveAvgPool('avgPool2d', c.shape, { ...c.opts, dilation: undefined, countIncludePad: i % 2 === 0 });
      const one = maxPoolSimd(x, c.layout, pm, true)!;
      const oneValues = maxPoolSimd(x, c.layout, pm, false)!;
      const oneAvg = avgPoolSimd(x, c.layout, pa)!;
      expectBitExact(one.output, ref.maxPool2dForward(x, c.layout, pm).output, 'one thread against the reference');
      for (const input of [x, inShared(x), inShared(x, 5)]) {
        const many = withThreads(THREADS, () => maxPoolSimd(input, c.layout, pm, true))!;
        expectBitExact(many.output, one.output, 'values');
        expectBitExact(many.indices!, one.indices!, 'indices');
        expectBitExact(withThreads(THREADS, () => maxPoolSimd(input, c.layout, pm, false))!.output, oneValues.output, 'values without indices');
        expectBitExact(withThreads(THREADS, () => avgPoolSimd(input, c.layout, pa))!, oneAvg, 'averages');
      }
    });
  }

  /** Threaded max with indices on `shape` against the reference; returns the jobs it took. */
  function threadedMax(layout: Layout, shape: number[]): number {
    const x = inShared(randomData(seededRandom(shape[0]!), shape.reduce((a, b) => a * b)));
    const p = resolveMaxPool('maxPool2d', shape, { kernelSize: 3, stride: 2, padding: 1 });
    const want = ref.maxPool2dForward(x, layout, p);
    const before = threadPool()!.stats.jobs;
    const got = withThreads(THREADS, () => maxPoolSimd(x, layout, p, true))!;
    expectBitExact(got.output, want.output, `${layout} ${shape} values`);
    expectBitExact(got.indices!, want.indices, `${layout} ${shape} indices`);
    return threadPool()!.stats.jobs - before;
  }

  it('a row wider than a stage runs the chunked path (many chunks with a small memory limit), still exact', () => {
    setSimdMemoryLimit(8 << 20);
    try {
      expect(threadedMax('NHWC', [3, 128, 6, 1030])).toBe(0);
    } finally {
      setSimdMemoryLimit();
    }
  });

  it('one image in row blocks (NHWC), one plane in row blocks (NCHW), planes and images in unit blocks', () => {
    expect(threadedMax('NHWC', [1, 8, 200, 150])).toBe(1);
    expect(threadedMax('NCHW', [1, 1, 700, 500])).toBe(1);
    expect(threadedMax('NCHW', [6, 8, 60, 70])).toBe(1);
    expect(threadedMax('NHWC', [12, 8, 60, 70])).toBe(1);
  });

  it('block plans cover every output once and read inside the input, one thread and several', () => {
    const rand = seededRandom(41);
    for (let t = 0; t < 40; t++) {
      const layout: Layout = t % 2 ? 'NHWC' : 'NCHW';
      const shape = [randomInt(rand, 1, 6), pick(rand, [1, 4, 24, 64]), randomInt(rand, 8, 300), randomInt(rand, 8, 300)];
      const opts = { kernelSize: randomInt(rand, 1, 5), stride: randomInt(rand, 1, 3), padding: 0, ceilMode: rand() < 0.5 };
      opts.padding = randomInt(rand, 0, Math.floor(opts.kernelSize / 2));
      const p = resolveMaxPool('maxPool2d', shape, opts);
      const C = layout === 'NCHW' ? 1 : p.C;
      const units: Units = { count: layout === 'NCHW' ? p.N * p.C : p.N, inputs: p.H * p.W * C, outputs: p.outH * p.outW * C };
      const rows = axisTaps(p.outH, p.H, p.kH, p.sH, p.dH, p.padTop, p.padBottom);
      const split: RowSplit = {
        outH: p.outH,
        rowOutputs: p.outW * C,
        rowInputs: p.W * C,
        rowSpan: (o) => (rows.end[o]! > rows.first[o]! ? [rows.start[o]! + rows.first[o]!, rows.start[o]! + rows.end[o]! - 1] : [0, -1]),
      };
      for (const threads of [1, 3]) {
        const plan = planBlocks({ units, rows: split, withIndices: true, idxArg: 2, kernel: (at) => ({ fn: 'k', args: [at.x, at.out, at.idx] }) }, stageLayout(64), threads, 4);
        if (plan === null) {
          // Only where one output row's outputs, or the input rows it reads, exceed a stage.
          const widest = Math.max(...Array.from({ length: p.outH }, (_, o) => split.rowSpan(o)).map(([a, b]) => b - a + 1));
          expect(split.rowOutputs * 4 > STAGE_BYTES || widest * split.rowInputs * 4 > STAGE_BYTES).toBe(true);
          continue;
        }
        const covered = new Uint8Array(units.count * units.outputs);
        for (let r = 0; r < plan.blocks.length; r += BLOCK_RECORD) {
          const [, xSrc, xLen, outDst, outLen] = plan.blocks.subarray(r + 2 + ARGS_MAX, r + BLOCK_RECORD);
          expect(xSrc! >= 0 && xSrc! + xLen! <= units.count * units.inputs && xLen! * 4 <= STAGE_BYTES).toBe(true);
          expect(outLen! * 4 <= STAGE_BYTES).toBe(true);
          for (let i = outDst!; i < outDst! + outLen!; i++) covered[i]!++;
        }
        expect(covered.every((v) => v === 1)).toBe(true);
        // Several threads get at least a block each wherever there are rows enough.
        if (threads > 1 && p.outH * units.count >= 12) expect(plan.blocks.length / BLOCK_RECORD).toBeGreaterThanOrEqual(threads);
      }
    }
  });

  it('inputs without NaN (ties, -0 before +0, infinities) and with one NaN in one block, bit for bit, one thread and several', () => {
    const rand = seededRandom(5);
    for (const layout of ['NCHW', 'NHWC'] as Layout[]) {
      for (const shape of [[1, 20, 70, 66], [3, 36, 40, 41], [2, 5, 130, 9]]) {
        const n = shape.reduce((a, b) => a * b);
        // Few distinct values, so that windows tie; zeros of both signs and infinities, no NaN.
        const x = Float32Array.from({ length: n }, () => pick(rand, [-0, 0, 0.5, -0.5, 1, Infinity, -Infinity, 0.25]));
        for (const opts of [{ kernelSize: 3, stride: 2, padding: 1 }, { kernelSize: 2, stride: 1, padding: 0 }, { kernelSize: 3, stride: 1, padding: 1, dilation: 2 }]) {
          const p = resolveMaxPool('maxPool2d', shape, opts);
          const want = ref.maxPool2dForward(x, layout, p).output;
          expectBitExact(maxPoolSimd(x, layout, p, false)!.output, want, `${layout} ${shape} no NaN`);
          expectBitExact(withThreads(THREADS, () => maxPoolSimd(inShared(x), layout, p, false))!.output, want, `${layout} ${shape} no NaN, threads`);
          const y = x.slice();
          y[Math.floor(n * 0.7)] = NaN;
          expectBitExact(maxPoolSimd(y, layout, p, false)!.output, ref.maxPool2dForward(y, layout, p).output, `${layout} ${shape} one NaN`);
        }
      }
    }
  });

  it('the workers take blocks', () => {
    const x = inShared(randomData(seededRandom(9), 4 * 32 * 112 * 112));
    const p = resolveMaxPool('maxPool2d', [4, 32, 112, 112], { kernelSize: 3, stride: 2, padding: 1 });
    const stats = threadPool()!.stats;
    const before = { ...stats };
    for (let r = 0; r < 20 && stats.workerBlocks === before.workerBlocks; r++) withThreads(THREADS, () => fast.maxPool2dForward(x, 'NHWC', p, false));
    expect(stats.jobs).toBeGreaterThan(before.jobs);
    expect(stats.workerBlocks).toBeGreaterThan(before.workerBlocks);
  });
});

describe('createPooling({ threads })', () => {
  it('gives a CPU context the threads asked for, and the same results as one thread', async () => {
    const many = await createPooling({ backend: 'cpu', threads: 2 });
    const one = await createPooling({ backend: 'cpu', threads: 1 });
    expect(many.threads).toBe(2);
    expect(one.threads).toBe(1);
    expect((await createPooling({ backend: 'cpu' })).threads).toBeGreaterThanOrEqual(1);
    // 12.8 MB: uploaded into a SharedArrayBuffer and run on threads by default.
    const shape = [4, 64, 112, 112];
    const jobs = threadPool()!.stats.jobs;
    const x = randomData(seededRandom(3), shape.reduce((a, b) => a * b));
    for (const layout of ['NCHW', 'NHWC'] as const) {
      const opts = { kernelSize: 3, stride: 2, padding: 1 };
      const run = async (pool: typeof one) => {
        const t = pool.tensor(x, shape, { layout });
        // The first call of a kind runs in slices (its time is not known yet), later ones whole.
        (await pool.maxPool2d(t, opts)).output.destroy();
        (await pool.avgPool2d(t, opts)).destroy();
        const m = await pool.maxPool2d(t, { ...opts, returnIndices: true });
        const a = await pool.avgPool2d(t, opts);
        return { v: await m.output.read(), i: await m.indices.read(), a: await a.read() };
      };
      const [got, want] = [await run(many), await run(one)];
      expectBitExact(got.v, want.v, `${layout} values`);
      expectBitExact(got.i, want.i, `${layout} indices`);
      expectBitExact(got.a, want.a, `${layout} averages`);
      // What the user reads is a plain array, not a view of the shared memory.
      expect(got.v.buffer).toBeInstanceOf(ArrayBuffer);
    }
    expect(threadPool()!.stats.jobs).toBeGreaterThanOrEqual(jobs + 4);
    many.destroy();
    one.destroy();
  });

  for (const bad of [0, 1.5, -2, 65, '2', null, Number.NaN]) {
    it(`refuses threads: ${String(bad)}`, async () => {
      const e = await createPooling({ backend: 'cpu', threads: bad as never }).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(PoolingError);
      expect((e as PoolingError).message).toMatch(/threads/);
      expect((e as PoolingError).message).toMatch(/'auto' or an integer in \[1, 64\]/);
    });
  }

  it("refuses threads with backend 'webgpu'", async () => {
    const e = await createPooling({ backend: 'webgpu', threads: 2 }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(PoolingError);
    expect((e as PoolingError).message).toMatch(/applies to the CPU backend/);
  });
});

describe('starting the pool', () => {
  it('concurrent requests for more threads are served in turn, by one pool that has them all', async () => {
    const [a, b, c] = await Promise.all([startCpuThreads(2), startCpuThreads(5), startCpuThreads(3)]);
    expect([a, b, c]).toEqual([2, 5, 3]);
    expect(threadPool()!.size).toBe(5);
    const x = inShared(randomData(seededRandom(11), 3 * 16 * 80 * 80));
    const p = resolveMaxPool('maxPool2d', [3, 16, 80, 80], { kernelSize: 3, stride: 2 });
    setThreadedMinimum(64 * 1024);
    try {
      expectBitExact(withThreads(5, () => maxPoolSimd(x, 'NHWC', p, false))!.output, ref.maxPool2dForward(x, 'NHWC', p).output, 'five threads');
    } finally {
      setThreadedMinimum();
    }
  });
});
