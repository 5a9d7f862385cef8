import poolParamsWgsl from '../../shaders/pool-params.wgsl?raw';
import type { PoolGeometry } from '../types.js';
import { SPLIT_FIELDS, unsplit } from './split-spec.js';
import { uniformDeclaration, type UniformStruct } from './uniform-struct.js';

/** The per-call uniform of the plane kernels; its WGSL struct is generated from this list. */
export const POOL_PARAMS = {
  name: 'PoolParams',
  fields: [
    ['N', 'i32'],
    ['C', 'i32'],
    ['H', 'i32'],
    ['W', 'i32'],
    ['outH', 'i32'],
    ['outW', 'i32'],
    ['kH', 'i32'],
    ['kW', 'i32'],
    ['sH', 'i32'],
    ['sW', 'i32'],
    ['dH', 'i32'],
    ['dW', 'i32'],
    ['padTop', 'i32'],
    ['padLeft', 'i32'],
    ['padBottom', 'i32'],
    ['padRight', 'i32'],
    ['divisorOverride', 'i32'],
    ...SPLIT_FIELDS,
  ],
} as const satisfies UniformStruct;

export type PoolParamsField = (typeof POOL_PARAMS.fields)[number][0];

/** The generated struct and its binding, then the helpers of shaders/pool-params.wgsl that read it. */
export const poolParamsSource = `${uniformDeclaration(POOL_PARAMS)}\n${poolParamsWgsl}`;

/** The uniform of a dispatch over domain indices [0, total) (outputs, or inputs for gather). */
export function poolParamsValues(g: PoolGeometry, total: number, divisorOverride = 0): Record<PoolParamsField, number> {
  return {
    N: g.N,
    C: g.C,
    H: g.H,
    W: g.W,
    outH: g.outH,
    outW: g.outW,
    kH: g.kH,
    kW: g.kW,
    sH: g.sH,
    sW: g.sW,
    dH: g.dH,
    dW: g.dW,
    padTop: g.padTop,
    padLeft: g.padLeft,
    padBottom: g.padBottom,
    padRight: g.padRight,
    divisorOverride,
    ...unsplit(total),
  };
}
