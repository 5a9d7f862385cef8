/**
 * One WebGPU context per test file. A GPU test never skips: without an adapter it fails and says
 * how to get one. Each test runs inside an error scope that must stay clean.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { findNodeAdapter, type NodeAdapterKind } from '../../src/host/node-gpu.js';
import { webgpuBackendOf } from '../../src/host/webgpu-backend.js';
import { createPooling, type Pooling } from '../../src/index.js';

/** Which of Dawn's adapters the GPU suites run on: POOLING_TEST_ADAPTER, or the library's own choice. */
export function testAdapterKind(): NodeAdapterKind {
  return (process.env.POOLING_TEST_ADAPTER as NodeAdapterKind | undefined) ?? 'auto';
}

/**
 * The adapter the suites run on, by name: naming it makes backend 'auto' use it even when it is a
 * software rasteriser (which 'auto' with nodeAdapter 'auto' passes over for the CPU backend).
 */
export async function namedTestAdapter(): Promise<Exclude<NodeAdapterKind, 'auto'>> {
  const found = await findNodeAdapter(testAdapterKind());
  if (!found) throw new Error(`no WebGPU adapter of kind '${testAdapterKind()}' for the tests`);
  return found.kind;
}

export function useGpuPool(): () => Pooling {
  let pool: Pooling | undefined;
  beforeAll(async () => {
    try {
      pool = await createPooling({ backend: 'webgpu', nodeAdapter: testAdapterKind() });
    } catch (e) {
      throw new Error(`GPU tests need a WebGPU adapter and none was found. ${(e as Error).message}`, { cause: e });
    }
    // A suite meant for the OpenGL ES adapter must not quietly run on another one.
    if (testAdapterKind() === 'opengles') expect(JSON.stringify(pool.adapterInfo)).toMatch(/OpenGL|llvmpipe/i);
  });
  afterAll(() => pool?.destroy());
  return () => {
    if (!pool) throw new Error('the GPU pooling context was not created (see the beforeAll failure)');
    return pool;
  };
}

/** Runs `body` and asserts the device reported no validation or out-of-memory error meanwhile. */
export async function withCleanErrorScope<T>(pool: Pooling, body: () => Promise<T>): Promise<T> {
  const device = webgpuBackendOf(pool)!.device;
  device.pushErrorScope('validation');
  device.pushErrorScope('out-of-memory');
  const result = await body();
  const oom = await device.popErrorScope();
  const validation = await device.popErrorScope();
  expect(oom?.message, 'out-of-memory error').toBeUndefined();
  expect(validation?.message, 'validation error').toBeUndefined();
  return result;
}

/**
 * Counts the queue operations (submit, writeBuffer) issued on the pool's device from now on, so a
 * test can show that a refused call reached nothing on the GPU.
 */
export function countQueueCalls(pool: Pooling): () => number {
  let calls = 0;
  const device = webgpuBackendOf(pool)!.device;
  for (const method of ['submit', 'writeBuffer'] as const) {
    const original = device.queue[method].bind(device.queue) as (...args: unknown[]) => unknown;
    (device.queue as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      calls++;
      return original(...args);
    };
  }
  return () => calls;
}
