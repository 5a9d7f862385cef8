/**
 * The per-call uniform of the N-d kernels (shaders/nd/): a window over three spatial axes (D, H, W),
 * a rank-1 or rank-2 window being the case with leading axes of size 1 (volumeGeometry). The WGSL
 * struct is generated from this list (uniformDeclaration), so the two cannot differ.
 */
import { volumeGeometry } from '../geometry.js';
import type { WindowGeometry } from '../types.js';
import { SPLIT_FIELDS, unsplit } from './split-spec.js';
import { uniformDeclaration, type UniformStruct } from './uniform-struct.js';

const AXES = ['D', 'H', 'W'] as const;
const perAxis = <P extends string>(prefix: P) => AXES.map((a) => [`${prefix}${a}`, 'i32'] as const) as readonly (readonly [`${P}${(typeof AXES)[number]}`, 'i32'])[];

export const ND_PARAMS = {
  name: 'NdParams',
  fields: [
    ['N', 'i32'],
    ['C', 'i32'],
    ...perAxis('in'),
    ...perAxis('out'),
    ...perAxis('k'),
    ...perAxis('s'),
    ...perAxis('d'),
    // Begin and end padding per axis.
    ...perAxis('pb'),
    ...perAxis('pe'),
    ['divisorOverride', 'i32'],
    // LP pooling's p (0 for every other op).
    ['normType', 'f32'],
    ...SPLIT_FIELDS,
  ],
} as const satisfies UniformStruct;

export type NdParamsField = (typeof ND_PARAMS.fields)[number][0];

export const ndParamsSource = uniformDeclaration(ND_PARAMS);

/** The uniform of a dispatch over domain indices [0, total) (outputs, or inputs for gather). */
export function ndParamsValues(g: WindowGeometry, total: number, divisorOverride = 0, normType = 0): Record<NdParamsField, number> {
  const v = volumeGeometry(g);
  const values: Record<string, number> = { N: v.N, C: v.C, divisorOverride, normType, ...unsplit(total) };
  AXES.forEach((a, i) => {
    values[`in${a}`] = v.inSize[i]!;
    values[`out${a}`] = v.outSize[i]!;
    values[`k${a}`] = v.kernel[i]!;
    values[`s${a}`] = v.stride[i]!;
    values[`d${a}`] = v.dilation[i]!;
    values[`pb${a}`] = v.padBegin[i]!;
    values[`pe${a}`] = v.padEnd[i]!;
  });
  return values as Record<NdParamsField, number>;
}
