/**
 * Injected GPU faults: buffers destroyed behind the library's back, foreign buffers, oversized
 * allocations, out-of-memory and validation errors injected into the error scopes of ops, uploads
 * and reads, a throwing GPU call. Each becomes a PoolingError (with the GPU's error as `cause`
 * where there is one), no error escapes the scopes, no buffer leaks, and the context keeps giving
 * right answers.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PoolingError, createPooling, type Pooling, type Tensor } from '../src/index.js';
import { useGpuPool } from './helpers/gpu.js';

const pool = useGpuPool();
let device: GPUDevice;
let uncaptured: string[] = [];

/** Faults to inject into the next error scopes, by filter; each is used once. */
const injected: { filter: GPUErrorFilter; error: () => GPUError }[] = [];
let restore: (() => void)[] = [];

beforeAll(() => {
  device = (pool().impl as unknown as { device: GPUDevice }).device;
  device.addEventListener('uncapturederror', (e) => uncaptured.push((e as GPUUncapturedErrorEvent).error.message));
  // Track which filter each scope has, so that a fault goes to the scope of its kind.
  const filters: GPUErrorFilter[] = [];
  const push = device.pushErrorScope.bind(device);
  const pop = device.popErrorScope.bind(device);
  device.pushErrorScope = (filter: GPUErrorFilter) => {
    filters.push(filter);
    push(filter);
  };
  device.popErrorScope = () => {
    const filter = filters.pop();
    const real = pop();
    const i = injected.findIndex((f) => f.filter === filter);
    if (i < 0) return real;
    const fault = injected.splice(i, 1)[0]!;
    return real.then((e) => e ?? fault.error());
  };
});

afterEach(() => {
  injected.length = 0;
  for (const r of restore) r();
  restore = [];
  expect(uncaptured, 'GPU errors outside every error scope').toEqual([]);
  uncaptured = [];
});

const oom = () => new GPUOutOfMemoryError('injected out-of-memory');
const invalidGpu = () => new GPUValidationError('injected validation error');

/** Makes `method` of `target` run `before` first, until restored after the test. */
function intercept<T extends object>(target: T, method: keyof T & string, before: () => void): void {
  const original = (target as Record<string, unknown>)[method] as (...a: unknown[]) => unknown;
  (target as Record<string, unknown>)[method] = (...args: unknown[]) => {
    before();
    return original.apply(target, args);
  };
  restore.push(() => ((target as Record<string, unknown>)[method] = original));
}

async function rejection(promise: unknown): Promise<PoolingError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(PoolingError);
    return e as PoolingError;
  }
  throw new Error('expected a PoolingError, got a result');
}

const data = Float32Array.from({ length: 2 * 3 * 6 * 6 }, (_, i) => Math.cos(i));

/** A right answer from the context: max and global average of `data`, checked by hand. */
async function stillWorks(p: Pooling): Promise<void> {
  const x = p.tensor(data, [2, 3, 6, 6]);
  const { output } = await p.maxPool2d(x, { kernelSize: 6 });
  const g = await p.globalAvgPool(x);
  const got = await output.read();
  const mean = await g.read();
  for (let plane = 0; plane < 6; plane++) {
    const values = data.subarray(plane * 36, plane * 36 + 36);
    expect(got[plane]).toBe(Math.max(...values));
    expect(mean[plane]).toBeCloseTo(values.reduce((a, b) => a + b, 0) / 36, 5);
  }
  for (const t of [x, output, g]) t.destroy();
}

describe('GPU faults become PoolingErrors and the context keeps working', () => {
  it('an input buffer destroyed behind the library: the op rejects with the validation error as cause', async () => {
    const p = pool();
    const before = p.stats();
    const x = p.tensor(data, [2, 3, 6, 6]);
    x.buffer!.destroy();
    const e = await rejection(p.maxPool2d(x, { kernelSize: 2 }));
    expect(e.op).toBe('maxPool2d');
    expect(e.message).toMatch(/GPU validation error/);
    expect(e.cause).toBeInstanceOf(GPUValidationError);
    expect((await rejection(x.read())).cause).toBeInstanceOf(GPUValidationError);
    x.destroy();
    await stillWorks(p);
    // The destroyed buffer was not pooled again, and the failed op's outputs were freed.
    expect(p.stats().liveBuffers).toBe(before.liveBuffers);
  });

  it('a tensor whose buffer was destroyed and then released: at most the next op fails, then all is well', async () => {
    const p = pool();
    const x = p.tensor(data, [2, 3, 6, 6]);
    x.buffer!.destroy();
    x.destroy(); // back into the pool, unknowingly destroyed
    const outcomes = [];
    for (let i = 0; i < 3; i++) {
      const y = p.tensor(data, [2, 3, 6, 6]);
      outcomes.push(
        await p.avgPool2d(y, { kernelSize: 2 }).then(
          async (t) => {
            await t.read();
            t.destroy();
            return 'ok';
          },
          (e: unknown) => (e instanceof PoolingError ? 'PoolingError' : `other: ${String(e)}`),
        ),
      );
      await y.read().catch(() => undefined);
      y.destroy();
    }
    expect(outcomes.filter((o) => o !== 'ok').every((o) => o === 'PoolingError')).toBe(true);
    expect(outcomes.slice(1)).toEqual(['ok', 'ok']);
    await stillWorks(p);
  });

  it('an output buffer destroyed before read(): read rejects, later tensors are fine', async () => {
    const p = pool();
    const x = p.tensor(data, [2, 3, 6, 6]);
    const { output } = await p.maxPool2d(x, { kernelSize: 3 });
    output.buffer!.destroy();
    const e = await rejection(output.read());
    expect(e.op).toBe('read');
    expect(e.cause).toBeInstanceOf(GPUValidationError);
    output.destroy();
    x.destroy();
    await stillWorks(p);
  });

  it("fromGPUBuffer with another device's buffer: the op rejects, the context works", async () => {
    const p = pool();
    const other = await createPooling({ backend: 'webgpu' });
    const otherDevice = (other.impl as unknown as { device: GPUDevice }).device;
    const foreignBuffer = otherDevice.createBuffer({ size: data.byteLength, usage: 0x80 | 0x04 | 0x08 });
    const x = p.fromGPUBuffer(foreignBuffer, [2, 3, 6, 6]);
    const e = await rejection(p.globalMaxPool(x));
    expect(e.cause).toBeInstanceOf(GPUValidationError);
    // A wrapped buffer belongs to the application: the library never destroys or pools it.
    x.destroy();
    expect(foreignBuffer.size).toBe(data.byteLength);
    foreignBuffer.destroy();
    other.destroy();
    await stillWorks(p);
  });

  it('a wrapped buffer without COPY_SRC: read() says so, ops still run', async () => {
    const p = pool();
    const buffer = device.createBuffer({ size: data.byteLength, usage: 0x80 | 0x08 });
    device.queue.writeBuffer(buffer, 0, data);
    const x = p.fromGPUBuffer(buffer, [2, 3, 6, 6]);
    const e = await rejection(x.read());
    expect(e).toMatchObject({ op: 'read', option: 'buffer' });
    expect(e.message).toMatch(/COPY_SRC/);
    const { output } = await p.maxPool2d(x, { kernelSize: 6 });
    expect((await output.read())[0]).toBe(Math.max(...data.subarray(0, 36)));
    buffer.destroy();
  });

  it('out-of-memory in an op: PoolingError with the GPU error as cause, outputs freed', async () => {
    const p = pool();
    const x = p.tensor(data, [2, 3, 6, 6]);
    await x.read();
    const before = p.stats();
    injected.push({ filter: 'out-of-memory', error: oom });
    const e = await rejection(p.maxPool2d(x, { kernelSize: 2, returnIndices: true }));
    expect(e.op).toBe('maxPool2d');
    expect(e.message).toMatch(/GPU out-of-memory error: injected/);
    expect(e.cause).toBeInstanceOf(GPUOutOfMemoryError);
    expect(p.stats().liveBuffers).toBe(before.liveBuffers);
    x.destroy();
    await stillWorks(p);
  });

  it('out-of-memory in a backward op and in a two-pass global reduction', async () => {
    const p = pool();
    const x = p.tensor(new Float32Array(2 * 70 * 70).fill(1), [1, 2, 70, 70], { layout: 'NHWC' });
    const r = await p.globalMaxPool(x, { returnIndices: true });
    injected.push({ filter: 'out-of-memory', error: oom });
    expect((await rejection(p.globalAvgPool(x))).cause).toBeInstanceOf(GPUOutOfMemoryError);
    injected.push({ filter: 'validation', error: invalidGpu });
    expect((await rejection(p.globalMaxPoolBackward(r.output, r.indices!, { inputShape: [1, 2, 70, 70] }))).cause).toBeInstanceOf(GPUValidationError);
    const dx = await p.globalMaxPoolBackward(r.output, r.indices!, { inputShape: [1, 2, 70, 70] });
    expect(Array.from(await dx.read()).filter((v) => v !== 0)).toEqual([1, 1]);
    for (const t of [x, r.output, r.indices!, dx]) t.destroy();
  });

  it("a failed upload surfaces on the tensor's next use and read, naming it", async () => {
    const p = pool();
    injected.push({ filter: 'out-of-memory', error: oom });
    const x = p.tensor(data, [2, 3, 6, 6]); // synchronous: the failure is not known yet
    const e = await rejection(p.avgPool2d(x, { kernelSize: 2 }));
    expect(e).toMatchObject({ op: 'avgPool2d', option: 'x' });
    expect(e.message).toMatch(/upload failed.*out-of-memory/);
    expect(e.cause).toBeInstanceOf(GPUOutOfMemoryError);
    const r = await rejection(x.read());
    expect(r).toMatchObject({ op: 'read', option: 'tensor' });
    // Every later use fails the same way, until the tensor is destroyed.
    expect((await rejection(p.globalAvgPool(x))).option).toBe('x');
    x.destroy();
    await stillWorks(p);
  });

  it('a failed upload of dy in a backward op names dy', async () => {
    const p = pool();
    injected.push({ filter: 'validation', error: invalidGpu });
    const dy = p.tensor(new Float32Array(2 * 3 * 3 * 3), [2, 3, 3, 3]);
    const e = await rejection(p.avgPool2dBackward(dy, { kernelSize: 2, inputShape: [2, 3, 6, 6] }));
    expect(e).toMatchObject({ op: 'avgPool2dBackward', option: 'dy' });
    dy.destroy();
  });

  it('out-of-memory while reading back: read rejects, a second read works', async () => {
    const p = pool();
    const x = p.tensor(data, [2, 3, 6, 6]);
    await x.read();
    injected.push({ filter: 'out-of-memory', error: oom });
    expect((await rejection(x.read())).cause).toBeInstanceOf(GPUOutOfMemoryError);
    expect(Array.from(await x.read())).toEqual(Array.from(data));
    x.destroy();
  });

  it('a real validation error raised inside a submission is attributed to that op only', async () => {
    const p = pool();
    const x = p.tensor(data, [2, 3, 6, 6]);
    await x.read();
    let armed = true;
    intercept(device.queue, 'submit', () => {
      // MAP_READ with STORAGE is an invalid usage: a genuine GPUValidationError in the current scope.
      if (armed) device.createBuffer({ size: 16, usage: 0x01 | 0x80 });
      armed = false;
    });
    const [bad, good] = await Promise.allSettled([p.maxPool2d(x, { kernelSize: 2 }), p.avgPool2d(x, { kernelSize: 2 })]);
    expect(bad.status).toBe('rejected');
    expect((bad as PromiseRejectedResult).reason.cause).toBeInstanceOf(GPUValidationError);
    expect(good.status).toBe('fulfilled');
    const avg = await (good as PromiseFulfilledResult<Tensor>).value.read();
    expect(avg[0]).toBeCloseTo((data[0]! + data[1]! + data[6]! + data[7]!) / 4, 6);
    x.destroy();
  });

  it('a GPU call that throws: PoolingError with the exception as cause, nothing leaked', async () => {
    const p = pool();
    const x = p.tensor(data, [2, 3, 6, 6]);
    await x.read();
    const before = p.stats();
    let armed = true;
    intercept(device, 'createCommandEncoder', () => {
      if (armed) {
        armed = false;
        throw new TypeError('injected exception');
      }
    });
    const e = await rejection(p.maxPool2d(x, { kernelSize: 2 }));
    expect(e.message).toMatch(/GPU call failed: injected exception/);
    expect(e.cause).toBeInstanceOf(TypeError);
    expect(p.stats().liveBuffers).toBe(before.liveBuffers);
    x.destroy();
    await stillWorks(p);
  });
});

describe('sizes', () => {
  it('an op output larger than maxBufferSize is a PoolingError before any allocation', async () => {
    const p = pool();
    const dy = p.tensor(new Float32Array(1), [1, 1, 1, 1]);
    let created = 0;
    intercept(device, 'createBuffer', () => created++);
    const side = Math.ceil(Math.sqrt(device.limits.maxBufferSize / 4)) + 1;
    const e = await rejection(p.globalAvgPoolBackward(dy, { inputShape: [1, 1, side, side] }));
    expect(e).toMatchObject({ op: 'globalAvgPoolBackward', option: 'inputShape' });
    expect(e.message).toMatch(/maxBufferSize/);
    expect(created).toBe(0);
    dy.destroy();
  });

  it('element counts past 32-bit indexing are refused on every path', async () => {
    const p = pool();
    const x = p.tensor(data, [2, 3, 6, 6]);
    const r = await p.maxPool2d(x, { kernelSize: 2, returnIndices: true });
    const huge = [1, 1, 46341, 46341]; // 2^31 + 4,487 elements
    const cases: [string, string, () => unknown][] = [
      ['tensor', 'shape', () => p.tensor(new Float32Array(1), huge)],
      ['fromGPUBuffer', 'shape', () => p.fromGPUBuffer(x.buffer!, huge)],
      ['maxPool2dBackward', 'inputShape', () => p.maxPool2dBackward(r.output, r.indices!, { kernelSize: 2, inputShape: huge })],
      ['avgPool2dBackward', 'inputShape', () => p.avgPool2dBackward(r.output, { kernelSize: 2, inputShape: huge })],
      ['globalAvgPoolBackward', 'inputShape', () => p.globalAvgPoolBackward(r.output, { inputShape: huge })],
      ['globalMaxPoolBackward', 'inputShape', () => p.globalMaxPoolBackward(r.output, r.indices!, { inputShape: huge })],
      // An input within the limit whose padded output is not.
      ['maxPool2dBackward', 'padding', () => p.maxPool2dBackward(r.output, r.indices!, { kernelSize: 2, stride: 1, padding: 1, inputShape: [1, 1, 46340, 46340] })],
    ];
    for (const [op, option, call] of cases) {
      const e = await rejection(Promise.resolve().then(call));
      expect(e).toMatchObject({ op, option });
      expect(e.message).toMatch(/32-bit/);
    }
    for (const t of [x, r.output, r.indices!]) t.destroy();
  });
});

afterAll(() => {
  injected.length = 0;
});
