/**
 * Where the demo computes: the browser's WebGPU device, created here and shared with the library
 * through createPooling({ device }) (so the page can wait on its queue), or the CPU backend when
 * there is no WebGPU, with the reason. A CPU context always exists too: it computes the reference.
 */
import { createPooling, type Pooling } from '../src/index.js';

export interface Engine {
  pool: Pooling;
  /** The CPU reference the stages are checked against. */
  reference: Pooling;
  /** Waits until the device has finished the work submitted so far. */
  settle(): Promise<void>;
  /** Why WebGPU is not used, when it is not. */
  whyNoGpu?: string;
  destroy(): void;
}

async function webGpuDevice(): Promise<GPUDevice | string> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return window.isSecureContext ? 'This browser has no navigator.gpu.' : 'navigator.gpu needs a secure context (https or localhost).';
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return 'navigator.gpu.requestAdapter() returned null.';
    return await adapter.requestDevice({ label: 'pooling-demo' });
  } catch (e) {
    return `WebGPU failed to start: ${(e as Error).message}`;
  }
}

export async function startEngine(): Promise<Engine> {
  const reference = await createPooling({ backend: 'cpu' });
  const device = await webGpuDevice();
  if (typeof device === 'string') {
    // The library's own choice: 'auto' falls back to the CPU backend and its reason names the cause.
    const pool = await createPooling();
    const whyNoGpu = pool.backend === 'cpu' ? pool.reason : device;
    return { pool, reference, settle: async () => {}, whyNoGpu, destroy: () => (pool.destroy(), reference.destroy()) };
  }
  const pool = await createPooling({ device });
  return {
    pool,
    reference,
    settle: () => device.queue.onSubmittedWorkDone(),
    destroy: () => {
      pool.destroy();
      reference.destroy();
      device.destroy();
    },
  };
}
