/**
 * The cell backward form: windows that cannot overlap (stride >= effective kernel on both axes),
 * one invocation per output element (cell_vec4: four channels of one, NHWC with C % 4 == 0) that
 * writes every element of its stride cell, so every dx element is written exactly once with no
 * clear step. Seeded random windows (padding, ceil mode, dilation, odd sizes leaving rows and
 * columns no window reaches), both layouts, C % 4 == 0 and not: max bit for bit against the
 * reference (+0 where no gradient lands, and where a -0 gradient lands), for cell and for direct,
 * which SwiftShader's NCHW max still runs; average within docs/semantics.md's tolerance and bit for bit
 * against direct. Then dy with NaN and ±inf, the 2x2 s2 pipelines (window constants) against the
 * generic ones, what 'auto' plans (label, no clear step) and the split path at a 2 KiB binding limit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BufferPool } from '../src/host/buffer-pool.js';
import { encodeSteps, type Step } from '../src/host/dispatch.js';
import { BufferUsage, MapMode } from '../src/host/gpu-flags.js';
import { avgCellHasW4, avgPoolBackwardPlan } from '../src/kernels/avg-pool-backward.js';
import { chooseBackwardForm, windowsOverlap, type BackwardPlan } from '../src/kernels/backward-choice.js';
import { globalBackwardPlan } from '../src/kernels/global-backward.js';
import { maxPoolBackwardPlan } from '../src/kernels/max-pool-backward.js';
import { usesVec4Channels } from '../src/kernels/vec4-channels.js';
import { createPooling, type Pooling } from '../src/index.js';
import { resolveAvgPool, resolveMaxPool } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { AvgPoolParams, BackwardAlgorithm, Layout, Padding, PoolGeometry } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { useGpuPool, withCleanErrorScope } from './helpers/gpu.js';
import { pick, randomData, randomInt, seededRandom } from './helpers/random.js';
import type { Shape } from './helpers/windows.js';

const pool = useGpuPool();
const device = () => (pool().impl as unknown as { device: GPUDevice }).device;
const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

interface Window {
  kernelSize: [number, number];
  stride: [number, number];
  padding: Padding;
  dilation: [number, number];
  ceilMode: boolean;
}

interface Config {
  shape: Shape;
  layout: Layout;
  window: Window;
}

const describeConfig = ({ shape, layout, window: w }: Config) =>
  `${shape.join('x')} ${layout} k${w.kernelSize.join('x')} s${w.stride.join('x')} p${JSON.stringify(w.padding)} d${w.dilation.join('x')}${w.ceilMode ? ' ceil' : ''}`;

/**
 * A window that cannot overlap: stride = effective kernel + 0..2 on each axis (so some rows and
 * columns between windows get no gradient), padding below the effective kernel. Channels 1-8 and
 * widths 1-37 so both cell kernels and ragged edges are drawn; retried until the output is at least 1.
 */
function randomConfig(rand: () => number, dilation: boolean): Config {
  for (;;) {
    const shape: Shape = [randomInt(rand, 1, 2), pick(rand, [1, 3, 4, 5, 8]), randomInt(rand, 1, 37), randomInt(rand, 1, 37)];
    const kernelSize: [number, number] = [randomInt(rand, 1, 4), randomInt(rand, 1, 4)];
    const d: [number, number] = dilation && rand() < 0.3 ? [randomInt(rand, 1, 3), randomInt(rand, 1, 3)] : [1, 1];
    const e = [d[0] * (kernelSize[0] - 1) + 1, d[1] * (kernelSize[1] - 1) + 1] as const;
    const stride: [number, number] = [e[0] + randomInt(rand, 0, 2), e[1] + randomInt(rand, 0, 2)];
    const kind = rand();
    const padding: Padding =
      kind < 0.4 ? 0 : kind < 0.7 ? [randomInt(rand, 0, e[0] - 1), randomInt(rand, 0, e[1] - 1)] : [randomInt(rand, 0, e[0] - 1), randomInt(rand, 0, e[1] - 1), randomInt(rand, 0, e[0] - 1), randomInt(rand, 0, e[1] - 1)];
    const window: Window = { kernelSize, stride, padding, dilation: d, ceilMode: rand() < 0.4 };
    try {
      resolveMaxPool('test', shape, window);
      return { shape, layout: pick(rand, ['NCHW', 'NHWC'] as const), window };
    } catch {
      // output < 1: draw again
    }
  }
}

/** Runs a backward plan (with its clear step when it has one) over dy [and indices]; returns dx. */
async function runBackward(plan: BackwardPlan, dxCount: number, inputs: Record<string, Float32Array | Int32Array>, maxBindingSize?: number): Promise<Float32Array> {
  const dev = device();
  const buffers = new BufferPool(dev);
  const made: GPUBuffer[] = [];
  const bound: Record<string, GPUBuffer> = {};
  for (const [slot, data] of Object.entries(inputs)) {
    const b = dev.createBuffer({ label: `nonoverlap.${slot}`, size: Math.max(data.byteLength, 4), usage: BufferUsage.STORAGE | BufferUsage.COPY_DST });
    dev.queue.writeBuffer(b, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
    bound[slot] = b;
    made.push(b);
  }
  const dx = dev.createBuffer({ label: 'nonoverlap.dx', size: dxCount * 4, usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST });
  const read = dev.createBuffer({ label: 'nonoverlap.read', size: dxCount * 4, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
  made.push(dx, read);
  // Garbage in dx first: a form that skips an element (or relies on a zeroed buffer) shows up.
  dev.queue.writeBuffer(dx, 0, new Float32Array(dxCount).fill(123.5));
  const steps: Step[] = [...(plan.zeroDx ? [{ kind: 'clear' as const, slot: 'dx' }] : []), { kind: 'kernel', plan: plan.kernel }];
  const encoder = dev.createCommandEncoder();
  const limits = maxBindingSize ? { maxBindingSize, offsetAlignment: dev.limits.minStorageBufferOffsetAlignment } : undefined;
  encodeSteps(dev, encoder, buffers, steps, { ...bound, dx }, undefined, limits ? { limits } : {});
  encoder.copyBufferToBuffer(dx, 0, read, 0, dxCount * 4);
  dev.queue.submit([encoder.finish()]);
  await read.mapAsync(MapMode.READ);
  const result = new Float32Array(read.getMappedRange().slice(0));
  read.unmap();
  for (const b of made) b.destroy();
  buffers.destroyAll();
  return result;
}

/** dy with the special values: NaN, ±inf, -0 and +0 sprinkled over random gradients. */
function specialGradients(rand: () => number, n: number): Float32Array {
  const dy = randomData(rand, n, false);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.06) dy[i] = NaN;
    else if (r < 0.12) dy[i] = Infinity;
    else if (r < 0.18) dy[i] = -Infinity;
    else if (r < 0.3) dy[i] = -0;
    else if (r < 0.35) dy[i] = 0;
  }
  return dy;
}

/** The cell form's entry point for a shape and layout: four channels at once for NHWC with C % 4 == 0. */
const cellEntry = (p: PoolGeometry, layout: Layout) => (usesVec4Channels(layout, p.C) ? 'cell_vec4' : 'cell');

describe('maxPool2dBackward, windows that cannot overlap: cell form bit for bit against the reference', () => {
  const rand = seededRandom(501);
  for (let i = 0; i < 60; i++) {
    const c = randomConfig(rand, true);
    const padValue = rand() < 0.2 ? 0 : -Infinity;
    const special = i % 3 === 0;
    const window = { ...c.window, padValue };
    const p = resolveMaxPool('maxPool2d', c.shape, window);
    const x = randomData(rand, count(c.shape));
    const dyData = special ? specialGradients(rand, p.N * p.C * p.outH * p.outW) : randomData(rand, p.N * p.C * p.outH * p.outW, false);
    it(`#${i} ${describeConfig(c)}${padValue === 0 ? ' pad0' : ''}${special ? ' dy NaN/inf/-0' : ''}`, async () => {
      expect(windowsOverlap(p)).toBe(false);
      const forward = ref.maxPool2dForward(x, c.layout, p);
      const want = ref.maxPool2dBackward(dyData, forward.indices, c.layout, p);
      const gpu = pool();
      await withCleanErrorScope(gpu, async () => {
        const plan = maxPoolBackwardPlan(p, c.layout, 'cell');
        expect(plan.kernel.label).toBe(`maxPool2dBackward.${cellEntry(p, c.layout)}`);
        expectBitExact(await runBackward(plan, count(c.shape), { dy: dyData, indices: forward.indices }), want, 'dx (cell)');
        expectBitExact(await runBackward(maxPoolBackwardPlan(p, c.layout, 'direct'), count(c.shape), { dy: dyData, indices: forward.indices }), want, 'dx (direct)');
        // Through the API, 'auto' and 'scatter' both run cell (or direct, NCHW on SwiftShader); the GPU forward's indices feed it.
        const xt = gpu.tensor(x, c.shape, { layout: c.layout });
        const { output, indices } = await gpu.maxPool2d(xt, { ...window, returnIndices: true });
        const dy = gpu.tensor(dyData, output.shape, { layout: c.layout });
        for (const backward of ['auto', 'scatter'] as BackwardAlgorithm[]) {
          const dx = await gpu.maxPool2dBackward(dy, indices!, { ...window, inputShape: c.shape, backward });
          expectBitExact(await dx.read(), want, `dx (${backward})`);
          dx.destroy();
        }
        for (const t of [xt, output, indices, dy]) t?.destroy();
      });
    });
  }
});

describe('avgPool2dBackward, windows that cannot overlap: cell form against the reference and the direct form', () => {
  const rand = seededRandom(502);
  for (let i = 0; i < 60; i++) {
    const c = randomConfig(rand, false);
    const countIncludePad = rand() < 0.5;
    const divisorOverride = rand() < 0.15 ? randomInt(rand, 1, 9) : undefined;
    const special = i % 3 === 0;
    const { dilation: _d, ...rest } = c.window;
    const window = { ...rest, countIncludePad, ...(divisorOverride ? { divisorOverride } : {}) };
    const p = resolveAvgPool('avgPool2d', c.shape, window);
    const n = p.N * p.C * p.outH * p.outW;
    const dyData = special ? specialGradients(rand, n) : randomData(rand, n, false);
    it(`#${i} ${describeConfig(c)}${countIncludePad ? '' : ' excludePad'}${divisorOverride ? ` div${divisorOverride}` : ''}${special ? ' dy NaN/inf/-0' : ''}`, async () => {
      const want = ref.avgPool2dBackward(dyData, c.layout, p);
      const gpu = pool();
      await withCleanErrorScope(gpu, async () => {
        const plan = avgPoolBackwardPlan(p, c.layout, 'cell');
        expect(plan.kernel.label).toBe(`avgPool2dBackward.${cellEntry(p, c.layout)}`);
        const cell = await runBackward(plan, count(c.shape), { dy: dyData });
        expectClose(cell, want, 1, 'dx (cell)');
        // The same quotient direct stores, so the same bits; a -0 share is stored as +0 by both, as
        // the reference's zeroed sum leaves it (expectClose does not tell the zeros apart).
        const direct = await runBackward(avgPoolBackwardPlan(p, c.layout, 'direct'), count(c.shape), { dy: dyData });
        expectBitExact(cell, direct, 'dx (cell vs direct)');
        expect(cell.findIndex((v) => Object.is(v, -0))).toBe(-1);
        expect(want.findIndex((v) => Object.is(v, -0))).toBe(-1);
        // The W4 groups (a tuning alternative on NCHW rows that fit the W4 rule): the same stores.
        const w4 = avgPoolBackwardPlan(p, c.layout, 'cell', i % 2 === 0, true);
        expect(w4.kernel.label).toBe(avgCellHasW4(p, c.layout) ? 'avgPool2dBackward.cell_w4' : plan.kernel.label);
        expectBitExact(await runBackward(w4, count(c.shape), { dy: dyData }), cell, 'dx (cell_w4 vs cell)');
        const dy = gpu.tensor(dyData, [p.N, p.C, p.outH, p.outW], { layout: c.layout });
        const dx = await gpu.avgPool2dBackward(dy, { ...window, inputShape: c.shape });
        expectBitExact(await dx.read(), cell, 'dx (auto)');
        for (const t of [dx, dy]) t.destroy();
      });
    });
  }
});

describe('the 2x2 s2 pipelines (window constants) match the generic cell pipelines bit for bit', () => {
  const rand = seededRandom(503);
  const shapes: Shape[] = [
    [2, 4, 16, 16],
    [1, 3, 15, 17],
    [2, 8, 9, 12],
    [1, 5, 7, 20],
  ];
  for (const shape of shapes) {
    for (const layout of ['NCHW', 'NHWC'] as const) {
      for (const ceilMode of [false, true]) {
        const window = { kernelSize: 2, stride: 2, padding: ceilMode ? 0 : 1, ceilMode };
        it(`${shape.join('x')} ${layout} k2 s2 p${window.padding}${ceilMode ? ' ceil' : ''}`, async () => {
          const mp = resolveMaxPool('maxPool2d', shape, window);
          const ap = resolveAvgPool('avgPool2d', shape, window);
          const x = randomData(rand, count(shape));
          const forward = ref.maxPool2dForward(x, layout, mp);
          const dyMax = specialGradients(rand, forward.indices.length);
          const dyAvg = randomData(rand, ap.N * ap.C * ap.outH * ap.outW, false);
          await withCleanErrorScope(pool(), async () => {
            const specialised = maxPoolBackwardPlan(mp, layout, 'cell');
            expect(specialised.kernel.constants).toMatchObject({ KH: 2, KW: 2, SH: 2, SW: 2 });
            expect(maxPoolBackwardPlan(mp, layout, 'cell', false).kernel.constants).toMatchObject({ KH: 0, KW: 0, SH: 0, SW: 0 });
            const want = ref.maxPool2dBackward(dyMax, forward.indices, layout, mp);
            expectBitExact(await runBackward(specialised, count(shape), { dy: dyMax, indices: forward.indices }), want, 'max dx (2x2 s2 pipeline)');
            expectBitExact(await runBackward(maxPoolBackwardPlan(mp, layout, 'cell', false), count(shape), { dy: dyMax, indices: forward.indices }), want, 'max dx (generic)');
            const avg = await runBackward(avgPoolBackwardPlan(ap, layout, 'cell'), count(shape), { dy: dyAvg });
            expectBitExact(avg, await runBackward(avgPoolBackwardPlan(ap, layout, 'cell', false), count(shape), { dy: dyAvg }), 'avg dx (2x2 s2 vs generic)');
            expectClose(avg, ref.avgPool2dBackward(dyAvg, layout, ap), 1, 'avg dx');
          });
        });
      }
    }
  }
});

describe("what 'auto' plans for windows that cannot overlap", () => {
  const swiftshader = { vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0' };
  const llvmpipe = { vendor: '', architecture: '', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'OpenGL version OpenGL ES 3.2 Mesa 22.3.6' };
  const gpu = { vendor: 'nvidia', architecture: 'hopper', device: '', description: '' };
  const cases: { shape: Shape; layout: Layout; entry: string }[] = [
    { shape: [1, 64, 224, 224], layout: 'NCHW', entry: 'cell' },
    { shape: [1, 64, 224, 224], layout: 'NHWC', entry: 'cell_vec4' },
    { shape: [2, 3, 15, 15], layout: 'NHWC', entry: 'cell' },
    { shape: [2, 8, 15, 15], layout: 'NCHW', entry: 'cell' },
  ];
  for (const { shape, layout, entry } of cases) {
    for (const window of [
      { kernelSize: 2, stride: 2 },
      { kernelSize: 3, stride: 3, padding: 1 },
      { kernelSize: [2, 3] as [number, number], stride: [3, 4] as [number, number], ceilMode: true },
    ]) {
      it(`${shape.join('x')} ${layout} k${window.kernelSize} s${window.stride}: ${entry} with no clear step for auto and scatter (direct for NCHW max on SwiftShader); gather stays gather`, () => {
        const mp = resolveMaxPool('maxPool2d', shape, window);
        const ap: AvgPoolParams = resolveAvgPool('avgPool2d', shape, window);
        for (const adapter of [null, swiftshader, llvmpipe, gpu]) {
          for (const requested of ['auto', 'scatter'] as BackwardAlgorithm[]) {
            const maxForm = chooseBackwardForm('max', mp, requested, adapter, layout);
            expect(maxForm).toBe(adapter === swiftshader && layout === 'NCHW' ? 'direct' : 'cell');
            expect(chooseBackwardForm('avg', ap, requested, adapter, layout)).toBe('cell');
            // Without a layout (the TF.js kernels, NHWC) the rule has no NCHW exception.
            expect(chooseBackwardForm('max', mp, requested, adapter)).toBe('cell');
          }
          expect(chooseBackwardForm('max', mp, 'gather', adapter, layout)).toBe('gather');
          expect(chooseBackwardForm('avg', ap, 'gather', adapter, layout)).toBe('gather');
        }
        for (const plan of [maxPoolBackwardPlan(mp, layout, 'cell'), avgPoolBackwardPlan(ap, layout, 'cell')]) {
          expect(plan.kernel.label).toMatch(new RegExp(`^(max|avg)Pool2dBackward\\.${entry}$`));
          expect(plan.kernel.entryPoint).toBe(entry);
          expect(plan.zeroDx).toBe(false);
        }
        expect(maxPoolBackwardPlan(mp, layout, 'direct').zeroDx).toBe(true);
      });
    }
  }

  it('the API issues no clear for them (but for direct, and for the overlapping scatter, which need it; not the gather)', async () => {
    const pooling = pool();
    const dev = device();
    let clears = 0;
    const create = dev.createCommandEncoder.bind(dev);
    dev.createCommandEncoder = (d?: GPUCommandEncoderDescriptor) => {
      const encoder = create(d);
      const clear = encoder.clearBuffer.bind(encoder);
      encoder.clearBuffer = (...args: Parameters<GPUCommandEncoder['clearBuffer']>) => {
        clears++;
        return clear(...args);
      };
      return encoder;
    };
    try {
      const shape: Shape = [1, 4, 12, 16];
      for (const layout of ['NCHW', 'NHWC'] as const) {
        const x = pooling.tensor(randomData(seededRandom(504), count(shape)), shape, { layout });
        for (const window of [
          { kernelSize: 2, stride: 2 },
          { kernelSize: 3, stride: 4, padding: 1 },
          { kernelSize: 3, stride: 2 },
        ]) {
          const p = resolveMaxPool('maxPool2d', shape, window);
          const overlap = windowsOverlap(p);
          const maxForm = chooseBackwardForm('max', p, 'auto', pooling.adapterInfo, layout);
          // Overlapping: scatter, but the four-channel gather on llvmpipe (NHWC, C = 4, undilated).
          const info = JSON.stringify(pooling.adapterInfo);
          const overlapForm = layout === 'NHWC' && /llvmpipe/i.test(info) ? 'gather' : 'scatter';
          expect(maxForm).toBe(overlap ? overlapForm : layout === 'NCHW' && /swiftshader/i.test(info) ? 'direct' : 'cell');
          const { output, indices } = await pooling.maxPool2d(x, { ...window, returnIndices: true });
          let before = clears;
          const dx = await pooling.maxPool2dBackward(output, indices!, { ...window, inputShape: shape, backward: 'auto' });
          expect(clears - before, `max clears, k${window.kernelSize} s${window.stride} ${layout} (${maxForm})`).toBe(maxForm === 'cell' || maxForm === 'gather' ? 0 : 1);
          before = clears;
          const avgDx = await pooling.avgPool2dBackward(output, { ...window, inputShape: shape, backward: 'scatter' });
          expect(clears - before, `avg clears, k${window.kernelSize} s${window.stride} ${layout}`).toBe(overlap ? 1 : 0);
          for (const t of [output, indices!, dx, avgDx]) t.destroy();
        }
        x.destroy();
      }
    } finally {
      dev.createCommandEncoder = create;
    }
  });
});

describe('cell form split over several dispatches at a 2 KiB binding limit', () => {
  let split: Pooling;
  let splitBindGroups = 0;
  beforeAll(async () => {
    const dev = device();
    split = await createPooling({ device: dev, maxStorageBufferBindingSize: 2048 });
    const create = dev.createBindGroup.bind(dev);
    dev.createBindGroup = (d: GPUBindGroupDescriptor) => {
      if ([...d.entries].some((e) => (e.resource as GPUBufferBinding).size !== undefined)) splitBindGroups++;
      return create(d);
    };
  });

  const rand = seededRandom(505);
  const shapes: Shape[] = [
    [2, 4, 18, 20], // NHWC: cell_vec4
    [2, 3, 17, 13],
    [1, 8, 21, 12],
  ];
  const windows: Window[] = [
    { kernelSize: [2, 2], stride: [2, 2], padding: 0, dilation: [1, 1], ceilMode: false },
    { kernelSize: [3, 3], stride: [3, 3], padding: 1, dilation: [1, 1], ceilMode: true },
    { kernelSize: [2, 3], stride: [3, 4], padding: [1, 2, 0, 1], dilation: [1, 1], ceilMode: false },
    { kernelSize: [2, 2], stride: [4, 3], padding: [1, 1], dilation: [2, 1], ceilMode: true },
  ];
  for (const shape of shapes) {
    for (const layout of ['NCHW', 'NHWC'] as const) {
      windows.forEach((window, w) => {
        it(`${describeConfig({ shape, layout, window })}`, async () => {
          const mp = resolveMaxPool('maxPool2d', shape, window);
          const x = randomData(rand, count(shape));
          const forward = ref.maxPool2dForward(x, layout, mp);
          const dyMax = specialGradients(rand, forward.indices.length);
          const before = splitBindGroups;
          await withCleanErrorScope(pool(), async () => {
            // The forward splits too; its indices are the reference's (checked by the forward suites).
            const xt = split.tensor(x, shape, { layout });
            const { output, indices } = await split.maxPool2d(xt, { ...window, returnIndices: true });
            const dy = split.tensor(dyMax, output.shape, { layout });
            const dx = await split.maxPool2dBackward(dy, indices!, { ...window, inputShape: shape });
            const want = ref.maxPool2dBackward(dyMax, forward.indices, layout, mp);
            expectBitExact(await dx.read(), want, 'max dx');
            for (const t of [xt, output, indices!, dy, dx]) t.destroy();
            // The cell plan itself, whatever 'auto' picked on this adapter.
            const cellBefore = splitBindGroups;
            expectBitExact(await runBackward(maxPoolBackwardPlan(mp, layout, 'cell'), count(shape), { dy: dyMax, indices: forward.indices }, 2048), want, 'max dx (cell plan)');
            expect(splitBindGroups - cellBefore, 'cell plan split dispatches').toBeGreaterThan(1);
            if (w < 3) {
              const { dilation: _d, ...avgWindow } = window;
              const ap = resolveAvgPool('avgPool2d', shape, avgWindow);
              const dyAvg = randomData(rand, ap.N * ap.C * ap.outH * ap.outW, false);
              const dyT = split.tensor(dyAvg, [ap.N, ap.C, ap.outH, ap.outW], { layout });
              const avgDx = await split.avgPool2dBackward(dyT, { ...avgWindow, inputShape: shape });
              expectClose(await avgDx.read(), ref.avgPool2dBackward(dyAvg, layout, ap), 1, 'avg dx');
              for (const t of [dyT, avgDx]) t.destroy();
            }
          });
          expect(splitBindGroups - before, 'split dispatches').toBeGreaterThan(1);
        });
      });
    }
  }
});

describe('global backward: the row groups (the rules\' mapping) against one invocation per element, bit for bit', () => {
  const rand = seededRandom(913);
  for (let i = 0; i < 16; i++) {
    const s = { N: randomInt(rand, 1, 3), C: pick(rand, [1, 3, 4, 5, 8]), H: randomInt(rand, 1, 9), W: randomInt(rand, 1, 11) };
    const layout = pick(rand, ['NCHW', 'NHWC'] as const);
    const kind = pick(rand, ['max', 'avg'] as const);
    const planes = s.N * s.C;
    const dyData = i % 3 === 0 ? specialGradients(rand, planes) : randomData(rand, planes, false);
    // Indices: in-plane positions, some of them -1 (no element), as the forward never gives but a caller may.
    const indices = Int32Array.from({ length: planes }, () => (rand() < 0.2 ? -1 : randomInt(rand, 0, s.H * s.W - 1)));
    // A small binding limit on every fourth case: the split keeps rows as units in both mappings.
    const limit = i % 4 === 1 ? 1024 : undefined;
    it(`#${i} ${kind} ${[s.N, s.C, s.H, s.W].join('x')} ${layout}${limit ? ` at ${limit} bytes` : ''}`, async () => {
      const gpu = pool();
      await withCleanErrorScope(gpu, async () => {
        const inputs: Record<string, Float32Array | Int32Array> = kind === 'max' ? { dy: dyData, indices } : { dy: dyData };
        const rows = globalBackwardPlan(kind, s, layout);
        expect(rows.label.endsWith('.rows')).toBe(true);
        const dxCount = planes * s.H * s.W;
        const got = await runBackward({ kernel: rows, zeroDx: false }, dxCount, inputs, limit);
        const want = await runBackward({ kernel: globalBackwardPlan(kind, s, layout, 'element'), zeroDx: false }, dxCount, inputs);
        expectBitExact(got, want, 'dx (rows vs element)');
        if (kind === 'max') expectBitExact(got, ref.globalMaxPoolBackward(dyData, indices, layout, s), 'dx (reference)');
      });
    });
  }
});
