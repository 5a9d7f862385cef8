/**
 * The `indexFormat` / `indexOrder` options of every op that makes or takes max-pooling indices
 * (src/index-format.ts): a forward op's plane indices converted once at the end, a backward or
 * unpooling op's given indices converted to the plane format first (and freed after).
 */
import type { PoolingBackend } from '../backend.js';
import { isPlaneFormat, type IndexGeometry, type IndexLayout } from '../index-format.js';
import { indexFormatOp, type IndexFormatParams } from '../ops/index-format.js';
import type { OpDescriptor } from '../ops/descriptor.js';
import type { Tensor } from '../tensor.js';

const ops = new Map<string, OpDescriptor<IndexFormatParams>>();
const opFor = (op: string) => {
  let d = ops.get(op);
  if (!d) ops.set(op, (d = indexFormatOp(op)));
  return d;
};

function convert(impl: PoolingBackend, op: string, indices: Tensor, g: IndexGeometry, l: IndexLayout, toPlane: boolean): Promise<Tensor<'int32'>> {
  const p: IndexFormatParams = { geometry: g, format: l, toPlane, shape: indices.shape, layout: indices.layout };
  return impl.run(opFor(op), p, { src: indices }) as Promise<Tensor<'int32'>>;
}

/** A forward op's plane indices in the caller's format; the plane tensor is freed when converted. */
export async function formatIndices(impl: PoolingBackend, op: string, indices: Tensor<'int32'>, g: IndexGeometry, l: IndexLayout): Promise<Tensor<'int32'>> {
  if (isPlaneFormat(l)) return indices;
  try {
    return await convert(impl, op, indices, g, l, false);
  } finally {
    indices.destroy();
  }
}

/** Runs `run` with the caller's indices in the plane format (a converted copy, freed after). */
export async function withPlaneIndices<T>(impl: PoolingBackend, op: string, indices: Tensor, g: IndexGeometry, l: IndexLayout, run: (plane: Tensor) => Promise<T>): Promise<T> {
  if (isPlaneFormat(l)) return run(indices);
  const plane = await convert(impl, op, indices, g, l, true);
  try {
    return await run(plane);
  } finally {
    plane.destroy();
  }
}
