/**
 * Resource hygiene in a long-running page: 10,000 mixed calls (every op, both layouts, forward and
 * backward, every backward form) with their tensors destroyed leave live GPU memory where it was and
 * pooled memory bounded; destroy() releases everything; a destroyed tensor or context is refused
 * with a PoolingError on every path.
 */
import { describe, expect, it } from 'vitest';
import { sizeClass } from '../src/host/buffer-pool.js';
import { PoolingError, createPooling, type Pooling, type Tensor } from '../src/index.js';
import type { Layout, Pool2dOptions } from '../src/types.js';
import { testAdapterKind, useGpuPool } from './helpers/gpu.js';

const pool = useGpuPool();

const shape = [1, 2, 5, 4];
const xData = Float32Array.from({ length: 40 }, (_, i) => Math.sin(i * 1.3));
const WINDOWS: Pool2dOptions[] = [
  { kernelSize: 2 },
  { kernelSize: 3, stride: 1, padding: 1 },
  { kernelSize: [2, 3], stride: [1, 2], ceilMode: true },
];
const ALGORITHMS = ['scatter', 'gather', 'auto'] as const;

/**
 * One round: 16 op calls (+ 2 uploads and 2 reads) over every op, with a different window, layout
 * and backward form each round; everything made is destroyed.
 */
async function round(p: Pooling, i: number): Promise<number> {
  const layout: Layout = i % 2 === 0 ? 'NCHW' : 'NHWC';
  const window = WINDOWS[i % WINDOWS.length]!;
  const backward = ALGORITHMS[i % ALGORITHMS.length]!;
  const inputShape = shape;
  const made: Tensor[] = [];
  const keep = <T extends Tensor>(t: T): T => (made.push(t), t);
  const x = keep(p.tensor(xData, shape, { layout }));
  // Independent forward calls run concurrently.
  const [max, avg, gmax, gavg, maxPlain, avgNoPad] = await Promise.all([
    p.maxPool2d(x, { ...window, returnIndices: true }),
    p.avgPool2d(x, window),
    p.globalMaxPool(x, { returnIndices: true, keepDims: i % 3 === 0 }),
    p.globalAvgPool(x, { keepDims: true }),
    p.maxPool2d(x, { ...window, padValue: 0 }),
    p.avgPool2d(x, { ...window, countIncludePad: false }),
  ]);
  for (const t of [max.output, max.indices!, avg, gmax.output, gmax.indices!, gavg, maxPlain.output, avgNoPad]) keep(t);
  const dy = keep(p.tensor(new Float32Array(avg.size).fill(1), avg.shape, { layout }));
  const backwards = await Promise.all([
    p.maxPool2dBackward(max.output, max.indices!, { ...window, inputShape, backward }),
    p.avgPool2dBackward(avg, { ...window, inputShape, backward }),
    p.avgPool2dBackward(dy, { ...window, countIncludePad: false, inputShape, backward: 'gather' }),
    p.globalMaxPoolBackward(gmax.output, gmax.indices!, { inputShape }),
    p.globalAvgPoolBackward(gavg, { inputShape }),
    p.maxPool2dBackward(dy, max.indices!, { ...window, inputShape, backward: 'scatter' }),
    p.globalAvgPool(avg),
    p.maxPool2d(avg, { kernelSize: 1 }).then((r) => r.output),
    p.avgPool2d(avg, { kernelSize: 1 }),
    p.globalMaxPool(avg).then((r) => r.output),
  ]);
  for (const t of backwards) keep(t);
  // Reads now and then, as a page would.
  if (i % 10 === 0) {
    await backwards[0]!.read();
    await gavg.read();
  }
  for (const t of made) t.destroy();
  return 16;
}

describe('10,000 mixed calls with their tensors destroyed', () => {
  it('leave live GPU memory where it was, pooled memory bounded and the pipeline cache fixed', async () => {
    const p = pool();
    for (let i = 0; i < 12; i++) await round(p, i); // every window x layout x form once: the pools fill
    const before = p.stats();
    let calls = 0;
    let maxPooled = 0;
    for (let i = 0; calls < 10_000; i++) {
      calls += await round(p, i);
      if (i % 50 === 0) maxPooled = Math.max(maxPooled, p.stats().pooledBytes);
    }
    const after = p.stats();
    expect(calls).toBeGreaterThanOrEqual(10_000);
    expect(after.liveBuffers).toBe(before.liveBuffers);
    expect(after.liveBytes).toBe(before.liveBytes);
    expect(after.pipelines).toBe(before.pipelines);
    // Tiny tensors: what is pooled stays a few dozen 256-byte buffers, as after the warm-up.
    expect(after.pooledBytes).toBeLessThanOrEqual(Math.max(before.pooledBytes, 64 * 1024));
    expect(maxPooled).toBeLessThanOrEqual(64 * 1024);
    expect(after.pooledBuffers).toBeLessThanOrEqual(256);
  });
});

describe('stats() and destroy()', () => {
  it('counts live and pooled buffers and their bytes', async () => {
    const p = await createPooling({ backend: 'webgpu', nodeAdapter: testAdapterKind() });
    expect(p.stats()).toEqual({ liveBuffers: 0, liveBytes: 0, pooledBuffers: 0, pooledBytes: 0, pipelines: 0 });
    const x = p.tensor(new Float32Array(10_000), [1, 1, 100, 100]);
    expect(p.stats()).toMatchObject({ liveBuffers: 1, liveBytes: sizeClass(40_000) });
    const { output } = await p.maxPool2d(x, { kernelSize: 2 });
    expect(p.stats()).toMatchObject({ liveBuffers: 2, liveBytes: sizeClass(40_000) + sizeClass(10_000), pipelines: 1 });
    x.destroy();
    output.destroy();
    expect(p.stats()).toMatchObject({ liveBuffers: 0, liveBytes: 0 });
    expect(p.stats().pooledBytes).toBeGreaterThanOrEqual(sizeClass(40_000) + sizeClass(10_000));
    p.destroy();
  });

  it('destroy() releases everything: live and pooled buffers, pipelines, the device it owns', async () => {
    const p = await createPooling({ backend: 'webgpu', nodeAdapter: testAdapterKind() });
    const device = (p.impl as unknown as { device: GPUDevice }).device;
    const x = p.tensor(xData, shape);
    await round(p, 0);
    const r = await p.maxPool2d(x, { kernelSize: 2, returnIndices: true });
    expect(p.stats().liveBuffers).toBeGreaterThan(0);
    p.destroy();
    expect(p.stats()).toEqual({ liveBuffers: 0, liveBytes: 0, pooledBuffers: 0, pooledBytes: 0, pipelines: 0 });
    expect((await p.lost).reason).toBe('destroyed');
    expect(device.limits).toBeDefined();
    // Tensors outliving their context: destroying them is quiet, using them is a PoolingError.
    await expect(r.output.read()).rejects.toThrow(/context was destroyed/);
    r.output.destroy();
    x.destroy();
    p.destroy(); // twice is quiet
  });

  it("destroy() of a context on an application's device leaves the device and its other contexts working", async () => {
    const owner = pool();
    const device = (owner.impl as unknown as { device: GPUDevice }).device;
    const guest = await createPooling({ device });
    await round(guest, 1);
    guest.destroy();
    expect(guest.stats()).toEqual({ liveBuffers: 0, liveBytes: 0, pooledBuffers: 0, pooledBytes: 0, pipelines: 0 });
    const x = owner.tensor(xData, shape);
    expect((await (await owner.globalMaxPool(x)).output.read())[0]).toBe(Math.max(...xData.subarray(0, 20)));
    x.destroy();
  });
});

describe('a destroyed tensor or context is a PoolingError on every path', () => {
  it('a destroyed context: every op, tensor(), fromGPUBuffer, read', async () => {
    const p = await createPooling({ backend: 'webgpu', nodeAdapter: testAdapterKind() });
    const x = p.tensor(xData, shape);
    const r = await p.maxPool2d(x, { kernelSize: 2, returnIndices: true });
    const g = await p.globalMaxPool(x, { returnIndices: true });
    const buffer = x.buffer!;
    p.destroy();
    const inputShape = shape;
    const calls: [string, () => unknown][] = [
      ['tensor', () => p.tensor(xData, shape)],
      ['fromGPUBuffer', () => p.fromGPUBuffer(buffer, shape)],
      ['maxPool2d', () => p.maxPool2d(x, { kernelSize: 2 })],
      ['avgPool2d', () => p.avgPool2d(x, { kernelSize: 2 })],
      ['globalMaxPool', () => p.globalMaxPool(x)],
      ['globalAvgPool', () => p.globalAvgPool(x)],
      ['maxPool2dBackward', () => p.maxPool2dBackward(r.output, r.indices!, { kernelSize: 2, inputShape })],
      ['avgPool2dBackward', () => p.avgPool2dBackward(r.output, { kernelSize: 2, inputShape })],
      ['globalMaxPoolBackward', () => p.globalMaxPoolBackward(g.output, g.indices!, { inputShape })],
      ['globalAvgPoolBackward', () => p.globalAvgPoolBackward(g.output, { inputShape })],
      ['read', () => x.read()],
    ];
    for (const [op, call] of calls) {
      const e = await Promise.resolve()
        .then(call)
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(e, op).toBeInstanceOf(PoolingError);
      expect(e).toMatchObject({ op });
      expect((e as Error).message).toMatch(/context was destroyed/);
    }
  });

  it('a destroyed tensor: every op and read, on both backends', async () => {
    for (const p of [pool(), await createPooling({ backend: 'cpu' })]) {
      const x = p.tensor(xData, shape);
      const r = await p.maxPool2d(x, { kernelSize: 2, returnIndices: true });
      const g = await p.globalMaxPool(x, { returnIndices: true });
      for (const t of [x, r.output, r.indices!, g.output, g.indices!]) t.destroy();
      const inputShape = shape;
      const calls: [string, string, () => unknown][] = [
        ['maxPool2d', 'x', () => p.maxPool2d(x, { kernelSize: 2 })],
        ['avgPool2d', 'x', () => p.avgPool2d(x, { kernelSize: 2 })],
        ['globalMaxPool', 'x', () => p.globalMaxPool(x)],
        ['globalAvgPool', 'x', () => p.globalAvgPool(x)],
        ['maxPool2dBackward', 'dy', () => p.maxPool2dBackward(r.output, r.indices!, { kernelSize: 2, inputShape })],
        ['avgPool2dBackward', 'dy', () => p.avgPool2dBackward(r.output, { kernelSize: 2, inputShape })],
        ['globalMaxPoolBackward', 'dy', () => p.globalMaxPoolBackward(g.output, g.indices!, { inputShape })],
        ['globalAvgPoolBackward', 'dy', () => p.globalAvgPoolBackward(g.output, { inputShape })],
        ['read', 'tensor', () => x.read()],
      ];
      for (const [op, option, call] of calls) {
        const e = await Promise.resolve()
          .then(call)
          .then(
            () => null,
            (error: unknown) => error,
          );
        expect(e, `${p.backend} ${op}`).toBeInstanceOf(PoolingError);
        expect(e).toMatchObject({ op, option });
        expect((e as Error).message).toMatch(/destroyed/);
      }
      x.destroy(); // again: quiet
    }
  });
});
