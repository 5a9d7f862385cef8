/**
 * Element types and their storage size: the one place that says how many bytes an element takes,
 * so buffer sizes follow the tensor's dtype (float16 is stored packed, two to a 32-bit word).
 */
import type { TensorDType } from './tensor.js';

const BYTES: Readonly<Record<TensorDType, number>> = { float32: 4, int32: 4, float16: 2 };

export function elementBytes(dtype: TensorDType): number {
  return BYTES[dtype];
}

/** Bytes of a tensor of `shape` and `dtype`, rounded up to whole 32-bit words (storage bindings hold words). */
export function tensorBytes(shape: readonly number[], dtype: TensorDType): number {
  const bytes = shape.reduce((a, b) => a * b, 1) * BYTES[dtype];
  return Math.ceil(bytes / 4) * 4;
}
