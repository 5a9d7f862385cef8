/** createPooling(): picks the backend, acquires the device, and builds the context. */
import { CpuBackend } from './cpu-backend.js';
import { PoolingError, invalid } from './errors.js';
import { findAdapter, requestPoolingDevice, summarizeAdapterInfo } from './host/device.js';
import { HOW_TO_GET_AN_ADAPTER, type NodeAdapterKind } from './host/node-gpu.js';
import { WebGpuBackend } from './host/webgpu-backend.js';
import { Pooling } from './pooling.js';

export interface CreatePoolingOptions {
  /** 'auto' (default): WebGPU when an adapter exists, else the CPU reference. */
  backend?: 'auto' | 'webgpu' | 'cpu';
  /** The application's own device; the context then never destroys it. */
  device?: GPUDevice;
  /** Node.js only: which of Dawn's adapters to look for (default 'auto': GPU, SwiftShader, OpenGL ES). */
  nodeAdapter?: NodeAdapterKind;
}

const NODE_ADAPTERS = ['auto', 'vulkan', 'swiftshader', 'opengles'];

export async function createPooling(options: CreatePoolingOptions = {}): Promise<Pooling> {
  const op = 'createPooling';
  if (typeof options !== 'object' || options === null) invalid(op, 'options', options, 'must be an options object');
  const backend = options.backend ?? 'auto';
  if (!['auto', 'webgpu', 'cpu'].includes(backend)) invalid(op, 'backend', backend, "must be 'auto', 'webgpu' or 'cpu'");
  const nodeAdapter = options.nodeAdapter ?? 'auto';
  if (!NODE_ADAPTERS.includes(nodeAdapter)) invalid(op, 'nodeAdapter', nodeAdapter, `must be one of ${NODE_ADAPTERS.join(', ')}`);
  if (options.device !== undefined) {
    if (backend === 'cpu') invalid(op, 'device', '[GPUDevice]', "a device cannot be used with backend 'cpu'");
    const device = options.device;
    if (typeof device !== 'object' || device === null || typeof device.createBuffer !== 'function') invalid(op, 'device', device, 'must be a GPUDevice');
    return new Pooling(new WebGpuBackend(device, summarizeAdapterInfo(device.adapterInfo), false));
  }
  if (backend === 'cpu') return new Pooling(new CpuBackend());

  const found = await findAdapter(nodeAdapter);
  if (!found) {
    if (backend === 'webgpu') throw new PoolingError(op, 'backend', `backend 'webgpu' was requested but ${HOW_TO_GET_AN_ADAPTER}`);
    return new Pooling(new CpuBackend());
  }
  let device: GPUDevice;
  try {
    device = await requestPoolingDevice(found.adapter);
  } catch (e) {
    if (backend === 'auto') return new Pooling(new CpuBackend());
    throw new PoolingError(op, 'backend', `the adapter refused a device: ${(e as Error).message}`, { cause: e });
  }
  return new Pooling(new WebGpuBackend(device, summarizeAdapterInfo(found.adapter.info), true));
}
