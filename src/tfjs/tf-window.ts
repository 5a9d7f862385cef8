/**
 * TF.js pooling attributes → this library's window. TF.js tensors are NHWC, so the logical shape is
 * [N, C, H, W] with layout 'NHWC' and no data moves. TF.js's own conv-info function resolves 'same',
 * 'valid', a number or explicit padding, and dimRoundingMode, into pads and an output size; the
 * window here takes those pads as [top, left, bottom, right] and picks ceilMode so that the output
 * size is TF.js's (dy's, for the gradients). When none does (a rounding whose last window would start in the end padding,
 * which PyTorch's rule drops), the caller runs TF.js's own kernel.
 */
import type { backend_util } from '@tensorflow/tfjs-core';
import { PoolingError } from '../errors.js';
import { resolveAvgPool, resolveMaxPool } from '../params.js';
import type { AvgPoolParams, MaxPoolParams } from '../types.js';

export type ComputePool2DInfo = typeof backend_util.computePool2DInfo;

export interface TfPoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export type TfWindow<P> = { params: P; outShape: [number, number, number, number] } | { unsupported: string };

/**
 * Resolves the window for an NHWC input of TF.js shape [N, H, W, C]. Average pooling divides by the
 * real elements of each window (TF's rule: countIncludePad false); max pooling pads with −∞.
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
  const base = {
    kernelSize: [info.filterHeight, info.filterWidth] as [number, number],
    stride: [info.strideHeight, info.strideWidth] as [number, number],
    padding: [padInfo.top, padInfo.left, padInfo.bottom, padInfo.right] as [number, number, number, number],
  };
  let reason = `the output ${outHeight}x${outWidth} is neither floor- nor ceil-mode's`;
  for (const ceilMode of [false, true]) {
    try {
      const params =
        kind === 'max'
          ? resolveMaxPool('MaxPool', [N, C, H, W], { ...base, ceilMode })
          : resolveAvgPool('AvgPool', [N, C, H, W], { ...base, ceilMode, countIncludePad: false });
      if (params.outH === outHeight && params.outW === outWidth) return { params: params as P, outShape: [N, outHeight, outWidth, C] };
    } catch (e) {
      if (!(e instanceof PoolingError)) throw e;
      reason = e.message;
    }
  }
  return { unsupported: reason };
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
