import copyWgsl from '../../shaders/copy.wgsl?raw';
import { composeShader, workgroupsFor, type KernelPlan } from './kernel.js';
import type { UniformStruct } from './uniform-struct.js';

/** Mirrors `struct CopyParams` in shaders/copy.wgsl. */
export const COPY_PARAMS = {
  name: 'CopyParams',
  fields: [['vec4s', 'u32']],
} as const satisfies UniformStruct;

const code = composeShader(copyWgsl);
const WORKGROUP_SIZE = 256;

/** A vec4 copy of `bytes` (a multiple of 16) from slot `src` to slot `dst`: the benchmark's bandwidth ceiling. */
export function copyPlan(bytes: number): KernelPlan {
  if (bytes % 16 !== 0) throw new Error(`internal: copyPlan needs a multiple of 16 bytes, got ${bytes}`);
  const vec4s = bytes / 16;
  return {
    label: 'copy.vec4',
    code,
    entryPoint: 'main',
    constants: { WG: WORKGROUP_SIZE },
    uniform: { struct: COPY_PARAMS, values: { vec4s } },
    bindings: { src: 1, dst: 2 },
    workgroups: workgroupsFor(vec4s, WORKGROUP_SIZE),
  };
}
