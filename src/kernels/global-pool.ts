import chunkSubgroupAvgWgsl from '../../shaders/global/chunk-subgroup-avg.wgsl?raw';
import chunkSubgroupMaxWgsl from '../../shaders/global/chunk-subgroup-max.wgsl?raw';
import ioGlobalWgsl from '../../shaders/global/io-global.wgsl?raw';
import mapGlobalWgsl from '../../shaders/global/map-global.wgsl?raw';
import partAvgWgsl from '../../shaders/global/part-avg.wgsl?raw';
import partMaxWgsl from '../../shaders/global/part-max.wgsl?raw';
import reduceMaxWgsl from '../../shaders/nd/reduce-max.wgsl?raw';
import windowRecordWgsl from '../../shaders/nd/window-record.wgsl?raw';
import { adapterKind, runsOnCpu } from '../adapter-profile.js';
import type { AdapterInfoSummary, Layout, PlaneShape } from '../types.js';
import { composeShader, workgroupsFor, type KernelPlan } from './kernel.js';
import { PLANE_PARAMS, planeParamsSource, type PlaneParamsField } from './plane-params.js';
import { chunkSplit, planeSplit, unsplit, type SlotGroup } from './split-spec.js';

/**
 * Each kernel is the plane mappings (map-global.wgsl) composed with a reduction's partial
 * (part-*.wgsl; max's is the windowed ops' own running maximum, nd/reduce-max.wgsl, with a
 * merge); the subgroup pass 1 adds the reduction's own subgroup form. Composition happens here and
 * nowhere else; each part's header says what it requires.
 */
const parts: Record<GlobalKind, string[]> = { max: [windowRecordWgsl, reduceMaxWgsl, partMaxWgsl], avg: [partAvgWgsl] };
const subgroupParts: Record<GlobalKind, string> = { max: chunkSubgroupMaxWgsl, avg: chunkSubgroupAvgWgsl };
const compose = (kind: GlobalKind, ...more: string[]) => composeShader(planeParamsSource, ioGlobalWgsl, ...parts[kind], mapGlobalWgsl, ...more);
const codes = { max: compose('max'), avg: compose('avg') };
/** WGSL wants the enable directive before any declaration. */
const subgroupCodes = {
  max: ['enable subgroups;', compose('max', subgroupParts.max)].join('\n'),
  avg: ['enable subgroups;', compose('avg', subgroupParts.avg)].join('\n'),
};

/** Planes up to this size are scanned by one invocation each: no reduction overhead. */
export const PER_PLANE_MAX_SIZE = 256;
/** Elements one workgroup reduces (tree and subgroup kernels); larger planes take two passes. */
export const CHUNK_SIZE = 4096;
/** Positions one invocation scans in the `chunk_scan` pass: always in NHWC (one channel of a chunk), in NCHW on CPU adapters. */
export const NHWC_CHUNK_SIZE = 1024;
const PER_PLANE_WORKGROUP = 64;
const REDUCE_WORKGROUP = 256;

export type GlobalKind = 'max' | 'avg';

/**
 * How pass 1 reduces a chunk of a large plane (docs/global-selection.md):
 *  - 'tree':     a workgroup per chunk, strided scans, then a tree in workgroup memory (log2(WG) + 1 barriers);
 *  - 'subgroup': a workgroup per chunk, strided scans, subgroup operations and one barrier (NCHW, `subgroups` feature);
 *  - 'scan':     an invocation per chunk, no workgroup memory and no barrier.
 */
export type GlobalChunkKernel = 'tree' | 'subgroup' | 'scan';

/** What the device offers that changes the choice. */
export interface GlobalPoolDevice {
  /** The device has the `subgroups` feature (an application's device may lack it even where the adapter has it). */
  readonly subgroups: boolean;
  readonly adapter: AdapterInfoSummary | null;
}

/**
 * The rule measured in docs/global-selection.md: NHWC scans (neighbouring invocations read
 * neighbouring channels); NCHW scans too on CPU adapters (no barrier: 2.8-25x faster than the tree on
 * SwiftShader and llvmpipe, and faster than the subgroup kernel on SwiftShader); elsewhere the
 * subgroup kernel where the device has the feature, else the tree.
 */
export function chooseGlobalChunkKernel(layout: Layout, device: GlobalPoolDevice): GlobalChunkKernel {
  if (layout === 'NHWC' || runsOnCpu(adapterKind(device.adapter))) return 'scan';
  return device.subgroups ? 'subgroup' : 'tree';
}

/**
 * The passes of a global reduction. Slots: x (input), y (+ y_indices for max) for the output, and
 * `partials` (+ `partial_indices`) between the two passes; the host allocates partials of
 * `partialCount` elements when there are two passes.
 */
export interface GlobalPoolPlan {
  passes: KernelPlan[];
  partialCount: number;
}

/**
 * `device` defaults to one of unknown kind without subgroups (the tree, as before the rule).
 * `chunkKernel` forces pass 1 for large planes (tests and measurements; every kernel handles both
 * layouts). Planes up to PER_PLANE_MAX_SIZE always take the one-pass per_plane kernel.
 */
export function globalPoolPlan(
  kind: GlobalKind,
  s: PlaneShape,
  layout: Layout,
  maxWorkgroupSize: number,
  device: GlobalPoolDevice = { subgroups: false, adapter: null },
  chunkKernel: GlobalChunkKernel = chooseGlobalChunkKernel(layout, device),
): GlobalPoolPlan {
  if (chunkKernel === 'subgroup' && !device.subgroups) throw new Error('globalPoolPlan: the subgroup kernel needs a device with the subgroups feature');
  const planes = s.N * s.C;
  const planeSize = s.H * s.W;
  const nhwc = layout === 'NHWC' ? 1 : 0;
  const label = kind === 'max' ? 'globalMaxPool' : 'globalAvgPool';
  // A scan owns a chunk per invocation; the other kernels reduce a chunk per workgroup.
  const chunkSize = chunkKernel === 'scan' ? NHWC_CHUNK_SIZE : CHUNK_SIZE;
  const values = (chunks: number, end: number): Record<PlaneParamsField, number> => ({ planes, C: s.C, planeSize, W: s.W, chunkSize, chunks, ...unsplit(end) });
  const outSlots = (src: string, dst: string, dstIndices: string, srcIndices?: string): Record<string, number> =>
    kind === 'max'
      ? { [src]: 1, ...(srcIndices ? { [srcIndices]: 2 } : {}), [dst]: 3, [dstIndices]: 4 }
      : { [src]: 1, [dst]: 3 };
  // Split groups: what a pass reads is its input side, what it writes its output side.
  const groupsOf = (slots: Record<string, number>, outputs: string[]): Record<string, SlotGroup> =>
    Object.fromEntries(Object.keys(slots).map((slot) => [slot, outputs.includes(slot) ? 'out' : 'in']));

  if (planeSize <= PER_PLANE_MAX_SIZE) {
    const wg = Math.min(PER_PLANE_WORKGROUP, maxWorkgroupSize);
    const bindings = outSlots('x', 'y', 'y_indices');
    return {
      passes: [
        {
          label: `${label}.per_plane`,
          code: codes[kind],
          entryPoint: 'per_plane',
          constants: { WG: wg, NHWC: nhwc },
          uniform: { struct: PLANE_PARAMS, values: values(1, planes) },
          bindings,
          workgroups: workgroupsFor(planes, wg),
          split: planeSplit(s, layout, 1, wg, planeSize, 1, groupsOf(bindings, ['y', 'y_indices'])),
        },
      ],
      partialCount: 0,
    };
  }
  const chunks = Math.ceil(planeSize / chunkSize);
  const wg = largestPowerOfTwoAtMost(Math.min(REDUCE_WORKGROUP, maxWorkgroupSize));
  const chunkBindings = chunks === 1 ? outSlots('x', 'y', 'y_indices') : outSlots('x', 'partials', 'partial_indices');
  const chunkGroups = groupsOf(chunkBindings, ['y', 'y_indices', 'partials', 'partial_indices']);
  const chunkSplitSpec = chunkSplit(s, layout, chunkSize, chunks, chunkGroups);
  const scanWg = Math.min(PER_PLANE_WORKGROUP, maxWorkgroupSize);
  const chunkPass: KernelPlan =
    chunkKernel === 'scan'
      ? {
          label: `${label}.chunk_scan`,
          code: codes[kind],
          entryPoint: 'chunk_scan',
          constants: { WG: scanWg, NHWC: nhwc },
          uniform: { struct: PLANE_PARAMS, values: values(chunks, planes * chunks) },
          bindings: chunkBindings,
          workgroups: workgroupsFor(planes * chunks, scanWg),
          // Same numbering of (image, chunk, channel) as the workgroup form, one per invocation.
          split: { ...chunkSplitSpec, perWorkgroup: scanWg },
        }
      : {
          label: chunkKernel === 'subgroup' ? `${label}.chunk_subgroup` : `${label}.chunk`,
          code: chunkKernel === 'subgroup' ? subgroupCodes[kind] : codes[kind],
          entryPoint: chunkKernel === 'subgroup' ? 'chunk_subgroup' : 'chunk',
          constants: { WG: wg, NHWC: nhwc },
          uniform: { struct: PLANE_PARAMS, values: values(chunks, planes * chunks) },
          bindings: chunkBindings,
          workgroups: planes * chunks,
          split: chunkSplitSpec,
        };
  if (chunks === 1) return { passes: [chunkPass], partialCount: 0 };
  const combineWg = Math.min(PER_PLANE_WORKGROUP, maxWorkgroupSize);
  const combineBindings = outSlots('partials', 'y', 'y_indices', 'partial_indices');
  const combinePass: KernelPlan = {
    label: `${label}.combine`,
    code: codes[kind],
    entryPoint: 'combine',
    constants: { WG: combineWg, NHWC: nhwc },
    uniform: { struct: PLANE_PARAMS, values: values(chunks, planes) },
    bindings: combineBindings,
    workgroups: workgroupsFor(planes, combineWg),
    // Partials are numbered by plane in both layouts, so the unit is a plane.
    split: planeSplit(s, 'NCHW', 1, combineWg, chunks, 1, groupsOf(combineBindings, ['y', 'y_indices'])),
  };
  return { passes: [chunkPass, combinePass], partialCount: planes * chunks };
}

function largestPowerOfTwoAtMost(n: number): number {
  return 2 ** Math.floor(Math.log2(n));
}
