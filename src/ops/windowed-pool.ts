/**
 * The windowed ops of every spatial rank as descriptors: max and average pooling, forward and
 * backward. Which kernels run (docs/nd-selection.md): windows of rank 1 and 2 that the plane
 * kernels take (every max pool, average pools without dilation) run them, a 1-D window as a plane
 * of one row, so they keep every 2-D optimisation; 3-D windows and dilated average pools run the
 * N-d kernels (shaders/nd/). The CPU side makes the same split between the 2-D CPU kernels and the
 * N-d ones.
 */
import { hasEmptyWindows, inputShapeOf, outputShape, planeGeometry } from '../geometry.js';
import { avgPoolForwardPlan } from '../kernels/avg-pool.js';
import { avgPoolBackwardPlan } from '../kernels/avg-pool-backward.js';
import { chooseBackwardForm } from '../kernels/backward-choice.js';
import { maxPoolForwardPlan } from '../kernels/max-pool.js';
import { maxPoolBackwardPlan } from '../kernels/max-pool-backward.js';
import { ndBackwardPlan, ndForwardPlan, ndGatherKernel, type NdBackwardForm } from '../kernels/nd-pool.js';
import { isChannelsLast, planeLayout } from '../layouts.js';
import { maxPlaneParams } from '../params.js';
import { cpuRuntime } from '../cpu-runtime-loader.js';
import type { AdapterKind } from '../adapter-profile.js';
import type { AvgPoolParams, AvgWindow, BackwardAlgorithm, MaxPoolParams, MaxWindow, SpatialRank, TensorLayout, WindowGeometry } from '../types.js';
import { avgForwardChoice, maxForwardChoice, ndBackwardChoice, ndForwardChoice, planeBackwardChoice } from './windowed-alternatives.js';
import { backwardSteps, type DeviceProfile, type HostArray, type HostArrays, type OpDescriptor, type OutputSpec } from './descriptor.js';

/** The host kernels, in the CPU runtime's chunk (cpu-runtime.ts): loaded before any runs. */
const fast = () => cpuRuntime().kernels;
const reference = () => cpuRuntime().reference;

export interface MaxForwardParams {
  readonly g: MaxWindow;
  readonly layout: TensorLayout;
  readonly withIndices: boolean;
}
export interface AvgForwardParams {
  readonly g: AvgWindow;
  readonly layout: TensorLayout;
}
export interface BackwardParams<W> {
  readonly g: W;
  readonly layout: TensorLayout;
  readonly algorithm: BackwardAlgorithm;
}

/**
 * Whether the plane (2-D) kernels run this window: rank 1 or 2, no dilation for average pooling,
 * and no window without an element unless dilation made it (allowEmptyWindows' pads and kept
 * ceil-mode windows run the N-d kernels, which take empty windows on every path).
 */
export function onPlaneKernels(g: MaxWindow | AvgWindow, reduction: 'max' | 'avg'): boolean {
  if (g.rank === 3) return false;
  const dilated = g.dilation.some((d) => d > 1);
  if (reduction === 'avg' && dilated) return false;
  return dilated || !hasEmptyWindows(g);
}

const maxPlane = maxPlaneParams;

function avgPlane(g: AvgWindow): AvgPoolParams {
  return { ...planeGeometry(g), countIncludePad: g.countIncludePad, divisorOverride: g.divisorOverride };
}

/**
 * The N-d backward form for 'auto' (docs/nd-selection.md, "3-D backward: scatter or gather"):
 *  - max pooling: scatter (one atomic add per output into its argmax, rarely contended); the near
 *    gather measured 4-7x slower on SwiftShader and 0.85-1.25x on llvmpipe;
 *  - average pooling: the near gather (ndGatherKernel: no dilation, (k − 1) < 2·s on every axis:
 *    deterministic, no clear, no atomics), 2.0-5.7x faster than the scatter on llvmpipe, except on
 *    SwiftShader, where the scatter measured 0.9-1.9x the gather's speed (its atomics are cheap);
 *  - average pooling with any other window: scatter (the general gather walks loops of outputs per
 *    element and measured 3-6x slower on both software adapters).
 * Hardware GPUs take the branches of llvmpipe: compare-exchange float adds are their slow case.
 */
export function chooseNdBackwardForm(reduction: 'max' | 'avg', g: WindowGeometry, requested: BackwardAlgorithm, kind: AdapterKind): NdBackwardForm {
  if (requested !== 'auto') return requested;
  if (reduction === 'max') return 'scatter';
  return ndGatherKernel(g) === 'gather_near' && kind !== 'swiftshader' ? 'gather' : 'scatter';
}

const f32 = (a: HostArrays, slot: string) => a[slot] as Float32Array;
const i32 = (a: HostArrays, slot: string) => a[slot] as Int32Array;

function forwardOutputs(shape: number[], layout: TensorLayout, withIndices: boolean): OutputSpec[] {
  const y: OutputSpec = { slot: 'y', shape, layout, dtype: 'float32' };
  return withIndices ? [y, { slot: 'indices', shape, layout, dtype: 'int32' }] : [y];
}

function dxOutput<W extends MaxWindow | AvgWindow>(p: BackwardParams<W>): OutputSpec[] {
  return [{ slot: 'dx', shape: inputShapeOf(p.g), layout: p.layout, dtype: 'float32' }];
}

export function maxPoolOp(rank: SpatialRank): OpDescriptor<MaxForwardParams> {
  return {
    name: `maxPool${rank}d`,
    returns: 'output-indices',
    inputs: ['x'],
    slicing: 'rows',
    outputs: (p) => forwardOutputs(outputShape(p.g), p.layout, p.withIndices),
    gpu: (p) => {
      const plan = onPlaneKernels(p.g, 'max') ? maxPoolForwardPlan(maxPlane(p.g), planeLayout(p.layout), p.withIndices) : ndForwardPlan('max', p.g, isChannelsLast(p.layout), p.withIndices);
      return { steps: [{ kind: 'kernel', plan }], scratch: [] };
    },
    gpuAlternatives: (p) => (onPlaneKernels(p.g, 'max') ? maxForwardChoice(p.g, p.layout, p.withIndices) : ndForwardChoice('max', p.g, p.layout, p.withIndices)),
    cpu: (p, a): Record<string, HostArray> => {
      // The plane CPU kernels (and their SIMD forms) keep PyTorch's NaN rule and −∞ for an empty
      // window only; 'ignore' and emptyValue run the N-d kernel.
      if (onPlaneKernels(p.g, 'max') && !p.g.ignoreNan && p.g.emptyValue === undefined) {
        const r = fast().maxPool2dForward(f32(a, 'x'), planeLayout(p.layout), maxPlane(p.g), p.withIndices);
        return r.indices ? { y: r.output, indices: r.indices } : { y: r.output };
      }
      // 3-D: every depth slice through the 2-D SIMD kernels, then the depth taps (volume-by-planes.ts).
      const v = fast().maxPool3dByPlanes(f32(a, 'x'), isChannelsLast(p.layout), p.g, p.withIndices);
      if (v) return v.indices ? { y: v.output, indices: v.indices } : { y: v.output };
      const r = fast().maxPoolNd(f32(a, 'x'), isChannelsLast(p.layout), p.g);
      return p.withIndices ? { y: r.output, indices: r.indices } : { y: r.output };
    },
    reference: (p, a): Record<string, HostArray> => {
      const r = reference().maxPoolNdForward(f32(a, 'x'), isChannelsLast(p.layout), p.g);
      return p.withIndices ? { y: r.output, indices: r.indices } : { y: r.output };
    },
  };
}

export function avgPoolOp(rank: SpatialRank): OpDescriptor<AvgForwardParams> {
  return {
    name: `avgPool${rank}d`,
    returns: 'tensor',
    inputs: ['x'],
    slicing: 'rows',
    outputs: (p) => forwardOutputs(outputShape(p.g), p.layout, false),
    gpu: (p) => {
      const plan = onPlaneKernels(p.g, 'avg') ? avgPoolForwardPlan(avgPlane(p.g), planeLayout(p.layout)) : ndForwardPlan('avg', p.g, isChannelsLast(p.layout));
      return { steps: [{ kind: 'kernel', plan }], scratch: [] };
    },
    gpuAlternatives: (p) => (onPlaneKernels(p.g, 'avg') ? avgForwardChoice(p.g, avgPlane(p.g), p.layout) : ndForwardChoice('avg', p.g, p.layout, false)),
    cpu: (p, a) => {
      const x = f32(a, 'x');
      if (onPlaneKernels(p.g, 'avg')) return { y: fast().avgPool2dForward(x, planeLayout(p.layout), avgPlane(p.g)) };
      // 3-D: the depth slices' 2-D sums by the SIMD kernel, then the depth taps (volume-by-planes.ts).
      return { y: fast().avgPool3dByPlanes(x, isChannelsLast(p.layout), p.g) ?? fast().avgPoolNd(x, isChannelsLast(p.layout), p.g) };
    },
    reference: (p, a) => ({ y: reference().avgPoolNdForward(f32(a, 'x'), isChannelsLast(p.layout), p.g) }),
  };
}

export function maxPoolBackwardOp(rank: SpatialRank): OpDescriptor<BackwardParams<MaxWindow>> {
  return {
    name: `maxPool${rank}dBackward`,
    returns: 'tensor',
    inputs: ['dy', 'indices'],
    slicing: 'rows',
    intInputs: ['indices'],
    outputs: dxOutput,
    gpu: (p, device: DeviceProfile) => {
      if (onPlaneKernels(p.g, 'max')) {
        const plane = maxPlane(p.g);
        const layout = planeLayout(p.layout);
        return { steps: backwardSteps(maxPoolBackwardPlan(plane, layout, chooseBackwardForm('max', plane, p.algorithm, device.adapter, layout))), scratch: [] };
      }
      return { steps: backwardSteps(ndBackwardPlan('max', p.g, isChannelsLast(p.layout), chooseNdBackwardForm('max', p.g, p.algorithm, device.kind))), scratch: [] };
    },
    gpuAlternatives: (p, device) =>
      onPlaneKernels(p.g, 'max') ? planeBackwardChoice('max', p.g, maxPlane(p.g), p.layout, p.algorithm, device) : ndBackwardChoice('max', p.g, p.layout, p.algorithm, chooseNdBackwardForm('max', p.g, p.algorithm, device.kind)),
    cpu: (p, a) => ({
      dx: onPlaneKernels(p.g, 'max') ? fast().maxPool2dBackward(f32(a, 'dy'), i32(a, 'indices'), planeLayout(p.layout), planeGeometry(p.g)) : fast().maxPoolNdBackward(f32(a, 'dy'), i32(a, 'indices'), isChannelsLast(p.layout), p.g),
    }),
    reference: (p, a) => ({ dx: reference().maxPoolNdBackward(f32(a, 'dy'), i32(a, 'indices'), isChannelsLast(p.layout), p.g) }),
  };
}

export function avgPoolBackwardOp(rank: SpatialRank): OpDescriptor<BackwardParams<AvgWindow>> {
  return {
    name: `avgPool${rank}dBackward`,
    returns: 'tensor',
    inputs: ['dy'],
    slicing: 'rows',
    outputs: dxOutput,
    gpu: (p, device: DeviceProfile) => {
      if (onPlaneKernels(p.g, 'avg')) {
        const plane = avgPlane(p.g);
        const layout = planeLayout(p.layout);
        return { steps: backwardSteps(avgPoolBackwardPlan(plane, layout, chooseBackwardForm('avg', plane, p.algorithm, device.adapter, layout))), scratch: [] };
      }
      return { steps: backwardSteps(ndBackwardPlan('avg', p.g, isChannelsLast(p.layout), chooseNdBackwardForm('avg', p.g, p.algorithm, device.kind))), scratch: [] };
    },
    gpuAlternatives: (p, device) =>
      onPlaneKernels(p.g, 'avg') ? planeBackwardChoice('avg', p.g, avgPlane(p.g), p.layout, p.algorithm, device) : ndBackwardChoice('avg', p.g, p.layout, p.algorithm, chooseNdBackwardForm('avg', p.g, p.algorithm, device.kind)),
    cpu: (p, a) => ({
      dx: onPlaneKernels(p.g, 'avg') ? fast().avgPool2dBackward(f32(a, 'dy'), planeLayout(p.layout), avgPlane(p.g)) : fast().avgPoolNdBackward(f32(a, 'dy'), isChannelsLast(p.layout), p.g),
    }),
    reference: (p, a) => ({ dx: reference().avgPoolNdBackward(f32(a, 'dy'), isChannelsLast(p.layout), p.g) }),
  };
}
