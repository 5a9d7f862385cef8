/**
 * destroy() while calls are in flight (issue 13, item 9): reads and ops pending when a context is
 * destroyed reject with a PoolingError saying the context was destroyed, on an application's device
 * (where the read-back used to fail with "GPU read-back failed: " and nothing after the colon), on
 * the library's own device (where they used to say the device was "lost"), with the CPU fallback
 * armed, and on the CPU backend; stats() is all zeros after destroy() on every backend.
 */
import { describe, expect, it } from 'vitest';
import { PoolingError, createPooling, type Pooling } from '../src/index.js';
import { webgpuBackendOf } from '../src/host/webgpu-backend.js';
import { namedTestAdapter, testAdapterKind, useGpuPool } from './helpers/gpu.js';

const owner = useGpuPool();
const shape = [2, 3, 16, 16];
const data = Float32Array.from({ length: 2 * 3 * 16 * 16 }, (_, i) => Math.sin(i * 0.7));
const ZERO = { liveBuffers: 0, liveBytes: 0, pooledBuffers: 0, pooledBytes: 0, pipelines: 0 };

/** Every promise rejects with a PoolingError of its op saying the context was destroyed, and nothing else. */
async function expectDestroyed(calls: [string, Promise<unknown>][]): Promise<void> {
  // Every outcome observed at once, so that no rejection goes unhandled while another is awaited.
  const outcomes = calls.map(([op, call]) => [op, call.then(() => null, (error: unknown) => error)] as const);
  for (const [op, outcome] of outcomes) {
    const e = await outcome;
    expect(e, `${op}: expected a rejection`).toBeInstanceOf(PoolingError);
    expect(e, op).toMatchObject({ op });
    const message = (e as Error).message;
    expect(message, op).toMatch(/context was destroyed/);
    expect(message, op).not.toMatch(/lost|read-back failed/);
  }
}

/** Reads of several tensors and ops of several kinds, issued and not awaited. */
function inFlight(p: Pooling): [string, Promise<unknown>][] {
  const x = p.tensor(data, shape);
  const y = p.tensor(data, shape, { layout: 'NHWC' });
  return [
    ['read', x.read()],
    ['read', y.read()],
    ['read', x.read()],
    ['maxPool2d', p.maxPool2d(x, { kernelSize: 2, returnIndices: true })],
    ['avgPool2d', p.avgPool2d(y, { kernelSize: 3, stride: 2, padding: 1 })],
    ['globalAvgPool', p.globalAvgPool(x)],
  ];
}

describe("destroy() with calls in flight, on an application's device", () => {
  it('pending reads and ops reject saying the context was destroyed; the device and its other context keep working', async () => {
    const device = webgpuBackendOf(owner())!.device;
    const guest = await createPooling({ device });
    // A first op made the pipelines: the calls below reach the GPU at once.
    await guest.maxPool2d(guest.tensor(data, shape), { kernelSize: 2, returnIndices: true });
    const calls = inFlight(guest);
    guest.destroy();
    await expectDestroyed(calls);
    expect(guest.stats()).toEqual(ZERO);
    // The application's device and the context that owns it are untouched.
    const x = owner().tensor(data, shape);
    const { output } = await owner().maxPool2d(x, { kernelSize: 16 });
    expect((await output.read())[0]).toBe(Math.max(...data.subarray(0, 256)));
    x.destroy();
    output.destroy();
  });

  it('an op still compiling its pipelines when destroy() comes rejects the same way', async () => {
    const device = webgpuBackendOf(owner())!.device;
    const guest = await createPooling({ device });
    const x = guest.tensor(data, shape);
    // A window no test has compiled yet: its pipeline is created asynchronously.
    const call = guest.maxPool2d(x, { kernelSize: [3, 5], stride: [1, 2], padding: [1, 2], dilation: [2, 1], returnIndices: true });
    guest.destroy();
    await expectDestroyed([['maxPool2d', call]]);
    expect(guest.stats()).toEqual(ZERO);
  });
});

describe("destroy() with calls in flight, on the library's own device", () => {
  it('says destroyed, not lost, for reads and ops; later calls too; pool.lost reports destroyed', async () => {
    const p = await createPooling({ backend: 'webgpu', nodeAdapter: testAdapterKind() });
    const x = p.tensor(data, shape);
    await p.maxPool2d(x, { kernelSize: 2, returnIndices: true });
    const calls = inFlight(p);
    p.destroy();
    await expectDestroyed(calls);
    expect((await p.lost).reason).toBe('destroyed');
    // Later calls, once the device's loss has settled, say the same.
    await expectDestroyed([
      ['tensor', Promise.resolve().then(() => p.tensor(data, shape))],
      ['globalMaxPool', Promise.resolve().then(() => p.globalMaxPool(x))],
      ['read', Promise.resolve().then(() => x.read())],
    ]);
    expect(p.stats()).toEqual(ZERO);
  });

  it('with fallbackToCpu armed: destroy() is not a device loss, nothing moves to the CPU', async () => {
    const p = await createPooling({ backend: 'auto', fallbackToCpu: true, nodeAdapter: await namedTestAdapter() });
    expect(p.backend).toBe('webgpu');
    await p.maxPool2d(p.tensor(data, shape), { kernelSize: 2, returnIndices: true });
    const calls = inFlight(p);
    p.destroy();
    await expectDestroyed(calls);
    expect(p.backend).toBe('webgpu');
    expect(p.stats()).toEqual(ZERO);
  });
});

describe('destroy() with calls in flight, on the CPU backend', () => {
  it('large ops and reads (run in slices) reject saying the context was destroyed; stats() is zero', async () => {
    const p = await createPooling({ backend: 'cpu' });
    const big = new Float32Array(4 * 16 * 128 * 128).map((_, i) => Math.cos(i));
    const x = p.tensor(big, [4, 16, 128, 128]);
    const calls: [string, Promise<unknown>][] = [
      ['maxPool2d', p.maxPool2d(x, { kernelSize: 3, stride: 1, padding: 1, returnIndices: true })],
      ['avgPool2d', p.avgPool2d(x, { kernelSize: 3, stride: 1, padding: 1 })],
      ['read', x.read()],
    ];
    p.destroy();
    await expectDestroyed(calls);
    expect(p.stats()).toEqual(ZERO);
  });
});
