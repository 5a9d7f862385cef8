/**
 * Runs one kernel plan directly (below the public API) on a device over an input x, and reads back
 * each output slot: how the kernel suites force a kernel the rules would not pick (W4 or scalar,
 * specialised or generic). `limits` forces a split; `passes` says how many dispatches ran.
 */
import { BufferPool } from '../../src/host/buffer-pool.js';
import { encodeSteps } from '../../src/host/dispatch.js';
import { BufferUsage, MapMode } from '../../src/host/gpu-flags.js';
import type { BindingLimits } from '../../src/host/split.js';
import type { KernelPlan } from '../../src/kernels/kernel.js';

export interface PlanRun {
  outputs: Record<string, ArrayBuffer>;
  /** Dispatches the plan ran as: more than one when it was split. */
  passes: number;
}

/** `inputs`: the x slot's data, or data per input slot (a backward plan's dy, x, y). */
export async function runPlan(device: GPUDevice, plan: KernelPlan, inputs: Float32Array | Record<string, Float32Array>, outputs: Record<string, number>, limits?: BindingLimits): Promise<PlanRun> {
  const buffers = new BufferPool(device);
  const inputBuffers = Object.entries(inputs instanceof Float32Array ? { x: inputs } : inputs).map(([slot, data]) => {
    const gpu = device.createBuffer({ label: `${plan.label}.${slot}`, size: data.byteLength, usage: BufferUsage.STORAGE | BufferUsage.COPY_DST });
    device.queue.writeBuffer(gpu, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
    return [slot, gpu] as const;
  });
  const slots = Object.entries(outputs).map(([slot, n]) => {
    const gpu = device.createBuffer({ label: `${plan.label}.${slot}`, size: n * 4, usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC });
    const read = device.createBuffer({ label: `${plan.label}.${slot}.read`, size: n * 4, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
    return { slot, gpu, read, bytes: n * 4 };
  });
  const encoder = device.createCommandEncoder();
  const bound = Object.fromEntries([...inputBuffers, ...slots.map((s) => [s.slot, s.gpu] as const)]);
  const uniforms = encodeSteps(device, encoder, buffers, [{ kind: 'kernel', plan }], bound, undefined, limits ? { limits } : {});
  for (const s of slots) encoder.copyBufferToBuffer(s.gpu, 0, s.read, 0, s.bytes);
  device.queue.submit([encoder.finish()]);
  const result: Record<string, ArrayBuffer> = {};
  for (const s of slots) {
    await s.read.mapAsync(MapMode.READ);
    result[s.slot] = s.read.getMappedRange().slice(0);
    s.read.unmap();
  }
  for (const b of [...inputBuffers.map(([, gpu]) => gpu), ...slots.flatMap((s) => [s.gpu, s.read])]) b.destroy();
  buffers.destroyAll();
  return { outputs: result, passes: uniforms.length };
}
