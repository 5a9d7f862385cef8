import globalBackwardWgsl from '../../shaders/global-backward.wgsl?raw';
import ioGlobalBackwardWgsl from '../../shaders/io-global-backward.wgsl?raw';
import type { Layout, PlaneShape } from '../types.js';
import type { GlobalKind } from './global-pool.js';
import { composeShader, workgroupsFor, type KernelPlan } from './kernel.js';
import { PLANE_PARAMS, planeParamsSource } from './plane-params.js';
import { globalBackwardSplit, unsplit } from './split-spec.js';

const code = composeShader(planeParamsSource, ioGlobalBackwardWgsl, globalBackwardWgsl);
const WORKGROUP_SIZE = 64;

/**
 * Global pooling backward, one invocation per input element; it writes every element, so dx needs
 * no zeroing. Slots dy (+ indices for max) → dx.
 */
export function globalBackwardPlan(kind: GlobalKind, s: PlaneShape, layout: Layout): KernelPlan {
  const planeSize = s.H * s.W;
  const total = s.N * s.C * planeSize;
  return {
    label: kind === 'max' ? 'globalMaxPoolBackward' : 'globalAvgPoolBackward',
    code,
    entryPoint: kind === 'max' ? 'max_backward' : 'avg_backward',
    constants: { WG: WORKGROUP_SIZE, NHWC: layout === 'NHWC' ? 1 : 0 },
    // The chunk fields belong to the forward's reduction; one pass over the elements needs none.
    uniform: { struct: PLANE_PARAMS, values: { planes: s.N * s.C, C: s.C, planeSize, chunkSize: 0, chunks: 0, ...unsplit(total) } },
    bindings: kind === 'max' ? { dy: 1, indices: 2, dx: 3 } : { dy: 1, dx: 3 },
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    split: globalBackwardSplit(s, layout, WORKGROUP_SIZE, { dy: 'out', indices: 'out', dx: 'in' }),
  };
}
