import planeParamsWgsl from '../../shaders/plane-params.wgsl?raw';
import { SPLIT_FIELDS } from './split-spec.js';
import type { UniformStruct } from './uniform-struct.js';

/** Mirrors `struct PlaneParams` in shaders/plane-params.wgsl (checked by test/uniforms.test.ts). */
export const PLANE_PARAMS = {
  name: 'PlaneParams',
  fields: [
    ['planes', 'u32'],
    ['C', 'u32'],
    ['planeSize', 'u32'],
    ['chunkSize', 'u32'],
    ['chunks', 'u32'],
    ...SPLIT_FIELDS,
  ],
} as const satisfies UniformStruct;

export type PlaneParamsField = (typeof PLANE_PARAMS.fields)[number][0];

export const planeParamsSource = planeParamsWgsl;
