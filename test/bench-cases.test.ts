/**
 * The benchmark's case list against spec/BENCH.md (names, shapes, windows, ops, quick mode), and
 * the runner's JSON lines against BENCH.md's keys, on one tiny case run for real.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BENCH_CASES, quickCase, selectCases, shapeLabel, type BenchCase } from '../bench/cases.js';
import { failedSlot } from '../bench/peers/peer.js';
import { COPY_KEYS, copyJson, ROW_KEYS, rowJson } from '../bench/rows.js';
import { runBench } from '../bench/runner.js';
import type { RunPlan } from '../bench/timing.js';
import { createPooling } from '../src/index.js';

/** BENCH.md's case table, transcribed: name, ops (m: max, a: avg, gm/ga: global), passes, N×C×H×W, k/s/p. */
const EXPECTED = [
  ['r50stem_b32', 'max,avg', 'fwd+bwd', [32, 64, 112, 112], [3, 2, 1]],
  ['r50stem_b8', 'max,avg', 'fwd+bwd', [8, 64, 112, 112], [3, 2, 1]],
  ['r50stem_b1', 'max', 'fwd', [1, 64, 112, 112], [3, 2, 1]],
  ['vgg_b16', 'max,avg', 'fwd+bwd', [16, 64, 224, 224], [2, 2, 0]],
  ['incep_b32', 'max,avg', 'fwd+bwd', [32, 192, 28, 28], [3, 1, 1]],
  ['gpool_r50_b32', 'gmax,gavg', 'fwd+bwd', [32, 2048, 7, 7], null],
  ['gpool_b8', 'gmax,gavg', 'fwd+bwd', [8, 256, 56, 56], null],
  ['gpool_big', 'gmax,gavg', 'fwd+bwd', [1, 64, 512, 512], null],
] as const;

const OP = { max: 'maxPool2d', avg: 'avgPool2d', gmax: 'globalMaxPool', gavg: 'globalAvgPool' } as const;

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

describe('bench/cases.ts matches BENCH.md', () => {
  it('has the eight cases, in order', () => {
    expect(BENCH_CASES.map((c) => c.id)).toEqual(EXPECTED.map((e) => e[0]));
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
    expect(rows.map((r) => r[1])).toEqual(BENCH_CASES.map((c) => c.id));
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
  });
});

describe('runner JSON lines have exactly BENCH.md’s keys', () => {
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
});
