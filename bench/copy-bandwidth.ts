/**
 * BENCHMARKS.md's bandwidth ceiling: a plain vec4 copy (src/kernels/copy.ts) through the same host
 * dispatch and timestamps as the pooling ops. Environment-agnostic.
 */
import type { WebGpuBackend } from '../src/host/webgpu-backend.js';
import { copyPlan } from '../src/kernels/copy.js';
import type { CopyMeasurement } from './rows.js';
import { timeGpu, type RunPlan } from './timing.js';

export const FULL_COPY_BYTES = 256 * 1024 * 1024;

const STORAGE = 0x0080;

/** The copy size BENCHMARKS.md asks for, within what the device can bind. */
export function copyBytesFor(device: GPUDevice, wanted: number): number {
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const bytes = Math.min(wanted, limit);
  return bytes - (bytes % 16);
}

export async function measureCopy(backend: WebGpuBackend, bytes: number, plan: RunPlan, adapter: string): Promise<CopyMeasurement> {
  const { device } = backend;
  const src = device.createBuffer({ label: 'bench.copy.src', size: bytes, usage: STORAGE });
  const dst = device.createBuffer({ label: 'bench.copy.dst', size: bytes, usage: STORAGE });
  try {
    const steps = [{ kind: 'kernel' as const, plan: copyPlan(bytes) }];
    const t = await timeGpu(backend, plan, () => backend.submit('copy', steps, { src, dst }, []));
    // Every byte read once and written once.
    const GBps = (2 * bytes) / t.ms / 1e6;
    return {
      row: { case: 'copy', impl: 'ours', kernel_ms: t.ms, GBps, adapter },
      bytes,
      timing: t.source,
      runs: t.runs,
      reduced: bytes < FULL_COPY_BYTES,
    };
  } finally {
    src.destroy();
    dst.destroy();
  }
}
