import gradAvgWgsl from '../../shaders/global/grad-avg.wgsl?raw';
import gradMaxWgsl from '../../shaders/global/grad-max.wgsl?raw';
import ioGlobalBackwardWgsl from '../../shaders/global/io-global-backward.wgsl?raw';
import mapGlobalBackwardWgsl from '../../shaders/global/map-global-backward.wgsl?raw';
import type { Layout, PlaneShape } from '../types.js';
import type { GlobalKind } from './global-pool.js';
import { composeShader, workgroupsFor, type KernelPlan } from './kernel.js';
import { PLANE_PARAMS, planeParamsSource } from './plane-params.js';
import { globalBackwardSplit, unsplit } from './split-spec.js';

/** The mappings (map-global-backward.wgsl) composed with a reduction's gradient (grad-*.wgsl), here and nowhere else. */
const codes = {
  max: composeShader(planeParamsSource, ioGlobalBackwardWgsl, gradMaxWgsl, mapGlobalBackwardWgsl),
  avg: composeShader(planeParamsSource, ioGlobalBackwardWgsl, gradAvgWgsl, mapGlobalBackwardWgsl),
};
const WORKGROUP_SIZE = 64;

/** Consecutive dx elements of one row per invocation in the row-group form. */
export const GLOBAL_BACKWARD_GROUP = 4;

/** The backward's mapping: one invocation per dx element, or per group of 4 elements of a row (the rules' pick). */
export type GlobalBackwardMapping = 'element' | 'rows';

/**
 * Global pooling backward; it writes every element, so dx needs no zeroing. Slots dy (+ indices
 * for max) → dx. 'rows' (the default): one invocation per GLOBAL_BACKWARD_GROUP consecutive
 * elements of a row (W positions of a plane in NCHW, W·C elements of an image in NHWC), so a
 * row's coordinates are decoded once per group, not per element (docs/global-pooling.md,
 * "Backward in row groups"); 'element': one invocation per element.
 */
export function globalBackwardPlan(kind: GlobalKind, s: PlaneShape, layout: Layout, mapping: GlobalBackwardMapping = 'rows'): KernelPlan {
  const planeSize = s.H * s.W;
  const total = s.N * s.C * planeSize;
  const rowLength = layout === 'NHWC' ? s.W * s.C : s.W;
  const groupsPerRow = Math.ceil(rowLength / GLOBAL_BACKWARD_GROUP);
  const rows = total / rowLength;
  const domain = mapping === 'rows' ? rows * groupsPerRow : total;
  const split = globalBackwardSplit(s, layout, WORKGROUP_SIZE, { dy: 'out', indices: 'out', dx: 'in' });
  return {
    label: `${kind === 'max' ? 'globalMaxPoolBackward' : 'globalAvgPoolBackward'}${mapping === 'rows' ? '.rows' : ''}`,
    code: codes[kind],
    entryPoint: mapping,
    constants: { WG: WORKGROUP_SIZE, NHWC: layout === 'NHWC' ? 1 : 0 },
    // The chunk fields belong to the forward's reduction; one pass over the elements needs none.
    uniform: { struct: PLANE_PARAMS, values: { planes: s.N * s.C, C: s.C, planeSize, W: s.W, chunkSize: 0, chunks: 0, ...unsplit(domain) } },
    bindings: kind === 'max' ? { dy: 1, indices: 2, dx: 3 } : { dy: 1, dx: 3 },
    workgroups: workgroupsFor(domain, WORKGROUP_SIZE),
    // The same units (rows) and bound ranges; a row is groupsPerRow domain indices.
    split: mapping === 'rows' ? { ...split, unitSize: groupsPerRow } : split,
  };
}
