/** Checks on tensor arguments and tensor creation, shared by every op of the context. */
import { invalid } from './errors.js';
import { halfFromFloat32Bits, halfFromNumber } from './half.js';
import { Tensor, type TensorDType, type TensorOwner } from './tensor.js';



/** The dtype option of tensor() / fromGPUBuffer(): float32 values, or int32 (indices saved from an earlier run). */
export function checkTensorDType(op: string, dtype: unknown): TensorDType {
  if (dtype === 'int32' || dtype === 'float16') return dtype;
  if (dtype === undefined || dtype === 'float32') return 'float32';
  return invalid(op, 'dtype', dtype, "must be 'float32', 'float16' or 'int32'");
}

/** A tensor argument: made by this context, not destroyed, of the wanted element type. */
/** `dtype` 'float' takes either float dtype (float32 or float16): the op then runs in that dtype. */
export function checkTensor(op: string, name: string, t: unknown, owner: TensorOwner, dtype: 'float32' | 'int32' | 'float'): Tensor {
  if (!(t instanceof Tensor)) invalid(op, name, t, 'must be a tensor made by this pooling context (pool.tensor or an op result)');
  if (t.owner !== owner) invalid(op, name, t.shape, 'the tensor belongs to another pooling context');
  if (t.destroyed) invalid(op, name, t.shape, 'the tensor was destroyed');
  if (dtype === 'float') {
    if (t.dtype !== 'float32' && t.dtype !== 'float16') invalid(op, name, t.dtype, 'must be a float32 tensor (or float16)');
  } else if (t.dtype !== dtype) invalid(op, name, t.dtype, `must be a ${dtype} tensor`);
  return t;
}


/**
 * The element count, and a plain view, of a real typed array, read through %TypedArray%'s own
 * getters: a subclass or an object that overrides `length`, `byteLength` or `buffer` cannot make
 * the library read fewer or more elements than the array holds (and so expose pooled memory).
 */
const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
const intrinsic = (name: string) => Object.getOwnPropertyDescriptor(TypedArrayPrototype, name)!.get!;
const typedLength = intrinsic('length');
const typedTag = Object.getOwnPropertyDescriptor(TypedArrayPrototype, Symbol.toStringTag)!.get!;

type NumericTypedArray = Exclude<ArrayBufferView, DataView | BigInt64Array | BigUint64Array>;

/** The name of a real numeric typed array (Float32Array, Int32Array, ...), or undefined for anything else. */
function typedArrayKind(data: unknown): string | undefined {
  if (!ArrayBuffer.isView(data)) return undefined;
  const tag = typedTag.call(data) as string | undefined;
  return tag === undefined || tag === 'BigInt64Array' || tag === 'BigUint64Array' ? undefined : tag;
}

/** Typed arrays whose every value the target holds as it is: no per-element check (and no extra copy). */
const INT32_EXACT = new Set(['Int32Array', 'Int16Array', 'Int8Array', 'Uint16Array', 'Uint8Array', 'Uint8ClampedArray']);
function needsCheck(Out: unknown, kind: string): boolean {
  if (Out === Int32Array) return !INT32_EXACT.has(kind);
  // Any numeric value converts to f32 or f64 (rounding is the conversion, not an error).
  return false;
}

/**
 * A fresh copy of tensor() data with exactly `count` elements. The copy is never shared memory
 * (SharedArrayBuffer, shared or growable WebAssembly memory), which the GPU's writeBuffer refuses,
 * and never changes when the caller's array does.
 */
function copyData<T extends Float32Array | Int32Array | Float64Array>(op: string, data: unknown, count: number, Out: { new (n: number): T; from(a: ArrayLike<number>): T }, check: (v: unknown) => string | null, what: string): T {
  let out: T;
  const kind = typedArrayKind(data);
  if (kind !== undefined) {
    const length = typedLength.call(data) as number;
    if (length !== count) invalid(op, 'data', data, `length ${length} must equal the shape's element count ${count}`);
    out = new Out(length);
    // TypedArray.prototype.set reads the source through its internal slots, not through getters.
    if (!needsCheck(Out, kind)) {
      out.set(data as unknown as ArrayLike<number>);
      return out;
    }
    const exact = new Float64Array(length);
    exact.set(data as unknown as ArrayLike<number>);
    for (let i = 0; i < length; i++) {
      const why = check(exact[i]);
      if (why) invalid(op, `data[${i}]`, exact[i], why);
    }
    out.set(exact);
    return out;
  }
  if (Array.isArray(data)) {
    // One read per entry: the values checked are the values stored.
    const values = Array.from(data as unknown[]);
    const bad = values.findIndex((v) => check(v) !== null);
    if (bad >= 0) invalid(op, `data[${bad}]`, values[bad], check(values[bad])!);
    if (values.length !== count) invalid(op, 'data', data, `length ${values.length} must equal the shape's element count ${count}`);
    return Out.from(values as number[]);
  }
  return invalid(op, 'data', data, what);
}

const isNumber = (v: unknown) => (typeof v === 'number' ? null : 'every element must be a number');
const isInt32 = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31 ? null : 'every element of an int32 tensor must be an integer in [-2^31, 2^31)');

const bufferTag = (b: ArrayBufferLike) => Object.prototype.toString.call(b);

/**
 * Converts tensor() data to a Float32Array of the right length, rejecting what cannot be pooled.
 * A real Float32Array over unshared memory is lent, not copied: a plain view made from its own
 * internal slots (so a lying subclass cannot change what is read), which every backend copies
 * (writeBuffer on WebGPU, upload on the CPU). Saving the copy keeps a large tensor() within one
 * short synchronous stretch.
 */
export function toFloat32(op: string, data: unknown, count: number): Float32Array {
  if (typedArrayKind(data) === 'Float32Array') {
    const buffer = typedBuffer.call(data) as ArrayBufferLike;
    if (bufferTag(buffer) === '[object ArrayBuffer]') {
      const length = typedLength.call(data) as number;
      if (length !== count) invalid(op, 'data', data, `length ${length} must equal the shape's element count ${count}`);
      return new Float32Array(buffer, typedByteOffset.call(data) as number, length);
    }
  }
  return copyData(op, data, count, Float32Array, isNumber, 'must be a Float32Array, another numeric typed array, or an array of numbers');
}

/** Converts tensor() data of dtype int32 to an Int32Array, rejecting anything that is not a 32-bit integer. */
export function toInt32(op: string, data: unknown, count: number): Int32Array {
  return copyData(op, data, count, Int32Array, isInt32, 'must be an Int32Array, another integer typed array, or an array of integers for dtype int32');
}

const typedBuffer = Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'buffer')!.get!;
const typedByteOffset = Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'byteOffset')!.get!;

/**
 * tensor() data of dtype float16 as half bit patterns: a Float16Array or a Uint16Array (IEEE half
 * bits) as they are; a Float32Array rounded to the nearest half (ties to even, NaN payloads kept);
 * any other numeric typed array (Float64Array too) or array of numbers rounded from its values.
 */
export function toHalves(op: string, data: unknown, count: number): Uint16Array {
  const kind = typedArrayKind(data);
  if (kind === 'Float16Array' || kind === 'Uint16Array' || kind === 'Float32Array') {
    const length = typedLength.call(data) as number;
    if (length !== count) invalid(op, 'data', data, `length ${length} must equal the shape's element count ${count}`);
    const buffer = typedBuffer.call(data) as ArrayBufferLike;
    const offset = typedByteOffset.call(data) as number;
    if (kind === 'Float32Array') {
      const bits = new Uint32Array(buffer, offset, length);
      const out = new Uint16Array(length);
      for (let i = 0; i < length; i++) out[i] = halfFromFloat32Bits(bits[i]!);
      return out;
    }
    // A copy: never shared memory, never changed by the caller afterwards.
    return new Uint16Array(new Uint16Array(buffer, offset, length));
  }
  const values = copyData(op, data, count, Float64Array as never, isNumber, 'must be a Float16Array, a Uint16Array of half bits, a Float32Array, another numeric typed array, or an array of numbers') as unknown as Float64Array;
  return Uint16Array.from(values, halfFromNumber);
}
