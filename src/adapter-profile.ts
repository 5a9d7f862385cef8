/**
 * The one adapter profile: what kind of adapter runs the kernels and what it offers. Every
 * selection rule (docs/*-selection.md) reads this instead of matching adapter strings itself, so
 * the classification is written once.
 */
import type { AdapterInfoSummary } from './types.js';

/**
 * 'swiftshader' and 'llvmpipe' are the software adapters the rules were measured on; 'software' is
 * any other CPU implementation (lavapipe, softpipe, WARP, a fallback adapter); 'gpu' a hardware adapter;
 * 'unknown' when the adapter said nothing (an application's device without adapter info).
 */
export type AdapterKind = 'swiftshader' | 'llvmpipe' | 'software' | 'gpu' | 'unknown';

export interface AdapterText {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}

export function adapterKind(info: AdapterText | null | undefined): AdapterKind {
  if (!info) return 'unknown';
  const text = `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.device ?? ''} ${info.description ?? ''}`.toLowerCase();
  if (text.includes('swiftshader')) return 'swiftshader';
  if (text.includes('llvmpipe')) return 'llvmpipe';
  // WARP is Windows' software rasteriser ("Microsoft Basic Render Driver" under D3D12).
  if (info.isFallbackAdapter || /lavapipe|softpipe|\bwarp\b|basic render driver/.test(text)) return 'software';
  return text.trim() === '' ? 'unknown' : 'gpu';
}

/** Adapters that run invocations as SIMD lanes of CPU threads: a barrier is a costly switch between them. */
export function runsOnCpu(kind: AdapterKind): boolean {
  return kind === 'swiftshader' || kind === 'llvmpipe' || kind === 'software';
}

/** What a plan may know about the device it will run on. */
export interface AdapterProfile {
  readonly adapter: AdapterInfoSummary | null;
  readonly kind: AdapterKind;
  /** The device has the `subgroups` feature (an application's device may lack it where the adapter has it). */
  readonly subgroups: boolean;
  /** The device has `shader-f16`. */
  readonly shaderF16: boolean;
  readonly maxInvocationsPerWorkgroup: number;
}

export function adapterProfile(device: GPUDevice, adapter: AdapterInfoSummary | null): AdapterProfile {
  return {
    adapter,
    kind: adapterKind(adapter),
    subgroups: device.features.has('subgroups' as GPUFeatureName),
    shaderF16: device.features.has('shader-f16' as GPUFeatureName),
    maxInvocationsPerWorkgroup: device.limits.maxComputeInvocationsPerWorkgroup,
  };
}
