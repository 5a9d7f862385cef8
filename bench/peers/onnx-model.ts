/**
 * One-node ONNX models (MaxPool, AveragePool, LpPool, GlobalMaxPool, GlobalAveragePool, MaxUnpool;
 * any spatial rank) written in code
 * with a minimal protobuf encoder, so the ONNX Runtime peer needs no model files. Field numbers
 * are those of onnx/onnx.proto; repeated int64 fields are written unpacked, which every proto2 and
 * proto3 parser accepts.
 */

const WIRE_VARINT = 0;
const WIRE_BYTES = 2;

/** TensorProto.DataType.FLOAT, INT64 */
const ONNX_FLOAT = 1;
const ONNX_INT64 = 7;
/** AttributeProto.AttributeType */
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;

const IR_VERSION = 8;
export const OPSET_VERSION = 17;

/** Appends protobuf fields to a growing byte list. */
class ProtoWriter {
  private readonly bytes: number[] = [];

  private varint(value: number | bigint): void {
    // int64 fields: negative values are written as their 64-bit two's complement (10 bytes).
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, value: number): this {
    this.tag(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  ints(field: number, values: readonly number[]): this {
    for (const v of values) this.int(field, v);
    return this;
  }

  raw(field: number, data: Uint8Array): this {
    this.tag(field, WIRE_BYTES);
    this.varint(data.length);
    for (const b of data) this.bytes.push(b);
    return this;
  }

  string(field: number, text: string): this {
    return this.raw(field, new TextEncoder().encode(text));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.raw(field, inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

export type OnnxPoolOp = 'MaxPool' | 'AveragePool' | 'LpPool' | 'GlobalMaxPool' | 'GlobalAveragePool' | 'MaxUnpool';

export interface OnnxPoolModel {
  op: OnnxPoolOp;
  /** Channel-first input shape ([N, C, ...spatial], 1 to 3 spatial axes). */
  input: readonly number[];
  /** Channel-first output shape (a negative extent: left to ONNX's shape inference). */
  output: readonly number[];
  /** Windowed ops only: the same on every spatial axis. */
  kernel?: number;
  stride?: number;
  pad?: number;
  /** AveragePool: 1 counts the padding in the divisor (PyTorch's default, ours). */
  countIncludePad?: boolean;
  /** LpPool: the norm's p (default 2). */
  p?: number;
  /** Per-axis forms, in place of kernel / stride / pad: kernel_shape, strides, pads ([begins..., ends...]). */
  kernelShape?: readonly number[];
  strides?: readonly number[];
  pads?: readonly number[];
  dilations?: readonly number[];
  ceilMode?: boolean;
  /** auto_pad; with anything but NOTSET no pads are written. */
  autoPad?: 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';
  /** MaxPool: storage_order of the Indices (1: column-major). */
  storageOrder?: 0 | 1;
  /** MaxPool: a second output `indices` (int64, output-shaped). */
  withIndices?: boolean;
  /** MaxUnpool: a third input `output_shape` (int64, [rank + 2]), the unpooled shape. */
  withOutputShape?: boolean;
  /** The opset imported (default OPSET_VERSION; AveragePool's dilations need 19). */
  opset?: number;
}

function valueInfo(w: ProtoWriter, name: string, shape: readonly number[], elementType = ONNX_FLOAT): void {
  w.string(1, name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.int(1, elementType).message(2, (s) => {
        // A negative extent is left symbolic (dim_param), for ONNX's own shape inference to fill.
        shape.forEach((d, i) => s.message(1, (dim) => (d < 0 ? dim.string(2, `d${i}`) : dim.int(1, d))));
      }),
    ),
  );
}

function intsAttribute(w: ProtoWriter, name: string, values: readonly number[]): void {
  w.message(5, (a) => a.string(1, name).int(20, ATTR_INTS).ints(8, values));
}

function intAttribute(w: ProtoWriter, name: string, value: number): void {
  w.message(5, (a) => a.string(1, name).int(20, ATTR_INT).int(3, value));
}

function stringAttribute(w: ProtoWriter, name: string, value: string): void {
  w.message(5, (a) => a.string(1, name).int(20, ATTR_STRING).string(4, value));
}

/** A serialized ModelProto with one pooling node from input `x` to output `y`. */
export function onnxPoolModel(m: OnnxPoolModel): Uint8Array {
  const windowed = m.op === 'MaxPool' || m.op === 'AveragePool' || m.op === 'LpPool' || m.op === 'MaxUnpool';
  const rank = m.input.length - 2;
  const each = (v: number, n = rank) => new Array<number>(n).fill(v);
  const kernelShape = m.kernelShape ?? (m.kernel === undefined ? undefined : each(m.kernel));
  const strides = m.strides ?? (m.stride === undefined ? undefined : each(m.stride));
  const autoPad = m.autoPad ?? 'NOTSET';
  const pads = autoPad !== 'NOTSET' ? undefined : (m.pads ?? (m.pad === undefined ? undefined : each(m.pad, 2 * rank)));
  if (windowed && (kernelShape === undefined || strides === undefined || (pads === undefined && autoPad === 'NOTSET'))) {
    throw new Error(`onnxPoolModel: ${m.op} needs kernel, stride and pad (or auto_pad)`);
  }
  return new ProtoWriter()
    .int(1, IR_VERSION)
    .string(2, 'webgpu-pooling-bench')
    .message(7, (graph) => {
      graph.message(1, (node) => {
        // MaxUnpool's second input: the Indices (int64, shaped as x).
        node.string(1, 'x');
        if (m.op === 'MaxUnpool') node.string(1, 'indices');
        if (m.op === 'MaxUnpool' && m.withOutputShape) node.string(1, 'output_shape');
        node.string(2, 'y');
        if (m.withIndices) node.string(2, 'indices');
        node.string(3, m.op.toLowerCase()).string(4, m.op);
        if (windowed) {
          intsAttribute(node, 'kernel_shape', kernelShape!);
          intsAttribute(node, 'strides', strides!);
          if (pads) intsAttribute(node, 'pads', pads);
          if (autoPad !== 'NOTSET') stringAttribute(node, 'auto_pad', autoPad);
          if (m.dilations) intsAttribute(node, 'dilations', m.dilations);
          if (m.ceilMode) intAttribute(node, 'ceil_mode', 1);
          if (m.storageOrder) intAttribute(node, 'storage_order', m.storageOrder);
          if (m.op === 'AveragePool') intAttribute(node, 'count_include_pad', m.countIncludePad === false ? 0 : 1);
          if (m.op === 'LpPool') intAttribute(node, 'p', m.p ?? 2);
        }
      });
      graph.string(2, `${m.op}_${m.input.join('x')}`);
      graph.message(11, (v) => valueInfo(v, 'x', m.input));
      if (m.op === 'MaxUnpool') graph.message(11, (v) => valueInfo(v, 'indices', m.input, ONNX_INT64));
      if (m.op === 'MaxUnpool' && m.withOutputShape) graph.message(11, (v) => valueInfo(v, 'output_shape', [rank + 2], ONNX_INT64));
      graph.message(12, (v) => valueInfo(v, 'y', m.output));
      if (m.withIndices) graph.message(12, (v) => valueInfo(v, 'indices', m.output, ONNX_INT64));
    })
    .message(8, (opset) => opset.string(1, '').int(2, m.opset ?? OPSET_VERSION))
    .finish();
}
