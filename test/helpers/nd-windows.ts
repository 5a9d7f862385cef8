/**
 * Seeded random 1-D/2-D/3-D pooling windows for the N-d suites, the data they run on, and the
 * layout conversions their checks need. nd-forward-gpu, nd-backward-gpu and nd-cpu-api draw the
 * same configurations from the same seeds (seededNdSuite); cpu-nd draws its own mix through the
 * same generator (drawNdConfig with its own spec).
 */
import { resolveAvgWindow, resolveMaxWindow } from '../../src/params.js';
import type { SpatialRank, WindowGeometry } from '../../src/types.js';
import { pick, randomData, randomInt, seededRandom } from './random.js';

export const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** The two memory orders of each spatial rank: channel-first, channels-last. */
export const LAYOUTS = { 1: ['NCL', 'NLC'], 2: ['NCHW', 'NHWC'], 3: ['NCDHW', 'NDHWC'] } as const;

/** A drawn window (a type, not an interface, so that it passes as the ops' options record). */
export type NdWindow = {
  kernelSize: number[];
  stride: number[];
  dilation: number[];
  padding: unknown;
  ceilMode: boolean;
};

export interface NdConfig {
  rank: SpatialRank;
  shape: number[];
  window: NdWindow;
}

/** What a generator draws: shapes, and the ranges and odds of each window option. */
export interface NdDrawSpec {
  drawShape: (rand: () => number, rank: SpatialRank) => number[];
  /** The largest kernel (and stride) along an axis, by rank. */
  kernelMax: (rank: SpatialRank) => number;
  strideMax: (rank: SpatialRank) => number;
  /** How often the dilation is drawn (1-3 per axis) rather than 1. */
  dilationRate: number;
  /** Where the padding draw switches from one number to one per axis, to begins then ends, to `named`. */
  padKinds: readonly [number, number, number];
  named: readonly unknown[];
}

/**
 * A window that passes validation (a pad below the effective kernel, every output >= 1), drawn by
 * `spec`; 'always': every draw dilated, at least one dilated axis with a kernel >= 2. Ceil mode 40 %.
 */
export function drawNdConfig(rand: () => number, rank: SpatialRank, spec: NdDrawSpec, dilated: 'maybe' | 'always' = 'maybe'): NdConfig {
  const axes = (f: () => number) => Array.from({ length: rank }, f);
  for (;;) {
    const shape = spec.drawShape(rand, rank);
    const kernelSize = axes(() => randomInt(rand, 1, spec.kernelMax(rank)));
    const stride = axes(() => randomInt(rand, 1, spec.strideMax(rank)));
    const dilation = dilated === 'always' || rand() < spec.dilationRate ? axes(() => randomInt(rand, 1, 3)) : axes(() => 1);
    if (dilated === 'always' && !dilation.some((d, a) => d > 1 && kernelSize[a]! > 1)) {
      const a = randomInt(rand, 0, rank - 1);
      dilation[a] = 2;
      kernelSize[a] = Math.max(kernelSize[a]!, 2);
    }
    const eff = kernelSize.map((k, a) => dilation[a]! * (k - 1) + 1);
    const kind = rand();
    let padding: unknown;
    if (kind < spec.padKinds[0]) padding = randomInt(rand, 0, Math.min(...eff) - 1);
    else if (kind < spec.padKinds[1]) padding = eff.map((e) => randomInt(rand, 0, e - 1));
    else if (kind < spec.padKinds[2]) padding = [...eff, ...eff].map((e) => randomInt(rand, 0, e - 1));
    else padding = pick(rand, spec.named);
    const window = { kernelSize, stride, dilation, padding, ceilMode: rand() < 0.4 };
    try {
      resolveMaxWindow('test', rank, shape, window);
      return { rank, shape, window };
    } catch {
      // invalid draw (a pad not below the effective kernel, or an output < 1): draw again
    }
  }
}

/**
 * The API suites' windows: mostly small shapes, sometimes long rows (1-D) or volumes of a few
 * thousand voxels (3-D); kernels 1-6 (1-D), 1-5 (2-D), 1-4 (3-D); strides 1-4 / 1-3; dilation on
 * 35 % of draws; padding a number, one per axis, begins then ends, 'same', 'same-lower', 'valid' or 0.
 */
export const API_DRAW: NdDrawSpec = {
  drawShape(rand, rank) {
    const big = rand() < 0.12;
    const axes = (lo: number, hi: number) => Array.from({ length: rank }, () => randomInt(rand, lo, hi));
    if (rank === 1) return [randomInt(rand, 1, 3), pick(rand, [1, 2, 3, 4, 5, 8]), ...(big ? axes(100, 600) : axes(1, 40))];
    if (rank === 2) return big ? [1, randomInt(rand, 1, 3), ...axes(40, 80)] : [randomInt(rand, 1, 2), pick(rand, [1, 2, 3, 4, 8]), ...axes(1, 24)];
    return big ? [1, randomInt(rand, 1, 2), ...axes(10, 16)] : [randomInt(rand, 1, 2), pick(rand, [1, 2, 3, 4, 5]), ...axes(1, 8)];
  },
  kernelMax: (rank) => (rank === 1 ? 6 : rank === 2 ? 5 : 4),
  strideMax: (rank) => (rank === 1 ? 4 : 3),
  dilationRate: 0.35,
  padKinds: [0.15, 0.35, 0.7],
  named: ['same', 'same-lower', 'valid', 0],
};

/** Shape and window for a test name. */
export function describeConfig(c: NdConfig): string {
  const w = c.window;
  return `${c.shape.join('x')} k${w.kernelSize.join('x')} s${w.stride.join('x')} p${JSON.stringify(w.padding)} d${w.dilation.join('x')}${w.ceilMode ? ' ceil' : ''}`;
}

/** A negative quiet NaN (0xffc00000), what x86 arithmetic produces: its bits must come through. */
export const NEG_NAN = new Float32Array(new Int32Array([0xffc00000 | 0]).buffer)[0]!;

/** Quantised random data (ties) with some elements NaN (both signs), ±Infinity or ±0. */
export function dataWithSpecials(rand: () => number, n: number, rate: number): Float32Array {
  const data = randomData(rand, n);
  const specials = [NaN, NEG_NAN, Infinity, -Infinity, -0, 0];
  for (let i = 0; i < n; i++) if (rand() < rate) data[i] = pick(rand, specials);
  return data;
}

/** How many windows can cover one input element: the number of terms a backward sum may add. */
export function overlap(g: WindowGeometry): number {
  return g.kernel.reduce((acc, k, a) => acc * Math.ceil((g.dilation[a]! * (k - 1) + 1) / g.stride[a]!), 1);
}

// ---- the seeded API suites (the same draws on WebGPU and on the CPU backend) ----

/** Configurations per seeded suite of rank 1 or 3 (the dilated 2-D suites draw 20). */
export const CONFIGS = 40;

export interface SeededCase {
  i: number;
  c: NdConfig;
  /** The drawn options besides the window, for the test name (after `#i`, before the layout). */
  desc: string;
  /** The window and the drawn options: what the op is called with. */
  options: Record<string, unknown>;
}

/** Max forward: padValue (0 on 25 %), returnIndices (80 %), data with 5 % specials. */
export interface MaxForwardCase extends SeededCase {
  data: Float32Array;
}

/** Average forward: countIncludePad, divisorOverride (20 %), unquantised data. */
export interface AvgForwardCase extends SeededCase {
  data: Float32Array;
}

/** Max backward: padValue, the forward's input x, and dy. */
export interface MaxBackwardCase extends SeededCase {
  x: Float32Array;
  dy: Float32Array;
}

/** Average backward: countIncludePad, divisorOverride, and dy. */
export interface AvgBackwardCase extends SeededCase {
  dy: Float32Array;
}

function avgDraw(rand: () => number, c: NdConfig): { desc: string; options: Record<string, unknown> } {
  const countIncludePad = rand() < 0.5;
  const divisorOverride = rand() < 0.2 ? randomInt(rand, 1, 9) : undefined;
  return {
    desc: `${describeConfig(c)}${countIncludePad ? '' : ' excludePad'}${divisorOverride ? ` div${divisorOverride}` : ''}`,
    options: { ...c.window, countIncludePad, ...(divisorOverride ? { divisorOverride } : {}) },
  };
}

function cases<T>(seed: number, n: number, draw: (rand: () => number, i: number) => T): T[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => draw(rand, i));
}

/** maxPool{rank}d forward, seed 7100 + rank. */
export function maxForwardCases(rank: 1 | 3): MaxForwardCase[] {
  return cases(7100 + rank, CONFIGS, (rand, i) => {
    const c = drawNdConfig(rand, rank, API_DRAW);
    const padValue = rand() < 0.25 ? 0 : -Infinity;
    const returnIndices = rand() < 0.8;
    const data = dataWithSpecials(rand, count(c.shape), 0.05);
    return { i, c, desc: `${describeConfig(c)}${padValue === 0 ? ' pad0' : ''}${returnIndices ? ' +indices' : ''}`, options: { ...c.window, padValue, returnIndices }, data };
  });
}

/** avgPool{rank}d forward, seed 7200 + rank; rank 2: the dilated suite, seed 7302, 20 configurations. */
export function avgForwardCases(rank: 1 | 2 | 3): AvgForwardCase[] {
  const dilated = rank === 2;
  return cases(dilated ? 7302 : 7200 + rank, dilated ? 20 : CONFIGS, (rand, i) => {
    const c = drawNdConfig(rand, rank, API_DRAW, dilated ? 'always' : 'maybe');
    const { desc, options } = avgDraw(rand, c);
    return { i, c, desc, options, data: randomData(rand, count(c.shape), false) };
  });
}

/** maxPool{rank}dBackward, seed 8100 + rank. */
export function maxBackwardCases(rank: 1 | 3): MaxBackwardCase[] {
  return cases(8100 + rank, CONFIGS, (rand, i) => {
    const c = drawNdConfig(rand, rank, API_DRAW);
    const padValue = rand() < 0.25 ? 0 : -Infinity;
    const x = randomData(rand, count(c.shape));
    const g = resolveMaxWindow('maxPool', rank, c.shape, c.window);
    const dy = randomData(rand, g.N * g.C * count(g.outSize), false);
    return { i, c, desc: `${describeConfig(c)}${padValue === 0 ? ' pad0' : ''}`, options: { ...c.window, padValue }, x, dy };
  });
}

/** avgPool{rank}dBackward, seed 8200 + rank; rank 2: the dilated suite, seed 8302, 20 configurations. */
export function avgBackwardCases(rank: 1 | 2 | 3): AvgBackwardCase[] {
  const dilated = rank === 2;
  return cases(dilated ? 8302 : 8200 + rank, dilated ? 20 : CONFIGS, (rand, i) => {
    const c = drawNdConfig(rand, rank, API_DRAW, dilated ? 'always' : 'maybe');
    const { desc, options } = avgDraw(rand, c);
    const g = resolveAvgWindow('avgPool', rank, c.shape, c.window);
    return { i, c, desc, options, dy: randomData(rand, g.N * g.C * count(g.outSize), false) };
  });
}

// ---- memory orders ----

/** Channel-first [N, C, vol] values or indices in channels-last memory order [N, vol, C]. */
export function toChannelsLast<T extends Float32Array | Int32Array>(x: T, N: number, C: number, vol: number): T {
  const y = new (x.constructor as new (n: number) => T)(x.length);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let s = 0; s < vol; s++) y[(n * vol + s) * C + c] = x[(n * C + c) * vol + s]!;
  return y;
}

/** The inverse of toChannelsLast. */
export function fromChannelsLast<T extends Float32Array | Int32Array>(y: T, N: number, C: number, vol: number): T {
  const x = new (y.constructor as new (n: number) => T)(y.length);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let s = 0; s < vol; s++) x[(n * C + c) * vol + s] = y[(n * vol + s) * C + c]!;
  return x;
}

/** Channel-first data of logical shape [N, C, ...spatial] in the memory order asked for. */
export function inLayout<T extends Float32Array | Int32Array>(data: T, shape: readonly number[], channelsLast: boolean): T {
  return channelsLast ? toChannelsLast(data, shape[0]!, shape[1]!, count(shape.slice(2))) : data;
}

/** The inverse of inLayout: data of logical shape [N, C, ...spatial] back to channel-first. */
export function fromLayout<T extends Float32Array | Int32Array>(data: T, shape: readonly number[], channelsLast: boolean): T {
  return channelsLast ? fromChannelsLast(data, shape[0]!, shape[1]!, count(shape.slice(2))) : data;
}

/** The reference's plane view of [N, C, ...spatial]: H the product of the spatial axes but the last, W the last. */
export function planes(shape: readonly number[]) {
  const spatial = shape.slice(2);
  return { N: shape[0]!, C: shape[1]!, H: count(spatial.slice(0, -1)), W: spatial[spatial.length - 1]! };
}
