/**
 * The three first passes of a large-plane global reduction (docs/global-selection.md), forced
 * through globalPoolPlan whatever the rule picks, against the CPU reference: the subgroup kernel
 * (global-max-subgroup.wgsl, global-avg-subgroup.wgsl), the workgroup tree and the per-invocation
 * scan, in NCHW and NHWC. Plane sizes sit around the subgroup, workgroup and chunk boundaries; the
 * max planes hold NaN of both signs, ±inf, ties, -0 and +0 spread over different subgroups and
 * chunks. Max values and indices bit for bit, averages within docs/semantics.md's tolerance. Then the
 * selection rule, and what the live device gets.
 */
import { describe, expect, it } from 'vitest';
import { BufferPool } from '../src/host/buffer-pool.js';
import { encodeSteps } from '../src/host/dispatch.js';
import { BufferUsage, MapMode } from '../src/host/gpu-flags.js';
import type { BindingLimits } from '../src/host/split.js';
import { CHUNK_SIZE, chooseGlobalChunkKernel, globalPoolPlan, NHWC_CHUNK_SIZE, PER_PLANE_MAX_SIZE, type GlobalChunkKernel, type GlobalKind, type GlobalPoolDevice } from '../src/kernels/global-pool.js';
import * as ref from '../src/reference/index.js';
import type { AdapterInfoSummary, Layout, PlaneShape } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { useGpuPool, withCleanErrorScope } from './helpers/gpu.js';
import { randomData, randomInt, seededRandom } from './helpers/random.js';

const pool = useGpuPool();
const device = () => (pool().impl as unknown as { device: GPUDevice }).device;
const hasSubgroups = () => device().features.has('subgroups' as GPUFeatureName);
/** The live device as the backend describes it to globalPoolPlan. */
const liveDevice = (): GlobalPoolDevice => ({ subgroups: hasSubgroups(), adapter: pool().adapterInfo });

const f32 = (bits: number) => new Float32Array(new Uint32Array([bits]).buffer)[0]!;
const POSITIVE_NAN = f32(0x7fc00000);
const NEGATIVE_NAN = f32(0xffc00000);
const PAYLOAD_NAN = f32(0x7f800123);

/**
 * One plane per scenario, `planeSize` long, in NCHW order (plane p = n * C + c). The scenarios put
 * their special values at seeded positions plus the edges of subgroups (4..128 lanes), of the
 * workgroup's strided rows and of the chunks, so that competing candidates end up in different
 * subgroups, workgroups and chunks.
 */
function maxPlanes(planeSize: number, seed: number): Float32Array[] {
  const rand = seededRandom(seed);
  const edges = [0, 1, 3, 4, 31, 32, 63, 64, 127, 128, 255, 256, NHWC_CHUNK_SIZE - 1, NHWC_CHUNK_SIZE, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, planeSize - 2, planeSize - 1].filter((i) => i >= 0 && i < planeSize);
  const spots = (extra: number): number[] => [...edges.filter(() => rand() < 0.5), ...Array.from({ length: extra }, () => randomInt(rand, 0, planeSize - 1))];
  const negatives = () => randomData(rand, planeSize).map((v) => -Math.abs(v) - 1 / 64);
  const plane = (fill: (a: Float32Array) => void, base = randomData(rand, planeSize)): Float32Array => {
    fill(base);
    return base;
  };
  return [
    plane(() => {}),
    // Ties of the maximum: the first position wins.
    plane((a) => spots(6).forEach((i) => (a[i] = 1.5))),
    // -0 and +0 as the maximum: the first one wins, with its sign.
    plane((a) => spots(4).forEach((i, k) => (a[i] = k % 2 ? 0 : -0)), negatives()),
    plane((a) => spots(4).forEach((i, k) => (a[i] = k % 2 ? -0 : 0)), negatives()),
    // NaNs of both signs among +inf: the last NaN wins, with its bits.
    plane((a) => spots(6).forEach((i, k) => (a[i] = [POSITIVE_NAN, Infinity, NEGATIVE_NAN, PAYLOAD_NAN][k % 4]!))),
    // One NaN, at the first or the last position.
    plane((a) => (a[0] = NEGATIVE_NAN)),
    plane((a) => (a[planeSize - 1] = POSITIVE_NAN)),
    // -inf everywhere: position 0 wins. +inf ties.
    plane((a) => a.fill(-Infinity)),
    plane((a) => spots(5).forEach((i) => (a[i] = Infinity))),
  ];
}

const SCENARIOS = 9;

/** Lays planes [N * C] out as an NCHW or NHWC tensor. */
function tensorOf(planes: Float32Array[], s: PlaneShape, layout: Layout): Float32Array {
  const planeSize = s.H * s.W;
  const x = new Float32Array(planes.length * planeSize);
  planes.forEach((plane, p) => {
    const n = Math.floor(p / s.C);
    const c = p % s.C;
    for (let i = 0; i < planeSize; i++) x[layout === 'NCHW' ? p * planeSize + i : (n * planeSize + i) * s.C + c] = plane[i]!;
  });
  return x;
}

interface PlanRun {
  y: Float32Array;
  indices: Int32Array;
  labels: string[];
  /** Dispatches the passes ran as: more than the passes when they were split. */
  dispatches: number;
}

/** Runs a global plan's passes over x, as the backend does (partials between the passes). */
async function runGlobal(kind: GlobalKind, s: PlaneShape, layout: Layout, x: Float32Array, chunkKernel: GlobalChunkKernel, limits?: BindingLimits): Promise<PlanRun> {
  const dev = device();
  const plan = globalPoolPlan(kind, s, layout, dev.limits.maxComputeInvocationsPerWorkgroup, liveDevice(), chunkKernel);
  const planes = s.N * s.C;
  const buffers = new BufferPool(dev);
  const make = (label: string, bytes: number, usage: number) => dev.createBuffer({ label: `global-subgroups.${label}`, size: Math.max(bytes, 4), usage });
  const made: GPUBuffer[] = [];
  const storage = (label: string, elements: number) => {
    const b = make(label, elements * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST);
    made.push(b);
    return b;
  };
  const bound: Record<string, GPUBuffer> = { x: storage('x', x.length), y: storage('y', planes), y_indices: storage('y_indices', planes) };
  dev.queue.writeBuffer(bound.x!, 0, x.buffer as ArrayBuffer, x.byteOffset, x.byteLength);
  if (plan.partialCount > 0) {
    bound.partials = storage('partials', plan.partialCount);
    bound.partial_indices = storage('partial_indices', plan.partialCount);
  }
  const read = make('read', planes * 8, BufferUsage.MAP_READ | BufferUsage.COPY_DST);
  made.push(read);
  const encoder = dev.createCommandEncoder();
  const steps = plan.passes.map((p) => ({ kind: 'kernel' as const, plan: p }));
  const uniforms = encodeSteps(dev, encoder, buffers, steps, bound, undefined, limits ? { limits } : {});
  encoder.copyBufferToBuffer(bound.y!, 0, read, 0, planes * 4);
  encoder.copyBufferToBuffer(bound.y_indices!, 0, read, planes * 4, planes * 4);
  dev.queue.submit([encoder.finish()]);
  await read.mapAsync(MapMode.READ);
  const bytes = read.getMappedRange().slice(0);
  read.unmap();
  for (const b of made) b.destroy();
  buffers.destroyAll();
  return { y: new Float32Array(bytes, 0, planes), indices: new Int32Array(bytes, planes * 4, planes), labels: plan.passes.map((p) => p.label), dispatches: uniforms.length };
}

async function checkMax(s: PlaneShape, layout: Layout, planes: Float32Array[], chunkKernel: GlobalChunkKernel, limits?: BindingLimits): Promise<PlanRun> {
  const x = tensorOf(planes, s, layout);
  const want = ref.globalMaxPool(x, layout, s);
  const run = await withCleanErrorScope(pool(), () => runGlobal('max', s, layout, x, chunkKernel, limits));
  expectBitExact(run.y, want.output, `${chunkKernel} values`);
  expectBitExact(run.indices, want.indices, `${chunkKernel} indices`);
  return run;
}

async function checkAvg(s: PlaneShape, layout: Layout, x: Float32Array, chunkKernel: GlobalChunkKernel, limits?: BindingLimits): Promise<PlanRun> {
  const want = ref.globalAvgPool(x, layout, s);
  const run = await withCleanErrorScope(pool(), () => runGlobal('avg', s, layout, x, chunkKernel, limits));
  expectClose(run.y, want, s.H * s.W, `${chunkKernel} averages`);
  return run;
}

/** H x W of planes just above the one-pass limit, around a subgroup and a chunk, and of several chunks. */
const PLANES: [number, number][] = [
  [1, PER_PLANE_MAX_SIZE + 1],
  [3, 131],
  [56, 56],
  [32, 32],
  [1, NHWC_CHUNK_SIZE + 1],
  [63, 65],
  [64, 64],
  [1, CHUNK_SIZE + 1],
  [3, 3 * CHUNK_SIZE - 5],
  [97, 339],
];
const KERNELS: GlobalChunkKernel[] = ['subgroup', 'tree', 'scan'];

describe('global pooling: subgroup, tree and scan first passes against the reference', () => {
  it('the device has the subgroups feature (SwiftShader, the default test adapter)', () => {
    expect(hasSubgroups(), `adapter ${JSON.stringify(pool().adapterInfo)} lacks the subgroups feature this suite tests`).toBe(true);
  });

  for (const [H, W] of PLANES) {
    for (const kernel of KERNELS) {
      for (const layout of ['NCHW', 'NHWC'] as const) {
        const s: PlaneShape = { N: 2, C: SCENARIOS, H, W };
        it(`max ${kernel} ${layout} ${s.N}x${s.C}x${H}x${W}: NaN of both signs, ±inf, ties, -0/+0; values and indices bit-exact`, async () => {
          const planes = [0, 1].flatMap((n) => maxPlanes(H * W, H * 7919 + W + n));
          const run = await checkMax(s, layout, planes, kernel);
          expect(run.labels[0]).toBe(`globalMaxPool.${kernel === 'tree' ? 'chunk' : kernel === 'scan' ? 'chunk_scan' : 'chunk_subgroup'}`);
        });
        it(`avg ${kernel} ${layout} ${s.N}x${s.C}x${H}x${W}`, async () => {
          const rand = seededRandom(H * 31 + W);
          const x = randomData(rand, s.N * s.C * H * W, false);
          await checkAvg(s, layout, x, kernel);
        });
      }
    }
  }

  it('max and avg subgroup NCHW 1x3x512x512: 64 chunks, one NaN and one tie per chunk edge', async () => {
    const s: PlaneShape = { N: 1, C: 3, H: 512, W: 512 };
    const planeSize = s.H * s.W;
    const planes = maxPlanes(planeSize, 5).slice(0, 2);
    const edges = new Float32Array(planeSize).fill(-1);
    for (let k = 1; k < planeSize / CHUNK_SIZE; k++) edges[k * CHUNK_SIZE - (k % 2)] = k % 3 ? 2 : k % 2 ? POSITIVE_NAN : NEGATIVE_NAN;
    planes.push(edges);
    const run = await checkMax(s, 'NCHW', planes, 'subgroup');
    expect(run.labels).toEqual(['globalMaxPool.chunk_subgroup', 'globalMaxPool.combine']);
    await checkAvg(s, 'NCHW', tensorOf(planes.map((p) => p.map((v) => (Number.isFinite(v) ? v : 0.5))), s, 'NCHW'), 'subgroup');
  });

  it('max and avg subgroup NCHW 4x6x70x70, split over bindings of 32 KiB (two chunks)', async () => {
    const s: PlaneShape = { N: 4, C: 6, H: 70, W: 70 };
    const limits: BindingLimits = { maxBindingSize: 2 * CHUNK_SIZE * 4, offsetAlignment: device().limits.minStorageBufferOffsetAlignment };
    const planes = Array.from({ length: s.N }, (_, n) => maxPlanes(s.H * s.W, 11 + n).slice(0, s.C)).flat();
    const maxRun = await checkMax(s, 'NCHW', planes, 'subgroup', limits);
    expect(maxRun.dispatches).toBeGreaterThan(maxRun.labels.length);
    const avgRun = await checkAvg(s, 'NCHW', randomData(seededRandom(3), s.N * s.C * s.H * s.W, false), 'subgroup', limits);
    expect(avgRun.dispatches).toBeGreaterThan(avgRun.labels.length);
  });
});

describe('global pooling: which first pass runs (docs/global-selection.md)', () => {
  const gpu: AdapterInfoSummary = { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H100' };
  const swiftshader: AdapterInfoSummary = { vendor: 'google', architecture: '', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0' };
  const llvmpipe: AdapterInfoSummary = { vendor: 'mesa', architecture: '', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'OpenGL version OpenGL ES 3.2 Mesa 22.3.6' };
  const big: PlaneShape = { N: 1, C: 64, H: 512, W: 512 };

  it('NCHW on a GPU: subgroup kernel with the feature, the tree without it', () => {
    expect(chooseGlobalChunkKernel('NCHW', { subgroups: true, adapter: gpu })).toBe('subgroup');
    expect(chooseGlobalChunkKernel('NCHW', { subgroups: false, adapter: gpu })).toBe('tree');
    expect(chooseGlobalChunkKernel('NCHW', { subgroups: true, adapter: null })).toBe('subgroup');
    expect(globalPoolPlan('max', big, 'NCHW', 256, { subgroups: true, adapter: gpu }).passes.map((p) => p.label)).toEqual(['globalMaxPool.chunk_subgroup', 'globalMaxPool.combine']);
    expect(globalPoolPlan('avg', big, 'NCHW', 256, { subgroups: false, adapter: gpu }).passes.map((p) => p.label)).toEqual(['globalAvgPool.chunk', 'globalAvgPool.combine']);
  });

  it('CPU adapters and NHWC scan; small planes stay one pass', () => {
    for (const adapter of [swiftshader, llvmpipe]) {
      expect(chooseGlobalChunkKernel('NCHW', { subgroups: true, adapter })).toBe('scan');
      expect(chooseGlobalChunkKernel('NCHW', { subgroups: false, adapter })).toBe('scan');
    }
    expect(chooseGlobalChunkKernel('NHWC', { subgroups: true, adapter: gpu })).toBe('scan');
    const small: PlaneShape = { N: 32, C: 2048, H: 7, W: 7 };
    expect(globalPoolPlan('max', small, 'NCHW', 256, { subgroups: true, adapter: gpu }).passes.map((p) => p.label)).toEqual(['globalMaxPool.per_plane']);
  });

  it('the subgroup kernel is refused without the feature', () => {
    expect(() => globalPoolPlan('max', big, 'NCHW', 256, { subgroups: false, adapter: gpu }, 'subgroup')).toThrow(/subgroups feature/);
  });

  it('the live SwiftShader device: large NCHW planes scan, and globalMaxPool matches the reference', async () => {
    const s: PlaneShape = { N: 1, C: SCENARIOS, H: 64, W: 65 };
    const plan = globalPoolPlan('max', s, 'NCHW', device().limits.maxComputeInvocationsPerWorkgroup, liveDevice());
    expect(JSON.stringify(pool().adapterInfo)).toMatch(/swiftshader/i);
    expect(plan.passes.map((p) => p.label)).toEqual(['globalMaxPool.chunk_scan', 'globalMaxPool.combine']);
    const x = tensorOf(maxPlanes(s.H * s.W, 99), s, 'NCHW');
    const want = ref.globalMaxPool(x, 'NCHW', s);
    const { output, indices } = await withCleanErrorScope(pool(), () => pool().globalMaxPool(pool().tensor(x, [s.N, s.C, s.H, s.W]), { returnIndices: true }));
    expectBitExact(await output.read(), want.output, 'values');
    expectBitExact(await indices!.read(), want.indices, 'indices');
  });
});
