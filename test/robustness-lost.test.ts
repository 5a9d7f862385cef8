/**
 * Device loss: device.destroy() (the context's own device, and an application's device it shares)
 * and a lost event with another reason. Pending and later calls reject with a PoolingError saying
 * the device was lost, `pool.lost` resolves, createPooling() again works; with fallbackToCpu the
 * same calls finish on the CPU backend and match the reference.
 */
import { describe, expect, it } from 'vitest';
import { requireAdapter, requestPoolingDevice } from '../src/host/device.js';
import { PoolingError, createPooling, type Pooling, type Tensor } from '../src/index.js';
import { resolveAvgPool, resolveMaxPool } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { namedTestAdapter, testAdapterKind } from './helpers/gpu.js';
import { randomData, seededRandom } from './helpers/random.js';

const shape: [number, number, number, number] = [2, 3, 9, 8];
const xData = randomData(seededRandom(7), 2 * 3 * 9 * 8);
const window = { kernelSize: 3, stride: 2, padding: 1 } as const;
const maxP = resolveMaxPool('maxPool2d', shape, window);
const avgP = resolveAvgPool('avgPool2d', shape, window);
const want = {
  max: ref.maxPool2dForward(xData, 'NHWC', maxP),
  avg: ref.avgPool2dForward(xData, 'NHWC', avgP),
  globalAvg: ref.globalAvgPool(xData, 'NHWC', { N: 2, C: 3, H: 9, W: 8 }),
};
const deviceOf = (p: Pooling) => (p.impl as unknown as { device: GPUDevice }).device;

async function lostError(promise: unknown): Promise<PoolingError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(PoolingError);
    expect((e as Error).message).toMatch(/device was lost/);
    return e as PoolingError;
  }
  throw new Error('expected a device-lost PoolingError, got a result');
}

/** Every outcome of a call issued before the loss: a result, or a device-lost PoolingError. */
async function settledAfterLoss(calls: Promise<unknown>[]): Promise<{ ok: number; lost: number }> {
  let ok = 0;
  let lost = 0;
  for (const r of await Promise.allSettled(calls)) {
    if (r.status === 'fulfilled') ok++;
    else {
      expect(r.reason).toBeInstanceOf(PoolingError);
      expect((r.reason as Error).message).toMatch(/device was lost/);
      lost++;
    }
  }
  return { ok, lost };
}

describe('device loss without a fallback', () => {
  it("device.destroy() on the context's own device: pending and later calls say the device was lost", async () => {
    const p = await createPooling({ backend: 'webgpu', nodeAdapter: testAdapterKind() });
    const x = p.tensor(xData, shape, { layout: 'NHWC' });
    const { output } = await p.maxPool2d(x, window);
    expectBitExact(await output.read(), want.max.output, 'before the loss');
    // Calls in flight when the device goes.
    const pendingOps = [p.avgPool2d(x, window), p.globalAvgPool(x), p.maxPool2d(x, { ...window, returnIndices: true })];
    const pendingReads = [x.read(), output.read()];
    deviceOf(p).destroy();
    const info = await p.lost;
    expect(info.reason).toBe('destroyed');
    const ops = await settledAfterLoss(pendingOps);
    expect(ops.ok + ops.lost).toBe(3);
    for (const r of pendingReads) await lostError(r);
    // Later calls, of every kind.
    await lostError(p.maxPool2d(x, window));
    await lostError(p.globalMaxPoolBackward(output, output as Tensor, { inputShape: shape }));
    await lostError(x.read());
    await lostError(Promise.resolve().then(() => p.tensor(xData, shape)));
    expect(p.backend).toBe('webgpu');
    // Destroying what is left is quiet.
    x.destroy();
    output.destroy();
    p.destroy();
    expect(p.stats()).toEqual({ liveBuffers: 0, liveBytes: 0, pooledBuffers: 0, pooledBytes: 0, pipelines: 0 });
  });

  it('createPooling() again recovers with a working context', async () => {
    const p = await createPooling({ backend: 'webgpu', nodeAdapter: testAdapterKind() });
    deviceOf(p).destroy();
    await p.lost;
    const again = await createPooling({ backend: 'webgpu', nodeAdapter: testAdapterKind() });
    const x = again.tensor(xData, shape, { layout: 'NHWC' });
    expectClose(await (await again.avgPool2d(x, window)).read(), want.avg, 9, 'after recovery');
    again.destroy();
  });

  it("the application destroys its own device: a context sharing it reports the loss", async () => {
    const found = await requireAdapter(testAdapterKind());
    const device = await requestPoolingDevice(found.adapter);
    const p = await createPooling({ device });
    const x = p.tensor(xData, shape, { layout: 'NHWC' });
    const pending = p.globalAvgPool(x);
    device.destroy();
    expect((await p.lost).reason).toBe('destroyed');
    await settledAfterLoss([pending]);
    await lostError(p.avgPool2d(x, window));
    p.destroy();
  });

  it('a lost event with another reason (injected) is reported with its reason and message', async () => {
    const found = await requireAdapter(testAdapterKind());
    const real = await requestPoolingDevice(found.adapter);
    let loseIt!: (info: GPUDeviceLostInfo) => void;
    const lost = new Promise<GPUDeviceLostInfo>((r) => (loseIt = r));
    // The real device, except that its `lost` promise is ours to resolve.
    const device = new Proxy(real, {
      get: (target, key) => (key === 'lost' ? lost : typeof Reflect.get(target, key) === 'function' ? Reflect.get(target, key).bind(target) : Reflect.get(target, key)),
    });
    const p = await createPooling({ device });
    const x = p.tensor(xData, shape, { layout: 'NHWC' });
    expectClose(await (await p.globalAvgPool(x)).read(), want.globalAvg, 72, 'before the loss');
    loseIt({ reason: 'unknown', message: 'injected: the driver was reset' } as GPUDeviceLostInfo);
    expect(await p.lost).toEqual({ reason: 'unknown', message: 'injected: the driver was reset' });
    const e = await lostError(p.maxPool2d(x, window));
    expect(e.message).toMatch(/unknown: injected: the driver was reset/);
    await lostError(x.read());
    p.destroy();
    real.destroy();
  });
});

describe("device loss with fallbackToCpu: the calls finish on the CPU", () => {
  it('tensors made before the loss, ops in flight, later ops and reads all give the reference answers', async () => {
    const p = await createPooling({ fallbackToCpu: true, nodeAdapter: await namedTestAdapter() });
    expect(p.backend).toBe('webgpu');
    const x = p.tensor(xData, shape, { layout: 'NHWC' });
    const scratch = xData.slice();
    const y = p.tensor(scratch, shape, { layout: 'NHWC' });
    scratch.fill(0); // the host copy is the library's, not the caller's array
    const max = await p.maxPool2d(x, { ...window, returnIndices: true });
    const avg = await p.avgPool2d(y, window);
    // A chain never read before the loss, whose first input is destroyed before it.
    const t = p.tensor(xData, shape, { layout: 'NHWC' });
    const chained = await p.maxPool2dBackward(max.output, max.indices!, { ...window, inputShape: shape });
    const chainedAvg = await p.avgPool2d(t, window);
    t.destroy();
    expectBitExact(await max.output.read(), want.max.output, 'GPU result before the loss');
    const inFlight = [p.globalAvgPool(x), p.avgPool2dBackward(avg, { ...window, inputShape: shape, backward: 'gather' })];
    deviceOf(p).destroy();
    expect((await p.lost).reason).toBe('destroyed');
    const [globalAvg, avgDx] = (await Promise.all(inFlight)) as Tensor[];
    expect(p.backend).toBe('cpu');

    expectBitExact(await max.indices!.read(), want.max.indices, 'indices made on the GPU, read after the loss');
    expectClose(await avg.read(), want.avg, 9, 'average made on the GPU, read after the loss');
    expectClose(await chainedAvg.read(), want.avg, 9, 'average of a tensor destroyed before the loss');
    const wantDx = ref.maxPool2dBackward(want.max.output, want.max.indices, 'NHWC', maxP);
    expectClose(await chained.read(), wantDx, 4, 'a backward op never read before the loss');
    expectClose((await globalAvg!.read()) as Float32Array, want.globalAvg, 72, 'an op in flight at the loss');
    expectClose((await avgDx!.read()) as Float32Array, ref.avgPool2dBackward(want.avg, 'NHWC', avgP), 4, 'a backward op in flight at the loss');

    // New work after the loss: tensor(), every op, on old and new tensors.
    const z = p.tensor(xData, shape, { layout: 'NHWC' });
    expectBitExact(await (await p.maxPool2d(z, window)).output.read(), want.max.output, 'a new tensor after the loss');
    expectClose(await (await p.avgPool2d(x, window)).read(), want.avg, 9, 'an old tensor after the loss');
    const g = await p.globalMaxPool(x, { returnIndices: true });
    const gWant = ref.globalMaxPool(xData, 'NHWC', { N: 2, C: 3, H: 9, W: 8 });
    expectBitExact(await g.indices!.read(), gWant.indices, 'global max indices');
    // g.output is [N, C] (layout 'NC'), so dx is channel-first.
    const gdx = await p.globalMaxPoolBackward(g.output, g.indices!, { inputShape: shape });
    expectBitExact(await gdx.read(), ref.globalMaxPoolBackward(gWant.output, gWant.indices, 'NCHW', { N: 2, C: 3, H: 9, W: 8 }), 'global max backward');
    await expect(Promise.resolve().then(() => p.fromGPUBuffer({ size: 4096, usage: 0x80 } as GPUBuffer, shape))).rejects.toThrow(/lost/);
    p.destroy();
    await expect(p.avgPool2d(x, window)).rejects.toThrow(/destroyed/);
  });

  it('a tensor wrapping an application buffer cannot be recomputed and says why', async () => {
    const p = await createPooling({ fallbackToCpu: true, nodeAdapter: await namedTestAdapter() });
    const device = deviceOf(p);
    const buffer = device.createBuffer({ size: xData.byteLength, usage: 0x80 | 0x04 | 0x08 });
    device.queue.writeBuffer(buffer, 0, new Float32Array(xData));
    const wrapped = p.fromGPUBuffer(buffer, shape, { layout: 'NHWC' });
    const fromWrapped = await p.globalAvgPool(wrapped);
    device.destroy();
    await p.lost;
    await expect(fromWrapped.read()).rejects.toThrow(/wraps an application buffer/);
    await expect(p.avgPool2d(wrapped, window)).rejects.toThrow(PoolingError);
    p.destroy();
  });

  it("fallbackToCpu is refused with backend 'webgpu', which means fail rather than fall back", async () => {
    await expect(createPooling({ backend: 'webgpu', fallbackToCpu: true })).rejects.toThrow(/fallbackToCpu = true: needs backend 'auto'/);
  });
});
