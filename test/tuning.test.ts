/**
 * Runtime tuning (docs/tuning.md): the tuner's choice by its clock, the store shared between
 * contexts, adapter identity, bad tables, the explicit gather request, and every alternative the
 * tuner may pick held to the reference on the adapter at hand.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { webgpuBackendOf } from '../src/host/webgpu-backend.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPooling, fileTuningStore, memoryTuningStore, PoolingError, TUNING_TABLE_VERSION, type Pooling, type TuningTable } from '../src/index.js';
import { planeBackwardChoice } from '../src/ops/windowed-alternatives.js';
import { maxPlaneParams, resolveMaxWindow } from '../src/params.js';
import { adapterIdentity, sizeBucket, windowClass } from '../src/tuning/key.js';
import { Tuner } from '../src/tuning/tuner.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { expectLpClose } from './helpers/lp-tolerance.js';
import { namedTestAdapter } from './helpers/gpu.js';
import { randomData, seededRandom } from './helpers/random.js';

/** A clock the test moves: each alternative "takes" the time the test gives it. */
function fakeClock() {
  let now = 0;
  return { clock: () => now, advance: (ms: number) => (now += ms) };
}

describe('the tuner', () => {
  it('picks the alternative its clock says is fastest, skips failed ones, and reports the cost', async () => {
    const { clock, advance } = fakeClock();
    const cost: Record<string, number> = { scalar: 9, w4: 4, broken: 1 };
    const runs: string[] = [];
    const tuner = new Tuner({ mode: 'measure', adapter: 'A', clock, rounds: 5, budgetMs: 1000 });
    const chosen = await tuner.choose('k', 'scalar', ['scalar', 'w4', 'broken'], async (name) => {
      runs.push(name);
      if (name === 'broken') throw new Error('out of memory');
      advance(cost[name]!);
    });
    expect(chosen).toBe('w4');
    // One untimed run each, 5 rounds of the two that work, then 4 rounds confirming the challenger.
    expect(runs.filter((r) => r === 'w4')).toHaveLength(10);
    expect(runs.filter((r) => r === 'broken')).toHaveLength(1);
    const [d] = tuner.decisions();
    expect(d).toMatchObject({ key: 'k', kernel: 'w4', rule: 'scalar', times: { scalar: 9, w4: 4 }, source: 'measured' });
    expect(d!.costMs).toBe(10 * 9 + 10 * 4);
    // Decided: later calls read the choice without running anything.
    expect(tuner.known('k', ['scalar', 'w4'])).toBe('w4');
    expect(await tuner.choose('k', 'scalar', ['scalar', 'w4'], async () => expect.unreachable())).toBe('w4');
  });

  it('stops timing rounds once the budget is spent (after three timed rounds), and measures a key once when calls overlap', async () => {
    const { clock, advance } = fakeClock();
    let runs = 0;
    const tuner = new Tuner({ mode: 'measure', adapter: 'A', clock, rounds: 5, budgetMs: 50 });
    const run = async (name: string) => {
      runs++;
      await Promise.resolve();
      advance(name === 'a' ? 30 : 20);
    };
    const [x, y] = await Promise.all([tuner.choose('k', 'a', ['a', 'b'], run), tuner.choose('k', 'a', ['a', 'b'], run)]);
    expect([x, y]).toEqual(['b', 'b']);
    // Warm-up, the three rounds always made (200 ms > 50 ms), then 4 confirming rounds: b beat the rule a.
    expect(runs).toBe(2 + 3 * 2 + 4 * 2);
    expect(tuner.measuredKeys).toBe(1);
  });

  it('stops timing an alternative several times slower than the fastest, and keeps the time that dropped it', async () => {
    const { clock, advance } = fakeClock();
    const runs: string[] = [];
    const tuner = new Tuner({ mode: 'measure', adapter: 'A', clock, budgetMs: 1000 });
    const cost: Record<string, number> = { scatter: 10, gather: 200, direct: 25 };
    expect(await tuner.choose('k', 'scatter', ['scatter', 'gather', 'direct'], async (name) => void (runs.push(name), advance(cost[name]!)))).toBe('scatter');
    // gather: out after its untimed run (20× the fastest); direct: out after one timed round (2.5×).
    expect(runs.filter((r) => r === 'gather')).toHaveLength(1);
    expect(runs.filter((r) => r === 'direct')).toHaveLength(2);
    expect(runs.filter((r) => r === 'scatter')).toHaveLength(6);
    expect(tuner.decisions()[0]!.times).toEqual({ scatter: 10, gather: 200, direct: 25 });
  });

  it('a challenger that beat the rule in the first rounds but not in the confirming ones does not replace it', async () => {
    const { clock, advance } = fakeClock();
    let challengerRuns = 0;
    const tuner = new Tuner({ mode: 'measure', adapter: 'A', clock, rounds: 3, budgetMs: 1000 });
    // 'lucky' looks fast in its warm-up and 3 rounds, then shows its real time.
    const chosen = await tuner.choose('k', 'rule', ['rule', 'lucky'], async (name) => {
      if (name === 'rule') return void advance(10);
      challengerRuns++;
      advance(challengerRuns <= 4 ? 5 : 14);
    });
    expect(chosen).toBe('rule');
    expect(tuner.decisions()[0]).toMatchObject({ kernel: 'rule', times: { rule: 10 } });
  });

  it("keeps the rules' pick unless another is faster by more than the margin", async () => {
    for (const [other, expected] of [
      [9.5, 'rule'],
      [9.2, 'rule'],
      [8.0, 'other'],
    ] as const) {
      const { clock, advance } = fakeClock();
      const tuner = new Tuner({ mode: 'measure', adapter: 'A', clock, margin: 0.1 });
      expect(await tuner.choose('k', 'rule', ['rule', 'other'], async (name) => void advance(name === 'rule' ? 10 : other))).toBe(expected);
    }
  });

  it('ranks by the GPU time a run reports (timestamps) over its own clock', async () => {
    const { clock, advance } = fakeClock();
    const tuner = new Tuner({ mode: 'measure', adapter: 'A', clock });
    // The clock says 'a' is faster (submission overhead); the GPU says 'b' is.
    const chosen = await tuner.choose('k', 'a', ['a', 'b'], async (name) => {
      advance(name === 'a' ? 5 : 50);
      return name === 'a' ? 8 : 2;
    });
    expect(chosen).toBe('b');
    expect(tuner.decisions()[0]!.times).toEqual({ a: 8, b: 2 });
  });

  it("'rules' mode and single alternatives never measure", async () => {
    const tuner = new Tuner({ mode: 'rules', adapter: 'A' });
    expect(await tuner.choose('k', 'a', ['a', 'b'], async () => expect.unreachable())).toBe('a');
    const measuring = new Tuner({ mode: 'measure', adapter: 'A' });
    expect(await measuring.choose('k', 'a', ['a'], async () => expect.unreachable())).toBe('a');
    expect(measuring.decisions()).toEqual([]);
  });

  it("never uses another adapter's entries, and keeps them in its export", () => {
    const table: TuningTable = { format: 'webgpu-pooling-tuning', version: TUNING_TABLE_VERSION, adapters: { 'other gpu': { k: { kernel: 'b', rule: 'a', times: { a: 2, b: 1 }, costMs: 3 } } } };
    const tuner = new Tuner({ mode: 'measure', adapter: 'this gpu', table });
    expect(tuner.known('k', ['a', 'b'])).toBeUndefined();
    expect(tuner.decisions()).toEqual([]);
    expect(tuner.export().adapters).toEqual(table.adapters);
    const same = new Tuner({ mode: 'measure', adapter: 'other gpu', table: JSON.stringify(table) });
    expect(same.known('k', ['a', 'b'])).toBe('b');
    expect(same.decisions()[0]!.source).toBe('table');
  });

  it('ignores a corrupt, foreign or old-version table with a warning, not an error', async () => {
    for (const [table, problem] of [
      ['{"format": "webgpu-pooling-tuning", ', /not JSON/],
      [{ format: 'webgpu-pooling-tuning', version: TUNING_TABLE_VERSION - 1, adapters: {} }, /version 0, this library reads version 1/],
      [{ format: 'something else', version: 1, adapters: {} }, /not a webgpu-pooling-tuning table/],
      [{ format: 'webgpu-pooling-tuning', version: TUNING_TABLE_VERSION, adapters: { A: { k: { kernel: 3 } } } }, /entry "k" is malformed/],
    ] as const) {
      const warn = vi.fn();
      const tuner = new Tuner({ mode: 'measure', adapter: 'A', table, warn });
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(problem));
      expect(tuner.decisions()).toEqual([]);
    }
    const warn = vi.fn();
    const stored = new Tuner({ mode: 'measure', adapter: 'A', store: memoryTuningStore('not json at all'), warn });
    await stored.load();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/the stored tuning table is ignored: not JSON/));
  });
});

describe('the tuning key', () => {
  it('buckets sizes by powers of two and keeps the window exact', () => {
    expect([1, 2, 3, 6, 8, 11, 12, 100].map(sizeBucket)).toEqual([0, 1, 2, 3, 3, 3, 4, 7]);
    const g = (N: number, k: number) => resolveMaxWindow('maxPool2d', 2, [N, 64, 112, 112], { kernelSize: k, stride: 2, padding: 1 });
    expect(windowClass(g(8, 3))).toBe(windowClass(g(11, 3)));
    expect(windowClass(g(8, 3))).not.toBe(windowClass(g(32, 3)));
    expect(windowClass(g(8, 3))).not.toBe(windowClass(g(8, 2)));
    expect(adapterIdentity({ vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader driver 5.0.0' })).toBe('google | swiftshader | - | SwiftShader driver 5.0.0');
  });

  it("an explicit backward: 'gather' offers nothing to tune; 'scatter' keeps the gather out", () => {
    const g = resolveMaxWindow('maxPool2d', 2, [1, 8, 16, 16], { kernelSize: 2, stride: 2 });
    const device = { adapter: null, kind: 'gpu', subgroups: false, shaderF16: false, maxInvocationsPerWorkgroup: 256 } as const;
    expect(planeBackwardChoice('max', g, maxPlaneParams(g), 'NCHW', 'gather', device)).toBeUndefined();
    expect(planeBackwardChoice('max', g, maxPlaneParams(g), 'NCHW', 'scatter', device)!.alternatives.map((a) => a.name)).toEqual(['cell', 'direct', 'scatter']);
    expect(planeBackwardChoice('max', g, maxPlaneParams(g), 'NCHW', 'auto', device)!.alternatives.map((a) => a.name)).toEqual(['cell', 'direct', 'scatter', 'gather']);
  });
});

describe('tuning on WebGPU', () => {
  let cpu: Pooling;
  beforeAll(async () => {
    cpu = await createPooling({ backend: 'cpu' });
  });
  afterAll(() => cpu.destroy());

  const shape = [2, 8, 20, 24];
  const data = randomData(seededRandom(17), shape.reduce((a, b) => a * b));
  const overlapping = { kernelSize: 3, stride: 2, padding: 1 };
  const disjoint = { kernelSize: 2, stride: 2 };

  /** Every op with alternatives, on both layouts; returns each result beside the reference's. */
  async function runAll(p: Pooling, options: Record<string, unknown> = {}) {
    const out: { what: string; got: Float32Array | Int32Array; want: Float32Array | Int32Array; terms?: number; lp?: number }[] = [];
    for (const layout of ['NCHW', 'NHWC'] as const) {
      for (const [name, w] of [
        ['overlapping', overlapping],
        ['disjoint', disjoint],
      ] as const) {
        const x = p.tensor(data, shape, { layout });
        const xr = cpu.tensor(data, shape, { layout });
        const m = await p.maxPool2d(x, { ...w, returnIndices: true });
        const mr = await cpu.maxPool2d(xr, { ...w, returnIndices: true });
        out.push({ what: `${layout} ${name} max`, got: await m.output.read(), want: await mr.output.read() });
        out.push({ what: `${layout} ${name} indices`, got: await m.indices.read(), want: await mr.indices.read() });
        const dx = await p.maxPool2dBackward(m.output, m.indices, { ...w, inputShape: shape, ...options });
        const dxr = await cpu.maxPool2dBackward(mr.output, mr.indices, { ...w, inputShape: shape });
        out.push({ what: `${layout} ${name} max backward`, got: await dx.read(), want: await dxr.read(), terms: 4 });
        const a = await p.avgPool2d(x, w);
        const ar = await cpu.avgPool2d(xr, w);
        out.push({ what: `${layout} ${name} avg`, got: await a.read(), want: await ar.read(), terms: 9 });
        const da = await p.avgPool2dBackward(a, { ...w, inputShape: shape, ...options });
        const dar = await cpu.avgPool2dBackward(ar, { ...w, inputShape: shape });
        out.push({ what: `${layout} ${name} avg backward`, got: await da.read(), want: await dar.read(), terms: 4 });
      }
    }
    // LP pooling's backward: the atomic scatter or the gather, overlapping and disjoint windows.
    for (const layout of ['NCHW', 'NHWC'] as const) {
      for (const w of [overlapping, disjoint]) {
        const lo = { ...w, normType: 2 };
        const x = p.tensor(data, shape, { layout });
        const xr = cpu.tensor(data, shape, { layout });
        const y = await p.lpPool2d(x, lo);
        const yr = await cpu.lpPool2d(xr, lo);
        const dx = await p.lpPool2dBackward(y, x, y, { ...lo, inputShape: shape, ...options });
        const dxr = await cpu.lpPool2dBackward(yr, xr, yr, { ...lo, inputShape: shape });
        out.push({ what: `${layout} k${w.kernelSize} lp backward`, got: await dx.readFloat32(), want: await dxr.readFloat32(), terms: 9, lp: 2 });
        out.push({ what: `${layout} k${w.kernelSize} lp forward`, got: await y.readFloat32(), want: await yr.readFloat32(), terms: 9, lp: 2 });
      }
    }
    // Adaptive pooling (vec4 or scalar forward on NHWC, C = 8; the backward gather's run) and
    // max-unpooling from disjoint windows' indices (the direct fast path or the two passes).
    for (const layout of ['NCHW', 'NHWC'] as const) {
      const x = p.tensor(data, shape, { layout });
      const xr = cpu.tensor(data, shape, { layout });
      const am = await p.adaptiveMaxPool2d(x, { outputSize: [7, 5], returnIndices: true });
      const amr = await cpu.adaptiveMaxPool2d(xr, { outputSize: [7, 5], returnIndices: true });
      out.push({ what: `${layout} adaptive max`, got: await am.output.readFloat32(), want: await amr.output.readFloat32() });
      out.push({ what: `${layout} adaptive max indices`, got: await am.indices.read(), want: await amr.indices.read() });
      const amb = await p.adaptiveMaxPool2dBackward(am.output, am.indices, { inputShape: shape });
      const ambr = await cpu.adaptiveMaxPool2dBackward(amr.output, amr.indices, { inputShape: shape });
      out.push({ what: `${layout} adaptive max backward`, got: await amb.readFloat32(), want: await ambr.readFloat32(), terms: 4 });
      const aa = await p.adaptiveAvgPool2d(x, { outputSize: [7, 5] });
      const aar = await cpu.adaptiveAvgPool2d(xr, { outputSize: [7, 5] });
      out.push({ what: `${layout} adaptive avg`, got: await aa.readFloat32(), want: await aar.readFloat32(), terms: 30 });
      const aab = await p.adaptiveAvgPool2dBackward(aa, { inputShape: shape });
      const aabr = await cpu.adaptiveAvgPool2dBackward(aar, { inputShape: shape });
      out.push({ what: `${layout} adaptive avg backward`, got: await aab.readFloat32(), want: await aabr.readFloat32(), terms: 4 });
      // A global output (the classifier head) on short rows: the global kernel or the gather by runs.
      const small = [2, 8, 6, 7];
      const xs = p.tensor(data.subarray(0, 2 * 8 * 6 * 7), small, { layout });
      const xsr = cpu.tensor(data.subarray(0, 2 * 8 * 6 * 7), small, { layout });
      const gm = await p.adaptiveMaxPool2d(xs, { outputSize: 1, returnIndices: true });
      const gmr = await cpu.adaptiveMaxPool2d(xsr, { outputSize: 1, returnIndices: true });
      const gmb = await p.adaptiveMaxPool2dBackward(gm.output, gm.indices, { inputShape: small });
      const gmbr = await cpu.adaptiveMaxPool2dBackward(gmr.output, gmr.indices, { inputShape: small });
      out.push({ what: `${layout} adaptive global max backward`, got: await gmb.readFloat32(), want: await gmbr.readFloat32() });
      const ga = await p.adaptiveAvgPool2d(xs, { outputSize: 1 });
      const gar = await cpu.adaptiveAvgPool2d(xsr, { outputSize: 1 });
      const gab = await p.adaptiveAvgPool2dBackward(ga, { inputShape: small });
      const gabr = await cpu.adaptiveAvgPool2dBackward(gar, { inputShape: small });
      out.push({ what: `${layout} adaptive global avg backward`, got: await gab.readFloat32(), want: await gabr.readFloat32(), terms: 1 });
      const m = await p.maxPool2d(x, { ...disjoint, returnIndices: true });
      const mr = await cpu.maxPool2d(xr, { ...disjoint, returnIndices: true });
      const u = await p.maxUnpool2d(m.output, m.indices, disjoint);
      const ur = await cpu.maxUnpool2d(mr.output, mr.indices, disjoint);
      out.push({ what: `${layout} max unpool`, got: await u.readFloat32(), want: await ur.readFloat32() });
      // Fractional max pooling with a fixed seed (the same windows on both contexts): vec4 or scalar on NHWC.
      const f = await p.fractionalMaxPool2d(x, { kernelSize: 2, outputSize: [13, 15], seed: 7, returnIndices: true });
      const fr = await cpu.fractionalMaxPool2d(xr, { kernelSize: 2, outputSize: [13, 15], seed: 7, returnIndices: true });
      out.push({ what: `${layout} fractional max`, got: await f.output.readFloat32(), want: await fr.output.readFloat32() });
      out.push({ what: `${layout} fractional max indices`, got: await f.indices.read(), want: await fr.indices.read() });
    }
    // Global pooling of planes past the one-pass size: the first pass's kernels (NCHW).
    const big = [2, 3, 24, 40];
    const g = randomData(seededRandom(5), big.reduce((a, b) => a * b));
    const gx = p.tensor(g, big);
    const gr = cpu.tensor(g, big);
    const gm = await p.globalMaxPool(gx, { returnIndices: true });
    const gmr = await cpu.globalMaxPool(gr, { returnIndices: true });
    out.push({ what: 'global max', got: await gm.output.read(), want: await gmr.output.read() });
    out.push({ what: 'global max indices', got: await gm.indices.read(), want: await gmr.indices.read() });
    out.push({ what: 'global avg', got: await (await p.globalAvgPool(gx)).read(), want: await (await cpu.globalAvgPool(gr)).read(), terms: 24 * 40 });
    return out;
  }

  function expectReference(results: Awaited<ReturnType<typeof runAll>>, label: string) {
    for (const r of results) {
      if (r.terms === undefined) expectBitExact(r.got, r.want, `${label}: ${r.what}`);
      else if (r.lp !== undefined) expectLpClose(r.got as Float32Array, r.want as Float32Array, r.terms, r.lp, `${label}: ${r.what}`);
      else expectClose(r.got as Float32Array, r.want as Float32Array, r.terms, `${label}: ${r.what}`);
    }
  }

  it('measures each new key once, gives the reference, and a second context with the same store measures nothing', async () => {
    const store = memoryTuningStore();
    const first = await createPooling({ backend: 'webgpu', nodeAdapter: await namedTestAdapter(), tuning: { store } });
    expect(first.tuning.mode).toBe('measure');
    expectReference(await runAll(first), 'measured');
    const decisions = first.tuning.decisions();
    expect(decisions.length).toBeGreaterThanOrEqual(8);
    expect(decisions.filter((d) => d.key.startsWith('global')).map((d) => Object.keys(d.times).sort())).toEqual(expect.arrayContaining([expect.arrayContaining(['scan', 'tree'])]));
    expect(decisions.filter((d) => d.key.startsWith('lpPool2dBackward')).length).toBe(4);
    // The family's alternatives: LP forward (w4 on NCHW, vec4 on NHWC, against scalar), adaptive
    // forward (vec4 against scalar, NHWC) and backward (the gather's run; a global output also the
    // global and the windowed kernels; every one the scatter), unpooling (direct or owners).
    const names = (op: string) => decisions.filter((d) => d.key.startsWith(`${op} `)).map((d) => Object.keys(d.times).sort().join(','));
    expect(names('lpPool2d').sort()).toEqual(['scalar,vec4', 'scalar,vec4', 'scalar,w4', 'scalar,w4']);
    expect(names('adaptiveAvgPool2d')).toEqual(['scalar,vec4', 'scalar,vec4']);
    expect(names('adaptiveMaxPool2dBackward').sort()).toEqual(['global,run1,run7,scatter,windowed', 'global,run1,run7,scatter,windowed', 'run1,run24,run8,scatter', 'run1,run24,run8,scatter']);
    expect(names('maxUnpool2d')).toEqual(['direct,owners', 'direct,owners']);
    expect(names('fractionalMaxPool2d')).toEqual(['scalar,vec4']);
    for (const d of decisions) {
      expect(d.source).toBe('measured');
      expect(Object.keys(d.times)).toContain(d.kernel);
      expect(d.costMs).toBeGreaterThan(0);
    }
    first.destroy();

    const second = await createPooling({ backend: 'webgpu', nodeAdapter: await namedTestAdapter(), tuning: { store } });
    expect(second.tuning.decisions().map((d) => [d.key, d.kernel, d.source])).toEqual(decisions.map((d) => [d.key, d.kernel, 'store']));
    expectReference(await runAll(second), 'from the store');
    expect(webgpuBackendOf(second)!.tuner!.measuredKeys).toBe(0);
    second.destroy();
  });

  it('every alternative the tuner may pick gives the reference (each forced through a table)', async () => {
    const probe = await createPooling({ backend: 'webgpu', nodeAdapter: await namedTestAdapter(), tuning: 'measure' });
    await runAll(probe);
    const table = probe.tuning.export();
    const adapter = Object.keys(table.adapters)[0]!;
    const entries = table.adapters[adapter]!;
    probe.destroy();
    const width = Math.max(...Object.values(entries).map((e) => Object.keys(e.times).length));
    expect(width).toBeGreaterThanOrEqual(4);
    for (let i = 0; i < width; i++) {
      // The i-th alternative of every key (the last one where a key has fewer).
      const forced: TuningTable = {
        ...table,
        adapters: { [adapter]: Object.fromEntries(Object.entries(entries).map(([k, e]) => { const names = Object.keys(e.times); return [k, { ...e, kernel: names[Math.min(i, names.length - 1)]! }]; })) },
      };
      const p = await createPooling({ backend: 'webgpu', nodeAdapter: await namedTestAdapter(), tuning: { table: forced } });
      expectReference(await runAll(p), `alternative ${i}`);
      expect(webgpuBackendOf(p)!.tuner!.measuredKeys).toBe(0);
      p.destroy();
    }
  });

  it('fileTuningStore: a JSON file shared by two contexts, and a missing file is an empty table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pooling-tuning-'));
    try {
      const path = join(dir, 'tuning.json');
      const first = await createPooling({ backend: 'webgpu', nodeAdapter: await namedTestAdapter(), tuning: { store: fileTuningStore(path) } });
      const x = first.tensor(data, shape);
      await first.maxPool2d(x, overlapping);
      const saved = JSON.parse(readFileSync(path, 'utf8')) as TuningTable;
      expect(saved).toMatchObject({ format: 'webgpu-pooling-tuning', version: TUNING_TABLE_VERSION });
      expect(Object.values(saved.adapters)[0]).toEqual(Object.fromEntries(first.tuning.decisions().map((d) => [d.key, { kernel: d.kernel, rule: d.rule, times: d.times, costMs: d.costMs }])));
      first.destroy();
      const second = await createPooling({ backend: 'webgpu', nodeAdapter: await namedTestAdapter(), tuning: { store: fileTuningStore(path) } });
      await second.maxPool2d(second.tensor(data, shape), overlapping);
      expect(second.tuning.decisions().map((d) => d.source)).toEqual(['store']);
      expect(webgpuBackendOf(second)!.tuner!.measuredKeys).toBe(0);
      second.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("honours backward: 'gather': no tuning of that call, the reference's result", async () => {
    const p = await createPooling({ backend: 'webgpu', nodeAdapter: await namedTestAdapter(), tuning: 'measure' });
    expectReference(await runAll(p, { backward: 'gather' }), 'gather');
    // Adaptive backward has one form (the gather) and no `backward` option: its run may be tuned.
    const backward = p.tuning.decisions().filter((d) => d.key.includes('Backward') && !d.key.includes('adaptive'));
    expect(backward).toEqual([]);
    expect(p.tuning.decisions().filter((d) => d.key.includes('adaptiveMaxPool2dBackward')).length).toBeGreaterThan(0);
    p.destroy();
  });

  it("'rules' (the default) measures nothing; bad tuning options are a PoolingError", async () => {
    const p = await createPooling({ backend: 'webgpu', nodeAdapter: await namedTestAdapter() });
    expect(p.tuning.mode).toBe('rules');
    await runAll(p);
    expect(p.tuning.decisions()).toEqual([]);
    p.destroy();
    for (const [tuning, message] of [
      ['fast', /invalid tuning = "fast": must be 'rules', 'measure' or an object/],
      [{ mode: 'always' }, /invalid tuning.mode = "always"/],
      [{ store: {} }, /invalid tuning.store = .*get\(\) and set\(json\)/],
      [{ budgetMs: -1 }, /invalid tuning.budgetMs = -1/],
      [{ rounds: 3 }, /rounds/],
    ] as const) {
      await expect(createPooling({ backend: 'webgpu', nodeAdapter: await namedTestAdapter(), tuning: tuning as never })).rejects.toThrow(PoolingError);
      await expect(createPooling({ backend: 'webgpu', nodeAdapter: await namedTestAdapter(), tuning: tuning as never })).rejects.toThrow(message);
    }
  });
});
