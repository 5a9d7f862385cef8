import planeParamsWgsl from '../../shaders/plane-params.wgsl?raw';
import { SPLIT_FIELDS } from './split-spec.js';
import { uniformDeclaration, type UniformStruct } from './uniform-struct.js';

/** The per-call uniform of the global kernels; its WGSL struct is generated from this list. */
export const PLANE_PARAMS = {
  name: 'PlaneParams',
  fields: [
    ['planes', 'u32'],
    ['C', 'u32'],
    ['planeSize', 'u32'],
    // Positions per row of a plane (the backward's row groups); planeSize / W rows.
    ['W', 'u32'],
    ['chunkSize', 'u32'],
    ['chunks', 'u32'],
    ...SPLIT_FIELDS,
  ],
} as const satisfies UniformStruct;

export type PlaneParamsField = (typeof PLANE_PARAMS.fields)[number][0];

/** The generated struct and its binding, then the helpers of shaders/plane-params.wgsl that read it. */
export const planeParamsSource = `${uniformDeclaration(PLANE_PARAMS)}\n${planeParamsWgsl}`;
