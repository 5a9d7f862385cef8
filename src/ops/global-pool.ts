/**
 * Global max and average pooling of every rank, forward and backward, as descriptors. A rank-3 or
 * rank-5 input is a plane set whose plane is its whole row or volume (flat positions are then the
 * API's indices: l, or d·H·W + h·W + w), so the plane kernels and their two-pass reduction serve
 * every rank unchanged.
 */
import { globalBackwardPlan } from '../kernels/global-backward.js';
import { chooseGlobalChunkKernel, globalPoolPlan, PER_PLANE_MAX_SIZE, type GlobalChunkKernel, type GlobalKind } from '../kernels/global-pool.js';
import { sizeBucket } from '../tuning/key.js';
import { cpuRuntime } from '../cpu-runtime-loader.js';
import type { Layout, PlaneShape, TensorLayout } from '../types.js';
import type { DeviceProfile, HostArray, HostArrays, OpDescriptor, OpPlan, OutputSpec } from './descriptor.js';

/** The host kernels, in the CPU runtime's chunk (cpu-runtime.ts): loaded before any runs. */
const fast = () => cpuRuntime().kernels;
const reference = () => cpuRuntime().reference;
const pixelRuns = () => cpuRuntime().globalPixelRuns;
/** Pixels a run starts on: the NCHW sums' four lanes (src/cpu/global-pixel-runs.ts). */
const GLOBAL_RUN_ALIGN = 4;

export interface GlobalForwardParams {
  /** The input as planes (planesOf). */
  readonly s: PlaneShape;
  readonly planeLayout: Layout;
  readonly outShape: readonly number[];
  readonly outLayout: TensorLayout;
  readonly withIndices: boolean;
}

export interface GlobalBackwardParams {
  readonly s: PlaneShape;
  /** The memory order of dx (dy holds one value per plane in every layout). */
  readonly planeLayout: Layout;
  readonly dxShape: readonly number[];
  readonly dxLayout: TensorLayout;
}

/**
 * The plane set of a logical [N, C, ...spatial] shape: rows of the last axis (W, or L), all other
 * spatial axes folded into the row count. Flat positions h·W + w are the same for any such fold, and
 * keeping rows lets a plane larger than one binding split by rows.
 */
export function planesOf(shape: readonly number[]): PlaneShape {
  const spatial = shape.slice(2);
  return { N: shape[0]!, C: shape[1]!, H: spatial.slice(0, -1).reduce((a, b) => a * b, 1), W: spatial[spatial.length - 1]! };
}

const f32 = (a: HostArrays, slot: string) => a[slot] as Float32Array;

function forwardOutputs(kind: GlobalKind, p: GlobalForwardParams): OutputSpec[] {
  const y: OutputSpec = { slot: 'y', shape: p.outShape, layout: p.outLayout, dtype: 'float32' };
  // Max always tracks positions (ties and NaN are decided by them), returned or not.
  return kind === 'max' ? [y, { slot: 'y_indices', shape: p.outShape, layout: p.outLayout, dtype: 'int32', internal: !p.withIndices }] : [y];
}

/** The passes of a global forward (the rules' first-pass kernel unless `chunkKernel` says), with their partials. */
function forwardPlan(kind: GlobalKind, p: GlobalForwardParams, device: DeviceProfile, chunkKernel?: GlobalChunkKernel): OpPlan {
  const plan = globalPoolPlan(kind, p.s, p.planeLayout, device.maxInvocationsPerWorkgroup, { subgroups: device.subgroups, adapter: device.adapter }, chunkKernel);
  const scratch = plan.partialCount > 0 ? [{ slot: 'partials', bytes: plan.partialCount * 4 }, { slot: 'partial_indices', bytes: plan.partialCount * 4 }] : [];
  return { steps: plan.passes.map((plan) => ({ kind: 'kernel' as const, plan })), scratch };
}

export function globalPoolOp(kind: GlobalKind): OpDescriptor<GlobalForwardParams> {
  const name = kind === 'max' ? 'globalMaxPool' : 'globalAvgPool';
  return {
    name,
    returns: kind === 'max' ? 'output-indices' : 'tensor',
    inputs: ['x'],
    outputs: (p) => forwardOutputs(kind, p),
    gpu: (p, device) => forwardPlan(kind, p, device),
    gpuAlternatives: (p, device) => {
      // Only NCHW planes past the one-pass size have a choice: the first pass's workgroup tree,
      // subgroup reduction (where the device has the feature) or one scan per invocation.
      if (p.planeLayout !== 'NCHW' || p.s.H * p.s.W <= PER_PLANE_MAX_SIZE) return undefined;
      const kernels: GlobalChunkKernel[] = device.subgroups ? ['tree', 'subgroup', 'scan'] : ['tree', 'scan'];
      return {
        rule: chooseGlobalChunkKernel(p.planeLayout, { subgroups: device.subgroups, adapter: device.adapter }),
        alternatives: kernels.map((k) => ({ name: k, plan: forwardPlan(kind, p, device, k) })),
        layout: 'NCHW',
        dtype: 'float32',
        shapeClass: `planes~2^${sizeBucket(p.s.N * p.s.C)} plane~2^${sizeBucket(p.s.H * p.s.W)} indices=${p.withIndices ? 1 : 0}`,
      };
    },
    cpuPixels: {
      align: GLOBAL_RUN_ALIGN,
      pixels: (p) => p.s.H * p.s.W,
      start: (p) => (kind === 'avg' ? pixelRuns().globalAvgRuns(p.planeLayout, p.s) : pixelRuns().globalMaxRuns(p.planeLayout, p.s)),
    },
    cpu: (p, a): Record<string, HostArray> => {
      if (kind === 'avg') return { y: fast().globalAvgPool(f32(a, 'x'), p.planeLayout, p.s) };
      const r = fast().globalMaxPool(f32(a, 'x'), p.planeLayout, p.s);
      return { y: r.output, y_indices: r.indices };
    },
    reference: (p, a): Record<string, HostArray> => {
      if (kind === 'avg') return { y: reference().globalAvgPool(f32(a, 'x'), p.planeLayout, p.s) };
      const r = reference().globalMaxPool(f32(a, 'x'), p.planeLayout, p.s);
      return { y: r.output, y_indices: r.indices };
    },
  };
}

export function globalPoolBackwardOp(kind: GlobalKind): OpDescriptor<GlobalBackwardParams> {
  return {
    name: kind === 'max' ? 'globalMaxPoolBackward' : 'globalAvgPoolBackward',
    returns: 'tensor',
    inputs: kind === 'max' ? ['dy', 'indices'] : ['dy'],
    intInputs: ['indices'],
    outputs: (p) => [{ slot: 'dx', shape: p.dxShape, layout: p.dxLayout, dtype: 'float32' }],
    gpu: (p) => ({ steps: [{ kind: 'kernel', plan: globalBackwardPlan(kind, p.s, p.planeLayout) }], scratch: [] }),
    cpuPixels: {
      align: GLOBAL_RUN_ALIGN,
      pixels: (p) => p.s.H * p.s.W,
      start: (p, unit) => (kind === 'avg' ? pixelRuns().globalAvgBackwardRuns(p.planeLayout, p.s, unit) : pixelRuns().globalMaxBackwardRuns(p.planeLayout, p.s, unit)),
    },
    cpu: (p, a) => ({
      dx: kind === 'max' ? fast().globalMaxPoolBackward(f32(a, 'dy'), a.indices as Int32Array, p.planeLayout, p.s) : fast().globalAvgPoolBackward(f32(a, 'dy'), p.planeLayout, p.s),
    }),
    reference: (p, a) => ({
      dx: kind === 'max' ? reference().globalMaxPoolBackward(f32(a, 'dy'), a.indices as Int32Array, p.planeLayout, p.s) : reference().globalAvgPoolBackward(f32(a, 'dy'), p.planeLayout, p.s),
    }),
  };
}
