/**
 * What a kernel module hands the host: data only. The host (src/host/dispatch.ts) turns a plan into
 * a cached pipeline, a uniform buffer, a bind group and a dispatch; kernel modules never touch a device.
 */
import commonWgsl from '../../shaders/common.wgsl?raw';
import type { SplitSpec } from './split-spec.js';
import type { UniformStruct } from './uniform-struct.js';

export interface KernelPlan {
  /** Names the pipeline in GPU error messages and the pipeline cache. */
  readonly label: string;
  /** Complete WGSL: the shared prelude, parameter struct and the kernel file. */
  readonly code: string;
  readonly entryPoint: string;
  /** Pipeline-overridable constants: what changes the compiled code, and so the cache key. */
  readonly constants: Readonly<Record<string, number>>;
  /** The per-call uniform at binding 0. */
  readonly uniform: { readonly struct: UniformStruct; readonly values: Readonly<Record<string, number>> };
  /** Storage bindings: slot name → binding number in the shader. */
  readonly bindings: Readonly<Record<string, number>>;
  /** Workgroups to run; the host spreads them over (x, y) past the per-dimension limit. */
  readonly workgroups: number;
  /** How the dispatch splits when a bound tensor exceeds the binding limit; absent: it must fit. */
  readonly split?: SplitSpec;
}

/** Concatenates the prelude and the parts of a kernel; WGSL has no includes. */
export function composeShader(...parts: string[]): string {
  return [commonWgsl, ...parts].join('\n');
}

export function workgroupsFor(invocations: number, workgroupSize: number): number {
  return Math.ceil(invocations / workgroupSize);
}

/** A plan's bindings and the buffers the host supplies for them, by slot name. */
export type BindingBuffers = Readonly<Record<string, GPUBuffer>>;
