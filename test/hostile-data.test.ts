/**
 * tensor() data that lies or is shared (issue: hostile inputs): the element count comes from the
 * array itself, never from overridable getters; shared memory is accepted and copied; a proxy is a
 * PoolingError, not a raw TypeError. Both backends.
 */
import { describe, expect, it } from 'vitest';
import { createPooling, PoolingError } from '../src/index.js';
import { useBothContexts } from './helpers/contexts.js';

const contexts = useBothContexts().each;

describe.each(contexts)('tensor() data on %s', (_name, get) => {
  it('a Float32Array subclass whose length lies is refused by its real length, and never exposes old data', async () => {
    const p = get();
    // Leave old data in the pool for a lying upload to expose.
    const old = p.tensor(new Float32Array([7777, 7777, 7777, 7777]), [1, 1, 2, 2]);
    await old.read();
    old.destroy();
    class Lying extends Float32Array {
      override get length(): number {
        return 4;
      }
    }
    const e = (() => {
      try {
        p.tensor(new Lying([1, 2]), [1, 1, 2, 2]);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(PoolingError);
    expect((e as PoolingError).message).toMatch(/length 2 must equal the shape's element count 4/);
    const ok = p.tensor(new Lying([1, 2, 3, 4]), [1, 1, 2, 2]);
    expect(Array.from(await ok.read())).toEqual([1, 2, 3, 4]);
    ok.destroy();
  });

  it('an array entry that reads differently the second time is read once', async () => {
    const p = get();
    let reads = 0;
    const data = [1, 2, 3, 0];
    Object.defineProperty(data, 3, { get: () => (reads++ === 0 ? 4 : 'four'), enumerable: true });
    const t = p.tensor(data, [1, 1, 2, 2]);
    expect(Array.from(await t.read())).toEqual([1, 2, 3, 4]);
    expect(reads).toBe(1);
    t.destroy();
  });

  it('SharedArrayBuffer data and views of it are accepted and copied', async () => {
    const p = get();
    const shared = new Float32Array(new SharedArrayBuffer(4 * 6));
    shared.set([9, 1, 2, 3, 4, 9]);
    const view = new Float32Array(shared.buffer, 4, 4);
    const t = p.tensor(view, [1, 1, 2, 2]);
    shared[1] = 100;
    expect(Array.from(await t.read())).toEqual([1, 2, 3, 4]);
    const { output } = await p.maxPool2d(t, { kernelSize: 2 });
    expect(Array.from(await output.read())).toEqual([4]);
    const ints = new Int32Array(new SharedArrayBuffer(16));
    ints.set([0, 1, 2, 3]);
    const idx = p.tensor(ints, [1, 1, 2, 2], { dtype: 'int32' });
    expect(Array.from(await idx.read())).toEqual([0, 1, 2, 3]);
    for (const x of [t, output, idx]) x.destroy();
  });

  it('resizable and growable buffers and shared WebAssembly memory are accepted and copied', async () => {
    const p = get();
    // The options arguments are ES2024; the TypeScript lib here is ES2022.
    const resizable = new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(16, { maxByteLength: 64 });
    const growable = new (SharedArrayBuffer as unknown as new (n: number, o: object) => SharedArrayBuffer)(16, { maxByteLength: 64 });
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true });
    for (const buffer of [resizable, growable, memory.buffer]) {
      const view = new Float32Array(buffer, 0, 4);
      view.set([4, 3, 2, 1]);
      const t = p.tensor(view, [1, 1, 2, 2]);
      view[0] = -1;
      expect(Array.from(await t.read())).toEqual([4, 3, 2, 1]);
      t.destroy();
    }
  });

  it('a proxy of a typed array is a PoolingError naming data', async () => {
    const p = get();
    const proxy = new Proxy(new Float32Array(4), {});
    expect(() => p.tensor(proxy, [1, 1, 2, 2])).toThrow(PoolingError);
    expect(() => p.tensor(proxy, [1, 1, 2, 2])).toThrow(/tensor: invalid data/);
  });

  it('a shape entry that changes between reads is read once', async () => {
    const p = get();
    let reads = 0;
    const shape = [1, 1, 2, 0];
    Object.defineProperty(shape, 3, { get: () => (reads++ === 0 ? 2 : '2'), enumerable: true });
    const t = p.tensor(new Float32Array(4), shape);
    expect(t.shape).toEqual([1, 1, 2, 2]);
    expect(typeof t.shape[3]).toBe('number');
    t.destroy();
  });
});

describe('destroy', () => {
  it('stats() on the CPU backend are all zero after destroy(), with tensors still alive', async () => {
    const p = await createPooling({ backend: 'cpu' });
    p.tensor(new Float32Array(16), [1, 1, 4, 4]);
    await p.maxPool2d(p.tensor(new Float32Array(16), [1, 1, 4, 4]), { kernelSize: 2 });
    expect(p.stats().liveBuffers).toBe(3);
    p.destroy();
    expect(p.stats()).toEqual({ liveBuffers: 0, liveBytes: 0, pooledBuffers: 0, pooledBytes: 0, pipelines: 0 });
  });
});
