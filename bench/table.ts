/**
 * The report for people: one line per (case, op, pass, layout, dtype) with our time, bandwidth and
 * check, each peer's time and how many times faster we are (float16 rows: no peer, "no f16"), our
 * float16 time over our float32 time of the same run, then geometric means and every failure and
 * known fault. Environment-agnostic (returns text).
 */
import { BENCH_CASES } from './cases.js';
import { isLatencyCase, type BenchReport } from './runner.js';
import type { Impl, Measurement } from './rows.js';

const COLUMNS: readonly { impl: Impl; label: string }[] = [
  { impl: 'ours-tuned', label: 'tuned' },
  { impl: 'tfjs-webgpu', label: 'tfjs' },
  { impl: 'ort-webgpu', label: 'ort-gpu' },
  { impl: 'ort-wasm', label: 'ort-wasm' },
  { impl: 'ours-cpu', label: 'ours-cpu' },
  { impl: 'cpu-reference', label: 'cpu-ref' },
];

function ms(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(2);
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

/**
 * How many times faster ours is than a peer, like for like: a wall-timed peer is compared with our
 * wall time of the same runs, a GPU-timed one with our kernel time.
 */
export function speedup(ours: Measurement, peer: Measurement): number | undefined {
  if (ours.row.kernel_ms === null || peer.row.kernel_ms === null) return undefined;
  const mine = peer.timing === 'wall' || peer.timing === 'cpu' ? (ours.wall_ms ?? ours.row.kernel_ms) : ours.row.kernel_ms;
  return mine > 0 ? peer.row.kernel_ms / mine : undefined;
}

export function geomean(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  return Math.exp(values.reduce((a, v) => a + Math.log(v), 0) / values.length);
}

const TIMING_MARK: Record<string, string> = { 'gpu-timestamp': '', wall: 'ʷ', cpu: 'ᶜ', failed: '' };

/**
 * The latency cases (r50stem_b1) in words: our end-to-end time, which is what a batch-1 caller
 * waits, beside one empty submission's round trip (BENCHMARKS.md target 4: within 2× of it).
 */
function latencyLines(report: BenchReport, oursImpl: Impl): string[] {
  const ids = new Set(BENCH_CASES.filter(isLatencyCase).map((c) => c.id));
  const rows = report.measurements.filter((m) => m.row.impl === oursImpl && ids.has(m.row.case) && m.row.e2e_ms !== null);
  if (rows.length === 0) return [];
  const rt = report.roundTrip;
  const lines = ['', 'batch-1 latency (e2e: tensor() upload, op call, kernel, read() of the result on the CPU; median of the e2e runs):'];
  for (const m of rows) {
    const r = m.row;
    const versus = rt && oursImpl === 'ours' ? ` = ${(r.e2e_ms! / rt.ms).toFixed(1)}× one empty submission round trip (${ms(rt.ms)} ms; BENCHMARKS.md target: within 2×)` : '';
    const kernel = r.kernel_ms !== null ? ` (kernel ${ms(r.kernel_ms)} ms)` : '';
    lines.push(`  ${r.case} ${r.op} ${r.pass} ${r.layout}${r.dtype === 'float16' ? ' float16' : ''}: ${ms(r.e2e_ms)} ms${kernel}${versus}`);
  }
  return lines;
}

/** A row's (case, op, pass, layout), the key its float32 and float16 rows share. */
function halfKey(r: Measurement['row']): string {
  return `${r.case}|${r.op}|${r.pass}|${r.layout}`;
}

/**
 * Our float16 kernel time over our float32 kernel time of the same (case, op, pass, layout) in the
 * same run, where both ran and were timed the same way; keyed by halfKey.
 */
export function halfRatios(measurements: readonly Measurement[], oursImpl: Impl): Map<string, number> {
  const f32 = new Map<string, Measurement>();
  for (const m of measurements) if (m.row.impl === oursImpl && m.row.dtype === 'float32') f32.set(halfKey(m.row), m);
  const out = new Map<string, number>();
  for (const m of measurements) {
    if (m.row.impl !== oursImpl || m.row.dtype !== 'float16') continue;
    const base = f32.get(halfKey(m.row));
    if (!base || base.timing !== m.timing || !base.row.kernel_ms || m.row.kernel_ms === null) continue;
    out.set(halfKey(m.row), m.row.kernel_ms / base.row.kernel_ms);
  }
  return out;
}

function halfSummary(measurements: readonly Measurement[], oursImpl: Impl, ratios: Map<string, number>): string[] {
  if (ratios.size === 0) return [];
  const rows = measurements.filter((m) => m.row.impl === oursImpl && m.row.dtype === 'float16' && ratios.has(halfKey(m.row)));
  const of = (pass: string) => rows.filter((m) => m.row.pass === pass).map((m) => ratios.get(halfKey(m.row))!);
  const parts = (['forward', 'backward'] as const).map((pass) => {
    const v = of(pass);
    const g = geomean(v);
    return g === undefined ? '' : `${pass} ${g.toFixed(2)} (${v.length}, ${Math.min(...v).toFixed(2)}–${Math.max(...v).toFixed(2)})`;
  });
  const all = geomean([...ratios.values()])!;
  return ['', `float16 / float32 kernel time, ours (geometric mean, rows, range; < 1: float16 faster): all ${all.toFixed(2)} (${ratios.size}); ${parts.filter(Boolean).join('; ')}`];
}

export interface TableContext {
  quick: boolean;
  adapterKind: string;
  elapsedMs?: number;
  /** Every column (peer times, GB/s, e2e, f16/f32); else about 120 columns: our time, %copy, the check, each peer's ratio. */
  wide?: boolean;
}

const SHORT_PASS = { forward: 'fwd', backward: 'bwd' } as const;

/** The case's name, and in quick mode the batch that really ran: `r50stem_b32 (b1)`. */
function caseName(id: string, quick: boolean): string {
  return quick ? `${id} (b1)` : id;
}

export function formatTable(report: BenchReport, ctx: TableContext): string {
  const lines: string[] = [];
  lines.push(`webgpu-pooling benchmark — adapter: ${report.adapter} [${ctx.adapterKind}]${ctx.quick ? ' — QUICK mode (every batch 1; times are not comparable with full runs)' : ''}`);
  const copy = report.copy;
  if (copy) {
    const size = `${(copy.bytes / 2 ** 20).toFixed(0)} MiB${copy.reduced ? ', reduced from 256 MiB' : ''}`;
    lines.push(`copy kernel (vec4, ${size}): ${ms(copy.row.kernel_ms)} ms, ${copy.row.GBps.toFixed(1)} GB/s [${copy.timing}, ${copy.runs} runs]`);
  }

  const groups = new Map<string, Measurement[]>();
  for (const m of report.measurements) {
    const key = `${m.row.case}|${m.row.op}|${m.row.pass}|${m.row.layout}|${m.row.dtype}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(m);
  }
  // With --backend cpu our CPU backend is the one compared.
  const oursImpl: Impl = report.measurements.some((m) => m.row.impl === 'ours') ? 'ours' : 'ours-cpu';
  const present = COLUMNS.filter((p) => p.impl !== oursImpl && report.measurements.some((m) => m.row.impl === p.impl));
  // BENCHMARKS.md's names fit 14 columns; the 1-D / 3-D case names are longer.
  const caseWidth = Math.max(14, ...report.measurements.map((m) => caseName(m.row.case, ctx.quick).length + 2));
  // The dtype and f16/f32 columns appear only when float16 ran, so a float32 run prints as before.
  const halves = report.measurements.some((m) => m.row.dtype === 'float16');
  const f16Ratios = halves ? halfRatios(report.measurements, oursImpl) : new Map<string, number>();
  const wide = ctx.wide === true;
  // Narrow: each column as wide as its longest entry, so most rows keep within about 120 columns.
  const opWidth = Math.max(...report.measurements.map((m) => `${m.row.op} bwd f16`.length)) + 1;
  const narrowCase = Math.max(5, ...report.measurements.map((m) => caseName(m.row.case, ctx.quick).length + 1));
  const header = wide
    ? `${pad('case', caseWidth)}${pad('op', 14)}${pad('pass', 9)}${pad('layout', 7)}${halves ? pad('dtype', 8) : ''}${pad(`${oursImpl} ms`, 12, true)}${pad('GB/s', 8, true)}${pad('%copy', 7, true)}${pad('e2e ms', 9, true)}${pad('ok', 5, true)}` +
      (halves ? pad('f16/f32', 9, true) : '') +
      present.map((p) => `${pad(`${p.label} ms`, 14, true)}${pad('×', 7, true)}`).join('')
    : `${pad('case', narrowCase)}${pad('op', opWidth)}${pad('layout', 6)}${pad(`${oursImpl === 'ours' ? 'ours' : 'cpu'} ms`, 9, true)}${pad('%copy', 6, true)}${pad('ok', 4, true)}` +
      present.map((p) => pad(`${p.label}×`, 10, true)).join('');
  lines.push('', header, '-'.repeat(header.length));
  /** The header and rows: never wrapped, however long the case names make them. */
  const tableLines = new Set<string>([header, '-'.repeat(header.length)]);

  const ratios = new Map<Impl, { forward: number[]; backward: number[] }>();
  for (const group of groups.values()) {
    const first = group[0]!.row;
    const ours = group.find((m) => m.row.impl === oursImpl);
    const o = ours?.row;
    const f16Row = first.dtype === 'float16';
    const ratio = f16Row ? f16Ratios.get(halfKey(first)) : undefined;
    const oursMs = o ? `${ms(o.kernel_ms)}${TIMING_MARK[ours!.timing]}` : '—';
    const caseLabel = caseName(first.case, ctx.quick);
    const check = o ? (o.ok ? 'ok' : 'FAIL') : '';
    let line = wide
      ? `${pad(caseLabel, caseWidth)}${pad(first.op, 14)}${pad(first.pass, 9)}${pad(first.layout, 7)}${halves ? pad(f16Row ? 'f16' : 'f32', 8) : ''}` +
        `${pad(oursMs, 12, true)}${pad(o?.GBps ? o.GBps.toFixed(1) : '—', 8, true)}` +
        `${pad(o?.pct_copy ? o.pct_copy.toFixed(0) : '—', 7, true)}${pad(ms(o?.e2e_ms), 9, true)}${pad(check, 5, true)}` +
        (halves ? pad(ratio !== undefined ? `${ratio.toFixed(2)}` : f16Row ? '—' : '', 9, true) : '')
      : `${pad(caseLabel, narrowCase)}${pad(`${first.op} ${SHORT_PASS[first.pass]}${f16Row ? ' f16' : ''}`, opWidth)}${pad(first.layout, 6)}` +
        `${pad(oursMs, 9, true)}${pad(o?.pct_copy ? o.pct_copy.toFixed(0) : '—', 6, true)}${pad(check, 4, true)}`;
    for (const p of present) {
      // A cell without a ratio: the word, in the wide table's time column or the narrow one's ratio column.
      const word = (w: string) => (wide ? `${pad(w, 14, true)}${pad('', 7)}` : pad(w, 10, true));
      if (f16Row && p.impl !== 'ours-cpu' && p.impl !== 'ours-tuned' && p.impl !== 'cpu-reference') {
        line += word('no f16');
        continue;
      }
      const m = group.find((x) => x.row.impl === p.impl);
      if (!m) {
        line += word('');
        continue;
      }
      if (m.timing === 'failed') {
        line += word('failed');
        continue;
      }
      const r = ours && ours.timing !== 'failed' ? speedup(ours, m) : undefined;
      // The geometric means stay float32's, comparable with runs before float16.
      if (r !== undefined && !f16Row) {
        let acc = ratios.get(p.impl);
        if (!acc) ratios.set(p.impl, (acc = { forward: [], backward: [] }));
        acc[first.pass].push(r);
      }
      const ratioText = `${r !== undefined ? r.toFixed(2) : '—'}${m.row.ok ? '' : '!'}`;
      line += wide ? `${pad(`${ms(m.row.kernel_ms)}${TIMING_MARK[m.timing]}${m.row.ok ? '' : '!'}`, 14, true)}${pad(r !== undefined ? r.toFixed(2) : '—', 7, true)}` : pad(ratioText, 10, true);
    }
    lines.push(line);
    tableLines.add(line);
  }

  lines.push('', 'ms: median kernel time; ʷ wall time (op to onSubmittedWorkDone), ᶜ CPU time; ! result outside tolerance of the reference.');
  if (!wide) lines.push('--wide adds every peer\'s time, GB/s, end-to-end times and the f16/f32 column (and the JSON lines have them all).');
  lines.push('×: peer time / our time (>1: ours faster), like for like — against a wall-timed peer our wall time of the same runs.');
  lines.push('cpu-ref: one run of the reference (it is also what every row is checked against).');
  if (present.some((p) => p.impl === 'ours-tuned')) lines.push("tuned: our ops on a context with tuning: 'measure' (--tuning); its × is tuned time / rules time (< 1: tuning faster).");
  if (halves) {
    lines.push('f16: float16 tensors (packed halves; on WebGPU widened to f32, run by the f32 kernels, narrowed back), checked against the reference on the widened halves rounded to half once');
    lines.push('  (max and indices bit-exact, sums within rtol 1e-3 atol 1e-3); bytes moved count 2 bytes a value (indices 4). f16/f32: our float16 kernel time / our float32 kernel time, same run. The peers run float32 only: "no f16".');
  }
  const single = report.measurements.filter((m) => m.runs === 1 && m.row.impl !== 'cpu-reference' && m.timing !== 'failed');
  if (single.length) lines.push(`${single.length} rows are one timed run (a quick-mode run over a second, or a slow CPU run).`);
  if (report.measurements.some((m) => m.row.impl === 'ort-wasm')) lines.push('ort-wasm runs under `node --liftoff-only` (BENCHMARKS.md), about 20 % slower than optimised wasm.');

  lines.push(...latencyLines(report, oursImpl));

  const summary: string[] = [];
  for (const p of present) {
    const acc = ratios.get(p.impl);
    if (!acc) continue;
    const f = geomean(acc.forward);
    const b = geomean(acc.backward);
    const parts = [f !== undefined ? `forward ${f.toFixed(2)}× (${acc.forward.length})` : '', b !== undefined ? `backward ${b.toFixed(2)}× (${acc.backward.length})` : ''].filter(Boolean);
    summary.push(`  ours vs ${p.label}: ${parts.join(', ')}`);
  }
  if (summary.length) lines.push('', 'geometric mean speed-up (cases):', ...summary);
  if (halves) lines.push(...halfSummary(report.measurements, oursImpl, f16Ratios));

  const ourRows = report.measurements.filter((m) => m.row.impl === 'ours' || m.row.impl === 'ours-cpu');
  lines.push('', `our checks: ${ourRows.filter((m) => m.row.ok).length}/${ourRows.length} ok`);
  const notes = report.measurements.filter((m) => m.note || m.timing === 'failed');
  if (notes.length) {
    lines.push('', 'failures and notes:');
    const seen = new Set<string>();
    for (const m of notes) {
      const r = m.row;
      const text = `  ${r.impl} ${r.case} ${r.op} ${r.pass} ${r.layout}${r.dtype === 'float16' ? ' float16' : ''}: ${m.timing === 'failed' ? 'FAILED — ' : r.ok ? '' : 'not ok — '}${m.note ?? ''}`;
      // A peer that could not start fails every row the same way: say so once.
      const dedupe = m.timing === 'failed' ? `${r.impl}|${m.note}` : text;
      if (seen.has(dedupe)) continue;
      seen.add(dedupe);
      lines.push(m.timing === 'failed' && report.measurements.filter((x) => x.row.impl === r.impl && x.note === m.note).length > 1 ? `${text} (and every other ${r.impl} row)` : text);
    }
  }
  if (ctx.elapsedMs !== undefined) lines.push('', `run time: ${(ctx.elapsedMs / 1000).toFixed(1)} s`);
  return (wide ? lines : lines.flatMap((l) => (tableLines.has(l) ? [l] : wrap(l, NARROW_WIDTH)))).join('\n');
}

const NARROW_WIDTH = 120;

/** A note longer than `width` split at spaces, continued with an indent. */
function wrap(line: string, width: number): string[] {
  if (line.length <= width + 5) return [line];
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    const cut = rest.lastIndexOf(' ', width);
    if (cut <= 4) break;
    out.push(rest.slice(0, cut));
    rest = `    ${rest.slice(cut + 1)}`;
  }
  out.push(rest);
  return out;
}
