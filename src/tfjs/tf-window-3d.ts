/**
 * TF.js 3-D pooling attributes → this library's 3-D window (MaxPool3D, AvgPool3D and their
 * gradients). TF.js tensors are NDHWC, so the logical shape is [N, C, D, H, W] with layout 'NDHWC'
 * and no data moves. TF.js's own computePool3DInfo resolves the padding and rounding; as in 2-D
 * (tf-window.ts) the window takes its pads in floor mode, with each end pad grown where TF.js's
 * rounding asks for more windows, and TensorFlow's rules: allowEmptyWindows, nan 'ignore' and
 * TF.js webgpu's -1e20 for a max window with no element, the real elements as the average's divisor.
 */
import type { backend_util } from '@tensorflow/tfjs-core';
import { PoolingError } from '../errors.js';
import { resolveAvgWindow, resolveMaxWindow } from '../params.js';
import type { AvgWindow, MaxWindow } from '../types.js';
import { TF_EMPTY_MAX } from './tf-window.js';

export type ComputePool3DInfo = typeof backend_util.computePool3DInfo;

export interface TfPool3dAttrs {
  filterSize: [number, number, number] | number;
  strides: [number, number, number] | number;
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** `emptyOutput`: TF.js's output (dy, for a gradient) has no element, so there is nothing to pool. */
export type TfWindow3d<W> = { g: W; outShape: [number, number, number, number, number] } | { emptyOutput: [number, number, number, number, number] } | { unsupported: string };

function resolve3d<W extends MaxWindow | AvgWindow>(compute: ComputePool3DInfo, kind: 'max' | 'avg', xShape: readonly number[], attrs: TfPool3dAttrs, dyShape: readonly number[] | undefined): TfWindow3d<W> {
  if (xShape.length !== 5) return { unsupported: `input rank ${xShape.length} (3-D pooling takes [N, D, H, W, C])` };
  const [N, D, H, W, C] = xShape as [number, number, number, number, number];
  if (N * D * H * W * C === 0) return { unsupported: 'an empty input' };
  let info: ReturnType<ComputePool3DInfo>;
  try {
    info = compute([N, D, H, W, C], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, 'NDHWC');
  } catch (e) {
    return { unsupported: `TF.js rejects the attributes: ${(e as Error).message}` };
  }
  if (dyShape && (dyShape.length !== 5 || dyShape[0] !== N || dyShape[4] !== C)) return { unsupported: `dy shape [${dyShape}] does not fit input [${xShape}]` };
  const out = dyShape ? [dyShape[1]!, dyShape[2]!, dyShape[3]!] : [info.outDepth, info.outHeight, info.outWidth];
  if (out.some((o) => o === 0)) return { emptyOutput: [N, out[0]!, out[1]!, out[2]!, C] };
  const k = [info.filterDepth, info.filterHeight, info.filterWidth];
  const s = [info.strideDepth, info.strideHeight, info.strideWidth];
  const p = info.padInfo;
  const begin = [p.front, p.top, p.left];
  const end = [p.back, p.bottom, p.right];
  const size = [D, H, W];
  const grownEnd = end.map((e, a) => Math.max(e, (out[a]! - 1) * s[a]! + k[a]! - size[a]! - begin[a]!));
  const options = { kernelSize: k, stride: s, padding: [...begin, ...grownEnd], allowEmptyWindows: true };
  try {
    const g = kind === 'max' ? resolveMaxWindow('MaxPool3D', 3, [N, C, D, H, W], { ...options, nan: 'ignore', emptyValue: TF_EMPTY_MAX }) : resolveAvgWindow('AvgPool3D', 3, [N, C, D, H, W], { ...options, countIncludePad: false });
    if (g.outSize.some((o, a) => o !== out[a])) return { unsupported: `the output ${out.join('x')} is smaller than floor mode's ${g.outSize.join('x')}` };
    return { g: g as W, outShape: [N, out[0]!, out[1]!, out[2]!, C] };
  } catch (e) {
    if (!(e instanceof PoolingError)) throw e;
    return { unsupported: e.message };
  }
}

/** `dyShape` (gradients): the output size is dy's, as in 2-D. */
export function tfMaxPool3dWindow(compute: ComputePool3DInfo, xShape: readonly number[], attrs: TfPool3dAttrs, dyShape?: readonly number[]): TfWindow3d<MaxWindow> {
  return resolve3d<MaxWindow>(compute, 'max', xShape, attrs, dyShape);
}

export function tfAvgPool3dWindow(compute: ComputePool3DInfo, xShape: readonly number[], attrs: TfPool3dAttrs, dyShape?: readonly number[]): TfWindow3d<AvgWindow> {
  return resolve3d<AvgWindow>(compute, 'avg', xShape, attrs, dyShape);
}
