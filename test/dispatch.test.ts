/** Host plumbing: the dispatch grid past 65,535 workgroups, the buffer pool, the pipeline cache. */
import { describe, expect, it } from 'vitest';
import { BufferPool, sizeClass } from '../src/host/buffer-pool.js';
import { dispatchGrid } from '../src/host/dispatch.js';
import * as ref from '../src/reference/index.js';
import { resolveMaxPool } from '../src/params.js';
import { expectBitExact } from './helpers/compare.js';
import { useGpuPool, withCleanErrorScope } from './helpers/gpu.js';

const pool = useGpuPool();

describe('dispatchGrid', () => {
  it.each([
    [1, [1, 1]],
    [65535, [65535, 1]],
    [65536, [32768, 2]],
    [200000, [50000, 4]],
  ])('%i workgroups → %j, covering every workgroup with each dimension within the limit', (n, grid) => {
    const [x, y] = dispatchGrid(n, 65535);
    expect([x, y]).toEqual(grid);
    expect(x * y).toBeGreaterThanOrEqual(n);
    expect(x).toBeLessThanOrEqual(65535);
  });
});

describe('dispatch beyond 65,535 workgroups in one dimension', () => {
  it('max pooling 1x1x2100x2100 k1 (68,907 workgroups of 64) matches the reference', async () => {
    const shape: [number, number, number, number] = [1, 1, 2100, 2100];
    const data = new Float32Array(2100 * 2100).map((_, i) => ((i * 2654435761) % 1000) / 7);
    const opts = { kernelSize: 1, returnIndices: true };
    const want = ref.maxPool2dForward(data, 'NCHW', resolveMaxPool('maxPool2d', shape, opts));
    const p = pool();
    await withCleanErrorScope(p, async () => {
      const { output, indices } = await p.maxPool2d(p.tensor(data, shape), opts);
      expectBitExact(await output.read(), want.output, 'values');
      expectBitExact(await indices!.read(), want.indices, 'indices');
    });
  });
});

describe('buffer pool', () => {
  it('size classes waste at most 12.5 % and never shrink', () => {
    for (const n of [1, 255, 256, 4097, 100_000, 12_345_678]) {
      expect(sizeClass(n)).toBeGreaterThanOrEqual(n);
      expect(sizeClass(n)).toBeLessThanOrEqual(Math.max(256, n * 1.125));
    }
  });

  it('reuses a released buffer of the same usage and size class', () => {
    const device = (pool().impl as unknown as { device: GPUDevice }).device;
    const buffers = new BufferPool(device);
    const usage = 0x80 | 0x08; // STORAGE | COPY_DST
    const a = buffers.acquire(1000, usage, 'a');
    buffers.release(a);
    expect(buffers.stats()).toMatchObject({ liveBuffers: 0, pooledBuffers: 1 });
    expect(buffers.acquire(900, usage, 'b')).toBe(a);
    expect(buffers.acquire(900, usage, 'c')).not.toBe(a);
    buffers.destroyAll();
    expect(buffers.stats()).toEqual({ liveBuffers: 0, liveBytes: 0, pooledBuffers: 0, pooledBytes: 0 });
  });

  it('repeated ops with destroyed tensors keep live GPU memory flat', async () => {
    const p = pool();
    const run = async () => {
      const x = p.tensor(new Float32Array(4 * 16 * 16).fill(1), [1, 4, 16, 16]);
      const { output, indices } = await p.maxPool2d(x, { kernelSize: 2, returnIndices: true });
      const g = await p.globalAvgPool(x);
      await g.read();
      for (const t of [x, output, indices!, g]) t.destroy();
    };
    await run();
    const before = p.stats();
    for (let i = 0; i < 50; i++) await run();
    const after = p.stats();
    expect(after.liveBuffers).toBe(before.liveBuffers);
    expect(after.liveBytes).toBe(before.liveBytes);
    expect(after.pooledBytes).toBe(before.pooledBytes);
    expect(after.pipelines).toBe(before.pipelines);
  });
});
