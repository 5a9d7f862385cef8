/** Memory order of a 4-D tensor. Shapes are always given logically as [N, C, H, W]. */
export type Layout = 'NCHW' | 'NHWC';
/**
 * Memory order of a tensor of any rank (2-5). Shapes are always logical and channel-first
 * ([N, C, ...spatial]); the layout only names how the elements lie in memory.
 */
export type TensorLayout = 'NC' | 'NCL' | 'NLC' | Layout | 'NCDHW' | 'NDHWC';
/** Spatial axes of a windowed op: 1 (L), 2 (H, W) or 3 (D, H, W). */
export type SpatialRank = 1 | 2 | 3;
export type DType = 'float32' | 'float16';
export type BackendName = 'webgpu' | 'cpu';
export type BackwardAlgorithm = 'auto' | 'scatter' | 'gather';

export type Pair = number | [number, number];
export type Padding = number | [number, number] | [number, number, number, number] | 'valid' | 'same' | 'same-lower';
/** A per-axis value: one number for every axis, or one entry per spatial axis. */
export type PerAxis = number | readonly number[];
/**
 * Padding of an op of any rank: a number, one entry per axis, begins then ends (2·rank entries),
 * 'valid' (none), 'same' (ONNX SAME_UPPER: the odd pad at the end) or 'same-lower' (at the begin).
 */
export type PaddingNd = number | readonly number[] | 'valid' | 'same' | 'same-lower';

/** Options of the windowed ops of every rank; one entry per spatial axis where an array is given. */
export interface PoolNdOptions {
  kernelSize: PerAxis;
  stride?: PerAxis;
  padding?: PaddingNd;
  dilation?: PerAxis;
  ceilMode?: boolean;
  /**
   * TensorFlow's window rule (docs/semantics.md, "Empty windows"): pads of any size, and ceil mode
   * keeps a last window that starts in the end padding. Windows without an element then give the
   * max ops' emptyValue (index -1) and 0 for average pooling. Default false: PyTorch's rule.
   */
  allowEmptyWindows?: boolean;
}
/**
 * How max-pooling indices are numbered (docs/api.md "Index formats"), on the ops that return them
 * and the ops that take them: 'plane' (default) is the row-major position in each (n, c) plane
 * (PyTorch); 'tensor' the position in the whole logical channel-first tensor (ONNX MaxPool);
 * indexOrder 'column-major' orders positions within the plane column-major (ONNX storage_order 1).
 */
export interface IndexFormatOptions {
  indexFormat?: 'plane' | 'tensor' | 'channels-last' | 'channels-last-tensor';
  indexOrder?: 'row-major' | 'column-major';
}

export interface MaxPoolNdOptions extends PoolNdOptions, IndexFormatOptions {
  padValue?: number;
  returnIndices?: boolean;  /**
   * NaN inside a window: 'propagate' (PyTorch, default: a NaN is the max, the last NaN wins) or
   * 'ignore' (TF.js and TensorFlow: a NaN never takes the max; a window of NaN only gives -Infinity
   * and index -1). docs/semantics.md, "Max pooling".
   */
  nan?: 'propagate' | 'ignore';
  /** The value of a window with no candidate (float32): -Infinity (default), or e.g. TF.js's -1e20. */
  emptyValue?: number;
}
export interface AvgPoolNdOptions extends PoolNdOptions {
  countIncludePad?: boolean;
  divisorOverride?: number;
}
export type MaxPool1dOptions = MaxPoolNdOptions;
export type MaxPool3dOptions = MaxPoolNdOptions;
export type AvgPool1dOptions = AvgPoolNdOptions;
export type AvgPool3dOptions = AvgPoolNdOptions;
export type MaxPoolNdBackwardOptions = MaxPoolNdOptions & BackwardOptions;
export type AvgPoolNdBackwardOptions = AvgPoolNdOptions & BackwardOptions;

/**
 * A resolved pooling window of any spatial rank over one input shape: per-axis arrays, each of
 * length `rank`, in axis order (D, H, W / H, W / L). 2-D is the case of two axes.
 */
export interface WindowGeometry {
  readonly rank: SpatialRank;
  readonly N: number;
  readonly C: number;
  readonly inSize: readonly number[];
  readonly outSize: readonly number[];
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly dilation: readonly number[];
  readonly padBegin: readonly number[];
  readonly padEnd: readonly number[];
}

export interface MaxWindow extends WindowGeometry {
  readonly padWithZero: boolean;
  /** The `nan: 'ignore'` rule (TF.js's): a NaN never takes the max. Absent or false: PyTorch's, NaN propagates. */
  readonly ignoreNan?: boolean;
  /** The value of a window with no candidate (float32); absent: -Infinity. */
  readonly emptyValue?: number;
}

export interface AvgWindow extends WindowGeometry {
  readonly countIncludePad: boolean;
  /** 0 when not given. */
  readonly divisorOverride: number;
}

/** Options of the windowed ops; names and meaning follow PyTorch (see docs/semantics.md). */
export interface Pool2dOptions {
  kernelSize: Pair;
  stride?: Pair;
  /** number, [pH, pW], [top, left, bottom, right], 'valid' (none), 'same' (output = ceil(in / stride), the odd pad at the end) or 'same-lower' (at the begin). */
  padding?: Padding;
  dilation?: Pair;
  ceilMode?: boolean;
  /**
   * TensorFlow's window rule (docs/semantics.md, "Empty windows"): pads of any size, and ceil mode
   * keeps a last window that starts in the end padding. Windows without an element then give the
   * max ops' emptyValue (index -1) and 0 for average pooling. Default false: PyTorch's rule.
   */
  allowEmptyWindows?: boolean;
}

export interface MaxPool2dOptions extends Pool2dOptions, IndexFormatOptions {
  /** Value of the padded positions: -Infinity (PyTorch, default) or 0 (the derivation's zero padding). */
  padValue?: number;
  returnIndices?: boolean;
  /**
   * NaN inside a window: 'propagate' (PyTorch, default: a NaN is the max, the last NaN wins) or
   * 'ignore' (TF.js and TensorFlow: a NaN never takes the max; a window of NaN only gives -Infinity
   * and index -1). docs/semantics.md, "Max pooling".
   */
  nan?: 'propagate' | 'ignore';
  /** The value of a window with no candidate (float32): -Infinity (default), or e.g. TF.js's -1e20. */
  emptyValue?: number;
}

export interface AvgPool2dOptions extends Pool2dOptions {
  countIncludePad?: boolean;
  divisorOverride?: number;
}

export interface BackwardOptions {
  /** Logical shape of the forward input: [N, C, L], [N, C, H, W] or [N, C, D, H, W]. */
  inputShape: readonly number[];
  backward?: BackwardAlgorithm;
}

export type MaxPool2dBackwardOptions = MaxPool2dOptions & BackwardOptions;
export type AvgPool2dBackwardOptions = AvgPool2dOptions & BackwardOptions;

export interface GlobalPoolOptions {
  /** Keep the spatial axes as 1s ([N, C, 1, 1] for a rank-4 input, in its layout) instead of [N, C]. */
  keepDims?: boolean;
}
export interface GlobalMaxPoolOptions extends GlobalPoolOptions, IndexFormatOptions {
  returnIndices?: boolean;
}
export interface GlobalBackwardOptions extends IndexFormatOptions {
  /** Logical shape of the forward input (rank 3-5). */
  inputShape: readonly number[];
  /** Accepted (and checked) so that the forward's options can be passed along. */
  keepDims?: boolean;
  /** Accepted by globalMaxPoolBackward for the same reason. */
  returnIndices?: boolean;
}

/** A fully resolved 2-D pooling window over one input shape: every number the kernels need. */
export interface PoolGeometry {
  readonly N: number;
  readonly C: number;
  readonly H: number;
  readonly W: number;
  readonly kH: number;
  readonly kW: number;
  readonly sH: number;
  readonly sW: number;
  readonly dH: number;
  readonly dW: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly padBottom: number;
  readonly padRight: number;
  readonly outH: number;
  readonly outW: number;
}

export interface MaxPoolParams extends PoolGeometry {
  /** true: padded positions hold 0 and take part in the max (the derivation's eq. 1). */
  readonly padWithZero: boolean;
  /** `nan: 'ignore'`: a NaN never takes the max (MaxWindow.ignoreNan). */
  readonly ignoreNan?: boolean;
  /** The value of a window with no candidate (MaxWindow.emptyValue); absent: -Infinity. */
  readonly emptyValue?: number;
}

export interface AvgPoolParams extends PoolGeometry {
  readonly countIncludePad: boolean;
  /** 0 when not given. */
  readonly divisorOverride: number;
}

/** Logical shape of a plane set for the global ops. */
export interface PlaneShape {
  readonly N: number;
  readonly C: number;
  readonly H: number;
  readonly W: number;
}

export interface AdapterInfoSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}
