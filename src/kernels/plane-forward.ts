/**
 * The plane forward kernels (shaders/plane/): a thread mapping of [N, C, H, W] outputs (one per
 * element, one per four channels, one per four outputs of a row) composed with a reduction of the
 * N-d kernels (shaders/nd/reduce-*.wgsl) through the same WindowTaps record, and scanned by the N-d
 * kernels' own window scans (nd/window-scan*.wgsl, over plane-layout.wgsl): each reduction and each
 * scan is written once for every rank. 1-D windows run these as one-row planes.
 */
import w4StoreIndicesWgsl from '../../shaders/nd/w4-store-indices.wgsl?raw';
import w4StoreWgsl from '../../shaders/nd/w4-store.wgsl?raw';
import reduceAvgVec4Wgsl from '../../shaders/nd/reduce-avg-vec4.wgsl?raw';
import reduceAvgWgsl from '../../shaders/nd/reduce-avg.wgsl?raw';
import reduceMaxVec4Wgsl from '../../shaders/nd/reduce-max-vec4.wgsl?raw';
import reduceMaxWgsl from '../../shaders/nd/reduce-max.wgsl?raw';
import ioForwardVec4F32Wgsl from '../../shaders/nd/io-forward-vec4-f32.wgsl?raw';
import ioForwardF32Wgsl from '../../shaders/nd/io-forward-f32.wgsl?raw';
import windowRecordWgsl from '../../shaders/nd/window-record.wgsl?raw';
import windowRegularWgsl from '../../shaders/nd/window-regular.wgsl?raw';
import windowScanVec4Wgsl from '../../shaders/nd/window-scan-vec4.wgsl?raw';
import windowScanWgsl from '../../shaders/nd/window-scan.wgsl?raw';
import mapPlaneIndicesWgsl from '../../shaders/plane/map-plane-indices.wgsl?raw';
import mapPlaneVec4IndicesWgsl from '../../shaders/plane/map-plane-vec4-indices.wgsl?raw';
import mapPlaneVec4Wgsl from '../../shaders/plane/map-plane-vec4.wgsl?raw';
import mapPlaneW4IndicesWgsl from '../../shaders/plane/map-plane-w4-indices.wgsl?raw';
import mapPlaneW4Wgsl from '../../shaders/plane/map-plane-w4.wgsl?raw';
import mapPlaneWgsl from '../../shaders/plane/map-plane.wgsl?raw';
import w4FullLaneWgsl from '../../shaders/nd/w4-full-lane.wgsl?raw';
import planeW4LanesWgsl from '../../shaders/plane/plane-w4-lanes.wgsl?raw';
import planeW4SharedWgsl from '../../shaders/plane/plane-w4-shared.wgsl?raw';
import planeLayoutWgsl from '../../shaders/plane/plane-layout.wgsl?raw';
import w4RowsWgsl from '../../shaders/w4-rows.wgsl?raw';
import windowTapsWgsl from '../../shaders/window-taps.wgsl?raw';
import { composeShader } from './kernel.js';
import { poolParamsSource } from './pool-params.js';
import { windowConstantsSource } from './window-constants.js';

export type PlaneReduction = 'max' | 'avg';
/** The thread mapping: one output, four channels (NHWC, C % 4 == 0), four outputs of a row (NCHW). */
export type PlaneForwardForm = 'scalar' | 'vec4' | 'w4';

/**
 * A plane forward kernel: the parts every one opens with (uniform, storage, window constants, tap
 * ranges, window record, the plane layout and the N-d regular window over it), in the order their
 * declarations build on each other, then the kernel's reduction and mapping files.
 */
function composePlaneForward(storage: string, ...parts: string[]): string {
  return composeShader(poolParamsSource, storage, windowConstantsSource, windowTapsWgsl, windowRecordWgsl, planeLayoutWgsl, windowRegularWgsl, ...parts);
}

/**
 * What each kernel is made of. Composition happens here and nowhere else; each part's header says
 * what it requires. The W4 scan differs by reduction (docs/forward-selection.md): max scans by
 * lanes, average shares each column's load between the lanes.
 */
const CODE: Record<PlaneForwardForm, Record<PlaneReduction, string>> = {
  scalar: {
    max: composePlaneForward(ioForwardF32Wgsl, reduceMaxWgsl, windowScanWgsl, mapPlaneWgsl, mapPlaneIndicesWgsl),
    avg: composePlaneForward(ioForwardF32Wgsl, reduceAvgWgsl, windowScanWgsl, mapPlaneWgsl),
  },
  vec4: {
    max: composePlaneForward(ioForwardVec4F32Wgsl, reduceMaxVec4Wgsl, windowScanVec4Wgsl, mapPlaneVec4Wgsl, mapPlaneVec4IndicesWgsl),
    avg: composePlaneForward(ioForwardVec4F32Wgsl, reduceAvgWgsl, reduceAvgVec4Wgsl, windowScanVec4Wgsl, mapPlaneVec4Wgsl),
  },
  w4: {
    max: composePlaneForward(ioForwardF32Wgsl, w4RowsWgsl, reduceMaxWgsl, w4FullLaneWgsl, mapPlaneW4Wgsl, planeW4LanesWgsl, w4StoreWgsl, mapPlaneW4IndicesWgsl, w4StoreIndicesWgsl),
    avg: composePlaneForward(ioForwardF32Wgsl, w4RowsWgsl, reduceAvgWgsl, w4FullLaneWgsl, mapPlaneW4Wgsl, planeW4SharedWgsl, w4StoreWgsl),
  },
};

/** The WGSL of one plane forward kernel. */
export function planeForwardCode(form: PlaneForwardForm, reduction: PlaneReduction): string {
  return CODE[form][reduction];
}
