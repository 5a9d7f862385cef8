/**
 * Fractional max pooling as descriptors (docs/unpool-fractional.md), ranks 2 and 3, float32 and
 * float16, and the host side of its windows: PyTorch's interval starts in float32 arithmetic
 * (Math.fround at every float32 step) and the output-shaped int32 table of flat window starts that
 * the GPU kernel (shaders/nd/map-fractional-forward*.wgsl) and the CPU kernel read. Parameters carry `g`
 * and `layout`; the table is an input of the op, output-shaped, so a CPU slice of planes gets its
 * planes' windows and a GPU split binds it with the output's offsets.
 */
import { fractionalBackwardPlan, fractionalForwardPlan, fractionalUsesVec4, fractionalVec4Rule, type FractionalShape } from '../kernels/fractional-pool.js';
import { sizeBucket } from '../tuning/key.js';
import { isChannelsLast } from '../layouts.js';
import { cpuRuntime } from '../cpu-runtime-loader.js';
import type { DType, TensorLayout } from '../types.js';
import { backwardSteps, type HostArray, type HostArrays, type OpDescriptor } from './descriptor.js';
import { halfStorage } from './half-storage.js';
import { checkIndexRange } from './index-range.js';

/** The host kernels, in the CPU runtime's chunk (cpu-runtime.ts): loaded before any runs. */
const cpu = () => cpuRuntime().fractionalKernels;
const reference = () => cpuRuntime().fractionalReference;

export interface FractionalParams {
  readonly g: FractionalShape;
  readonly layout: TensorLayout;
  readonly withIndices: boolean;
}

export interface FractionalBackwardParams {
  readonly g: FractionalShape;
  readonly layout: TensorLayout;
}

export type FractionalRank = 2 | 3;

const count = (v: readonly number[]) => v.reduce((a, b) => a * b, 1);
const f32 = (a: HostArrays, slot: string) => a[slot] as Float32Array;
const i32 = (a: HostArrays, slot: string) => a[slot] as Int32Array;

/**
 * PyTorch's generate_intervals for one axis, float32 throughout (u already a float32 value):
 * alpha = f32(f32(in − k) / f32(out − 1)); start(i) = int(f32(f32(i + u)·alpha)) − int(f32(u·alpha))
 * for i < out − 1; the last window starts at in − k.
 */
export function intervalStarts(inSize: number, outSize: number, k: number, u: number): Int32Array {
  const starts = new Int32Array(outSize);
  if (outSize > 1) {
    const alpha = Math.fround(Math.fround(inSize - k) / Math.fround(outSize - 1));
    const base = Math.trunc(Math.fround(u * alpha));
    for (let i = 0; i < outSize - 1; i++) starts[i] = Math.trunc(Math.fround(Math.fround(i + u) * alpha)) - base;
  }
  starts[outSize - 1] = inSize - k;
  return starts;
}

/**
 * The output-shaped table (memory order of `layout`) of each window's flat start in its (n, c)
 * input volume, from N·C·rank float32 samples in PyTorch's order (2-D [w, h], 3-D [d, h, w]).
 */
export function windowStartTable(g: FractionalShape, channelsLast: boolean, samples: Float32Array): Int32Array {
  const { N, C, rank } = g;
  const outVol = count(g.outSize);
  const table = new Int32Array(N * C * outVol);
  // Three axes (D, H, W): a 2-D op has a leading axis of size 1.
  const inS = rank === 2 ? [1, ...g.inSize] : [...g.inSize];
  const outS = rank === 2 ? [1, ...g.outSize] : [...g.outSize];
  const ks = rank === 2 ? [1, ...g.kernel] : [...g.kernel];
  const step = channelsLast ? C : 1;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = n * C + c;
      const u = (axis: number) => samples[plane * rank + (rank === 2 ? 1 - axis : axis)]!;
      const sD = rank === 2 ? Int32Array.of(0) : intervalStarts(inS[0]!, outS[0]!, ks[0]!, u(0));
      const sH = intervalStarts(inS[1]!, outS[1]!, ks[1]!, u(rank === 2 ? 0 : 1));
      const sW = intervalStarts(inS[2]!, outS[2]!, ks[2]!, u(rank === 2 ? 1 : 2));
      let o = channelsLast ? n * outVol * C + c : plane * outVol;
      for (let d = 0; d < outS[0]!; d++) {
        const rowD = sD[d]! * inS[1]!;
        for (let h = 0; h < outS[1]!; h++) {
          const rowH = (rowD + sH[h]!) * inS[2]!;
          for (let w = 0; w < outS[2]!; w++, o += step) table[o] = rowH + sW[w]!;
        }
      }
    }
  }
  return table;
}

/**
 * The library's own sample generator for `seed` (docs/unpool-fractional.md): mulberry32, each
 * 32-bit output's top 24 bits as a float32 u = bits / 2^24 in [0, 1), `count` of them in order.
 */
export function seededSamples(seed: number, count: number): Float32Array {
  const out = new Float32Array(count);
  let a = seed >>> 0;
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 8) / 16777216;
  }
  return out;
}

export function fractionalMaxPoolOp(rank: FractionalRank): OpDescriptor<FractionalParams> {
  return {
    name: `fractionalMaxPool${rank}d`,
    returns: 'output-indices',
    inputs: ['x', 'window_starts'],
    intInputs: ['window_starts'],
    outputs: (p) => {
      const shape = [p.g.N, p.g.C, ...p.g.outSize];
      const y = { slot: 'y', shape, layout: p.layout, dtype: 'float32' as const };
      return p.withIndices ? [y, { slot: 'indices', shape, layout: p.layout, dtype: 'int32' as const }] : [y];
    },
    gpu: (p, device) => {
      const channelsLast = isChannelsLast(p.layout);
      return { steps: [{ kind: 'kernel', plan: fractionalForwardPlan(p.g, channelsLast, p.withIndices, fractionalVec4Rule(p.g, channelsLast, device.kind)) }], scratch: [] };
    },
    // Channels-last with C % 4 == 0: four channels per invocation, or four outputs in memory order.
    gpuAlternatives: (p, device) => {
      const channelsLast = isChannelsLast(p.layout);
      if (!fractionalUsesVec4(p.g, channelsLast)) return undefined;
      return {
        rule: fractionalVec4Rule(p.g, channelsLast, device.kind) ? 'vec4' : 'scalar',
        alternatives: [true, false].map((vec4) => ({ name: vec4 ? 'vec4' : 'scalar', plan: { steps: [{ kind: 'kernel' as const, plan: fractionalForwardPlan(p.g, channelsLast, p.withIndices, vec4) }], scratch: [] } })),
        layout: p.layout,
        dtype: 'float32',
        shapeClass: `r${p.g.rank} k${p.g.kernel.join('x')} nc~2^${sizeBucket(p.g.N * p.g.C)} in~2^${p.g.inSize.map(sizeBucket).join('x2^')} out~2^${p.g.outSize.map(sizeBucket).join('x2^')} indices=${p.withIndices ? 1 : 0}`,
      };
    },
    cpu: (p, a): Record<string, HostArray> => {
      const r = cpu().fractionalMaxPool(f32(a, 'x'), i32(a, 'window_starts'), isChannelsLast(p.layout), p.g, p.withIndices);
      return r.indices ? { y: r.output, indices: r.indices } : { y: r.output };
    },
    reference: (p, a): Record<string, HostArray> => {
      const r = reference().fractionalMaxPoolFromStarts(f32(a, 'x'), i32(a, 'window_starts'), isChannelsLast(p.layout), p.g);
      return p.withIndices ? { y: r.output, indices: r.indices } : { y: r.output };
    },
  };
}

export function fractionalMaxPoolBackwardOp(rank: FractionalRank): OpDescriptor<FractionalBackwardParams> {
  return {
    name: `fractionalMaxPool${rank}dBackward`,
    returns: 'tensor',
    inputs: ['dy', 'indices'],
    intInputs: ['indices'],
    outputs: (p) => [{ slot: 'dx', shape: [p.g.N, p.g.C, ...p.g.inSize], layout: p.layout, dtype: 'float32' }],
    gpu: (p) => ({ steps: backwardSteps({ kernel: fractionalBackwardPlan(p.g, isChannelsLast(p.layout)), zeroDx: true }), scratch: [] }),
    checkHost: (p, a) => checkIndexRange(`fractionalMaxPool${rank}dBackward`, i32(a, 'indices'), count(p.g.inSize), 'input'),
    cpu: (p, a) => ({ dx: cpu().fractionalMaxPoolBackward(f32(a, 'dy'), i32(a, 'indices'), isChannelsLast(p.layout), p.g) }),
    reference: (p, a) => ({ dx: reference().fractionalMaxPoolBackward(f32(a, 'dy'), i32(a, 'indices'), isChannelsLast(p.layout), p.g) }),
  };
}

const F32 = {
  forward: { 2: fractionalMaxPoolOp(2), 3: fractionalMaxPoolOp(3) },
  backward: { 2: fractionalMaxPoolBackwardOp(2), 3: fractionalMaxPoolBackwardOp(3) },
};
const forwardCounts = (p: FractionalParams) => ({ x: p.g.N * p.g.C * count(p.g.inSize) });
const backwardCounts = (p: FractionalBackwardParams) => ({ dy: p.g.N * p.g.C * count(p.g.outSize) });
const F16: typeof F32 = {
  forward: { 2: halfStorage(F32.forward[2], forwardCounts), 3: halfStorage(F32.forward[3], forwardCounts) },
  backward: { 2: halfStorage(F32.backward[2], backwardCounts), 3: halfStorage(F32.backward[3], backwardCounts) },
};

/** The fractional descriptors of a value dtype, made once. */
export function fractionalOps(dtype: DType): typeof F32 {
  return dtype === 'float16' ? F16 : F32;
}
