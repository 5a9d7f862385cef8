/**
 * Device acquisition: the browser's navigator.gpu, or Dawn in Node (node-gpu.ts). The device asks
 * for the adapter's own limits (the defaults cap storage bindings at 128 MiB) and for the optional
 * features the kernels and the benchmark use.
 */
import type { AdapterInfoSummary } from '../types.js';
import { isNode, searchNodeAdapter, type AdapterMissing, type NodeAdapterKind } from './node-gpu.js';

const OPTIONAL_FEATURES: GPUFeatureName[] = ['timestamp-query', 'subgroups' as GPUFeatureName, 'shader-f16'];

const LIMITS_TO_RAISE = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupStorageSize',
  'maxStorageBuffersPerShaderStage',
] as const;

export interface AcquiredAdapter {
  adapter: GPUAdapter;
  /** Which Node adapter search found it; 'browser' for navigator.gpu. */
  source: Exclude<NodeAdapterKind, 'auto'> | 'browser';
}

/** navigator.gpu first (a browser, a worker, or Deno), then Dawn in Node.js; else why neither gave an adapter. */
export async function findAdapter(nodeAdapter: NodeAdapterKind = 'auto'): Promise<AcquiredAdapter | AdapterMissing> {
  const gpu = typeof navigator !== 'undefined' ? (navigator as Navigator & { gpu?: GPU }).gpu : undefined;
  let browserMissing: AdapterMissing | undefined;
  if (gpu) {
    try {
      const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
      if (adapter) return { adapter, source: 'browser' };
      browserMissing = {
        missing:
          'No WebGPU adapter was found: navigator.gpu.requestAdapter() gave none. WebGPU may be turned off in ' +
          "this browser's settings or flags, or the GPU or its driver is on the browser's blocklist.",
      };
    } catch (cause) {
      browserMissing = { missing: `No WebGPU adapter was found: navigator.gpu.requestAdapter() failed (${(cause as Error)?.message ?? String(cause)}).`, cause };
    }
  }
  if (isNode()) {
    const found = await searchNodeAdapter(nodeAdapter);
    return 'adapter' in found ? { adapter: found.adapter, source: found.kind } : found;
  }
  return browserMissing ?? { missing: noNavigatorGpu() };
}

/** findAdapter for scripts and tests that need an adapter: throws the reason (with its cause) when there is none. */
export async function requireAdapter(nodeAdapter: NodeAdapterKind = 'auto'): Promise<AcquiredAdapter> {
  const found = await findAdapter(nodeAdapter);
  if ('adapter' in found) return found;
  throw new Error(found.missing, { cause: found.cause });
}

/** A page or worker without navigator.gpu: WebGPU needs a secure context and a browser that ships it. */
function noNavigatorGpu(): string {
  const secure = (globalThis as { isSecureContext?: boolean }).isSecureContext;
  const context =
    secure === false
      ? 'this page is not a secure context: WebGPU exists only on https:// pages and on http://localhost'
      : 'this browser does not offer WebGPU, or it is turned off (Chrome and Edge 113+, Safari 26+, Firefox 141+ on Windows have it)';
  return `No WebGPU adapter was found: navigator.gpu is undefined, because ${context}.`;
}

export async function requestPoolingDevice(adapter: GPUAdapter): Promise<GPUDevice> {
  const requiredFeatures = OPTIONAL_FEATURES.filter((f) => adapter.features.has(f));
  const requiredLimits: Record<string, number> = {};
  for (const name of LIMITS_TO_RAISE) requiredLimits[name] = adapter.limits[name];
  return adapter.requestDevice({ label: 'webgpu-pooling', requiredFeatures, requiredLimits });
}

export function summarizeAdapterInfo(info: GPUAdapterInfo | undefined): AdapterInfoSummary | null {
  if (!info) return null;
  return { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description };
}
