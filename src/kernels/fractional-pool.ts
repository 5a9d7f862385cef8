/**
 * Fractional max pooling's GPU kernels, data only. Forward: the N-d max kernel composed with the
 * fractional window (shaders/nd/window-fractional.wgsl), which reads each output's window start
 * from an output-shaped int32 table (`window_starts`, made on the host in float32 arithmetic:
 * src/ops/fractional-pool.ts); the reduction (reduce-max.wgsl) and mappings (map-window*.wgsl) are
 * max pooling's own, so ties, NaN and indices follow max pooling. Backward: one invocation per dy
 * element adding atomically into dx at its index (dx cleared first). Both split by planes
 * (channel-first) or images (channels-last); the table shares the output's offsets.
 */
import ioForwardFractionalF32Wgsl from '../../shaders/nd/io-forward-fractional-f32.wgsl?raw';
import ioScatterF32Wgsl from '../../shaders/nd/io-scatter-f32.wgsl?raw';
import mapScatterFractionalWgsl from '../../shaders/nd/map-scatter-fractional.wgsl?raw';
import mapWindowIndicesWgsl from '../../shaders/nd/map-window-indices.wgsl?raw';
import mapWindowWgsl from '../../shaders/nd/map-window.wgsl?raw';
import ndLayoutWgsl from '../../shaders/nd/nd-layout.wgsl?raw';
import reduceMaxWgsl from '../../shaders/nd/reduce-max.wgsl?raw';
import unpoolIndexOffsetWgsl from '../../shaders/nd/unpool-index-offset.wgsl?raw';
import windowFractionalWgsl from '../../shaders/nd/window-fractional.wgsl?raw';
import type { SpatialRank } from '../types.js';
import { composeShader, workgroupsFor, type KernelPlan } from './kernel.js';
import { composeNdKernel } from './nd-pool.js';
import { ND_PARAMS, ndParamsSource, ndParamsValues } from './nd-params.js';
import type { SlotGroup } from './split-spec.js';
import { planeUnits, shapeWindow } from './unpool.js';

const WORKGROUP_SIZE = 64;

/** A fractional pool's shapes: input and output spatial sizes and the kernel, per axis. */
export interface FractionalShape {
  readonly rank: SpatialRank;
  readonly N: number;
  readonly C: number;
  readonly inSize: readonly number[];
  readonly outSize: readonly number[];
  readonly kernel: readonly number[];
}

const CODE = {
  forward: composeNdKernel(windowFractionalWgsl, ioForwardFractionalF32Wgsl, reduceMaxWgsl, mapWindowWgsl, mapWindowIndicesWgsl),
  scatter: composeShader(ndParamsSource, ndLayoutWgsl, unpoolIndexOffsetWgsl, ioScatterF32Wgsl, mapScatterFractionalWgsl),
} as const;

const count = (v: readonly number[]) => v.reduce((a, b) => a * b, 1);

/** Forward: slots x, window_starts → y (+ indices). */
export function fractionalForwardPlan(s: FractionalShape, channelsLast: boolean, withIndices: boolean): KernelPlan {
  const outVol = count(s.outSize);
  const total = s.N * s.C * outVol;
  const groups: Record<string, SlotGroup> = withIndices ? { x: 'in', y: 'out', indices: 'out', window_starts: 'out' } : { x: 'in', y: 'out', window_starts: 'out' };
  return {
    label: `fractionalMaxPool${s.rank}d.nd.forward`,
    code: CODE.forward,
    entryPoint: withIndices ? 'main_with_indices' : 'main',
    constants: { WG: WORKGROUP_SIZE, CHANNELS_LAST: channelsLast ? 1 : 0, PAD_ZERO: 0 },
    uniform: { struct: ND_PARAMS, values: ndParamsValues(shapeWindow(s, s.kernel), total) },
    bindings: withIndices ? { x: 1, y: 2, indices: 3, window_starts: 4 } : { x: 1, y: 2, window_starts: 4 },
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    split: planeUnits(s, channelsLast, outVol, groups),
  };
}

/** Backward: slots dy, indices → dx; dx must be cleared first. */
export function fractionalBackwardPlan(s: FractionalShape, channelsLast: boolean): KernelPlan {
  const outVol = count(s.outSize);
  const total = s.N * s.C * outVol;
  return {
    label: `fractionalMaxPool${s.rank}dBackward.nd.scatter`,
    code: CODE.scatter,
    entryPoint: 'scatter',
    constants: { WG: WORKGROUP_SIZE, CHANNELS_LAST: channelsLast ? 1 : 0 },
    uniform: { struct: ND_PARAMS, values: ndParamsValues(shapeWindow(s), total) },
    bindings: { dy: 1, indices: 2, dx: 3 },
    workgroups: workgroupsFor(total, WORKGROUP_SIZE),
    split: planeUnits(s, channelsLast, outVol, { dy: 'out', indices: 'out', dx: 'in' }),
  };
}
