/**
 * The plane backward kernels (shaders/plane/map-backward-*.wgsl): a thread mapping of [N, C, H, W]
 * gradients (gather per input element, cell per output's stride cell, each also four channels at
 * once) composed with a gradient of the N-d kernels (shaders/nd/grad-*.wgsl), which reads windows
 * through the N-d kernels' own window (nd/window-regular.wgsl over plane-layout.wgsl) and, for average, the forward's own
 * divisor (nd/reduce-avg.wgsl): each gradient is written once for every rank. The scatter mappings
 * are the reductions' own (max follows its index, average its window). 1-D windows run these as
 * one-row planes.
 */
import gradAvgVec4Wgsl from '../../shaders/nd/grad-avg-vec4.wgsl?raw';
import gradAvgWgsl from '../../shaders/nd/grad-avg.wgsl?raw';
import gradMaxVec4Wgsl from '../../shaders/nd/grad-max-vec4.wgsl?raw';
import gradMaxWgsl from '../../shaders/nd/grad-max.wgsl?raw';
import reduceAvgWgsl from '../../shaders/nd/reduce-avg.wgsl?raw';
import windowRecordWgsl from '../../shaders/nd/window-record.wgsl?raw';
import windowRegularWgsl from '../../shaders/nd/window-regular.wgsl?raw';
import backwardGeometryWgsl from '../../shaders/plane/backward-geometry.wgsl?raw';
import ioPlaneBackwardWgsl from '../../shaders/plane/io-plane-backward.wgsl?raw';
import mapBackwardCellVec4Wgsl from '../../shaders/plane/map-backward-cell-vec4.wgsl?raw';
import mapBackwardCellWgsl from '../../shaders/plane/map-backward-cell.wgsl?raw';
import mapBackwardGatherVec4Wgsl from '../../shaders/plane/map-backward-gather-vec4.wgsl?raw';
import mapBackwardGatherWgsl from '../../shaders/plane/map-backward-gather.wgsl?raw';
import mapBackwardScatterAvgWgsl from '../../shaders/plane/map-backward-scatter-avg.wgsl?raw';
import mapBackwardScatterMaxWgsl from '../../shaders/plane/map-backward-scatter-max.wgsl?raw';
import planeLayoutWgsl from '../../shaders/plane/plane-layout.wgsl?raw';
import w4RowsWgsl from '../../shaders/w4-rows.wgsl?raw';
import windowTapsWgsl from '../../shaders/window-taps.wgsl?raw';
import { composeShader } from './kernel.js';
import type { PlaneReduction } from './plane-forward.js';
import { poolParamsSource } from './pool-params.js';
import { windowConstantsSource } from './window-constants.js';

/** One output or input element per invocation (scatter, direct, gather, cell, cell_w4), or four NHWC channels (gather_vec4, cell_vec4). */
export type PlaneBackwardForm = 'scalar' | 'vec4';

/**
 * A plane backward kernel: the parts every one opens with (uniform, window constants, storage, tap
 * ranges, window record, the plane layout and the N-d regular window over it, the backward geometry), in the order their declarations
 * build on each other, then the kernel's gradient and mapping files.
 */
function composePlaneBackward(...parts: string[]): string {
  return composeShader(poolParamsSource, windowConstantsSource, ioPlaneBackwardWgsl, windowTapsWgsl, windowRecordWgsl, planeLayoutWgsl, windowRegularWgsl, backwardGeometryWgsl, ...parts);
}

/** What each kernel is made of. Composition happens here and nowhere else; each part's header says what it requires. */
const CODE: Record<PlaneBackwardForm, Record<PlaneReduction, string>> = {
  scalar: {
    max: composePlaneBackward(w4RowsWgsl, gradMaxWgsl, mapBackwardScatterMaxWgsl, mapBackwardGatherWgsl, mapBackwardCellWgsl),
    avg: composePlaneBackward(w4RowsWgsl, reduceAvgWgsl, gradAvgWgsl, mapBackwardScatterAvgWgsl, mapBackwardGatherWgsl, mapBackwardCellWgsl),
  },
  vec4: {
    max: composePlaneBackward(gradMaxVec4Wgsl, mapBackwardGatherVec4Wgsl, mapBackwardCellVec4Wgsl),
    avg: composePlaneBackward(reduceAvgWgsl, gradAvgVec4Wgsl, mapBackwardGatherVec4Wgsl, mapBackwardCellVec4Wgsl),
  },
};

/** The WGSL of one plane backward kernel. */
export function planeBackwardCode(form: PlaneBackwardForm, reduction: PlaneReduction): string {
  return CODE[form][reduction];
}
