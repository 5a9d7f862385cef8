/**
 * Runs kernel plans on TF.js's device, synchronously, as a TF.js kernel must: TF.js's recorded work
 * is flushed first, then one encoder of ours is submitted, so the queue orders everything (TF.js's
 * producers, our kernel, TF.js's consumers) as the program wrote it. Uniforms and temporaries come
 * from a buffer pool per device; releasing them right after the submit is safe because every later
 * use of a pooled buffer is a queue operation too (buffer-pool.ts).
 */
import { BufferPool } from '../host/buffer-pool.js';
import { encodeSteps, type Step } from '../host/dispatch.js';
import { BufferUsage } from '../host/gpu-flags.js';

const pools = new WeakMap<GPUDevice, BufferPool>();

export function devicePool(device: GPUDevice): BufferPool {
  let pool = pools.get(device);
  if (!pool) pools.set(device, (pool = new BufferPool(device)));
  return pool;
}

/** Frees the pooled buffers kept for this device (the plug-in is being unregistered). */
export function releaseDevicePool(device: GPUDevice): void {
  pools.get(device)?.destroyAll();
  pools.delete(device);
}

/** A temporary storage buffer (forward indices for MaxPoolGrad), released by submitSteps. */
export function temporary(device: GPUDevice, bytes: number, label: string): GPUBuffer {
  return devicePool(device).acquire(bytes, BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST, label);
}

export function submitSteps(device: GPUDevice, op: string, steps: readonly Step[], buffers: Record<string, GPUBuffer>, temporaries: readonly GPUBuffer[] = []): void {
  const pool = devicePool(device);
  const encoder = device.createCommandEncoder({ label: `tfjs.${op}` });
  try {
    const uniforms = encodeSteps(device, encoder, pool, steps, buffers, undefined, { op });
    device.queue.submit([encoder.finish()]);
    for (const u of uniforms) pool.release(u);
  } finally {
    for (const t of temporaries) pool.release(t);
  }
}

/** TF.js's identity result: the input's bytes copied into the output's buffer, in one submission of ours. */
export function submitCopy(device: GPUDevice, from: GPUBuffer, to: GPUBuffer, bytes: number): void {
  const encoder = device.createCommandEncoder({ label: 'tfjs.identity' });
  encoder.copyBufferToBuffer(from, 0, to, 0, bytes);
  device.queue.submit([encoder.finish()]);
}
