/** createPooling(): picks the backend, acquires the device, and builds the context. */
import { loadCpuRuntime } from './cpu-runtime-loader.js';
import { PoolingError, invalid } from './errors.js';
import { findAdapter, requestPoolingDevice, summarizeAdapterInfo } from './host/device.js';
import { isSoftwareAdapter, type NodeAdapterKind } from './host/node-gpu.js';
import { WebGpuBackend } from './host/webgpu-backend.js';
import { checkKnownKeys, checkOptionsObject } from './params.js';
import { Pooling } from './pooling.js';
import { adapterIdentity } from './tuning/key.js';
import { resolveTuning, type TuningOptions } from './tuning/options.js';
import { Tuner } from './tuning/tuner.js';
import type { AdapterInfoSummary } from './types.js';

export interface CreatePoolingOptions {
  /**
   * 'auto' (default): WebGPU on a hardware adapter; the CPU backend when there is no adapter, or when
   * the only one is a software rasteriser (SwiftShader, llvmpipe, WARP: the CPU backend is about 10×
   * faster than WebGPU emulated on the same CPU). 'webgpu' takes any adapter, software included, and
   * fails without one. `pool.reason` says which rule chose.
   */
  backend?: 'auto' | 'webgpu' | 'cpu';
  /** The application's own device; the context then never destroys it. */
  device?: GPUDevice;
  /**
   * Node.js only: which of Dawn's adapters to look for (default 'auto': GPU, SwiftShader, OpenGL ES).
   * Naming one ('swiftshader', ...) is a request for it: 'auto' then uses it even when it is software.
   */
  nodeAdapter?: NodeAdapterKind;
  /**
   * With backend 'auto': when the GPU device is lost, finish pending and later calls on the CPU
   * backend instead of failing. Costs a host copy of every uploaded tensor (README, Robustness).
   */
  fallbackToCpu?: boolean;
  /**
   * Split dispatches so that no storage binding exceeds this many bytes, when below the device's own
   * limit (e.g. to test the split path, or to keep each dispatch short). Default: the device's limit.
   */
  maxStorageBufferBindingSize?: number;
  /**
   * How WebGPU kernels are chosen (docs/tuning.md): 'rules' (default), the selection rules measured
   * on software adapters; 'measure', time the alternatives on this adapter at the first call of each
   * tuning key and keep the fastest; or an object with a store to persist the choices, a table to
   * start from, and a time budget per key.
   */
  tuning?: 'rules' | 'measure' | TuningOptions;
  /**
   * Threads the CPU backend's kernels may use, the calling one included (docs/cpu-backend.md,
   * "Threads"): 'auto' (default), the machine's logical processors, at most 4; 1, the calling thread
   * only. Workers start once per process or page and serve every context. They need
   * SharedArrayBuffer (Node; in a browser, a `crossOriginIsolated` page) and workers; without them
   * every call runs on the calling thread, with the same results. `pool.threads` says how many a
   * context got. For the CPU backend only: an error with backend 'webgpu' or a device.
   */
  threads?: 'auto' | number;
}

const NODE_ADAPTERS = ['auto', 'vulkan', 'swiftshader', 'opengles'];
const OPTION_KEYS = ['backend', 'device', 'nodeAdapter', 'fallbackToCpu', 'maxStorageBufferBindingSize', 'tuning', 'threads'];
/** The most threads a context may ask for. */
const MAX_THREADS = 64;
/** A binding must hold at least one aligned block (minStorageBufferOffsetAlignment is at most 256). */
const MIN_BINDING_SIZE = 256;

export async function createPooling(options: CreatePoolingOptions = {}): Promise<Pooling> {
  const op = 'createPooling';
  const o = checkOptionsObject(op, options, false) as CreatePoolingOptions;
  checkKnownKeys(op, o, OPTION_KEYS);
  const backend = o.backend === undefined ? 'auto' : o.backend;
  if (!['auto', 'webgpu', 'cpu'].includes(backend)) invalid(op, 'backend', backend, "must be 'auto', 'webgpu' or 'cpu'");
  const nodeAdapter = o.nodeAdapter === undefined ? 'auto' : o.nodeAdapter;
  if (!NODE_ADAPTERS.includes(nodeAdapter)) invalid(op, 'nodeAdapter', nodeAdapter, `must be one of ${NODE_ADAPTERS.join(', ')}`);
  if (o.fallbackToCpu !== undefined && typeof o.fallbackToCpu !== 'boolean') invalid(op, 'fallbackToCpu', o.fallbackToCpu, 'must be a boolean');
  if (o.fallbackToCpu && backend !== 'auto') invalid(op, 'fallbackToCpu', o.fallbackToCpu, "needs backend 'auto': 'webgpu' means fail rather than run on the CPU");
  const binding = o.maxStorageBufferBindingSize;
  if (binding !== undefined) {
    if (typeof binding !== 'number' || !Number.isSafeInteger(binding) || binding < MIN_BINDING_SIZE || binding % 4 !== 0) {
      invalid(op, 'maxStorageBufferBindingSize', binding, `must be a multiple of 4, at least ${MIN_BINDING_SIZE} (bytes)`);
    }
    if (backend === 'cpu') invalid(op, 'maxStorageBufferBindingSize', binding, "applies to WebGPU only, not to backend 'cpu'");
  }
  const tuning = resolveTuning(op, o.tuning);
  const threads = o.threads === undefined ? 'auto' : o.threads;
  if (threads !== 'auto' && !(typeof threads === 'number' && Number.isSafeInteger(threads) && threads >= 1 && threads <= MAX_THREADS)) {
    invalid(op, 'threads', threads, `must be 'auto' or an integer in [1, ${MAX_THREADS}]`);
  }
  if (o.threads !== undefined && (backend === 'webgpu' || o.device !== undefined)) {
    invalid(op, 'threads', o.threads, o.device !== undefined ? 'applies to the CPU backend, not to a given device' : "applies to the CPU backend, not to backend 'webgpu'");
  }
  /** The CPU runtime's chunk; a page that cannot fetch it gets a PoolingError with the loader's error as cause. */
  const cpuRuntime = () =>
    loadCpuRuntime().catch((e: unknown) => {
      throw new PoolingError(op, 'backend', `the CPU backend's code (a chunk of its own) failed to load: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    });
  const cpuPooling = async (reason: string): Promise<Pooling> => {
    const cpu = await cpuRuntime();
    const got = await cpu.startCpuThreads(threads === 'auto' ? await cpu.defaultThreadCount() : threads);
    return new Pooling(new cpu.CpuBackend('fast', got), reason);
  };
  const gpuOptions = { fallbackToCpu: o.fallbackToCpu === true, ...(binding !== undefined ? { maxStorageBufferBindingSize: binding } : {}) };
  /** The backend's options with the tuner of the adapter it runs on (its store read first). */
  const withTuner = async (info: AdapterInfoSummary | null) => {
    const tuner = new Tuner({ ...tuning, adapter: adapterIdentity(info) });
    await tuner.load();
    return { ...gpuOptions, tuner };
  };
  if (o.device !== undefined) {
    if (backend === 'cpu') invalid(op, 'device', '[GPUDevice]', "a device cannot be used with backend 'cpu'");
    const device = o.device;
    if (typeof device !== 'object' || device === null || typeof device.createBuffer !== 'function') invalid(op, 'device', device, 'must be a GPUDevice');
    const info = summarizeAdapterInfo(device.adapterInfo);
    return new Pooling(new WebGpuBackend(device, info, false, await withTuner(info)), "the application's own device");
  }
  if (backend === 'cpu') return cpuPooling("backend 'cpu' was requested");

  const found = await findAdapter(nodeAdapter);
  if (!('adapter' in found)) {
    if (backend === 'webgpu') throw new PoolingError(op, 'backend', `backend 'webgpu' was requested. ${found.missing}`, { cause: found.cause });
    return cpuPooling(`'auto' took the CPU backend. ${found.missing}`);
  }
  const name = adapterName(found.adapter);
  // Decision record: README "Choosing a backend". A software rasteriser runs WebGPU's invocations on
  // the CPU with the cost of emulation: over the quick benchmark the CPU backend is about 11× faster
  // than SwiftShader on the same two cores (3×3/s2 max pool on [1, 64, 112, 112]: 4.1 ms against
  // 42.4 ms). An adapter the user named (`nodeAdapter`) is taken as asked.
  if (backend === 'auto' && nodeAdapter === 'auto' && isSoftwareAdapter(found.adapter)) {
    return cpuPooling(`'auto' took the CPU backend: the only WebGPU adapter is a software rasteriser (${name}), slower than the CPU backend; backend 'webgpu' uses it anyway.`);
  }
  // The CPU backend a device loss falls back to, with its kernels, loaded now (a loss must not wait
  // on, or fail at, fetching a chunk) and before the device is acquired (nothing to release then).
  if (o.fallbackToCpu) await cpuRuntime();
  let device: GPUDevice;
  try {
    device = await requestPoolingDevice(found.adapter);
  } catch (e) {
    if (backend === 'auto') return cpuPooling(`'auto' took the CPU backend: the adapter (${name}) refused a device: ${(e as Error).message}`);
    throw new PoolingError(op, 'backend', `the adapter refused a device: ${(e as Error).message}`, { cause: e });
  }
  const why = backend === 'webgpu' ? `backend 'webgpu' was requested: ${name}` : `'auto' found a WebGPU adapter: ${name}`;
  const info = summarizeAdapterInfo(found.adapter.info);
  return new Pooling(new WebGpuBackend(device, info, true, await withTuner(info)), why);
}

function adapterName(adapter: GPUAdapter): string {
  const info = adapter.info;
  const parts = [info?.vendor, info?.architecture, info?.description].filter((x): x is string => typeof x === 'string' && x !== '');
  return parts.length ? parts.join(', ') : 'an adapter that gave no description';
}
