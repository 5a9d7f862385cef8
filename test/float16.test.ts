/**
 * float16 end to end: tensors stored as packed halves on WebGPU (no shader-f16 needed) and as half
 * bits on the CPU; every op family, ranks 1-3, both layouts, both backends, against the reference
 * run on the widened inputs and rounded once. Max values and indices bit-exact; sums within one
 * half-ulp of the f32 result rounded once. Named edge cases: rounding across an exponent, 65504
 * and overflow, subnormal halves, NaN payloads, an odd element count, a split at a small binding limit.
 */
import { describe, expect, it } from 'vitest';
import { halfFromNumber, halfToNumber, narrowToHalves, widenHalves } from '../src/half.js';
import { createPooling, PoolingError, type Pooling, type Tensor } from '../src/index.js';
import { resolveAvgWindow, resolveMaxWindow } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import { useBothContexts } from './helpers/contexts.js';
import { testAdapterKind } from './helpers/gpu.js';
import { count, LAYOUTS, planes } from './helpers/nd-windows.js';
import { seededRandom } from './helpers/random.js';

let splitPool: Pooling | undefined;
const contexts: [string, () => Pooling | Promise<Pooling>][] = [
  ...useBothContexts().each,
  ['webgpu split at 4 KiB', async () => (splitPool ??= await createPooling({ backend: 'webgpu', nodeAdapter: testAdapterKind(), maxStorageBufferBindingSize: 4096 }))],
];

/** Random halves: values from a few binades, with ties and signed zeros. */
function randomHalves(rand: () => number, n: number): Uint16Array {
  return Uint16Array.from({ length: n }, () => {
    const r = rand();
    if (r < 0.05) return rand() < 0.5 ? 0x0000 : 0x8000;
    if (r < 0.15) return halfFromNumber(Math.round(rand() * 4) - 2);
    return halfFromNumber((rand() * 2 - 1) * 2 ** Math.floor(rand() * 10 - 4));
  });
}

async function halves(t: Tensor): Promise<Uint16Array> {
  const data = await t.read();
  expect(t.dtype).toBe('float16');
  return new Uint16Array((data as ArrayBufferView).buffer, (data as ArrayBufferView).byteOffset, t.size);
}

function expectHalvesExact(got: Uint16Array, want: Uint16Array, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) expect(`${what}[${i}] = 0x${got[i]!.toString(16)}`).toBe(`${what}[${i}] = 0x${want[i]!.toString(16)}`);
}

/** Within one half-ulp (of the result's binade) of the f64-accumulated value rounded once, and within the f16 tolerance. */
function expectHalvesClose(got: Uint16Array, wantF32: Float32Array, what: string): void {
  const rounded = narrowToHalves(wantF32);
  for (let i = 0; i < got.length; i++) {
    const g = halfToNumber(got[i]!);
    const w = halfToNumber(rounded[i]!);
    if (Number.isNaN(w)) {
      expect(Number.isNaN(g), `${what}[${i}] NaN`).toBe(true);
      continue;
    }
    const ulp = Math.max(2 ** -24, 2 ** (Math.floor(Math.log2(Math.max(Math.abs(w), 2 ** -14))) - 10));
    const ok = Math.abs(g - w) <= ulp && Math.abs(g - wantF32[i]!) <= 1e-3 + 1e-3 * Math.abs(wantF32[i]!);
    if (!ok) expect(`${what}[${i}] = ${g}`).toBe(`${what}[${i}] ≈ ${w} (f32 ${wantF32[i]})`);
  }
}

describe.each(contexts)('float16 ops on %s match the reference', (_name, get) => {
  const rand = seededRandom(1616);
  const cases: { rank: 1 | 2 | 3; shape: number[]; channelsLast: boolean; opts: { kernelSize: number; stride: number; padding: number; ceilMode: boolean } }[] = [];
  for (let i = 0; i < 12; i++) {
    const rank = ([1, 2, 3] as const)[i % 3]!;
    const spatial = Array.from({ length: rank }, () => 3 + Math.floor(rand() * (rank === 3 ? 5 : 9)));
    const k = 1 + Math.floor(rand() * 3);
    const opts = { kernelSize: k, stride: 1 + Math.floor(rand() * 2), padding: Math.floor(rand() * k * 0.5 + 0.4) % k, ceilMode: rand() < 0.4 };
    cases.push({ rank, shape: [1 + Math.floor(rand() * 2), 1 + Math.floor(rand() * 5), ...spatial], channelsLast: rand() < 0.5, opts });
  }
  for (const [i, c] of cases.entries()) {
    const layout = LAYOUTS[c.rank][c.channelsLast ? 1 : 0];
    it(`#${i} ${c.rank}-D ${c.shape.join('x')} ${layout} ${JSON.stringify(c.opts)}: max, indices, avg, backward`, async () => {
      const p = await get();
      const bits = randomHalves(rand, count(c.shape));
      const xf = widenHalves(bits);
      const x = p.tensor(bits, c.shape, { layout, dtype: 'float16' });
      const mg = resolveMaxWindow('t', c.rank, c.shape, { ...c.opts });
      const want = ref.maxPoolNdForward(xf, c.channelsLast, mg);
      const maxOp = (['maxPool1d', 'maxPool2d', 'maxPool3d'] as const)[c.rank - 1]!;
      const { output, indices } = await (p[maxOp] as Pooling['maxPool3d'])(x, { ...c.opts, returnIndices: true });
      expectHalvesExact(await halves(output), narrowToHalves(want.output), 'max');
      expect(Array.from(await indices!.read())).toEqual(Array.from(want.indices));
      const backOp = (['maxPool1dBackward', 'maxPool2dBackward', 'maxPool3dBackward'] as const)[c.rank - 1]!;
      for (const backward of ['gather', 'scatter'] as const) {
        const dx = await p[backOp](output, indices!, { ...c.opts, inputShape: c.shape, backward });
        expectHalvesClose(await halves(dx), ref.maxPoolNdBackward(widenHalves(await halves(output)), want.indices, c.channelsLast, mg), `max dx ${backward}`);
      }
      const ag = resolveAvgWindow('t', c.rank, c.shape, { ...c.opts, countIncludePad: false });
      const avgOp = (['avgPool1d', 'avgPool2d', 'avgPool3d'] as const)[c.rank - 1]!;
      const y = await p[avgOp](x, { ...c.opts, countIncludePad: false });
      expectHalvesClose(await halves(y), ref.avgPoolNdForward(xf, c.channelsLast, ag), 'avg');
      const avgBack = (['avgPool1dBackward', 'avgPool2dBackward', 'avgPool3dBackward'] as const)[c.rank - 1]!;
      const dx = await p[avgBack](y, { ...c.opts, countIncludePad: false, inputShape: c.shape });
      expectHalvesClose(await halves(dx), ref.avgPoolNdBackward(widenHalves(await halves(y)), c.channelsLast, ag), 'avg dx');
      const gm = await p.globalMaxPool(x, { returnIndices: true });
      const plane = planes(c.shape);
      const pl = c.channelsLast ? 'NHWC' : 'NCHW';
      const gWant = ref.globalMaxPool(xf, pl, plane);
      expectHalvesExact(await halves(gm.output), narrowToHalves(gWant.output), 'global max');
      expect(Array.from(await gm.indices!.read())).toEqual(Array.from(gWant.indices));
      const ga = await p.globalAvgPool(x);
      expectHalvesClose(await halves(ga), ref.globalAvgPool(xf, pl, plane), 'global avg');
      const gdx = await p.globalAvgPoolBackward(ga, { inputShape: c.shape });
      expectHalvesClose(await halves(gdx), ref.globalAvgPoolBackward(widenHalves(await halves(ga)), 'NCHW', plane), 'global avg dx');
      expect(gdx.layout).toBe(LAYOUTS[c.rank][0]);
      expect(Array.from(await x.readFloat32())).toEqual(Array.from(xf));
    });
  }

  it('edge values: rounding across an exponent, 65504 and overflow to ∞, subnormal halves, NaN payloads, an odd element count', async () => {
    const p = await get();
    // From f32: 2047.9 rounds up across the exponent to 2048; 65519 rounds to 65504, 65520 overflows.
    const f32 = new Float32Array([2047.9, 65519, 65520, -70000, 2 ** -24 * 0.5, 2 ** -24 * 0.51, 2 ** -20, 1 + 2 ** -11]);
    const t = p.tensor(f32, [1, 1, 8], { dtype: 'float16' });
    expect(Array.from(await t.readFloat32())).toEqual([2048, 65504, Infinity, -Infinity, 0, 2 ** -24, 2 ** -20, 1]);
    // Float64Array data rounds like f32 data; Uint16Array is bits.
    expect(Array.from(await p.tensor(new Float64Array([1 + 2 ** -11 + 2 ** -30]), [1, 1, 1], { dtype: 'float16' }).readFloat32())).toEqual([1 + 2 ** -10]);
    // Max keeps subnormal halves and NaN payloads bit for bit; an odd count (7) is padded, never read past.
    const bits = new Uint16Array([0x0001, 0x0003, 0x0002, 0x7c00, 0x7d23, 0x03ff, 0x8001]);
    const x = p.tensor(bits, [1, 1, 7], { dtype: 'float16' });
    const m1 = await p.maxPool1d(x, { kernelSize: 2, stride: 2, ceilMode: true, returnIndices: true });
    expectHalvesExact(await halves(m1.output), new Uint16Array([0x0003, 0x7c00, 0x7d23, 0x8001]), 'max of subnormals, inf, NaN payload');
    expect(Array.from(await m1.indices!.read())).toEqual([1, 3, 4, 6]);
    // Averages of 65504 stay 65504 (f32 accumulation, one rounding), not ∞.
    const big = p.tensor(new Uint16Array(9).fill(0x7bff), [1, 1, 3, 3], { dtype: 'float16' });
    expectHalvesExact(await halves(await p.avgPool2d(big, { kernelSize: 3 })), new Uint16Array([0x7bff]), 'avg of 65504');
    expectHalvesExact(await halves(await p.globalAvgPool(big)), new Uint16Array([0x7bff]), 'global avg of 65504');
  });

  it('large tensors (1-D 2x4x400, 3-D 1x2x6x12x12 channels-last): every widen, kernel and narrow step splits at the 4 KiB context', async () => {
    const p = await get();
    for (const [shape, layout, rank] of [
      [[2, 4, 400], 'NCL', 1],
      [[1, 2, 6, 12, 12], 'NDHWC', 3],
    ] as const) {
      const bits = randomHalves(rand, count(shape));
      const xf = widenHalves(bits);
      const x = p.tensor(bits, shape, { layout, dtype: 'float16' });
      const opts = { kernelSize: 3, stride: 2, padding: 1 };
      const g = resolveMaxWindow('t', rank, shape, { ...opts });
      const want = ref.maxPoolNdForward(xf, layout !== 'NCL', g);
      const r = rank === 1 ? await p.maxPool1d(x, { ...opts, returnIndices: true }) : await p.maxPool3d(x, { ...opts, returnIndices: true });
      expectHalvesExact(await halves(r.output), narrowToHalves(want.output), `${rank}-D max`);
      expect(Array.from(await r.indices!.read())).toEqual(Array.from(want.indices));
      const ag = resolveAvgWindow('t', rank, shape, { ...opts });
      const y = rank === 1 ? await p.avgPool1d(x, opts) : await p.avgPool3d(x, opts);
      expectHalvesClose(await halves(y), ref.avgPoolNdForward(xf, layout !== 'NCL', ag), `${rank}-D avg`);
      const dx = rank === 1 ? await p.avgPool1dBackward(y, { ...opts, inputShape: shape }) : await p.avgPool3dBackward(y, { ...opts, inputShape: shape });
      expectHalvesClose(await halves(dx), ref.avgPoolNdBackward(widenHalves(await halves(y)), layout !== 'NCL', ag), `${rank}-D avg dx`);
    }
  });

  it('bad float16 input is a PoolingError before anything runs', async () => {
    const p = await get();
    expect(() => p.tensor(new Uint16Array(3), [1, 1, 2, 2], { dtype: 'float16' })).toThrow(/length 3 must equal the shape's element count 4/);
    const x = p.tensor(new Uint16Array(16), [1, 1, 4, 4], { dtype: 'float16' });
    const { output, indices } = await p.maxPool2d(x, { kernelSize: 2, returnIndices: true });
    const asFloat = p.tensor(await indices!.read(), [1, 1, 2, 2]);
    await expect(p.maxPool2dBackward(output, asFloat as Tensor, { kernelSize: 2, inputShape: [1, 1, 4, 4] })).rejects.toThrow(/indices.*must be a int32 tensor/);
    await expect(p.maxPool2dBackward(output, x as Tensor, { kernelSize: 2, inputShape: [1, 1, 4, 4] })).rejects.toThrow(PoolingError);
    await expect(indices!.readFloat32()).rejects.toThrow(/int32 tensor holds indices/);
  });
});
