/**
 * The 1-D and 3-D ops (and dilated 2-D average pooling) through the public API of the CPU backend,
 * createPooling({ backend: 'cpu' }), against the N-d reference: the same seeded configurations as
 * nd-forward-gpu and nd-backward-gpu (same generator, same seeds). Then the outside check: the
 * PyTorch fixtures (test/fixtures/torch-nd.json, made by scripts/torch-fixtures.py) through the
 * public API of BOTH the CPU and the WebGPU contexts, in both memory orders, forward and backward
 * (every `backward` value; for max pooling with our indices and with PyTorch's, uploaded as an
 * int32 tensor). Max values and indices exact (NaN equals NaN, -0 differs from +0); averages and
 * gradients within SEMANTICS.md's tolerance (PyTorch sums in f32, we in f64).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPooling, type Pooling, type Tensor } from '../src/index.js';
import { resolveAvgWindow, resolveMaxWindow } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { BackwardAlgorithm, SpatialRank, WindowGeometry } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { useGpuPool, withCleanErrorScope } from './helpers/gpu.js';
import { pick, randomData, randomInt, seededRandom } from './helpers/random.js';

const gpu = useGpuPool();
let cpu: Pooling;
beforeAll(async () => {
  cpu = await createPooling({ backend: 'cpu' });
  expect(cpu.backend).toBe('cpu');
});
afterAll(() => cpu?.destroy());

const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const LAYOUTS = { 1: ['NCL', 'NLC'], 2: ['NCHW', 'NHWC'], 3: ['NCDHW', 'NDHWC'] } as const;
const ALGORITHMS: BackwardAlgorithm[] = ['scatter', 'gather', 'auto'];
type Options = Record<string, unknown>;

// ---- seeded N-d windows (the same generator and seeds as nd-forward-gpu, nd-backward-gpu) ----

interface NdConfig {
  rank: SpatialRank;
  shape: number[];
  window: { kernelSize: number[]; stride: number[]; dilation: number[]; padding: unknown; ceilMode: boolean };
}

function drawShape(rand: () => number, rank: SpatialRank): number[] {
  const big = rand() < 0.12;
  const axes = (lo: number, hi: number) => Array.from({ length: rank }, () => randomInt(rand, lo, hi));
  if (rank === 1) return [randomInt(rand, 1, 3), pick(rand, [1, 2, 3, 4, 5, 8]), ...(big ? axes(100, 600) : axes(1, 40))];
  if (rank === 2) return big ? [1, randomInt(rand, 1, 3), ...axes(40, 80)] : [randomInt(rand, 1, 2), pick(rand, [1, 2, 3, 4, 8]), ...axes(1, 24)];
  return big ? [1, randomInt(rand, 1, 2), ...axes(10, 16)] : [randomInt(rand, 1, 2), pick(rand, [1, 2, 3, 4, 5]), ...axes(1, 8)];
}

function randomConfig(rand: () => number, rank: SpatialRank, dilated: 'maybe' | 'always' = 'maybe'): NdConfig {
  const axes = (f: () => number) => Array.from({ length: rank }, f);
  for (;;) {
    const shape = drawShape(rand, rank);
    const kernelSize = axes(() => randomInt(rand, 1, rank === 1 ? 6 : rank === 2 ? 5 : 4));
    const stride = axes(() => randomInt(rand, 1, rank === 1 ? 4 : 3));
    const dilation = dilated === 'always' || rand() < 0.35 ? axes(() => randomInt(rand, 1, 3)) : axes(() => 1);
    if (dilated === 'always' && !dilation.some((d, a) => d > 1 && kernelSize[a]! > 1)) {
      const a = randomInt(rand, 0, rank - 1);
      dilation[a] = 2;
      kernelSize[a] = Math.max(kernelSize[a]!, 2);
    }
    const eff = kernelSize.map((k, a) => dilation[a]! * (k - 1) + 1);
    const kind = rand();
    let padding: unknown;
    if (kind < 0.15) padding = randomInt(rand, 0, Math.min(...eff) - 1);
    else if (kind < 0.35) padding = eff.map((e) => randomInt(rand, 0, e - 1));
    else if (kind < 0.7) padding = [...eff, ...eff].map((e) => randomInt(rand, 0, e - 1));
    else padding = pick(rand, ['same', 'same-lower', 'valid', 0]);
    const window = { kernelSize, stride, dilation, padding, ceilMode: rand() < 0.4 };
    try {
      resolveMaxWindow('test', rank, shape, window);
      return { rank, shape, window };
    } catch {
      // invalid draw: draw again
    }
  }
}

function describeConfig(c: NdConfig): string {
  const w = c.window;
  return `${c.shape.join('x')} k${w.kernelSize.join('x')} s${w.stride.join('x')} p${JSON.stringify(w.padding)} d${w.dilation.join('x')}${w.ceilMode ? ' ceil' : ''}`;
}

const NEG_NAN = new Float32Array(new Int32Array([0xffc00000 | 0]).buffer)[0]!;

function dataWithSpecials(rand: () => number, n: number, rate: number): Float32Array {
  const data = randomData(rand, n);
  const specials = [NaN, NEG_NAN, Infinity, -Infinity, -0, 0];
  for (let i = 0; i < n; i++) if (rand() < rate) data[i] = pick(rand, specials);
  return data;
}

function overlap(g: WindowGeometry): number {
  return g.kernel.reduce((acc, k, a) => acc * Math.ceil((g.dilation[a]! * (k - 1) + 1) / g.stride[a]!), 1);
}

function maxPool(p: Pooling, rank: SpatialRank, x: Tensor, o: Options) {
  return rank === 1 ? p.maxPool1d(x, o as never) : rank === 2 ? p.maxPool2d(x, o as never) : p.maxPool3d(x, o as never);
}
function avgPool(p: Pooling, rank: SpatialRank, x: Tensor, o: Options) {
  return rank === 1 ? p.avgPool1d(x, o as never) : rank === 2 ? p.avgPool2d(x, o as never) : p.avgPool3d(x, o as never);
}
function maxPoolBackward(p: Pooling, rank: SpatialRank, dy: Tensor, indices: Tensor, o: Options) {
  return rank === 1 ? p.maxPool1dBackward(dy, indices, o as never) : rank === 2 ? p.maxPool2dBackward(dy, indices, o as never) : p.maxPool3dBackward(dy, indices, o as never);
}
function avgPoolBackward(p: Pooling, rank: SpatialRank, dy: Tensor, o: Options) {
  return rank === 1 ? p.avgPool1dBackward(dy, o as never) : rank === 2 ? p.avgPool2dBackward(dy, o as never) : p.avgPool3dBackward(dy, o as never);
}

// ---- the seeded configurations on the CPU backend ----

const CONFIGS = 40;
const tail = (c: string, li: 0 | 1, rank: SpatialRank) => `${c} ${LAYOUTS[rank][li]}`;

for (const rank of [1, 3] as const) {
  describe(`maxPool${rank}d on the CPU backend matches the N-d reference bit for bit`, () => {
    const rand = seededRandom(7100 + rank);
    for (let i = 0; i < CONFIGS; i++) {
      const c = randomConfig(rand, rank);
      const padValue = rand() < 0.25 ? 0 : -Infinity;
      const returnIndices = rand() < 0.8;
      const data = dataWithSpecials(rand, count(c.shape), 0.05);
      for (const li of [0, 1] as const) {
        it(`#${i} ${tail(`${describeConfig(c)}${padValue === 0 ? ' pad0' : ''}${returnIndices ? ' +indices' : ''}`, li, rank)}`, async () => {
          const o = { ...c.window, padValue, returnIndices };
          const want = ref.maxPoolNdForward(data, li === 1, resolveMaxWindow('maxPool', rank, c.shape, o));
          const { output, indices } = await maxPool(cpu, rank, cpu.tensor(data, c.shape, { layout: LAYOUTS[rank][li] }), o);
          expect(output.layout).toBe(LAYOUTS[rank][li]);
          expectBitExact(await output.read(), want.output, 'values');
          if (returnIndices) expectBitExact(await indices!.read(), want.indices, 'indices');
          else expect(indices).toBeUndefined();
        });
      }
    }
  });

  describe(`avgPool${rank}d on the CPU backend matches the N-d reference within tolerance`, () => {
    const rand = seededRandom(7200 + rank);
    for (let i = 0; i < CONFIGS; i++) {
      const c = randomConfig(rand, rank);
      const countIncludePad = rand() < 0.5;
      const divisorOverride = rand() < 0.2 ? randomInt(rand, 1, 9) : undefined;
      const data = randomData(rand, count(c.shape), false);
      for (const li of [0, 1] as const) {
        it(`#${i} ${tail(`${describeConfig(c)}${countIncludePad ? '' : ' excludePad'}${divisorOverride ? ` div${divisorOverride}` : ''}`, li, rank)}`, async () => {
          await checkAvgForward(rank, c, li, data, { ...c.window, countIncludePad, ...(divisorOverride ? { divisorOverride } : {}) });
        });
      }
    }
  });

  describe(`maxPool${rank}dBackward on the CPU backend matches the N-d reference`, () => {
    const rand = seededRandom(8100 + rank);
    for (let i = 0; i < CONFIGS; i++) {
      const c = randomConfig(rand, rank);
      const padValue = rand() < 0.25 ? 0 : -Infinity;
      const x = randomData(rand, count(c.shape));
      const g = resolveMaxWindow('maxPool', rank, c.shape, c.window);
      const dyData = randomData(rand, g.N * g.C * count(g.outSize), false);
      for (const li of [0, 1] as const) {
        it(`#${i} ${tail(`${describeConfig(c)}${padValue === 0 ? ' pad0' : ''}`, li, rank)}`, async () => {
          const window = { ...c.window, padValue };
          const layout = LAYOUTS[rank][li];
          const gw = resolveMaxWindow('maxPool', rank, c.shape, window);
          const forward = ref.maxPoolNdForward(x, li === 1, gw);
          const want = ref.maxPoolNdBackward(dyData, forward.indices, li === 1, gw);
          const { output, indices } = await maxPool(cpu, rank, cpu.tensor(x, c.shape, { layout }), { ...window, returnIndices: true });
          const dy = cpu.tensor(dyData, output.shape, { layout });
          const saved = cpu.tensor(forward.indices, output.shape, { layout, dtype: 'int32' });
          for (const backward of ALGORITHMS) {
            for (const idx of [indices!, saved]) {
              const dx = await maxPoolBackward(cpu, rank, dy, idx, { ...window, inputShape: c.shape, backward });
              expect(dx.layout).toBe(layout);
              expectClose(await dx.read(), want, overlap(gw), `dx (${backward})`);
            }
          }
        });
      }
    }
  });

  describe(`avgPool${rank}dBackward on the CPU backend matches the N-d reference`, () => {
    const rand = seededRandom(8200 + rank);
    for (let i = 0; i < CONFIGS; i++) {
      const c = randomConfig(rand, rank);
      const countIncludePad = rand() < 0.5;
      const divisorOverride = rand() < 0.2 ? randomInt(rand, 1, 9) : undefined;
      const g = resolveAvgWindow('avgPool', rank, c.shape, c.window);
      const dyData = randomData(rand, g.N * g.C * count(g.outSize), false);
      for (const li of [0, 1] as const) {
        it(`#${i} ${tail(`${describeConfig(c)}${countIncludePad ? '' : ' excludePad'}${divisorOverride ? ` div${divisorOverride}` : ''}`, li, rank)}`, async () => {
          await checkAvgBackward(rank, c, li, dyData, { ...c.window, countIncludePad, ...(divisorOverride ? { divisorOverride } : {}) });
        });
      }
    }
  });
}

async function checkAvgForward(rank: SpatialRank, c: NdConfig, li: 0 | 1, data: Float32Array, o: Options): Promise<void> {
  const g = resolveAvgWindow('avgPool', rank, c.shape, o);
  const y = await avgPool(cpu, rank, cpu.tensor(data, c.shape, { layout: LAYOUTS[rank][li] }), o);
  expect(y.shape).toEqual([g.N, g.C, ...g.outSize]);
  expectClose(await y.read(), ref.avgPoolNdForward(data, li === 1, g), count(g.kernel), 'averages');
}

async function checkAvgBackward(rank: SpatialRank, c: NdConfig, li: 0 | 1, dyData: Float32Array, o: Options): Promise<void> {
  const g = resolveAvgWindow('avgPool', rank, c.shape, o);
  const want = ref.avgPoolNdBackward(dyData, li === 1, g);
  const dy = cpu.tensor(dyData, [g.N, g.C, ...g.outSize], { layout: LAYOUTS[rank][li] });
  for (const backward of ALGORITHMS) {
    const dx = await avgPoolBackward(cpu, rank, dy, { ...o, inputShape: c.shape, backward });
    expect(dx.shape).toEqual(c.shape);
    expectClose(await dx.read(), want, overlap(g), `dx (${backward})`);
  }
}

describe('avgPool2d with dilation on the CPU backend matches the N-d reference, forward and backward', () => {
  const forward = seededRandom(7302);
  const backward = seededRandom(8302);
  for (let i = 0; i < 20; i++) {
    const c = randomConfig(forward, 2, 'always');
    const countIncludePad = forward() < 0.5;
    const divisorOverride = forward() < 0.2 ? randomInt(forward, 1, 9) : undefined;
    const data = randomData(forward, count(c.shape), false);
    const cb = randomConfig(backward, 2, 'always');
    const bInclude = backward() < 0.5;
    const bDivisor = backward() < 0.2 ? randomInt(backward, 1, 9) : undefined;
    const gb = resolveAvgWindow('avgPool', 2, cb.shape, cb.window);
    const dyData = randomData(backward, gb.N * gb.C * count(gb.outSize), false);
    for (const li of [0, 1] as const) {
      it(`#${i} forward ${tail(`${describeConfig(c)}${countIncludePad ? '' : ' excludePad'}${divisorOverride ? ` div${divisorOverride}` : ''}`, li, 2)}`, async () => {
        await checkAvgForward(2, c, li, data, { ...c.window, countIncludePad, ...(divisorOverride ? { divisorOverride } : {}) });
      });
      it(`#${i} backward ${tail(`${describeConfig(cb)}${bInclude ? '' : ' excludePad'}${bDivisor ? ` div${bDivisor}` : ''}`, li, 2)}`, async () => {
        await checkAvgBackward(2, cb, li, dyData, { ...cb.window, countIncludePad: bInclude, ...(bDivisor ? { divisorOverride: bDivisor } : {}) });
      });
    }
  }
});

// ---- PyTorch fixtures through the public API, CPU and WebGPU ----

type JsonFloat = number | 'NaN' | 'Infinity' | '-Infinity';

interface Fixture {
  name: string;
  op: 'max' | 'avg';
  rank: SpatialRank;
  shape: number[];
  outputShape: number[];
  channelsLastInTorch: boolean;
  options: Options;
  x: JsonFloat[];
  output: JsonFloat[];
  indices?: number[];
  dy: JsonFloat[];
  dx: JsonFloat[];
}

const doc = JSON.parse(readFileSync(new URL('./fixtures/torch-nd.json', import.meta.url), 'utf8')) as { torch: string; cases: Fixture[] };
const floats = (v: readonly JsonFloat[]) => Float32Array.from(v, (e) => (typeof e === 'number' ? e : Number(e)));

function toChannelsLast<T extends Float32Array | Int32Array>(x: T, N: number, C: number, vol: number): T {
  const y = new (x.constructor as new (n: number) => T)(x.length);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let s = 0; s < vol; s++) y[(n * vol + s) * C + c] = x[(n * C + c) * vol + s]!;
  return y;
}

function fromChannelsLast<T extends Float32Array | Int32Array>(y: T, N: number, C: number, vol: number): T {
  const x = new (y.constructor as new (n: number) => T)(y.length);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let s = 0; s < vol; s++) x[(n * C + c) * vol + s] = y[(n * vol + s) * C + c]!;
  return x;
}

/** Exact as values: NaN equals NaN (of any sign), -0 differs from +0. */
function expectExact(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (!(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)))) expect.fail(`${what}: element ${i} is ${Object.is(g, -0) ? '-0' : g}, PyTorch ${Object.is(w, -0) ? '-0' : w}`);
  }
}

describe(`PyTorch ${doc.torch} fixtures through the public API (CPU and WebGPU)`, () => {
  it(`the fixtures cover max and avg at rank 1 and 3 (${doc.cases.length} cases)`, () => {
    const kinds = new Set(doc.cases.map((c) => `${c.op}${c.rank}d`));
    expect([...kinds].sort()).toEqual(['avg1d', 'avg3d', 'max1d', 'max3d']);
  });

  for (const f of doc.cases) {
    const [N, C] = f.shape as [number, number];
    const inVol = count(f.shape) / (N * C);
    const outVol = count(f.outputShape) / (N * C);
    const x = floats(f.x);
    const dy = floats(f.dy);
    const wantOut = floats(f.output);
    const wantDx = floats(f.dx);
    for (const backend of ['cpu', 'webgpu'] as const) {
      for (const channelsLast of [false, true]) {
        const layout = LAYOUTS[f.rank][channelsLast ? 1 : 0];
        it(`${f.name} [${f.shape.join('x')}] ${backend} ${layout}`, async () => {
          const p = backend === 'cpu' ? cpu : gpu();
          const to = <T extends Float32Array | Int32Array>(v: T, vol: number) => (channelsLast ? toChannelsLast(v, N, C, vol) : v);
          const back = <T extends Float32Array | Int32Array>(v: T, vol: number) => (channelsLast ? fromChannelsLast(v, N, C, vol) : v);
          const body = async () => {
            const xt = p.tensor(to(x, inVol), f.shape, { layout });
            const dyt = p.tensor(to(dy, outVol), f.outputShape, { layout });
            if (f.op === 'max') {
              const g = resolveMaxWindow('maxPool', f.rank, f.shape, f.options);
              const { output, indices } = await maxPool(p, f.rank, xt, { ...f.options, returnIndices: true });
              expect(output.shape).toEqual(f.outputShape);
              expectExact(back(await output.read(), outVol), wantOut, 'values');
              expectExact(back(await indices!.read(), outVol), f.indices!, 'indices');
              const torchIndices = p.tensor(to(Int32Array.from(f.indices!), outVol), f.outputShape, { layout, dtype: 'int32' });
              for (const backward of ALGORITHMS) {
                for (const [which, idx] of [
                  ['ours', indices!],
                  ['PyTorch', torchIndices],
                ] as const) {
                  const dx = await maxPoolBackward(p, f.rank, dyt, idx, { ...f.options, inputShape: f.shape, backward });
                  expect(dx.shape).toEqual(f.shape);
                  expectClose(back(await dx.read(), inVol), wantDx, overlap(g), `dx (${backward}, ${which} indices)`);
                  dx.destroy();
                }
              }
              for (const t of [output, indices, torchIndices]) t?.destroy();
            } else {
              const g = resolveAvgWindow('avgPool', f.rank, f.shape, f.options);
              const y = await avgPool(p, f.rank, xt, f.options);
              expect(y.shape).toEqual(f.outputShape);
              expectClose(back(await y.read(), outVol), wantOut, count(g.kernel), 'averages');
              for (const backward of ALGORITHMS) {
                const dx = await avgPoolBackward(p, f.rank, dyt, { ...f.options, inputShape: f.shape, backward });
                expectClose(back(await dx.read(), inVol), wantDx, overlap(g), `dx (${backward})`);
                dx.destroy();
              }
              y.destroy();
            }
            xt.destroy();
            dyt.destroy();
          };
          if (backend === 'webgpu') await withCleanErrorScope(p, body);
          else await body();
        });
      }
    }
  }
});
