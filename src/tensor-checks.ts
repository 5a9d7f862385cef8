/** Checks on tensor arguments and tensor creation, shared by every op of the context. */
import { invalid } from './errors.js';
import { checkShape4 } from './params.js';
import { Tensor, type TensorOwner } from './tensor.js';
import type { Layout } from './types.js';

/** The layout option of a 4-D tensor (the TF.js plug-in's tensors). */
export function checkLayout(op: string, layout: unknown): Layout {
  if (layout === undefined) return 'NCHW';
  if (layout !== 'NCHW' && layout !== 'NHWC') invalid(op, 'layout', layout, "must be 'NCHW' or 'NHWC'");
  return layout;
}

export function checkFloatDType(op: string, dtype: unknown): 'float32' {
  if (dtype === undefined || dtype === 'float32') return 'float32';
  if (dtype === 'float16') invalid(op, 'dtype', dtype, "float16 is not supported yet; use 'float32'");
  return invalid(op, 'dtype', dtype, "must be 'float32'");
}

/** The dtype option of tensor() / fromGPUBuffer(): float32 values, or int32 (indices saved from an earlier run). */
export function checkTensorDType(op: string, dtype: unknown): 'float32' | 'int32' {
  if (dtype === 'int32') return 'int32';
  if (dtype === undefined || dtype === 'float32') return 'float32';
  if (dtype === 'float16') invalid(op, 'dtype', dtype, "float16 is not supported yet; use 'float32' or 'int32'");
  return invalid(op, 'dtype', dtype, "must be 'float32' or 'int32'");
}

/** A tensor argument: made by this context, not destroyed, of the wanted element type. */
export function checkTensor(op: string, name: string, t: unknown, owner: TensorOwner, dtype: 'float32' | 'int32'): Tensor {
  if (!(t instanceof Tensor)) invalid(op, name, t, 'must be a tensor made by this pooling context (pool.tensor or an op result)');
  if (t.owner !== owner) invalid(op, name, t.shape, 'the tensor belongs to another pooling context');
  if (t.destroyed) invalid(op, name, t.shape, 'the tensor was destroyed');
  if (t.dtype !== dtype) invalid(op, name, t.dtype, `must be a ${dtype} tensor`);
  return t;
}

export function checkRank4Tensor(op: string, name: string, t: Tensor): [number, number, number, number] {
  return checkShape4(op, `${name}.shape`, t.shape);
}

/** Converts tensor() data to a Float32Array of the right length, rejecting what cannot be pooled. */
export function toFloat32(op: string, data: unknown, count: number): Float32Array {
  let array: Float32Array;
  if (data instanceof Float32Array) array = data;
  else if (Array.isArray(data)) {
    const bad = data.findIndex((v) => typeof v !== 'number');
    if (bad >= 0) invalid(op, `data[${bad}]`, data[bad], 'every element must be a number');
    array = Float32Array.from(data as number[]);
  } else if (ArrayBuffer.isView(data) && !(data instanceof DataView) && !(data instanceof BigInt64Array) && !(data instanceof BigUint64Array)) {
    array = Float32Array.from(data as unknown as ArrayLike<number>);
  } else {
    return invalid(op, 'data', data, 'must be a Float32Array, another numeric typed array, or an array of numbers');
  }
  if (array.length !== count) invalid(op, 'data', data, `length ${array.length} must equal the shape's element count ${count}`);
  return array;
}

/** Converts tensor() data of dtype int32 to an Int32Array, rejecting anything that is not a 32-bit integer. */
export function toInt32(op: string, data: unknown, count: number): Int32Array {
  let array: Int32Array;
  if (data instanceof Int32Array) array = data;
  else if (Array.isArray(data) || (ArrayBuffer.isView(data) && !(data instanceof DataView) && !(data instanceof BigInt64Array) && !(data instanceof BigUint64Array))) {
    const values = Array.from(data as ArrayLike<unknown>);
    const bad = values.findIndex((v) => typeof v !== 'number' || !Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31);
    if (bad >= 0) invalid(op, `data[${bad}]`, values[bad], 'every element of an int32 tensor must be an integer in [-2^31, 2^31)');
    array = Int32Array.from(values as number[]);
  } else {
    return invalid(op, 'data', data, 'must be an Int32Array or an array of integers for dtype int32');
  }
  if (array.length !== count) invalid(op, 'data', data, `length ${array.length} must equal the shape's element count ${count}`);
  return array;
}
