/**
 * Reuse of uniform buffers and bind groups across calls (src/host/submission-cache.ts): repeated
 * calls stay exact against the reference with the same and with different parameters, a repeated
 * call makes no buffer, bind group or queue write, a uniform is never shared by parameters that
 * differ in any field, and a bind group never outlives a buffer the library destroyed (a disposed
 * tensor's memory handed to a new one, a pooled buffer destroyed, a failed call). Runs on the
 * default adapter and on Dawn's OpenGL ES backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferPool } from '../src/host/buffer-pool.js';
import { getPipeline } from '../src/host/pipeline-cache.js';
import { BIND_GROUP_CAPACITY, submissionCache, UNIFORM_CAPACITY } from '../src/host/submission-cache.js';
import { createPooling, PoolingError, type Pooling } from '../src/index.js';
import { maxPoolForwardPlan } from '../src/kernels/max-pool.js';
import type { KernelPlan } from '../src/kernels/kernel.js';
import { resolveAvgPool, resolveMaxPool } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { Layout } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { testAdapterKind, withCleanErrorScope } from './helpers/gpu.js';
import { randomData, seededRandom } from './helpers/random.js';

type Shape = [number, number, number, number];
const deviceOf = (p: Pooling) => (p.impl as unknown as { device: GPUDevice }).device;

/** Counts device.createBuffer, device.createBindGroup and queue.writeBuffer from now on; restore() undoes it. */
function countGpuCalls(device: GPUDevice): { counts: Record<'createBuffer' | 'createBindGroup' | 'writeBuffer', number>; restore(): void } {
  const counts = { createBuffer: 0, createBindGroup: 0, writeBuffer: 0 };
  const undo: (() => void)[] = [];
  for (const [target, method] of [
    [device, 'createBuffer'],
    [device, 'createBindGroup'],
    [device.queue, 'writeBuffer'],
  ] as const) {
    const t = target as unknown as Record<string, (...a: unknown[]) => unknown>;
    const original = t[method]!;
    t[method] = (...args: unknown[]) => {
      counts[method]++;
      return original.apply(target, args);
    };
    undo.push(() => (t[method] = original));
  }
  return { counts, restore: () => undo.forEach((u) => u()) };
}

const WINDOWS = [
  { kernelSize: 2 },
  { kernelSize: 3, stride: 1, padding: 1 },
  { kernelSize: 3, stride: 2, padding: 1 },
  { kernelSize: [2, 3] as [number, number], stride: [1, 2] as [number, number], ceilMode: true },
];

function suite(adapter: 'default' | 'opengles'): void {
  let p: Pooling;
  beforeAll(async () => {
    p = await createPooling({ backend: 'webgpu', nodeAdapter: adapter === 'opengles' ? 'opengles' : testAdapterKind() });
    if (adapter === 'opengles') expect(JSON.stringify(p.adapterInfo)).toMatch(/OpenGL|llvmpipe/i);
  });
  afterAll(() => p?.destroy());

  const shape: Shape = [2, 4, 9, 8];
  const data = randomData(seededRandom(5), 2 * 4 * 9 * 8);

  describe.each(['NCHW', 'NHWC'] as Layout[])(`repeated calls on ${adapter}, 2x4x9x8 %s`, (layout) => {
    it('the same op with the same and with different windows stays exact against the reference', async () => {
      await withCleanErrorScope(p, async () => {
        const x = p.tensor(data, shape, { layout });
        // Windows interleaved, each several times: same-parameter calls hit the caches between others.
        for (let round = 0; round < 3; round++) {
          for (const w of WINDOWS) {
            const mp = resolveMaxPool('maxPool2d', shape, w);
            const want = ref.maxPool2dForward(data, layout, mp);
            const { output, indices } = await p.maxPool2d(x, { ...w, returnIndices: true });
            expectBitExact(await output.read(), want.output, `max ${JSON.stringify(w)} round ${round}`);
            expectBitExact(await indices!.read(), want.indices, `max indices ${JSON.stringify(w)} round ${round}`);
            const ap = resolveAvgPool('avgPool2d', shape, w);
            const avg = await p.avgPool2d(x, w);
            expectClose(await avg.read(), ref.avgPool2dForward(data, layout, ap), ap.kH * ap.kW, `avg ${JSON.stringify(w)} round ${round}`);
            const dx = await p.maxPool2dBackward(avg, indices!, { ...w, inputShape: shape });
            expectClose(await dx.read(), ref.maxPool2dBackward(await avg.read(), want.indices, layout, mp), mp.kH * mp.kW, `max backward ${JSON.stringify(w)}`);
            for (const t of [output, indices!, avg, dx]) t.destroy();
          }
        }
        x.destroy();
      });
    });

    it('a two-pass global reduction (1x2x70x70) repeated stays exact', async () => {
      const s = { N: 1, C: 2, H: 70, W: 70 };
      const big = randomData(seededRandom(9), 2 * 70 * 70);
      const x = p.tensor(big, [1, 2, 70, 70], { layout });
      const want = ref.globalMaxPool(big, layout, s);
      for (let i = 0; i < 4; i++) {
        const r = await p.globalMaxPool(x, { returnIndices: true });
        expectBitExact(await r.output.read(), want.output, `global max call ${i}`);
        expectBitExact(await r.indices!.read(), want.indices, `global max indices call ${i}`);
        const g = await p.globalAvgPool(x);
        expectClose(await g.read(), ref.globalAvgPool(big, layout, s), 4900, `global avg call ${i}`);
        for (const t of [r.output, r.indices!, g]) t.destroy();
      }
      x.destroy();
    });
  });

  describe(`reuse on ${adapter}`, () => {
    it('a repeated call makes no buffer, no bind group and no queue write, and its result is exact', async () => {
      const x = p.tensor(data, shape);
      const run = async () => {
        const { output } = await p.maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 });
        const g = await p.globalAvgPool(x);
        const values = await output.read();
        const means = await g.read();
        output.destroy();
        g.destroy();
        return { values, means };
      };
      const first = await run(); // makes the pipelines, uniforms, bind groups; the pool fills
      const spy = countGpuCalls(deviceOf(p));
      try {
        for (let i = 0; i < 5; i++) {
          const again = await run();
          expectBitExact(again.values, first.values, `max call ${i}`);
          expectBitExact(again.means, first.means, `mean call ${i}`);
        }
      } finally {
        spy.restore();
      }
      // Read-backs copy through pooled staging buffers, so nothing at all is made.
      expect(spy.counts).toEqual({ createBuffer: 0, createBindGroup: 0, writeBuffer: 0 });
      x.destroy();
    });

    it("a disposed tensor's memory handed to a new tensor is read afresh through the reused bind group", async () => {
      const mp = resolveMaxPool('maxPool2d', shape, { kernelSize: 2 });
      const a = p.tensor(data, shape);
      const buffer = a.buffer;
      (await p.maxPool2d(a, { kernelSize: 2 })).output.destroy();
      a.destroy();
      const other = randomData(seededRandom(77), data.length);
      const b = p.tensor(other, shape);
      expect(b.buffer, 'the pool hands the same buffer back').toBe(buffer);
      const spy = countGpuCalls(deviceOf(p));
      const { output } = await p.maxPool2d(b, { kernelSize: 2 });
      spy.restore();
      expect(spy.counts.createBindGroup).toBe(0);
      expectBitExact(await output.read(), ref.maxPool2dForward(other, 'NCHW', mp).output, 'new contents in reused memory');
      output.destroy();
      b.destroy();
    });

    it("an application's buffer destroyed and replaced: the new one is bound, the result exact", async () => {
      const device = deviceOf(p);
      const mp = resolveMaxPool('maxPool2d', shape, { kernelSize: 3, stride: 1 });
      for (const [i, values] of [data, randomData(seededRandom(31), data.length), randomData(seededRandom(32), data.length)].entries()) {
        const buffer = device.createBuffer({ size: values.byteLength, usage: 0x80 | 0x04 | 0x08 });
        device.queue.writeBuffer(buffer, 0, values.buffer as ArrayBuffer, values.byteOffset, values.byteLength);
        const x = p.fromGPUBuffer(buffer, shape);
        const { output } = await p.maxPool2d(x, { kernelSize: 3, stride: 1 });
        expectBitExact(await output.read(), ref.maxPool2dForward(values, 'NCHW', mp).output, `application buffer ${i}`);
        output.destroy();
        x.destroy();
        buffer.destroy();
      }
    });

    it('after a failed call (input destroyed behind the library) the same call on a good input is exact', async () => {
      const bad = p.tensor(data, shape);
      bad.buffer!.destroy();
      await expect(p.avgPool2d(bad, { kernelSize: 2 })).rejects.toBeInstanceOf(PoolingError);
      bad.destroy(); // distrusted: destroyed, not pooled
      const good = p.tensor(data, shape);
      expect(good.buffer).not.toBe(bad.buffer);
      const y = await p.avgPool2d(good, { kernelSize: 2 });
      expectClose(await y.read(), ref.avgPool2dForward(data, 'NCHW', resolveAvgPool('avgPool2d', shape, { kernelSize: 2 })), 4, 'after the failure');
      y.destroy();
      good.destroy();
    });
  });

  describe(`the submission cache on ${adapter}`, () => {
    const plan = (): KernelPlan => maxPoolForwardPlan(resolveMaxPool('maxPool2d', shape, { kernelSize: 2 }), 'NCHW', false);

    it('parameters differing in any one field never share a uniform; equal ones do', () => {
      const cache = submissionCache(deviceOf(p));
      const { struct, values } = plan().uniform;
      const base = cache.uniform(struct, values, 'test');
      expect(cache.uniform(struct, { ...values }, 'test')).toBe(base);
      const seen = new Set([base]);
      for (const [field, type] of struct.fields) {
        const v = values[field]!;
        const changed = cache.uniform(struct, { ...values, [field]: type === 'f32' ? v + 0.5 : v + 1 }, 'test');
        expect(changed, `field ${field}`).not.toBe(base);
        seen.add(changed);
      }
      expect(seen.size).toBe(struct.fields.length + 1);
    });

    it('a bind group is reused for the same buffers and dropped when the pool destroys one of them', () => {
      const device = deviceOf(p);
      const cache = submissionCache(device);
      const pipeline = getPipeline(device, plan());
      const pool = new BufferPool(device);
      const x = pool.acquire(data.byteLength, 0x80 | 0x08, 'x');
      const y = pool.acquire(512, 0x80 | 0x08, 'y');
      const uniform = cache.uniform(plan().uniform.struct, plan().uniform.values, 'test');
      const bound = [
        { binding: 1, buffer: x },
        { binding: 2, buffer: y },
      ];
      const first = cache.bindGroup(pipeline, 'test', uniform, bound);
      expect(cache.bindGroup(pipeline, 'test', uniform, bound)).toBe(first);
      // Released to the pool: still the same buffer, still the same bind group.
      pool.release(y);
      expect(cache.bindGroup(pipeline, 'test', uniform, bound)).toBe(first);
      // Destroyed by the pool: never bound through the old bind group again.
      pool.destroyAll();
      expect(cache.bindGroup(pipeline, 'test', uniform, bound)).not.toBe(first);
      cache.forgetBuffer(x);
    });

    it('stays bounded: old uniforms are destroyed, old bind groups dropped', () => {
      const device = deviceOf(p);
      const cache = submissionCache(device);
      const { struct, values } = plan().uniform;
      const field = struct.fields[0]![0];
      const destroyed = new Set<GPUBuffer>();
      const made: GPUBuffer[] = [];
      for (let i = 0; i < UNIFORM_CAPACITY + 10; i++) {
        const u = cache.uniform(struct, { ...values, [field]: 1000 + i }, 'bounded');
        const destroy = u.destroy.bind(u);
        u.destroy = () => (destroyed.add(u), destroy());
        made.push(u);
      }
      cache.settle();
      expect(cache.stats().uniforms).toBeLessThanOrEqual(UNIFORM_CAPACITY);
      for (const u of made.slice(0, 10)) expect(destroyed.has(u)).toBe(true);
      expect(destroyed.has(made[made.length - 1]!)).toBe(false);

      const pipeline = getPipeline(device, plan());
      const uniform = cache.uniform(struct, values, 'bounded');
      const buffers = Array.from({ length: 24 }, () => device.createBuffer({ size: 256, usage: 0x80 }));
      for (const a of buffers) for (const b of buffers) cache.bindGroup(pipeline, 'bounded', uniform, [{ binding: 1, buffer: a }, { binding: 2, buffer: b }]);
      expect(cache.stats().bindGroups).toBeLessThanOrEqual(BIND_GROUP_CAPACITY);
      for (const b of buffers) {
        cache.forgetBuffer(b);
        b.destroy();
      }
    });
  });
}

describe('default adapter', () => suite('default'));
describe('OpenGL ES adapter (compatibility)', () => suite('opengles'));
