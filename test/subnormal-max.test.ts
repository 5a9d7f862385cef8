/**
 * Max pooling of subnormals, bit-exact on every adapter (docs/semantics.md, "Accuracy"): the WebGPU
 * max kernels compare integer order keys made from the bits, so an adapter that flushes subnormals
 * in float comparisons (SwiftShader) still finds the reference's maximum and index. Against the
 * CPU reference, values and indices bit for bit:
 *  - the issue's reproduction, max of [1e-40, 2e-40, 3e-40, 4e-40] → 4e-40 at index 3, for
 *    maxPool1d/2d/3d and globalMaxPool, on the CPU backend and WebGPU;
 *  - subnormal-heavy seeded data (positive and negative subnormals, ties among them, ±0 ties, the
 *    smallest normals, a few NaN of both signs and -inf) through every max kernel, forced through
 *    its plan: plane scalar (both layouts), vec4 channels, W4 rows, the specialised windows and
 *    their generic pipelines, the zero-padding path (padValue 0: a positive subnormal beats a
 *    padded zero, a negative one loses to it, -0 ties it), the N-d kernel at ranks 1-3;
 *  - global max: per_plane, and the tree, scan and subgroup first passes with the combine pass;
 *  - through the API at ranks 1-3, both layouts, on the CPU backend and WebGPU.
 * Averages may flush subnormals (SwiftShader does); they are only held to the documented tolerance.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BufferPool } from '../src/host/buffer-pool.js';
import { encodeSteps } from '../src/host/dispatch.js';
import { BufferUsage, MapMode } from '../src/host/gpu-flags.js';
import { CHUNK_SIZE, globalPoolPlan, NHWC_CHUNK_SIZE, PER_PLANE_MAX_SIZE, type GlobalChunkKernel } from '../src/kernels/global-pool.js';
import type { KernelPlan } from '../src/kernels/kernel.js';
import { maxPoolForwardPlan } from '../src/kernels/max-pool.js';
import { ndForwardPlan } from '../src/kernels/nd-pool.js';
import { isSpecialisedWindow } from '../src/kernels/window-constants.js';
import { createPooling, type Pooling } from '../src/index.js';
import { resolveMaxPool, resolveMaxWindow } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { Layout, MaxPoolParams, PlaneShape, SpatialRank } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { testAdapterKind, useGpuPool, withCleanErrorScope } from './helpers/gpu.js';
import { pick, randomInt, seededRandom } from './helpers/random.js';
import { runPlan } from './helpers/run-plan.js';

const gpu = useGpuPool();
const device = () => (gpu().impl as unknown as { device: GPUDevice }).device;
let cpu: Pooling;
beforeAll(async () => {
  cpu = await createPooling({ backend: 'cpu' });
  return () => cpu.destroy();
});

const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const fromBits = (bits: readonly number[]) => new Float32Array(Uint32Array.from(bits).buffer);
const LAYOUTS: Record<SpatialRank, readonly [string, string]> = { 1: ['NCL', 'NLC'], 2: ['NCHW', 'NHWC'], 3: ['NCDHW', 'NDHWC'] };

/** [1e-40, 2e-40, 3e-40, 4e-40] as float32. */
const ISSUE = new Float32Array([1e-40, 2e-40, 3e-40, 4e-40]);

type Mix = 'mixed' | 'negative' | 'zeros';

/**
 * Seeded subnormal-heavy data, as bits. 'mixed': positive and negative subnormals, a few repeated
 * subnormals (ties), ±0, the smallest normals, rare NaN of both signs and -inf. 'negative': negative
 * subnormals and -inf only (the maximum is the least negative). 'zeros': ±0 among negative
 * subnormals (the first zero of a window wins, with its sign).
 */
function subnormalData(rand: () => number, n: number, mix: Mix): Float32Array {
  const ties = [0x00000001, 0x00000003, 0x00400000, 0x007fffff];
  const bits = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rand();
    const subnormal = randomInt(rand, 1, 0x7fffff);
    if (mix === 'negative') bits[i] = r < 0.05 ? 0xff800000 : r < 0.2 ? 0x80000000 | pick(rand, ties) : 0x80000000 | subnormal;
    else if (mix === 'zeros') bits[i] = r < 0.3 ? pick(rand, [0, 0x80000000]) : 0x80000000 | subnormal;
    else if (r < 0.35) bits[i] = subnormal;
    else if (r < 0.6) bits[i] = 0x80000000 | subnormal;
    else if (r < 0.72) bits[i] = pick(rand, ties) | (rand() < 0.3 ? 0x80000000 : 0);
    else if (r < 0.82) bits[i] = pick(rand, [0, 0x80000000]);
    else if (r < 0.9) bits[i] = pick(rand, [0x00800000, 0x80800000, 0x00800001]);
    else if (r < 0.92) bits[i] = pick(rand, [0x7fc00000, 0xffc00000, 0x7fc00001, 0xffc12345]);
    else if (r < 0.94) bits[i] = 0xff800000;
    else bits[i] = subnormal >>> randomInt(rand, 0, 22) || 1;
  }
  return new Float32Array(bits.buffer);
}

/** How many of the data's maxima the test relies on being subnormal (so a flush would show). */
function subnormalMaxima(values: Float32Array): number {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  return bits.filter((b) => (b & 0x7f800000) === 0 && (b & 0x7fffff) !== 0).length;
}

async function checkPlan(plan: KernelPlan, x: Float32Array, want: { output: Float32Array; indices: Int32Array }): Promise<void> {
  const n = want.output.length;
  const run = await withCleanErrorScope(gpu(), () => runPlan(device(), plan, x, { y: n, indices: n }));
  expectBitExact(new Float32Array(run.outputs.y!), want.output, `${plan.label} values`);
  expectBitExact(new Int32Array(run.outputs.indices!), want.indices, `${plan.label} indices`);
}

describe("the issue's reproduction: max of [1e-40, 2e-40, 3e-40, 4e-40] is 4e-40 at index 3", () => {
  const shapes: [SpatialRank, number[], Record<string, unknown>][] = [
    [1, [1, 1, 4], { kernelSize: 4 }],
    [2, [1, 1, 1, 4], { kernelSize: [1, 4] }],
    [2, [1, 1, 2, 2], { kernelSize: 2 }],
    [3, [1, 1, 1, 2, 2], { kernelSize: [1, 2, 2] }],
  ];
  for (const backend of ['cpu', 'webgpu'] as const) {
    for (const [rank, shape, options] of shapes) {
      it(`maxPool${rank}d ${shape.join('x')} ${backend}`, async () => {
        const pool = backend === 'cpu' ? cpu : gpu();
        const x = pool.tensor(ISSUE, shape);
        const method = `maxPool${rank}d` as 'maxPool2d';
        const r = await pool[method](x, { ...options, returnIndices: true } as never);
        expectBitExact(await r.output.read(), ISSUE.subarray(3), 'value');
        expect(Array.from(await r.indices!.read())).toEqual([3]);
      });
    }
    it(`globalMaxPool 1x1x2x2 ${backend}`, async () => {
      const pool = backend === 'cpu' ? cpu : gpu();
      const r = await pool.globalMaxPool(pool.tensor(ISSUE, [1, 1, 2, 2]), { returnIndices: true });
      expectBitExact(await r.output.read(), ISSUE.subarray(3), 'value');
      expect(Array.from(await r.indices!.read())).toEqual([3]);
    });
    it(`negative subnormals, ±0 and the smallest normal ${backend}`, async () => {
      const pool = backend === 'cpu' ? cpu : gpu();
      const cases: [number[], number, number][] = [
        // bits, winning bits, index
        [[0x80000004, 0x80000001, 0x80000003, 0x80000002], 0x80000001, 1],
        [[0x80000001, 0x80000000, 0x00000000, 0x80000001], 0x80000000, 1],
        [[0x80000001, 0x00000000, 0x80000000, 0x00000001], 0x00000001, 3],
        [[0x007fffff, 0x00800000, 0x007ffffe, 0x00000001], 0x00800000, 1],
        [[0x00000001, 0x00000001, 0x80000000, 0x00000000], 0x00000001, 0],
        [[0xffc00000, 0x00000001, 0x7fc00001, 0x00000002], 0x7fc00001, 2],
      ];
      for (const [bits, winner, index] of cases) {
        const r = await pool.maxPool1d(pool.tensor(fromBits(bits), [1, 1, 4]), { kernelSize: 4, returnIndices: true });
        expectBitExact(await r.output.read(), fromBits([winner]), `max of ${bits.map((b) => b.toString(16))}`);
        expect(Array.from(await r.indices!.read())).toEqual([index]);
        const g = await pool.globalMaxPool(pool.tensor(fromBits(bits), [1, 1, 4]), { returnIndices: true });
        expectBitExact(await g.output.read(), fromBits([winner]), `global max of ${bits.map((b) => b.toString(16))}`);
        expect(Array.from(await g.indices!.read())).toEqual([index]);
      }
    });
  }
});

interface PlaneCase {
  name: string;
  shape: [number, number, number, number];
  layout: Layout;
  kernel: 'scalar' | 'w4' | 'vec4';
}

// NHWC's C picks the vec4 kernel (8) or the scalar one (3); NCHW widths give W4 full and tail groups.
const PLANE_KERNELS: PlaneCase[] = [
  { name: 'NCHW scalar', shape: [2, 3, 9, 13], layout: 'NCHW', kernel: 'scalar' },
  { name: 'NCHW w4', shape: [2, 3, 9, 19], layout: 'NCHW', kernel: 'w4' },
  { name: 'NHWC vec4', shape: [2, 8, 7, 10], layout: 'NHWC', kernel: 'vec4' },
  { name: 'NHWC scalar', shape: [1, 3, 9, 11], layout: 'NHWC', kernel: 'scalar' },
  { name: 'NCHW scalar, one row (1-D)', shape: [2, 3, 1, 40], layout: 'NCHW', kernel: 'scalar' },
  { name: 'NCHW w4, one row (1-D)', shape: [2, 3, 1, 41], layout: 'NCHW', kernel: 'w4' },
  { name: 'NHWC vec4, one row (1-D)', shape: [1, 4, 1, 33], layout: 'NHWC', kernel: 'vec4' },
];

const WINDOWS: Record<string, unknown>[] = [
  { kernelSize: 2, stride: 2 },
  { kernelSize: 3, stride: 2, padding: 1 },
  { kernelSize: 3, stride: 1, padding: 1, ceilMode: true },
  { kernelSize: [2, 3], stride: [1, 2], dilation: [2, 1], padding: [1, 1] },
  { kernelSize: 4, stride: 3, padding: [0, 1, 2, 3], ceilMode: true },
];

describe('plane max kernels forced: subnormal-heavy data bit for bit (values and indices)', () => {
  const rand = seededRandom(7001);
  for (const c of PLANE_KERNELS) {
    for (const w of WINDOWS) {
      for (const mix of ['mixed', 'negative', 'zeros'] as const) {
        const oneRow = c.shape[2] === 1;
        const window = oneRow ? { kernelSize: [1, typeof w.kernelSize === 'number' ? w.kernelSize : (w.kernelSize as number[])[1]], stride: [1, typeof w.stride === 'number' ? w.stride : (w.stride as number[])[1]], ceilMode: w.ceilMode } : w;
        const x = subnormalData(rand, count(c.shape), mix);
        it(`${c.name} ${c.shape.join('x')} ${JSON.stringify(window)} ${mix}`, async () => {
          const p = resolveMaxPool('maxPool2d', c.shape, window);
          const want = ref.maxPool2dForward(x, c.layout, p);
          if (mix === 'mixed') expect(subnormalMaxima(want.output)).toBeGreaterThan(0);
          for (const specialise of isSpecialisedWindow(p) ? [true, false] : [true]) {
            const plan = maxPoolForwardPlan(p, c.layout, true, c.kernel === 'w4' ? 'w4' : 'scalar', specialise);
            expect(plan.label).toBe(c.kernel === 'scalar' ? 'maxPool2d.forward' : `maxPool2d.forward.${c.kernel}`);
            await checkPlan(plan, x, want);
          }
        });
      }
    }
  }
});

describe('zero padding (padValue 0, the scalar kernel): subnormals against the padded zero', () => {
  const rand = seededRandom(7002);
  for (const layout of ['NCHW', 'NHWC'] as const) {
    for (const mix of ['mixed', 'negative', 'zeros'] as const) {
      for (const window of [{ kernelSize: 3, stride: 2, padding: 1 }, { kernelSize: 2, stride: 2, padding: [1, 0, 0, 1], ceilMode: true }, { kernelSize: 3, stride: 1, dilation: 2, padding: 2 }]) {
        const shape: [number, number, number, number] = [1, 4, 7, 8];
        const x = subnormalData(rand, count(shape), mix);
        it(`${layout} ${JSON.stringify(window)} ${mix}`, async () => {
          const p: MaxPoolParams = resolveMaxPool('maxPool2d', shape, { ...window, padValue: 0 });
          expect(p.padWithZero).toBe(true);
          const want = ref.maxPool2dForward(x, layout, p);
          await checkPlan(maxPoolForwardPlan(p, layout, true), x, want);
        });
      }
    }
  }

  it('a positive subnormal beats the padded zero; a negative one and -0 after it lose to it', async () => {
    const p = resolveMaxPool('maxPool2d', [1, 1, 1, 3], { kernelSize: [1, 2], stride: [1, 1], padding: [0, 1], padValue: 0 });
    // Windows [pad, a], [a, b], [b, c], [c, pad].
    const x = fromBits([0x00000001, 0x80000001, 0x80000000]);
    const want = { output: fromBits([0x00000001, 0x00000001, 0x80000000, 0x80000000]), indices: new Int32Array([0, 0, 2, 2]) };
    expectBitExact(ref.maxPool2dForward(x, 'NCHW', p).output, want.output, 'reference');
    await checkPlan(maxPoolForwardPlan(p, 'NCHW', true), x, want);
    const negative = fromBits([0x80000001, 0x80000002, 0x80000003]);
    await checkPlan(maxPoolForwardPlan(p, 'NCHW', true), negative, { output: fromBits([0, 0x80000001, 0x80000002, 0]), indices: new Int32Array([-1, 0, 1, -1]) });
  });
});

describe('N-d max kernel forced at ranks 1-3: subnormal-heavy data bit for bit', () => {
  const rand = seededRandom(7003);
  const shapes: Record<SpatialRank, number[]> = { 1: [2, 3, 37], 2: [2, 4, 9, 10], 3: [1, 4, 5, 6, 7] };
  for (const rank of [1, 2, 3] as const) {
    for (const channelsLast of [false, true]) {
      for (const [name, options] of [
        ['k2 s2', { kernelSize: 2, stride: 2 }],
        ['k3 s1 p1 ceil', { kernelSize: 3, stride: 1, padding: 1, ceilMode: true }],
        ['k2 d2 s1 p1', { kernelSize: 2, dilation: 2, stride: 1, padding: 1 }],
        ['k3 s2 p1 padValue 0', { kernelSize: 3, stride: 2, padding: 1, padValue: 0 }],
      ] as const) {
        for (const mix of ['mixed', 'negative', 'zeros'] as const) {
          const shape = shapes[rank];
          const x = subnormalData(rand, count(shape), mix);
          it(`rank ${rank} ${LAYOUTS[rank][channelsLast ? 1 : 0]} ${name} ${mix}`, async () => {
            const g = resolveMaxWindow('test', rank, shape, { ...options });
            await checkPlan(ndForwardPlan('max', g, channelsLast, true), x, ref.maxPoolNdForward(x, channelsLast, g));
          });
        }
      }
    }
  }
});

/** Runs a global max plan's passes over x (partials between the passes), as the backend does. */
async function runGlobal(s: PlaneShape, layout: Layout, x: Float32Array, chunkKernel: GlobalChunkKernel): Promise<{ y: Float32Array; indices: Int32Array; labels: string[] }> {
  const dev = device();
  const subgroups = dev.features.has('subgroups' as GPUFeatureName);
  const plan = globalPoolPlan('max', s, layout, dev.limits.maxComputeInvocationsPerWorkgroup, { subgroups, adapter: gpu().adapterInfo }, chunkKernel);
  const planes = s.N * s.C;
  const buffers = new BufferPool(dev);
  const made: GPUBuffer[] = [];
  const storage = (label: string, elements: number) => {
    const b = dev.createBuffer({ label: `subnormal-max.${label}`, size: Math.max(elements * 4, 4), usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST });
    made.push(b);
    return b;
  };
  const bound: Record<string, GPUBuffer> = { x: storage('x', x.length), y: storage('y', planes), y_indices: storage('y_indices', planes) };
  dev.queue.writeBuffer(bound.x!, 0, x.buffer as ArrayBuffer, x.byteOffset, x.byteLength);
  if (plan.partialCount > 0) {
    bound.partials = storage('partials', plan.partialCount);
    bound.partial_indices = storage('partial_indices', plan.partialCount);
  }
  const read = dev.createBuffer({ label: 'subnormal-max.read', size: planes * 8, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
  made.push(read);
  const encoder = dev.createCommandEncoder();
  encodeSteps(dev, encoder, buffers, plan.passes.map((p) => ({ kind: 'kernel' as const, plan: p })), bound);
  encoder.copyBufferToBuffer(bound.y!, 0, read, 0, planes * 4);
  encoder.copyBufferToBuffer(bound.y_indices!, 0, read, planes * 4, planes * 4);
  dev.queue.submit([encoder.finish()]);
  await read.mapAsync(MapMode.READ);
  const bytes = read.getMappedRange().slice(0);
  read.unmap();
  for (const b of made) b.destroy();
  buffers.destroyAll();
  return { y: new Float32Array(bytes, 0, planes), indices: new Int32Array(bytes, planes * 4, planes), labels: plan.passes.map((p) => p.label) };
}

describe('global max forced: per_plane, tree, scan and subgroup (+ combine) bit for bit', () => {
  const rand = seededRandom(7004);
  const hasSubgroups = () => device().features.has('subgroups' as GPUFeatureName);
  it('the default adapter has the subgroups feature, so the subgroup pass is tested there', () => {
    if (testAdapterKind() !== 'opengles') expect(hasSubgroups()).toBe(true);
  });
  const planes: [number, number][] = [
    [7, 9],
    [1, PER_PLANE_MAX_SIZE],
    [1, PER_PLANE_MAX_SIZE + 1],
    [33, 31],
    [1, NHWC_CHUNK_SIZE + 3],
    [3, CHUNK_SIZE - 1],
    [1, 2 * CHUNK_SIZE + 5],
  ];
  for (const [H, W] of planes) {
    for (const layout of ['NCHW', 'NHWC'] as const) {
      const kernels: GlobalChunkKernel[] = H * W <= PER_PLANE_MAX_SIZE ? ['scan'] : ['tree', 'scan', 'subgroup'];
      for (const kernel of kernels) {
        for (const mix of ['mixed', 'negative', 'zeros'] as const) {
          const s: PlaneShape = { N: 2, C: 3, H, W };
          const x = subnormalData(rand, 6 * H * W, mix);
          // A large mixed plane holds a NaN or a normal; the first half of the data is made subnormals
          // and zeros only (the exponent cleared), so its planes' maxima are subnormal.
          if (mix === 'mixed') new Uint32Array(x.buffer).subarray(0, x.length / 2).forEach((b, i, a) => (a[i] = b & 0x807fffff));
          it(`${H}x${W} ${layout} ${H * W <= PER_PLANE_MAX_SIZE ? 'per_plane' : kernel} ${mix}`, async () => {
            if (kernel === 'subgroup' && !hasSubgroups()) return;
            const want = ref.globalMaxPool(x, layout, s);
            if (mix !== 'zeros') expect(subnormalMaxima(want.output)).toBeGreaterThan(0);
            const run = await withCleanErrorScope(gpu(), () => runGlobal(s, layout, x, kernel));
            if (H * W <= PER_PLANE_MAX_SIZE) expect(run.labels).toEqual(['globalMaxPool.per_plane']);
            expectBitExact(run.y, want.output, `${run.labels.join('+')} values`);
            expectBitExact(run.indices, want.indices, `${run.labels.join('+')} indices`);
          });
        }
      }
    }
  }
});

describe('through the API, ranks 1-3, both layouts: CPU backend and WebGPU bit for bit', () => {
  const rand = seededRandom(7005);
  const shapes: Record<SpatialRank, number[]> = { 1: [2, 4, 50], 2: [2, 4, 11, 12], 3: [1, 4, 6, 7, 8] };
  for (const rank of [1, 2, 3] as const) {
    for (const channelsLast of [false, true]) {
      for (const mix of ['mixed', 'negative', 'zeros'] as const) {
        const shape = shapes[rank];
        const layout = LAYOUTS[rank][channelsLast ? 1 : 0];
        const x = subnormalData(rand, count(shape), mix);
        for (const [name, options] of [
          ['k2 s2', { kernelSize: 2, stride: 2 }],
          ['k3 s2 p1', { kernelSize: 3, stride: 2, padding: 1 }],
          ['k3 s1 p1 padValue 0', { kernelSize: 3, stride: 1, padding: 1, padValue: 0 }],
        ] as const) {
          for (const backend of ['cpu', 'webgpu'] as const) {
            it(`maxPool${rank}d ${layout} ${name} ${mix} ${backend}`, async () => {
              const pool = backend === 'cpu' ? cpu : gpu();
              const g = resolveMaxWindow('test', rank, shape, { ...options });
              const want = ref.maxPoolNdForward(x, channelsLast, g);
              const t = pool.tensor(x, shape, { layout } as never);
              const method = `maxPool${rank}d` as 'maxPool2d';
              const r = await pool[method](t, { ...options, returnIndices: true } as never);
              expectBitExact(await r.output.read(), want.output, 'values');
              expectBitExact(await r.indices!.read(), want.indices, 'indices');
            });
          }
        }
        for (const backend of ['cpu', 'webgpu'] as const) {
          it(`globalMaxPool rank ${rank + 2} ${layout} ${mix} ${backend}`, async () => {
            const pool = backend === 'cpu' ? cpu : gpu();
            const want = ref.globalMaxPool(x, channelsLast ? 'NHWC' : 'NCHW', { N: shape[0]!, C: shape[1]!, H: 1, W: count(shape.slice(2)) });
            const r = await pool.globalMaxPool(pool.tensor(x, shape, { layout } as never), { returnIndices: true });
            expectBitExact(await r.output.read(), want.output, 'values');
            expectBitExact(await r.indices!.read(), want.indices, 'indices');
          });
        }
      }
    }
  }
});

describe('averages of subnormals may flush; they stay within the documented tolerance', () => {
  for (const backend of ['cpu', 'webgpu'] as const) {
    it(`avgPool2d and globalAvgPool of subnormals ${backend}`, async () => {
      const pool = backend === 'cpu' ? cpu : gpu();
      const shape = [2, 4, 8, 8];
      const x = subnormalData(seededRandom(7006), count(shape), 'mixed').map((v) => (Number.isFinite(v) ? v : 1e-40));
      const g = resolveMaxWindow('test', 2, shape, { kernelSize: 2 });
      const avg = await pool.avgPool2d(pool.tensor(x, shape), { kernelSize: 2 });
      const want = ref.avgPoolNdForward(x, false, { ...g, countIncludePad: true, divisorOverride: 0 });
      expectClose(await avg.read(), want, 4, 'averages');
      const global = await pool.globalAvgPool(pool.tensor(x, shape));
      expectClose(await global.read(), ref.globalAvgPool(x, 'NCHW', { N: 2, C: 4, H: 8, W: 8 }), 64, 'global averages');
    });
  }
});
