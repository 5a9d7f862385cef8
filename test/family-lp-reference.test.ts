/**
 * LP pooling's CPU side (docs/lp-pooling.md), no GPU needed: the fast CPU kernels
 * (src/cpu/lp-pool.ts) against the f64 reference (src/reference/lp-pool.ts) over seeded windows of
 * rank 1-3, both memory orders and many p (NaN and ±∞ in the forward data); the reference against
 * average pooling's sums (p = 1 and p = 2 are Σ|x| and sqrt(Σx²): avgPool with divisorOverride 1);
 * the CPU backend's plane slicing of a large call; and PyTorch's lp_pool1d/2d/3d
 * (test/fixtures/torch-lp.json, made by scripts/torch-fixtures-lp.py) where PyTorch defines the
 * same thing (x >= 0, no padding, no ceil-mode overhang).
 *
 * Tolerances: CPU vs reference |got − want| <= 1e-5·terms·scale + 1e-6·|want| (both sum in f64;
 * only the order and the f32 rounding of y differ); PyTorch (f32 avg_pool·k, then pow) within
 * 1e-5·terms·scale + 1e-4·|want|.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as fast from '../src/cpu/lp-pool.js';
import { resolveWindow } from '../src/geometry.js';
import { runInSlices } from '../src/host/cpu-chunks.js';
import { LP_OPS } from '../src/ops/lp-pool.js';
import { resolveAvgWindow } from '../src/params.js';
import * as avgRef from '../src/reference/index.js';
import * as ref from '../src/reference/lp-pool.js';
import type { SpatialRank } from '../src/types.js';
import { API_DRAW, count, dataWithSpecials, describeConfig, drawNdConfig, fromChannelsLast, LAYOUTS, overlap, toChannelsLast } from './helpers/nd-windows.js';
import { randomData, seededRandom } from './helpers/random.js';

const scaleOf = (want: Float32Array) => want.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 1);

function expectNear(got: Float32Array, want: Float32Array, terms: number, rtol: number, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  const atol = 1e-5 * Math.max(terms, 1) * scaleOf(want);
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w) ? Number.isNaN(g) : g === w || Math.abs(g - w) <= atol + rtol * Math.abs(w)) continue;
    expect.fail(`${what}: element ${i} is ${g}, want ${w} (atol ${atol}, rtol ${rtol})`);
  }
}

const P_VALUES = [1, 2, 3, 0.5, 2.5, 0.3, 4, 7, 1.5];

describe('the fast CPU LP kernels match the f64 reference', () => {
  for (const rank of [1, 2, 3] as const) {
    const rand = seededRandom(8400 + rank);
    for (let i = 0; i < 14; i++) {
      const c = drawNdConfig(rand, rank, API_DRAW);
      const normType = P_VALUES[(i * 2 + rank) % P_VALUES.length]!;
      const x = dataWithSpecials(rand, count(c.shape), 0.03);
      const xFinite = randomData(rand, count(c.shape));
      for (const channelsLast of [false, true]) {
        it(`${rank}-D #${i} ${describeConfig(c)} p${normType} ${LAYOUTS[rank][channelsLast ? 1 : 0]}`, () => {
          const g = resolveWindow('test', rank, c.shape, c.window);
          const xin = channelsLast ? toChannelsLast(x, g.N, g.C, count(g.inSize)) : x;
          expectNear(fast.lpPoolNd(xin, channelsLast, g, normType), ref.lpPoolNdForward(xin, channelsLast, g, normType), count(g.kernel), 1e-6, 'y (with NaN and ±∞)');
          const xf = channelsLast ? toChannelsLast(xFinite, g.N, g.C, count(g.inSize)) : xFinite;
          const y = ref.lpPoolNdForward(xf, channelsLast, g, normType);
          const dy = randomData(rand, y.length);
          expectNear(fast.lpPoolNdBackward(dy, xf, y, channelsLast, g, normType), ref.lpPoolNdBackward(dy, xf, y, channelsLast, g, normType), overlap(g), 1e-6, 'dx');
        });
      }
    }
  }
});

describe('the LP reference agrees with average pooling at p = 1 and p = 2', () => {
  const rand = seededRandom(8500);
  for (const rank of [1, 2, 3] as const) {
    for (let i = 0; i < 4; i++) {
      const c = drawNdConfig(rand, rank, API_DRAW);
      it(`${rank}-D #${i} ${describeConfig(c)}`, () => {
        const x = randomData(rand, count(c.shape));
        const g = resolveWindow('test', rank, c.shape, c.window);
        const sums = resolveAvgWindow('test', rank, c.shape, { ...c.window, divisorOverride: 1 });
        const abs = x.map(Math.abs);
        const sq = x.map((v) => v * v);
        expectNear(ref.lpPoolNdForward(x, false, g, 1), avgRef.avgPoolNdForward(abs, false, sums), count(g.kernel), 1e-6, 'p = 1: Σ|x|');
        expectNear(ref.lpPoolNdForward(x, false, g, 2), avgRef.avgPoolNdForward(sq, false, sums).map(Math.sqrt), count(g.kernel), 1e-6, 'p = 2: sqrt(Σx²)');
      });
    }
  }
});

describe('the CPU backend cuts a large LP call by planes and images', () => {
  for (const channelsLast of [false, true]) {
    it(`rank 3 ${channelsLast ? 'NDHWC' : 'NCDHW'}, forward and backward`, async () => {
      const shape = [3, 4, 6, 7, 5];
      const layout = channelsLast ? 'NDHWC' : 'NCDHW';
      const g = resolveWindow('test', 3, shape, { kernelSize: [2, 3, 2], stride: [1, 2, 1], padding: 1, ceilMode: true });
      const rand = seededRandom(8600);
      const x = randomData(rand, count(shape));
      const fwd = LP_OPS.lpPool[3];
      const p = { g, layout, normType: 2.5 } as const;
      const kinds = new Set<string>();
      const sliced = await runInSlices(fwd, p, { x }, { directBelow: 0, fixedWork: 500, onSlice: (k) => kinds.add(k) });
      expect(kinds.has('planes')).toBe(true);
      const whole = fwd.cpu(p, { x });
      expect(Array.from(sliced.y as Float32Array)).toEqual(Array.from(whole.y as Float32Array));
      const bwd = LP_OPS.lpPoolBackward[3];
      const y = whole.y as Float32Array;
      const dy = randomData(rand, y.length);
      const bp = { ...p, algorithm: 'auto' } as const;
      const slicedDx = await runInSlices(bwd, bp, { dy, x, y }, { directBelow: 0, fixedWork: 500 });
      expect(Array.from(slicedDx.dx as Float32Array)).toEqual(Array.from(bwd.cpu(bp, { dy, x, y }).dx as Float32Array));
    });
  }
});

// ---- PyTorch ----

interface TorchLpCase {
  name: string;
  rank: SpatialRank;
  shape: number[];
  outputShape: number[];
  options: { normType: number; kernelSize: number[]; stride: number[]; ceilMode: boolean };
  x: number[];
  output: number[];
  dy: number[];
  dx: number[];
}

const doc = JSON.parse(readFileSync(new URL('./fixtures/torch-lp.json', import.meta.url), 'utf8')) as { torch: string; cases: TorchLpCase[] };

describe(`PyTorch ${doc.torch} lp_pool fixtures (scripts/torch-fixtures-lp.py)`, () => {
  it('cover every rank, p = 1, p = 2, a general p > 1 and p < 1', () => {
    for (const rank of [1, 2, 3]) expect(doc.cases.some((c) => c.rank === rank)).toBe(true);
    for (const p of [1, 2, 3, 0.5]) expect(doc.cases.some((c) => c.options.normType === p)).toBe(true);
  });
  const IMPLEMENTATIONS = [
    { name: 'reference', f: ref.lpPoolNdForward, b: ref.lpPoolNdBackward },
    { name: 'fast CPU', f: fast.lpPoolNd, b: fast.lpPoolNdBackward },
  ] as const;
  for (const f of doc.cases) {
    for (const impl of IMPLEMENTATIONS) {
      for (const channelsLast of [false, true]) {
        it(`${f.name} [${f.shape.join('x')}] ${impl.name} ${LAYOUTS[f.rank][channelsLast ? 1 : 0]}`, () => {
          const g = resolveWindow(`lpPool${f.rank}d`, f.rank, f.shape, f.options);
          expect([g.N, g.C, ...g.outSize]).toEqual(f.outputShape);
          const inVol = count(g.inSize);
          const outVol = count(g.outSize);
          const to = (v: Float32Array, vol: number) => (channelsLast ? toChannelsLast(v, g.N, g.C, vol) : v);
          const back = (v: Float32Array, vol: number) => (channelsLast ? fromChannelsLast(v, g.N, g.C, vol) : v);
          const x = to(Float32Array.from(f.x), inVol);
          const wantY = Float32Array.from(f.output);
          const y = impl.f(x, channelsLast, g, f.options.normType);
          expectNear(back(y, outVol), wantY, count(g.kernel), 1e-4, 'y');
          // The backward with PyTorch's own y, as a caller would pass it.
          const dx = impl.b(to(Float32Array.from(f.dy), outVol), x, to(wantY, outVol), channelsLast, g, f.options.normType);
          expectNear(back(dx, inVol), Float32Array.from(f.dx), overlap(g), 1e-4, 'dx');
        });
      }
    }
  }
});
