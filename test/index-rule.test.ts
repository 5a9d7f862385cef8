/**
 * The index rule of max pooling backward (docs/semantics.md, "Max pooling, backward"): an index
 * contributes dx[index] += dy only when it is a real tap of its own output's window; -1, negative
 * numbers, positions outside the (n, c) row / plane / volume and in-plane positions that window does
 * not reach are dropped, and nothing throws. Every backend and form must give the reference's dx:
 *  - the issue's reproduction (indices of a k3 s2 p1 forward used in a k2 s2 backward) and the
 *    worked example of docs/semantics.md, with its numbers;
 *  - out-of-plane and -1 indices, random garbage indices (a mix of the forward's own indices,
 *    in-plane positions outside the window, -1, out-of-range and extreme int32 values), for
 *    rank 1, 2 and 3 and both layouts;
 *  - on the CPU backend and on WebGPU with `backward` 'auto', 'scatter' and 'gather' through the
 *    API, and the plane kernels' direct, cell and cell_vec4 forms forced through their plans (on
 *    windows that cannot overlap, including cells wider than their window and dilated windows with
 *    gaps between taps, which hold in-cell positions that are not taps);
 *  - global max backward: an index outside [0, slice size) is dropped.
 * dy values are multiples of 1/64, so every sum is exact in f32 and every form is compared bit for
 * bit with the f64 reference (−0 gradients included: dx keeps +0 where they land).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { volumeGeometry } from '../src/geometry.js';
import { BufferPool } from '../src/host/buffer-pool.js';
import { encodeSteps, type Step } from '../src/host/dispatch.js';
import { BufferUsage, MapMode } from '../src/host/gpu-flags.js';
import { chooseBackwardForm, windowsOverlap, type BackwardForm } from '../src/kernels/backward-choice.js';
import { maxPoolBackwardPlan } from '../src/kernels/max-pool-backward.js';
import { usesVec4Channels } from '../src/kernels/vec4-channels.js';
import { createPooling, type Pooling } from '../src/index.js';
import { resolveMaxPool, resolveMaxWindow } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { BackwardAlgorithm, Layout, MaxWindow, SpatialRank } from '../src/types.js';
import { expectBitExact } from './helpers/compare.js';
import { useGpuPool, withCleanErrorScope } from './helpers/gpu.js';
import { pick, randomData, randomInt, seededRandom } from './helpers/random.js';

const gpu = useGpuPool();
let cpu: Pooling;
beforeAll(async () => {
  cpu = await createPooling({ backend: 'cpu' });
  return () => cpu.destroy();
});

const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const LAYOUTS: Record<SpatialRank, readonly [string, string]> = { 1: ['NCL', 'NLC'], 2: ['NCHW', 'NHWC'], 3: ['NCDHW', 'NDHWC'] };
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

type Options = Record<string, unknown>;

interface Case {
  name: string;
  rank: SpatialRank;
  /** Logical input shape [N, C, ...spatial]. */
  shape: number[];
  channelsLast: boolean;
  /** The backward's window options (those the indices are used with). */
  window: Options;
  dy: Float32Array;
  indices: Int32Array;
}

function layoutOf(c: Case): string {
  return LAYOUTS[c.rank][c.channelsLast ? 1 : 0];
}

function geometry(c: Case, window: Options = c.window): MaxWindow {
  return resolveMaxWindow('test', c.rank, c.shape, { ...window });
}

function reference(c: Case): Float32Array {
  return ref.maxPoolNdBackward(c.dy, c.indices, c.channelsLast, geometry(c));
}

/** The backward op of the case's rank on a context. */
async function runApi(pool: Pooling, c: Case, backward: BackwardAlgorithm): Promise<Float32Array> {
  const g = geometry(c);
  const outShape = [g.N, g.C, ...g.outSize];
  const layout = layoutOf(c);
  const dy = pool.tensor(c.dy, outShape, { layout } as never);
  const indices = pool.tensor(c.indices, outShape, { layout, dtype: 'int32' } as never);
  const options = { ...c.window, inputShape: c.shape, backward };
  const method = c.rank === 1 ? 'maxPool1dBackward' : c.rank === 2 ? 'maxPool2dBackward' : 'maxPool3dBackward';
  const dx = await (pool[method] as (dy: unknown, i: unknown, o: unknown) => Promise<{ read(): Promise<Float32Array>; destroy(): void }>).call(pool, dy, indices, options);
  const result = await dx.read();
  for (const t of [dx, dy, indices]) t.destroy();
  return result;
}

/** Runs a plane backward plan (clear step first when it has one) over dx prefilled with garbage. */
async function runPlanForm(c: Case, form: BackwardForm, maxBindingSize?: number): Promise<{ dx: Float32Array; label: string; dispatches: number }> {
  const p = resolveMaxPool('test', planeShapeOf(c), planeWindow(c));
  const layout: Layout = c.channelsLast ? 'NHWC' : 'NCHW';
  const plan = maxPoolBackwardPlan(p, layout, form);
  const dev = (gpu().impl as unknown as { device: GPUDevice }).device;
  const buffers = new BufferPool(dev);
  const made: GPUBuffer[] = [];
  const bound: Record<string, GPUBuffer> = {};
  for (const [slot, data] of Object.entries({ dy: c.dy, indices: c.indices })) {
    const b = dev.createBuffer({ label: `index-rule.${slot}`, size: data.byteLength, usage: BufferUsage.STORAGE | BufferUsage.COPY_DST });
    dev.queue.writeBuffer(b, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
    bound[slot] = b;
    made.push(b);
  }
  const n = count(c.shape);
  const dx = dev.createBuffer({ label: 'index-rule.dx', size: n * 4, usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST });
  const read = dev.createBuffer({ label: 'index-rule.read', size: n * 4, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
  made.push(dx, read);
  dev.queue.writeBuffer(dx, 0, new Float32Array(n).fill(123.5));
  const steps: Step[] = [...(plan.zeroDx ? [{ kind: 'clear' as const, slot: 'dx' }] : []), { kind: 'kernel', plan: plan.kernel }];
  const encoder = dev.createCommandEncoder();
  const limits = maxBindingSize ? { limits: { maxBindingSize, offsetAlignment: dev.limits.minStorageBufferOffsetAlignment } } : {};
  const uniforms = encodeSteps(dev, encoder, buffers, steps, { ...bound, dx }, undefined, limits);
  encoder.copyBufferToBuffer(dx, 0, read, 0, n * 4);
  dev.queue.submit([encoder.finish()]);
  await read.mapAsync(MapMode.READ);
  const result = new Float32Array(read.getMappedRange().slice(0));
  read.unmap();
  for (const b of made) b.destroy();
  buffers.destroyAll();
  return { dx: result, label: plan.kernel.label, dispatches: uniforms.length };
}

/** The plane kernels see a 1-D op as a plane of one row. */
function planeShapeOf(c: Case): [number, number, number, number] {
  return c.rank === 1 ? [c.shape[0]!, c.shape[1]!, 1, c.shape[2]!] : (c.shape as [number, number, number, number]);
}

function planeWindow(c: Case): Options {
  if (c.rank === 2) return c.window;
  const one = (v: unknown, fill: number) => (v === undefined ? undefined : [fill, Array.isArray(v) ? v[0] : v]);
  const w: Options = { kernelSize: one(c.window.kernelSize, 1) };
  if (c.window.stride !== undefined) w.stride = one(c.window.stride, 1);
  if (c.window.dilation !== undefined) w.dilation = one(c.window.dilation, 1);
  if (c.window.padding !== undefined) w.padding = one(c.window.padding, 0);
  if (c.window.ceilMode !== undefined) w.ceilMode = c.window.ceilMode;
  return w;
}

/** A seeded input with ties (quantised values) in the case's memory order. */
function input(rand: () => number, shape: readonly number[]): Float32Array {
  return randomData(rand, count(shape));
}

/** dy: multiples of 1/64 (exact sums in f32), with some -0. */
function gradients(rand: () => number, n: number): Float32Array {
  const dy = randomData(rand, n);
  for (let i = 0; i < n; i++) if (rand() < 0.1) dy[i] = -0;
  return dy;
}

/**
 * Indices for the backward window `g`: per element the forward's own index (from `x` with the same
 * options), an in-volume position (mostly outside the window), -1, a position past the volume, a
 * negative number, or an int32 extreme.
 */
function garbageIndices(rand: () => number, own: Int32Array, volume: number): Int32Array {
  const out = new Int32Array(own.length);
  for (let i = 0; i < out.length; i++) {
    const r = rand();
    if (r < 0.3) out[i] = own[i]!;
    else if (r < 0.6) out[i] = randomInt(rand, 0, volume - 1);
    else if (r < 0.7) out[i] = -1;
    else if (r < 0.8) out[i] = randomInt(rand, volume, volume + 40);
    else if (r < 0.9) out[i] = randomInt(rand, -40, -2);
    else out[i] = pick(rand, [INT32_MIN, INT32_MAX, INT32_MIN + 1, volume, volume * 2 + 1]);
  }
  return out;
}

/** Indices that lie in each output's stride cell (a box of stride positions per axis from tap 0), rarely taps. */
function cellIndices(rand: () => number, c: Omit<Case, 'indices'>): Int32Array {
  const g = volumeGeometry(geometry(c as Case));
  const lanes = c.channelsLast ? c.shape[1]! : 1;
  const blocks = c.channelsLast ? c.shape[0]! : c.shape[0]! * c.shape[1]!;
  const outVolume = count(g.outSize);
  const out = new Int32Array(blocks * outVolume * lanes);
  for (let b = 0, o = 0; b < blocks; b++) {
    for (let of = 0; of < outVolume; of++) {
      const oc = [Math.floor(of / (g.outSize[1]! * g.outSize[2]!)), Math.floor(of / g.outSize[2]!) % g.outSize[1]!, of % g.outSize[2]!];
      for (let l = 0; l < lanes; l++, o++) {
        const pos = [0, 1, 2].map((a) => oc[a]! * g.stride[a]! - g.padBegin[a]! + randomInt(rand, 0, g.stride[a]! - 1));
        const inside = pos.every((q, a) => q >= 0 && q < g.inSize[a]!);
        out[o] = inside ? (pos[0]! * g.inSize[1]! + pos[1]!) * g.inSize[2]! + pos[2]! : -1;
      }
    }
  }
  return out;
}

/** The rule counted by hand: how many of the indices contribute (a check that cases exercise both sides). */
function contributing(c: Case): { kept: number; dropped: number } {
  const kept = ref.maxPoolNdBackward(new Float32Array(c.dy.length).fill(1), c.indices, c.channelsLast, geometry(c)).reduce((a, b) => a + b, 0);
  return { kept, dropped: c.indices.length - kept };
}

function makeCase(name: string, rank: SpatialRank, shape: number[], channelsLast: boolean, window: Options, indicesFor: (rand: () => number, base: Omit<Case, 'indices'>) => Int32Array, seed: number): Case {
  const rand = seededRandom(seed);
  const base: Omit<Case, 'indices'> = { name, rank, shape, channelsLast, window, dy: new Float32Array(0) };
  const g = geometry(base as Case);
  const withDy = { ...base, dy: gradients(rand, g.N * g.C * count(g.outSize)) };
  return { ...withDy, indices: indicesFor(rand, withDy) };
}

/** Indices of a forward with `forward` options over a seeded x: the forward's own when forward = the backward's window. */
function forwardIndices(forward: Options) {
  return (rand: () => number, c: Omit<Case, 'indices'>) => {
    const x = input(rand, c.shape);
    const g = resolveMaxWindow('test', c.rank, c.shape, { ...forward });
    return ref.maxPoolNdForward(x, c.channelsLast, g).indices;
  };
}

function garbage(rand: () => number, c: Omit<Case, 'indices'>): Int32Array {
  const own = forwardIndices(c.window)(rand, c);
  return garbageIndices(rand, own, count(c.shape.slice(2)));
}

const spatial = (rank: SpatialRank, sizes: readonly number[]) => sizes.slice(0, rank);
const perAxis = (rank: SpatialRank, v: number) => new Array<number>(rank).fill(v);

/** The cases: every rank and layout, the reproduction, foreign and garbage indices, overlapping or not. */
function cases(): Case[] {
  const out: Case[] = [];
  let seed = 1300;
  for (const rank of [1, 2, 3] as const) {
    for (const channelsLast of [false, true]) {
      const tag = `rank ${rank} ${LAYOUTS[rank][channelsLast ? 1 : 0]}`;
      const even = [2, 3, ...spatial(rank, rank === 3 ? [6, 8, 10] : rank === 2 ? [8, 10] : [18])];
      // The reproduction: a k3 s2 p1 forward's indices in a k2 s2 backward (same output shape).
      out.push(makeCase(`${tag} k3 s2 p1 indices in a k2 s2 backward`, rank, even, channelsLast, { kernelSize: perAxis(rank, 2), stride: perAxis(rank, 2) }, forwardIndices({ kernelSize: perAxis(rank, 3), stride: perAxis(rank, 2), padding: perAxis(rank, 1) }), seed++));
      // And the other way round: k2 s2 indices in an overlapping k3 s2 p1 backward.
      out.push(makeCase(`${tag} k2 s2 indices in a k3 s2 p1 backward`, rank, even, channelsLast, { kernelSize: perAxis(rank, 3), stride: perAxis(rank, 2), padding: perAxis(rank, 1) }, forwardIndices({ kernelSize: perAxis(rank, 2), stride: perAxis(rank, 2) }), seed++));
      // Garbage over overlapping windows (with dilation and ceil mode) and over windows that cannot overlap.
      const odd = [2, channelsLast ? 4 : 3, ...spatial(rank, rank === 3 ? [7, 9, 11] : rank === 2 ? [13, 11] : [29])];
      out.push(makeCase(`${tag} garbage, k3 s1 p1 (overlapping)`, rank, odd, channelsLast, { kernelSize: 3, stride: 1, padding: 1 }, garbage, seed++));
      out.push(makeCase(`${tag} garbage, k3 s2 d2 p2 ceil (overlapping, dilated)`, rank, odd, channelsLast, { kernelSize: 3, stride: 2, dilation: 2, padding: 2, ceilMode: true }, garbage, seed++));
      out.push(makeCase(`${tag} garbage, k2 s2 (no overlap)`, rank, odd, channelsLast, { kernelSize: 2, stride: 2 }, garbage, seed++));
      out.push(makeCase(`${tag} garbage, k2 s3 p1 ceil (cells wider than windows)`, rank, odd, channelsLast, { kernelSize: 2, stride: 3, padding: 1, ceilMode: true }, garbage, seed++));
      out.push(makeCase(`${tag} garbage, k2 d2 s3 (gaps between taps)`, rank, odd, channelsLast, { kernelSize: 2, stride: 3, dilation: 2 }, garbage, seed++));
      out.push(makeCase(`${tag} in-cell positions, k2 s3 p1`, rank, odd, channelsLast, { kernelSize: 2, stride: 3, padding: 1 }, cellIndices, seed++));
      out.push(makeCase(`${tag} in-cell positions, k2 d2 s3`, rank, odd, channelsLast, { kernelSize: 2, stride: 3, dilation: 2 }, cellIndices, seed++));
      // Nothing but -1 and out-of-range indices: dx is all zero.
      out.push(makeCase(`${tag} only -1 and out-of-range indices`, rank, odd, channelsLast, { kernelSize: 2, stride: 1 }, (rand, c) => garbageIndices(rand, new Int32Array(c.dy.length).fill(-1), count(c.shape.slice(2))).map((v) => (v >= 0 && v < count(c.shape.slice(2)) ? -1 : v)), seed++));
    }
  }
  return out;
}

const CASES = cases();

describe('the reference applies the rule', () => {
  it("docs/semantics.md's example: k3 s2 p1 indices in a k2 s2 backward give dx = [1, 0, 0, 1, 0, 0]", () => {
    const x = new Float32Array([3, 1, 2, 5, 4, 0]);
    const fwd = ref.maxPoolNdForward(x, false, resolveMaxWindow('test', 1, [1, 1, 6], { kernelSize: 3, stride: 2, padding: 1 }));
    expect(Array.from(fwd.indices)).toEqual([0, 3, 3]);
    const g = resolveMaxWindow('test', 1, [1, 1, 6], { kernelSize: 2, stride: 2 });
    expect(Array.from(ref.maxPoolNdBackward(new Float32Array([1, 1, 1]), fwd.indices, false, g))).toEqual([1, 0, 0, 1, 0, 0]);
  });

  it('the 2-D and N-d references agree on garbage indices in both layouts', () => {
    for (const c of CASES.filter((c) => c.rank === 2)) {
      const p = resolveMaxPool('test', c.shape, c.window);
      expectBitExact(ref.maxPool2dBackward(c.dy, c.indices, c.channelsLast ? 'NHWC' : 'NCHW', p), reference(c), c.name);
    }
  });

  it('with the forward\'s own indices the rule is invisible: every index counts', () => {
    for (const c of CASES) {
      const own = forwardIndices(c.window)(seededRandom(7), c);
      expect(contributing({ ...c, indices: own }).dropped, c.name).toBe(own.filter((i) => i < 0).length);
    }
  });

  it('every case keeps some indices and drops some (except the all-dropped one)', () => {
    for (const c of CASES) {
      const { kept, dropped } = contributing(c);
      if (c.name.includes('only -1')) expect(kept, c.name).toBe(0);
      // A k2 s2 window lies inside the k3 s2 p1 window of the same output: foreign, but every index counts.
      else if (c.name.includes('k2 s2 indices in a k3 s2 p1')) expect([kept, dropped], c.name).toEqual([c.indices.length, 0]);
      else expect(kept > 0 && dropped > 0, `${c.name}: kept ${kept}, dropped ${dropped}`).toBe(true);
    }
  });
});

describe("docs/semantics.md's example through the API: dx = [1, 0, 0, 1, 0, 0] on every backend and form", () => {
  for (const backend of ['cpu', 'webgpu'] as const) {
    for (const form of ['auto', 'scatter', 'gather'] as const) {
      it(`${backend} ${form}`, async () => {
        const pool = backend === 'cpu' ? cpu : gpu();
        const forward = await pool.maxPool1d(pool.tensor([3, 1, 2, 5, 4, 0], [1, 1, 6]), { kernelSize: 3, stride: 2, padding: 1, returnIndices: true });
        expect(Array.from(await forward.indices!.read())).toEqual([0, 3, 3]);
        const dx = await pool.maxPool1dBackward(pool.tensor([1, 1, 1], [1, 1, 3]), forward.indices!, { kernelSize: 2, stride: 2, inputShape: [1, 1, 6], backward: form });
        expect(Array.from(await dx.read())).toEqual([1, 0, 0, 1, 0, 0]);
      });
    }
  }
});

describe('CPU backend: every index rule case equals the reference, nothing throws', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      expectBitExact(await runApi(cpu, c, 'auto'), reference(c), 'dx');
    });
  }
});

describe('WebGPU, the API: backward auto, scatter and gather equal the reference', () => {
  for (const c of CASES) {
    for (const backward of ['auto', 'scatter', 'gather'] as const) {
      it(`${c.name}, ${backward}`, async () => {
        const pool = gpu();
        const dx = await withCleanErrorScope(pool, () => runApi(pool, c, backward));
        expectBitExact(dx, reference(c), 'dx');
      });
    }
  }
});

describe('WebGPU, the plane kernels forced: direct, cell, gather and their vec4 forms equal the reference', () => {
  for (const c of CASES.filter((c) => c.rank !== 3)) {
    const p = resolveMaxPool('test', planeShapeOf(c), planeWindow(c));
    const forms: BackwardForm[] = windowsOverlap(p) ? ['scatter', 'gather'] : ['direct', 'cell', 'scatter', 'gather'];
    for (const form of forms) {
      it(`${c.name}, ${form}`, async () => {
        const pool = gpu();
        const run = await withCleanErrorScope(pool, () => runPlanForm(c, form));
        const layout: Layout = c.channelsLast ? 'NHWC' : 'NCHW';
        // cell and gather take four channels per invocation where NHWC has C % 4 == 0.
        const vec4 = (form === 'cell' || form === 'gather') && usesVec4Channels(layout, p.C);
        expect(run.label).toBe(`maxPool2dBackward.${form}${vec4 ? '_vec4' : ''}`);
        expectBitExact(run.dx, reference(c), 'dx');
      });
    }
  }

  // Split dispatches bind part of dx each: an index outside its window must still be dropped, never
  // land in whatever part of dx happens to be bound.
  for (const c of CASES.filter((c) => c.rank === 2 && count(c.shape) >= 1024)) {
    const p = resolveMaxPool('test', planeShapeOf(c), planeWindow(c));
    const forms: BackwardForm[] = windowsOverlap(p) ? ['scatter', 'gather'] : ['direct', 'cell', 'scatter', 'gather'];
    for (const form of forms) {
      it(`${c.name}, ${form}, split over 2 KiB bindings`, async () => {
        const pool = gpu();
        const run = await withCleanErrorScope(pool, () => runPlanForm(c, form, 2048));
        expect(run.dispatches).toBeGreaterThan(1);
        expectBitExact(run.dx, reference(c), 'dx');
      });
    }
  }

  it('the cases reach every plane form auto picks, and cell_vec4', () => {
    const seen = new Set<string>();
    for (const c of CASES.filter((c) => c.rank !== 3)) {
      const p = resolveMaxPool('test', planeShapeOf(c), planeWindow(c));
      const layout: Layout = c.channelsLast ? 'NHWC' : 'NCHW';
      for (const adapter of [null, { vendor: 'google', architecture: 'swiftshader', device: '', description: '' }]) seen.add(chooseBackwardForm('max', p, 'auto', adapter, layout));
      if (!windowsOverlap(p) && usesVec4Channels(layout, p.C)) seen.add('cell_vec4');
    }
    expect([...seen].sort()).toEqual(['cell', 'cell_vec4', 'direct', 'scatter']);
  });
});

describe('global max backward: an index outside [0, slice size) is dropped', () => {
  for (const rank of [1, 2, 3] as const) {
    for (const channelsLast of [false, true]) {
      for (const backend of ['cpu', 'webgpu'] as const) {
        const shape = [2, 3, ...spatial(rank, [3, 4, 5])];
        const layout = LAYOUTS[rank][channelsLast ? 1 : 0];
        it(`rank ${rank + 2} ${layout} ${backend}${channelsLast ? ' (keepDims dy)' : ''}`, async () => {
          const pool = backend === 'cpu' ? cpu : gpu();
          const rand = seededRandom(77 + rank);
          const slice = count(shape.slice(2));
          const planes = shape[0]! * shape[1]!;
          const indices = new Int32Array(planes);
          const bad = [-1, -7, slice, slice + 3, INT32_MIN, INT32_MAX];
          for (let i = 0; i < planes; i++) indices[i] = i % 2 === 0 ? randomInt(rand, 0, slice - 1) : bad[i % bad.length]!;
          const dyData = gradients(rand, planes).map((v) => (v === 0 ? 0.5 : v));
          // Channels-last: the keepDims shape, in the input's layout (dx takes it); [N, C] otherwise.
          const dyShape = channelsLast ? [shape[0]!, shape[1]!, ...perAxis(rank, 1)] : [shape[0]!, shape[1]!];
          const tensorLayout = channelsLast ? layout : 'NC';
          const dy = pool.tensor(dyData, dyShape, { layout: tensorLayout } as never);
          const idx = pool.tensor(indices, dyShape, { layout: tensorLayout, dtype: 'int32' } as never);
          const run = () => pool.globalMaxPoolBackward(dy, idx, { inputShape: shape, keepDims: channelsLast } as never);
          const dx = backend === 'cpu' ? await run() : await withCleanErrorScope(pool, run);
          const got = await dx.read();
          const want = ref.globalMaxPoolBackward(dyData, indices, channelsLast ? 'NHWC' : 'NCHW', { N: shape[0]!, C: shape[1]!, H: 1, W: slice });
          expectBitExact(got, want, 'dx');
          // Only the in-range half of the indices received their gradient.
          expect(want.filter((v) => v !== 0).length).toBe(Math.ceil(planes / 2));
          for (const t of [dx, dy, idx]) t.destroy();
        });
      }
    }
  }
});
