/**
 * Compiled pipelines hang off their device (WeakMap), so a lost or destroyed device takes them
 * along. The key is what changes the code: the WGSL, the entry point and the override constants.
 */
import type { KernelPlan } from '../kernels/kernel.js';

interface DeviceCaches {
  modules: Map<string, GPUShaderModule>;
  pipelines: Map<string, GPUComputePipeline>;
}

const caches = new WeakMap<GPUDevice, DeviceCaches>();

function cachesOf(device: GPUDevice): DeviceCaches {
  let c = caches.get(device);
  if (!c) {
    c = { modules: new Map(), pipelines: new Map() };
    caches.set(device, c);
  }
  return c;
}

export function pipelineKey(plan: KernelPlan): string {
  const constants = Object.keys(plan.constants)
    .sort()
    .map((k) => `${k}=${plan.constants[k]}`)
    .join(',');
  return `${plan.label}|${plan.entryPoint}|${constants}`;
}

export function getPipeline(device: GPUDevice, plan: KernelPlan): GPUComputePipeline {
  const c = cachesOf(device);
  const key = pipelineKey(plan);
  let pipeline = c.pipelines.get(key);
  if (!pipeline) {
    let module = c.modules.get(plan.code);
    if (!module) {
      module = device.createShaderModule({ label: plan.label, code: plan.code });
      c.modules.set(plan.code, module);
    }
    pipeline = device.createComputePipeline({
      label: key,
      layout: 'auto',
      compute: { module, entryPoint: plan.entryPoint, constants: ownRecord(plan.constants) },
    });
    c.pipelines.set(key, pipeline);
  }
  return pipeline;
}

export function pipelineCount(device: GPUDevice): number {
  return caches.get(device)?.pipelines.size ?? 0;
}

/** Drops a device's pipelines and modules: the context that owned the device destroyed it. */
export function forgetDevice(device: GPUDevice): void {
  caches.delete(device);
}

/**
 * A copy of `values` with no prototype: the GPU binding enumerates the constants it is given, and an
 * object inheriting from a polluted Object.prototype would hand it names the shader does not have.
 */
function ownRecord(values: Readonly<Record<string, number>>): Record<string, number> {
  return Object.assign(Object.create(null) as Record<string, number>, values);
}
