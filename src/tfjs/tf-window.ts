/**
 * TF.js pooling attributes → this library's window. TF.js tensors are NHWC, so the logical shape is
 * [N, C, H, W] with layout 'NHWC' and no data moves. TF.js's own conv-info function resolves 'same',
 * 'valid', a number or explicit padding, and dimRoundingMode, into pads and an output size; the
 * window here takes those pads as [top, left, bottom, right], in floor mode, with the end pads
 * grown where TF.js's rounding asks for more windows (dy's size, for the gradients).
 */
import type { backend_util } from '@tensorflow/tfjs-core';
import { PoolingError } from '../errors.js';
import { resolveAvgPool, resolveAvgWindow, resolveMaxPool, resolveMaxWindow } from '../params.js';
import type { AvgPoolParams, AvgWindow, MaxPoolParams, MaxWindow } from '../types.js';

/** TF.js webgpu's starting value of a max window (`-1.0 / pow(10.0, -20.0)`): what a window with no element gives there. */
export const TF_EMPTY_MAX = -1e20;

export type ComputePool2DInfo = typeof backend_util.computePool2DInfo;

export interface TfPoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * `identity`: TF.js's pooling kernels return their input unchanged for a 1×1 filter whose output
 * shape equals the input's, whatever the stride and padding (tfjs-backend-webgpu's poolImpl, and
 * its cpu backend); the plug-in gives the same result, a copy.
 */
export type TfWindow<P> = { params: P; window: MaxWindow | AvgWindow; outShape: [number, number, number, number]; identity: boolean } | { unsupported: string };

/**
 * Resolves the window for an NHWC input of TF.js shape [N, H, W, C]. Average pooling divides by the
 * real elements of each window (TF's rule: countIncludePad false); max pooling pads with −∞ and
 * ignores NaN (TF's rule: nan 'ignore', which TF.js's tests pin on every backend); a window with
 * no element gives TF.js webgpu's −1e20 (max) or 0 (average).
 */
function resolve<P extends MaxPoolParams | AvgPoolParams>(
  computePool2DInfo: ComputePool2DInfo,
  kind: 'max' | 'avg',
  xShape: readonly number[],
  attrs: TfPoolAttrs,
  outShape: readonly number[] | undefined,
): TfWindow<P> {
  if (xShape.length !== 4) return { unsupported: `input rank ${xShape.length} (2-D pooling takes [N, H, W, C])` };
  const [N, H, W, C] = xShape as [number, number, number, number];
  if (N * H * W * C === 0) return { unsupported: 'an empty input' };
  let info: ReturnType<ComputePool2DInfo>;
  try {
    info = computePool2DInfo([N, H, W, C], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  } catch (e) {
    return { unsupported: `TF.js rejects the attributes: ${(e as Error).message}` };
  }
  const { padInfo } = info;
  const [outHeight, outWidth] = outShape ? [outShape[1]!, outShape[2]!] : [info.outHeight, info.outWidth];
  if (outShape && (outShape.length !== 4 || outShape[0] !== N || outShape[3] !== C)) return { unsupported: `dy shape [${outShape}] does not fit input [${xShape}]` };
  // TF.js rounds each axis on its own ('round' may round one down and the other up). A window past
  // the declared end padding holds no element, so the windows TF.js's output size asks for are
  // those of floor mode with the end pad grown to reach them: padding takes no part in the max,
  // nor in the average's divisor (countIncludePad false), so the results are TF.js's.
  const grown = (out: number, size: number, f: number, s: number, begin: number, end: number) => Math.max(end, (out - 1) * s + f - size - begin);
  const options = {
    kernelSize: [info.filterHeight, info.filterWidth] as [number, number],
    stride: [info.strideHeight, info.strideWidth] as [number, number],
    padding: [
      padInfo.top,
      padInfo.left,
      grown(outHeight, H, info.filterHeight, info.strideHeight, padInfo.top, padInfo.bottom),
      grown(outWidth, W, info.filterWidth, info.strideWidth, padInfo.left, padInfo.right),
    ] as [number, number, number, number],
    // TensorFlow's window rule: pads of any size, windows without an element (docs/semantics.md, "Empty windows").
    allowEmptyWindows: true,
  };
  const identity = info.filterHeight === 1 && info.filterWidth === 1 && outHeight === H && outWidth === W;
  try {
    const o = kind === 'max' ? { ...options, nan: 'ignore', emptyValue: TF_EMPTY_MAX } : { ...options, countIncludePad: false };
    const window = kind === 'max' ? resolveMaxWindow('MaxPool', 2, [N, C, H, W], o) : resolveAvgWindow('AvgPool', 2, [N, C, H, W], o);
    const params = kind === 'max' ? resolveMaxPool('MaxPool', [N, C, H, W], o) : resolveAvgPool('AvgPool', [N, C, H, W], o);
    if (params.outH === outHeight && params.outW === outWidth) return { params: params as P, window, outShape: [N, outHeight, outWidth, C], identity };
    return { unsupported: `the output ${outHeight}x${outWidth} is smaller than floor mode's ${params.outH}x${params.outW}` };
  } catch (e) {
    if (!(e instanceof PoolingError)) throw e;
    return { unsupported: e.message };
  }
}

/**
 * `dyShape` (backward): the output size is dy's rather than the attributes'. TF.js's gradient
 * functions drop dimRoundingMode (tfjs-core gradients/MaxPool_grad.js, AvgPool_grad.js), so the
 * attributes of MaxPoolGrad / AvgPoolGrad under-state a rounded-up output; dy's size is the truth.
 */
export function tfMaxPoolWindow(computePool2DInfo: ComputePool2DInfo, xShape: readonly number[], attrs: TfPoolAttrs, dyShape?: readonly number[]): TfWindow<MaxPoolParams> {
  return resolve<MaxPoolParams>(computePool2DInfo, 'max', xShape, attrs, dyShape);
}

export function tfAvgPoolWindow(computePool2DInfo: ComputePool2DInfo, xShape: readonly number[], attrs: TfPoolAttrs, dyShape?: readonly number[]): TfWindow<AvgPoolParams> {
  return resolve<AvgPoolParams>(computePool2DInfo, 'avg', xShape, attrs, dyShape);
}
