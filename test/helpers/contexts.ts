/**
 * Both contexts for the suites that run on the CPU backend and on WebGPU: the WebGPU one from
 * useGpuPool (one per test file, never skipped), the CPU one, createPooling({ backend: 'cpu' }),
 * made in beforeAll and destroyed in afterAll.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { createPooling, type Pooling } from '../../src/index.js';
import { useGpuPool } from './gpu.js';

export interface BothContexts {
  cpu: () => Pooling;
  webgpu: () => Pooling;
  /** [name, context] for describe.each: WebGPU first, then the CPU. */
  each: [string, () => Pooling][];
}

export function useBothContexts(): BothContexts {
  const webgpu = useGpuPool();
  let pool: Pooling | undefined;
  beforeAll(async () => {
    pool = await createPooling({ backend: 'cpu' });
    expect(pool.backend).toBe('cpu');
  });
  afterAll(() => pool?.destroy());
  const cpu = () => {
    if (!pool) throw new Error('the CPU pooling context was not created (see the beforeAll failure)');
    return pool;
  };
  return {
    cpu,
    webgpu,
    each: [
      ['webgpu', webgpu],
      ['cpu', cpu],
    ],
  };
}
