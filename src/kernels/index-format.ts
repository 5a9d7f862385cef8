/**
 * The index-format conversion kernel (shaders/index-format.wgsl): max-pooling indices between the
 * plane format the kernels make and consume and the interchange formats (docs/api.md "Index
 * formats"). One invocation per index element; slots src → dst. Data only.
 */
import indexFormatWgsl from '../../shaders/index-format.wgsl?raw';
import { formatTraits, type IndexGeometry, type IndexLayout } from '../index-format.js';
import { composeShader, workgroupsFor, type KernelPlan } from './kernel.js';
import { SPLIT_FIELDS, unsplit, type SplitSpec } from './split-spec.js';
import { uniformDeclaration, type UniformStruct } from './uniform-struct.js';

export const INDEX_FORMAT_PARAMS = {
  name: 'IndexFormatParams',
  fields: [['C', 'i32'], ['outVolume', 'i32'], ['D', 'i32'], ['H', 'i32'], ['W', 'i32'], ...SPLIT_FIELDS],
} as const satisfies UniformStruct;

const code = composeShader(uniformDeclaration(INDEX_FORMAT_PARAMS), indexFormatWgsl);
const WORKGROUP_SIZE = 64;
/** Elements per split unit. */
const UNIT = 64;

/** Runs of elements; src and dst are the same shape. */
function elementSplit(count: number): SplitSpec {
  return {
    units: Math.ceil(count / UNIT),
    unitSize: UNIT,
    perWorkgroup: WORKGROUP_SIZE,
    unitName: `run of ${UNIT} indices`,
    groups: { src: 'in', dst: 'out' },
    range: (_group, u0, u1) => [u0 * UNIT, Math.min(u1 * UNIT, count)],
  };
}

/** The spatial size as (D, H, W), leading axes 1. */
function volume(inSize: readonly number[]): [number, number, number] {
  const v = [1, 1, 1, ...inSize].slice(-3);
  return [v[0]!, v[1]!, v[2]!];
}

/** Converts the indices in slot `src` to `dst`: from plane to `format` (forward ops) or back (toPlane). */
export function indexFormatPlan(g: IndexGeometry, format: IndexLayout, toPlane: boolean): KernelPlan {
  const count = g.N * g.C * g.outVolume;
  const [D, H, W] = volume(g.inSize);
  const traits = formatTraits(format.format);
  return {
    label: `indices.${toPlane ? 'toPlane' : 'fromPlane'}.${format.format}.${format.order}`,
    code,
    entryPoint: 'main',
    constants: {
      WG: WORKGROUP_SIZE,
      CHANNELS_LAST: g.channelsLast ? 1 : 0,
      TO_PLANE: toPlane ? 1 : 0,
      TENSOR: traits.wholeTensor ? 1 : 0,
      COLUMN_MAJOR: format.order === 'column-major' ? 1 : 0,
      INTERLEAVED: traits.interleaved ? 1 : 0,
    },
    uniform: { struct: INDEX_FORMAT_PARAMS, values: { C: g.C, outVolume: g.outVolume, D, H, W, ...unsplit(count) } },
    bindings: { src: 1, dst: 2 },
    workgroups: workgroupsFor(count, WORKGROUP_SIZE),
    split: elementSplit(count),
  };
}
