/**
 * The index conversion as an op (src/index-format.ts): a forward op with `indexFormat` or
 * `indexOrder` runs it on its plane indices at the end; a backward or unpooling op runs it the other
 * way on what it is given, first. Elementwise, so the CPU backend runs it whole.
 */
import { convertIndices, type IndexGeometry, type IndexLayout } from '../index-format.js';
import { indexFormatPlan } from '../kernels/index-format.js';
import type { TensorLayout } from '../types.js';
import type { OpDescriptor } from './descriptor.js';

export interface IndexFormatParams {
  readonly geometry: IndexGeometry;
  readonly format: IndexLayout;
  readonly toPlane: boolean;
  readonly shape: readonly number[];
  readonly layout: TensorLayout;
}

const convert = (p: IndexFormatParams, src: Int32Array) => ({ dst: convertIndices(src, p.geometry, p.format, p.toPlane) });

export function indexFormatOp(op: string): OpDescriptor<IndexFormatParams> {
  return {
    name: op,
    returns: 'tensor',
    inputs: ['src'],
    intInputs: ['src'],
    outputs: (p) => [{ slot: 'dst', shape: p.shape, layout: p.layout, dtype: 'int32' }],
    gpu: (p) => ({ steps: [{ kind: 'kernel', plan: indexFormatPlan(p.geometry, p.format, p.toPlane) }], scratch: [] }),
    cpu: (p, a) => convert(p, a.src as Int32Array),
    reference: (p, a) => convert(p, a.src as Int32Array),
  };
}
