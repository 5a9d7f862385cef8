/**
 * Device acquisition: the browser's navigator.gpu, or Dawn in Node (node-gpu.ts). The device asks
 * for the adapter's own limits (the defaults cap storage bindings at 128 MiB) and for the optional
 * features the kernels and the benchmark use.
 */
import type { AdapterInfoSummary } from '../types.js';
import { findNodeAdapter, type NodeAdapterKind } from './node-gpu.js';

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

export async function findAdapter(nodeAdapter: NodeAdapterKind = 'auto'): Promise<AcquiredAdapter | null> {
  const gpu = typeof navigator !== 'undefined' ? (navigator as Navigator & { gpu?: GPU }).gpu : undefined;
  if (gpu) {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter) return { adapter, source: 'browser' };
  }
  const found = await findNodeAdapter(nodeAdapter);
  return found ? { adapter: found.adapter, source: found.kind } : null;
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
