/**
 * The benchmark's case list against spec/BENCH.md (names, shapes, windows, ops, quick mode) and the
 * issue's 1-D and 3-D cases, and the runner's JSON lines against BENCH.md's keys, on tiny cases run
 * for real: 2-D, 1-D and 3-D, on our WebGPU and CPU backends, and the 1-D / 3-D ones on TF.js;
 * and float16: tiny cases in both dtypes through the runner, checked against the reference rounded
 * to half once, with 2-byte values in the byte count and no peer rows.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCH_CASES, quickCase, selectCases, shapeLabel, SPEC_CASE_IDS, spatialRank, tensorLayout, windowedOp, type BenchCase } from '../bench/cases.js';
import { installNavigatorGpu } from '../bench/peers/node-navigator.js';
import { failedSlot } from '../bench/peers/peer.js';
import { createTfjsPeer, tfjsKernelName, tfjsSupports, TFJS_LAYOUT } from '../bench/peers/tfjs.js';
import { COPY_KEYS, copyJson, ROW_KEYS, rowJson, RUN_KEYS } from '../bench/rows.js';
import { compareValues, ruleFor } from '../bench/compare.js';
import { runBench } from '../bench/runner.js';
import { formatTable, halfRatios } from '../bench/table.js';
import type { RunPlan } from '../bench/timing.js';
import { roundToHalves, widenHalfBits, Workload } from '../bench/workload.js';
import { narrowToHalves, widenHalves } from '../src/half.js';
import { findNodeAdapter } from '../src/host/node-gpu.js';
import { createPooling } from '../src/index.js';
import { testAdapterKind } from './helpers/gpu.js';

/** BENCH.md's case table, transcribed: name, ops (m: max, a: avg, gm/ga: global), passes, N×C×H×W, k/s/p. */
const SPEC_EXPECTED = [
  ['r50stem_b32', 'max,avg', 'fwd+bwd', [32, 64, 112, 112], [3, 2, 1]],
  ['r50stem_b8', 'max,avg', 'fwd+bwd', [8, 64, 112, 112], [3, 2, 1]],
  ['r50stem_b1', 'max', 'fwd', [1, 64, 112, 112], [3, 2, 1]],
  ['vgg_b16', 'max,avg', 'fwd+bwd', [16, 64, 224, 224], [2, 2, 0]],
  ['incep_b32', 'max,avg', 'fwd+bwd', [32, 192, 28, 28], [3, 1, 1]],
  ['gpool_r50_b32', 'gmax,gavg', 'fwd+bwd', [32, 2048, 7, 7], null],
  ['gpool_b8', 'gmax,gavg', 'fwd+bwd', [8, 256, 56, 56], null],
  ['gpool_big', 'gmax,gavg', 'fwd+bwd', [1, 64, 512, 512], null],
] as const;

/** The 1-D (audio) and 3-D (video) cases, after BENCH.md's: one op each, forward and backward. */
const ND_EXPECTED = [
  ['max_pool1d_8x64x16000_k3_s3', 'max1', 'fwd+bwd', [8, 64, 16000], [3, 3, 0]],
  ['avg_pool1d_8x64x16000_k3_s3', 'avg1', 'fwd+bwd', [8, 64, 16000], [3, 3, 0]],
  ['max_pool3d_4x64x16x56x56_k3_s2', 'max3', 'fwd+bwd', [4, 64, 16, 56, 56], [3, 2, 1]],
  ['avg_pool3d_4x64x16x56x56_k3_s2', 'avg3', 'fwd+bwd', [4, 64, 16, 56, 56], [3, 2, 1]],
  ['max_pool3d_8x32x8x28x28_k2_s2', 'max3', 'fwd+bwd', [8, 32, 8, 28, 28], [2, 2, 0]],
  ['avg_pool3d_8x32x8x28x28_k2_s2', 'avg3', 'fwd+bwd', [8, 32, 8, 28, 28], [2, 2, 0]],
] as const;

const EXPECTED = [...SPEC_EXPECTED, ...ND_EXPECTED];

const OP = { max: 'maxPool2d', avg: 'avgPool2d', gmax: 'globalMaxPool', gavg: 'globalAvgPool', max1: 'maxPool1d', avg1: 'avgPool1d', max3: 'maxPool3d', avg3: 'avgPool3d' } as const;

/**
 * The spec itself when the project's shared folder is beside the checkout, else the copy kept in
 * test/fixtures (refresh it when the spec changes), so these checks always run.
 */
const SHARED_SPEC = new URL('../../shared/spec/BENCH.md', import.meta.url);
const SPEC = existsSync(SHARED_SPEC) ? SHARED_SPEC : new URL('./fixtures/BENCH.md', import.meta.url);
const spec = readFileSync(SPEC, 'utf8');

function opsOf(c: BenchCase): string[] {
  return c.ops.map((o) => `${o.op}:${o.passes.join('+')}`);
}

describe('bench/cases.ts matches BENCH.md and the issue', () => {
  it("has BENCH.md's eight cases, then the six 1-D and 3-D cases, in order", () => {
    expect(BENCH_CASES.map((c) => c.id)).toEqual(EXPECTED.map((e) => e[0]));
    expect(SPEC_CASE_IDS).toEqual(SPEC_EXPECTED.map((e) => e[0]));
  });

  it.each(EXPECTED)('%s: ops %s (%s), input %j, window %j', (id, ops, passes, input, window) => {
    const c = BENCH_CASES.find((x) => x.id === id)!;
    expect(c.input).toEqual(input);
    expect(c.window ? [c.window.kernel, c.window.stride, c.window.pad] : null).toEqual(window);
    const passList = passes === 'fwd' ? 'forward' : 'forward+backward';
    expect(opsOf(c)).toEqual(ops.split(',').map((o) => `${OP[o as keyof typeof OP]}:${passList}`));
  });

  it('agrees with the case table in BENCH.md', () => {
    const rows = [...spec.matchAll(/^\| (\w+) \| ([^|]+) \| (\d+)×(\d+)×(\d+)×(\d+) \| ([^|]+) \|$/gm)];
    expect(rows.map((r) => r[1])).toEqual(BENCH_CASES.filter((c) => SPEC_CASE_IDS.includes(c.id)).map((c) => c.id));
    for (const r of rows) {
      const c = BENCH_CASES.find((x) => x.id === r[1])!;
      expect(c.input, r[1]).toEqual([r[3], r[4], r[5], r[6]].map(Number));
      const window = r[7]!.trim();
      expect(c.window ? `${c.window.kernel} / ${c.window.stride} / ${c.window.pad}` : '—', r[1]).toBe(window);
      expect(c.ops.some((o) => o.passes.includes('backward')), r[1]).toBe(r[2]!.includes('bwd'));
    }
  });

  it('quick mode shrinks every batch to 1 and keeps names, planes, windows and ops', () => {
    const quick = selectCases({ quick: true });
    expect(quick.map((c) => c.id)).toEqual(BENCH_CASES.map((c) => c.id));
    quick.forEach((q, i) => {
      const full = BENCH_CASES[i]!;
      expect(q.input).toEqual([1, ...full.input.slice(1)]);
      expect(q.window).toEqual(full.window);
      expect(q.ops).toEqual(full.ops);
      expect(quickCase(full)).toEqual(q);
    });
  });

  it('selects by name and op, and rejects unknown ones', () => {
    expect(selectCases({ ids: ['vgg_b16'], ops: ['avgPool2d'] }).map((c) => [c.id, opsOf(c)])).toEqual([['vgg_b16', ['avgPool2d:forward+backward']]]);
    expect(selectCases({ ops: ['globalAvgPool'] }).map((c) => c.id)).toEqual(['gpool_r50_b32', 'gpool_b8', 'gpool_big']);
    expect(() => selectCases({ ids: ['nope'] })).toThrow(/unknown case 'nope'/);
  });

  it('names shapes as Burn names its pool benches', () => {
    expect(shapeLabel(BENCH_CASES[0]!)).toBe('32x64x112x112_k3_s2_p1');
    expect(shapeLabel(BENCH_CASES[7]!)).toBe('1x64x512x512_global');
    expect(shapeLabel(BENCH_CASES.find((c) => c.id === 'max_pool3d_4x64x16x56x56_k3_s2')!)).toBe('4x64x16x56x56_k3_s2_p1');
  });

  it('names each 1-D / 3-D case op_pool{rank}d_shape_kK_sS, by its one op, input and window', () => {
    for (const c of BENCH_CASES.filter((x) => !SPEC_CASE_IDS.includes(x.id))) {
      expect(c.ops, c.id).toHaveLength(1);
      const w = windowedOp(c.ops[0]!.op)!;
      expect(w.rank, c.id).toBe(spatialRank(c));
      expect(c.id).toBe(`${w.reduction}_pool${w.rank}d_${c.input.join('x')}_k${c.window!.kernel}_s${c.window!.stride}`);
    }
  });

  it('quick mode keeps the 1-D and 3-D shapes, batch 1', () => {
    expect(selectCases({ quick: true, ids: ['max_pool1d_8x64x16000_k3_s3', 'avg_pool3d_4x64x16x56x56_k3_s2'] }).map((c) => c.input)).toEqual([
      [1, 64, 16000],
      [1, 64, 16, 56, 56],
    ]);
    expect(selectCases({ ops: ['maxPool3d'] }).map((c) => c.id)).toEqual(['max_pool3d_4x64x16x56x56_k3_s2', 'max_pool3d_8x32x8x28x28_k2_s2']);
  });

  it('names the memory orders of every rank by the 4-D layout family', () => {
    expect([3, 4, 5].map((r) => [tensorLayout('NCHW', r), tensorLayout('NHWC', r)])).toEqual([
      ['NCL', 'NLC'],
      ['NCHW', 'NHWC'],
      ['NCDHW', 'NDHWC'],
    ]);
  });

  it('runs TF.js on its WebGPU kernels for every 1-D and 3-D op, both passes', () => {
    for (const op of ['maxPool1d', 'avgPool1d', 'maxPool3d', 'avgPool3d'] as const) {
      for (const pass of ['forward', 'backward'] as const) expect(tfjsSupports(op, pass), `${op} ${pass}`).toBe(true);
    }
    expect(['maxPool3d', 'avgPool3d'].flatMap((op) => ['forward', 'backward'].map((pass) => tfjsKernelName(op as 'maxPool3d', pass as 'forward')))).toEqual(['MaxPool3D', 'MaxPool3DGrad', 'AvgPool3D', 'AvgPool3DGrad']);
    expect(tfjsKernelName('maxPool1d', 'backward')).toBe('MaxPoolGrad');
  });
});

describe('runner JSON lines have exactly BENCH.md’s keys', () => {
  it("the CLI's rows add what ran after the format's keys: input shape, batch and quick", () => {
    const row = { case: 'r50stem_b32', op: 'maxPool2d', pass: 'forward', impl: 'ours', layout: 'NCHW', dtype: 'float32', adapter: 'a', kernel_ms: 1, e2e_ms: 2, GBps: 3, pct_copy: 4, max_abs_err: 0, ok: true } as const;
    const line = JSON.parse(rowJson(row, { input: [1, 64, 112, 112], quick: true }));
    expect(Object.keys(line)).toEqual([...ROW_KEYS, ...RUN_KEYS]);
    expect(line).toMatchObject({ case: 'r50stem_b32', input: [1, 64, 112, 112], batch: 1, quick: true });
    expect(Object.keys(JSON.parse(rowJson(row)))).toEqual([...ROW_KEYS]);
  });

  it("`npm run bench -- --help` and `--version` answer without setting up or building anything", () => {
    // No bash, apt-get or npx on PATH: the launcher would fail if it tried to set up or build.
    const env = { ...process.env, PATH: dirname(process.execPath) };
    const help = execFileSync(process.execPath, ['scripts/bench.mjs', '--help'], { encoding: 'utf8', env });
    expect(help).toMatch(/^usage: npm run bench -- \[options\]/);
    expect(help).toMatch(/--wide/);
    expect(execFileSync(process.execPath, ['scripts/bench.mjs', '--version'], { encoding: 'utf8', env }).trim()).toMatch(/^webgpu-pooling \d+\.\d+\.\d+$/);
  });

  it('ROW_KEYS and COPY_KEYS are the ones BENCH.md lists', () => {
    // e.g. `{"case","op","pass":"forward|backward",...}`: the key is what precedes any ':'.
    const keys = (list: string) => list.split(',').map((k) => k.split(':')[0]!.replace(/"/g, '').trim());
    expect(keys(/`\{("case","op",[^`]*)\}`/.exec(spec)![1]!)).toEqual([...ROW_KEYS]);
    expect(keys(/`\{("case":"copy",[^`]*)\}`/.exec(spec)![1]!)).toEqual([...COPY_KEYS]);
  });

  it('on a tiny case (1x2x5x5, k3 s2 p1), every op and pass, both layouts, GPU, CPU, reference and a failed peer', async () => {
    const tiny: BenchCase = {
      id: 'tiny',
      input: [1, 2, 5, 5],
      window: { kernel: 3, stride: 2, pad: 1 },
      ops: [
        { op: 'maxPool2d', passes: ['forward', 'backward'] },
        { op: 'avgPool2d', passes: ['forward', 'backward'] },
        { op: 'globalMaxPool', passes: ['forward', 'backward'] },
        { op: 'globalAvgPool', passes: ['forward', 'backward'] },
      ],
      note: 'test',
    };
    const plan: RunPlan = { warmup: 0, minRuns: 1, maxRuns: 2, budgetMs: 0, e2eRuns: 1 };
    const gpu = await createPooling({ backend: 'webgpu' });
    const cpu = await createPooling({ backend: 'cpu' });
    try {
      const report = await runBench({
        cases: [tiny],
        layouts: ['NCHW', 'NHWC'],
        quick: true,
        gpu,
        cpu,
        cpuReference: true,
        peers: [failedSlot('tfjs-webgpu', 'NHWC', (_op, pass) => pass === 'forward', new Error('not set up in this test'))],
        gpuPlan: plan,
        cpuPlan: plan,
        cpuName: 'test cpu',
        copyBytes: 1 << 16,
      });
      const lines = report.measurements.map((m) => JSON.parse(rowJson(m.row)) as Record<string, unknown>);
      // 4 ops × 2 passes × 2 layouts × (ours, ours-cpu, cpu-reference) + 4 failed TF.js forward rows.
      expect(lines).toHaveLength(4 * 2 * 2 * 3 + 4);
      for (const line of lines) expect(Object.keys(line)).toEqual([...ROW_KEYS]);
      const ours = lines.filter((l) => l.impl === 'ours');
      for (const l of ours) {
        expect(l, `${l.op} ${l.pass} ${l.layout}`).toMatchObject({ ok: true, dtype: 'float32', case: 'tiny' });
        expect(typeof l.kernel_ms).toBe('number');
        expect(typeof l.e2e_ms).toBe('number');
        expect(typeof l.GBps).toBe('number');
        expect(typeof l.pct_copy).toBe('number');
        expect(l.max_abs_err).toBeLessThan(1e-5);
      }
      expect(new Set(ours.map((l) => `${l.op}/${l.pass}/${l.layout}`)).size).toBe(16);
      for (const l of lines.filter((x) => x.impl === 'tfjs-webgpu')) expect(l).toMatchObject({ ok: false, kernel_ms: null, layout: 'NHWC', pass: 'forward' });
      expect(report.ourFailures).toEqual([]);

      const copy = JSON.parse(copyJson(report.copy!.row)) as Record<string, unknown>;
      expect(Object.keys(copy)).toEqual([...COPY_KEYS]);
      expect(copy).toMatchObject({ case: 'copy', impl: 'ours' });
      expect(copy.GBps).toBeGreaterThan(0);
    } finally {
      gpu.destroy();
      cpu.destroy();
    }
  });

  it('on tiny 1-D (1x2x9, k3 s2 p1) and 3-D (1x2x3x5x5, k3 s2 p1) cases, every pass, both layouts, each backward form', async () => {
    const window = { kernel: 3, stride: 2, pad: 1 };
    const tinyNd: BenchCase[] = [
      { id: 'tiny1d', input: [1, 2, 9], window, ops: [{ op: 'maxPool1d', passes: ['forward', 'backward'] }, { op: 'avgPool1d', passes: ['forward', 'backward'] }], note: 'test' },
      { id: 'tiny3d', input: [1, 2, 3, 5, 5], window, ops: [{ op: 'maxPool3d', passes: ['forward', 'backward'] }, { op: 'avgPool3d', passes: ['forward', 'backward'] }], note: 'test' },
    ];
    const plan: RunPlan = { warmup: 0, minRuns: 1, maxRuns: 1, budgetMs: 0, e2eRuns: 1 };
    const gpu = await createPooling({ backend: 'webgpu' });
    const cpu = await createPooling({ backend: 'cpu' });
    try {
      for (const backward of ['auto', 'scatter', 'gather'] as const) {
        const report = await runBench({ cases: tinyNd, layouts: ['NCHW', 'NHWC'], quick: true, gpu, cpu, cpuReference: true, backward, peers: [], gpuPlan: plan, cpuPlan: plan, cpuName: 'test cpu', copyBytes: 1 << 16 });
        const lines = report.measurements.map((m) => JSON.parse(rowJson(m.row)) as Record<string, unknown>);
        // 2 cases × 2 ops × 2 passes × 2 layouts × (ours, ours-cpu, cpu-reference).
        expect(lines, backward).toHaveLength(2 * 2 * 2 * 2 * 3);
        expect(report.ourFailures.map((m) => `${m.row.case} ${m.row.op} ${m.row.pass} ${m.row.layout}: ${m.note}`), backward).toEqual([]);
        const ours = lines.filter((l) => l.impl === 'ours');
        expect(new Set(ours.map((l) => `${l.op}/${l.layout}`))).toEqual(
          new Set(['maxPool1d/NCL', 'maxPool1d/NLC', 'avgPool1d/NCL', 'avgPool1d/NLC', 'maxPool3d/NCDHW', 'maxPool3d/NDHWC', 'avgPool3d/NCDHW', 'avgPool3d/NDHWC']),
        );
        for (const l of ours) {
          expect(Object.keys(l)).toEqual([...ROW_KEYS]);
          expect(typeof l.kernel_ms).toBe('number');
          expect(typeof l.pct_copy).toBe('number');
        }
      }
    } finally {
      gpu.destroy();
      cpu.destroy();
    }
  });

  it('TF.js WebGPU runs the tiny 1-D and 3-D cases on the GPU, right where its kernels are (not its AvgPool3DGrad at padded edges)', async () => {
    const found = await findNodeAdapter(testAdapterKind());
    if (!found) throw new Error('no WebGPU adapter for TF.js');
    installNavigatorGpu(found.kind);
    const peer = await createTfjsPeer('test adapter');
    const window = { kernel: 3, stride: 2, pad: 1 };
    const cases: BenchCase[] = [
      { id: 'tiny1d', input: [1, 4, 9], window: { kernel: 3, stride: 3, pad: 0 }, ops: [{ op: 'maxPool1d', passes: ['forward', 'backward'] }, { op: 'avgPool1d', passes: ['forward', 'backward'] }], note: 'test' },
      { id: 'tiny3d', input: [1, 4, 3, 5, 5], window, ops: [{ op: 'maxPool3d', passes: ['forward', 'backward'] }, { op: 'avgPool3d', passes: ['forward', 'backward'] }], note: 'test' },
    ];
    const plan: RunPlan = { warmup: 0, minRuns: 1, maxRuns: 1, budgetMs: 0, e2eRuns: 1 };
    try {
      const report = await runBench({ cases, layouts: ['NHWC'], quick: true, cpuReference: false, peers: [{ impl: 'tfjs-webgpu', layout: TFJS_LAYOUT, supports: tfjsSupports, peer }], gpuPlan: plan, cpuPlan: plan, cpuName: 'test cpu' });
      const rows = report.measurements.filter((m) => m.row.impl === 'tfjs-webgpu');
      expect(rows).toHaveLength(8);
      for (const m of rows) {
        const what = `${m.row.op} ${m.row.pass} ${m.row.layout}: ${m.note ?? ''}`;
        expect(m.timing, what).toBe('wall');
        expect(m.note ?? '', what).not.toMatch(/on the CPU/);
        expect(m.row.layout, what).toBe(m.row.op.endsWith('1d') ? 'NLC' : 'NDHWC');
        if (m.row.op === 'avgPool3d' && m.row.pass === 'backward') {
          expect(m.row.ok, what).toBe(false);
          expect(m.note, what).toMatch(/AvgPool3DGrad divides by k³/);
        } else {
          expect(m.row.ok, what).toBe(true);
        }
        if (m.row.op.endsWith('1d')) expect(m.note, what).toMatch(/1-D form/);
      }
    } finally {
      await peer.dispose();
    }
  });
});

describe('float16 rows', () => {
  it("the bench's fast half rounding and widening agree with src/half.ts bit for bit (edges and random f32 bits)", () => {
    const edges = [0, -0, 1, -1, 65504, 65519.99, 65520, 65536, 1e9, Infinity, -Infinity, NaN, 2 ** -14, 2 ** -24, 2 ** -25, 2 ** -25 * 1.0001, 2 ** -26, 3 * 2 ** -25, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 2047.5, 1e-40, -1e-45];
    const bits = new Uint32Array(200_000 + edges.length);
    new Float32Array(bits.buffer, 0, edges.length).set(edges);
    let a = 12345;
    for (let i = edges.length; i < bits.length; i++) {
      a = (Math.imul(a, 1103515245) + 12345) >>> 0;
      bits[i] = (a ^ (a << 7)) >>> 0;
    }
    // NaNs with payloads, one that vanishes below the half's 10 bits.
    bits[edges.length] = 0x7fc00001;
    bits[edges.length + 1] = 0xff812345;
    const values = new Float32Array(bits.buffer);
    expect(roundToHalves(values)).toEqual(narrowToHalves(values));
    const halves = new Uint16Array(65536).map((_, i) => i);
    expect(new Uint32Array(widenHalfBits(halves).buffer)).toEqual(new Uint32Array(widenHalves(halves).buffer));
  });

  it('count 2 bytes a float16 value and 4 an index', () => {
    const c: BenchCase = { id: 't', input: [1, 2, 6, 6], window: { kernel: 2, stride: 2, pad: 0 }, ops: [{ op: 'maxPool2d', passes: ['forward', 'backward'] }], note: 'test' };
    const f32 = new Workload(c, 'maxPool2d', 'NCHW');
    const f16 = new Workload(c, 'maxPool2d', 'NCHW', undefined, 'float16');
    const x = 72;
    const y = 18;
    expect([f32.bytesMoved('forward'), f32.bytesMoved('backward')]).toEqual([(x + y) * 4, y * 4 + y * 4 + x * 4]);
    expect([f16.bytesMoved('forward'), f16.bytesMoved('backward')]).toEqual([(x + y) * 2, y * 2 + y * 4 + x * 2]);
    // The float16 input is the float32 one rounded to halves, and what tensor() uploads.
    expect(f16.x).toEqual(widenHalves(narrowToHalves(f32.x)));
    expect(widenHalves(f16.xHalves!)).toEqual(f16.x);
    const avg = new Workload({ ...c, ops: [{ op: 'avgPool2d', passes: ['forward'] }] }, 'avgPool2d', 'NHWC', undefined, 'float16');
    // The reference's sums are rounded to half once.
    const want = avg.referenceForward().output;
    expect(widenHalves(narrowToHalves(want))).toEqual(want);
  });

  it('compare float16 sums within rtol 1e-3 atol 1e-3 and max bit for bit', () => {
    const sum = ruleFor('avgPool2d', 'forward', { kernel: 3, stride: 2 }, 25, 'float16');
    expect(compareValues(new Float32Array([1.001, 0.0009]), new Float32Array([1, 0]), sum).ok).toBe(true);
    expect(compareValues(new Float32Array([1.003]), new Float32Array([1]), sum).ok).toBe(false);
    expect(compareValues(new Float32Array([1 + 2 ** -10]), new Float32Array([1]), ruleFor('maxPool2d', 'forward', { kernel: 3, stride: 2 }, 25, 'float16')).ok).toBe(false);
    // float32's rule is unchanged.
    expect(compareValues(new Float32Array([1.001]), new Float32Array([1]), ruleFor('avgPool2d', 'forward', { kernel: 3, stride: 2 }, 25)).ok).toBe(false);
  });

  it('on tiny 2-D, global, 1-D and 3-D cases in float32 and float16: every float16 result of ours checked, no peer rows, a f16/f32 ratio per row', async () => {
    const window = { kernel: 3, stride: 2, pad: 1 };
    const cases: BenchCase[] = [
      {
        id: 'tiny',
        input: [1, 3, 7, 5],
        window,
        ops: [
          { op: 'maxPool2d', passes: ['forward', 'backward'] },
          { op: 'avgPool2d', passes: ['forward', 'backward'] },
        ],
        note: 'test',
      },
      { id: 'tinyg', input: [1, 3, 7, 5], ops: [{ op: 'globalMaxPool', passes: ['forward', 'backward'] }, { op: 'globalAvgPool', passes: ['forward', 'backward'] }], note: 'test' },
      { id: 'tiny1d', input: [1, 2, 9], window, ops: [{ op: 'maxPool1d', passes: ['forward', 'backward'] }], note: 'test' },
      { id: 'tiny3d', input: [1, 2, 3, 5, 5], window, ops: [{ op: 'avgPool3d', passes: ['forward', 'backward'] }], note: 'test' },
    ];
    const plan: RunPlan = { warmup: 0, minRuns: 1, maxRuns: 1, budgetMs: 0, e2eRuns: 1 };
    const gpu = await createPooling({ backend: 'webgpu' });
    const cpu = await createPooling({ backend: 'cpu' });
    try {
      const report = await runBench({
        cases,
        layouts: ['NCHW', 'NHWC'],
        dtypes: ['float32', 'float16'],
        quick: true,
        gpu,
        cpu,
        cpuReference: true,
        peers: [failedSlot('tfjs-webgpu', 'NHWC', () => true, new Error('not set up in this test'))],
        gpuPlan: plan,
        cpuPlan: plan,
        cpuName: 'test cpu',
        copyBytes: 1 << 16,
      });
      expect(report.ourFailures.map((m) => `${m.row.impl} ${m.row.case} ${m.row.op} ${m.row.pass} ${m.row.layout} ${m.row.dtype}: ${m.note}`)).toEqual([]);
      const lines = report.measurements.map((m) => JSON.parse(rowJson(m.row)) as Record<string, unknown>);
      for (const line of lines) expect(Object.keys(line)).toEqual([...ROW_KEYS]);
      const units = 2 * 2 + 2 * 2 + 2 + 2; // (op, pass) pairs over the four cases
      const half = lines.filter((l) => l.dtype === 'float16');
      // Per dtype and layout: ours, ours-cpu, cpu-reference; the failed TF.js slot only in float32 NHWC.
      expect(half).toHaveLength(units * 2 * 3);
      expect(lines.filter((l) => l.dtype === 'float32')).toHaveLength(units * 2 * 3 + units);
      expect(half.some((l) => l.impl === 'tfjs-webgpu')).toBe(false);
      for (const l of half.filter((x) => x.impl === 'ours' || x.impl === 'ours-cpu')) {
        const what = `${l.impl} ${l.case} ${l.op} ${l.pass} ${l.layout}`;
        expect(l.ok, what).toBe(true);
        expect(l.max_abs_err as number, what).toBeLessThanOrEqual(1e-3);
        if (l.impl === 'ours') expect(typeof l.pct_copy, what).toBe('number');
      }
      // Max forward (values and indices) is bit-exact in float16 too.
      for (const m of report.measurements.filter((x) => x.row.dtype === 'float16' && x.row.impl === 'ours' && x.row.pass === 'forward' && /max/i.test(x.row.op))) expect(m.row.max_abs_err).toBe(0);
      // GB/s counts 2 bytes a value: the same op moves half the bytes (max backward: plus 4-byte indices).
      const ours = report.measurements.filter((m) => m.row.impl === 'ours');
      const f32 = ours.find((m) => m.row.case === 'tiny' && m.row.op === 'avgPool2d' && m.row.pass === 'forward' && m.row.layout === 'NCHW' && m.row.dtype === 'float32')!.row;
      const f16 = ours.find((m) => m.row.case === 'tiny' && m.row.op === 'avgPool2d' && m.row.pass === 'forward' && m.row.layout === 'NCHW' && m.row.dtype === 'float16')!.row;
      expect((f16.GBps! * f16.kernel_ms!) / (f32.GBps! * f32.kernel_ms!)).toBeCloseTo(0.5, 6);

      expect(halfRatios(report.measurements, 'ours').size).toBe(units * 2);
      const table = formatTable(report, { quick: true, adapterKind: 'test', wide: true });
      expect(table).toMatch(/ f16\/f32 /);
      expect(table).toMatch(/no f16/);
      expect(table).toMatch(/float16 \/ float32 kernel time, ours .*: all \d/);
      // The default table: each row within about 120 columns, dtype in the op column.
      const narrow = formatTable(report, { quick: true, adapterKind: 'test' });
      const rows = narrow.split('\n').filter((l) => / (fwd|bwd)( f16)? /.test(l));
      expect(rows.some((l) => / fwd f16 /.test(l))).toBe(true);
      for (const l of rows) expect(l.length, l).toBeLessThanOrEqual(125);
      expect(narrow).toMatch(/float16 \/ float32 kernel time, ours .*: all \d/);
    } finally {
      gpu.destroy();
      cpu.destroy();
    }
  });
});

describe('the benchmark CLI', () => {
  it('--json: stdout only JSON lines that say what ran; progress on stderr as plain lines with elapsed time', () => {
    const out = 'node_modules/.cache/bench-cli-test';
    execFileSync(process.execPath, ['scripts/build-bench.mjs', '--outdir', out], { stdio: 'pipe' });
    const args = ['--quick', '--cases', 'r50stem_b8', '--ops', 'maxPool2d', '--layouts', 'NCHW', '--dtypes', 'float32', '--peers', 'none', '--no-cpu', '--no-family', '--adapter', testAdapterKind(), '--json'];
    const errFile = `${out}/stderr.txt`;
    const stdout = execFileSync('bash', ['-c', `node --liftoff-only ${out}/bench.mjs ${args.join(' ')} 2>${errFile}`], { encoding: 'utf8' });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const rows = lines.filter((l) => l.case === 'r50stem_b8');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r).toMatchObject({ input: [1, 64, 112, 112], batch: 1, quick: true });
    const stderr = readFileSync(errFile, 'utf8');
    expect(stderr).toMatch(/^bench: 1 case × ops × layouts × dtypes 0\/\d+, \d+ s: r50stem_b8 maxPool2d NCHW$/m);
    expect(stderr).toMatch(/^bench: 1 case × ops × layouts × dtypes (\d+)\/\1, \d+ s: done$/m);
    // The table goes to stderr with --json, its case named with the batch that ran.
    expect(stderr).toMatch(/^r50stem_b8 \(b1\) +maxPool2d fwd +NCHW /m);
  }, 180_000);
});
