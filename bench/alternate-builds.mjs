// Compares two builds of the benchmark (dist-bench/bench.mjs of two commits) on one adapter, case
// by case, alternating: for every case the two builds run back to back, in the order A B in odd
// rounds and B A in even ones, so drift on a noisy shared machine falls on both alike. Each run is
// one quick-mode process (`--quick --cases <case> --peers tfjs --no-cpu --json`); the script keeps
// our kernel and e2e times from the JSON lines and the TF.js ratio (×, wall against wall) from the
// printed table, and writes one table: per row the median of the rounds for each build.
//
//   node bench/alternate-builds.mjs --old /tmp/old/dist-bench/bench.mjs --new dist-bench/bench.mjs \
//     --adapter swiftshader [--rounds 2] [--cases a,b] [--peers tfjs|none] [--dtypes float32,float16]
//     [--out bench/results/renovation-2d-swiftshader.txt] [--raw rounds.json]
//
// Plain Node (no build step): it only starts the two bundles.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

/** BENCHMARKS.md's cases (all 2-D): the default set. */
const DEFAULT_CASES = ['r50stem_b32', 'r50stem_b8', 'r50stem_b1', 'vgg_b16', 'incep_b32', 'gpool_r50_b32', 'gpool_b8', 'gpool_big'];

function parseArgs(argv) {
  const a = { rounds: 2, cases: DEFAULT_CASES, adapter: 'swiftshader', old: undefined, new: undefined, out: undefined, oldLabel: 'old', newLabel: 'new', peers: 'tfjs', dtypes: 'float32' };
  for (let i = 0; i < argv.length; i++) {
    const v = () => argv[++i];
    switch (argv[i]) {
      case '--old': a.old = v(); break;
      case '--new': a.new = v(); break;
      case '--old-label': a.oldLabel = v(); break;
      case '--new-label': a.newLabel = v(); break;
      case '--adapter': a.adapter = v(); break;
      case '--rounds': a.rounds = Number(v()); break;
      case '--cases': a.cases = v().split(','); break;
      case '--peers': a.peers = v(); break;
      case '--dtypes': a.dtypes = v(); break;
      case '--out': a.out = v(); break;
      case '--raw': a.raw = v(); break;
      default: throw new Error(`alternate-builds: unknown argument ${argv[i]}`);
    }
  }
  if (!a.old || !a.new) throw new Error('alternate-builds: --old and --new (paths of two bench.mjs builds) are required');
  return a;
}

/** One quick run of one build on one case: its JSON rows and, per row key, the TF.js × of the table. */
function runOnce(bench, benchCase, { adapter, peers, dtypes }) {
  const t0 = performance.now();
  const argv = ['--liftoff-only', bench, '--quick', '--cases', benchCase, '--peers', peers, '--dtypes', dtypes, '--no-cpu', '--no-family', '--adapter', adapter, '--json'];
  const r = spawnSync('node', argv, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  const rows = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const ratios = new Map();
  for (const line of r.stderr.split('\n')) {
    // case (bN) op fwd|bwd layout ours %copy ok [tfjs×] (the default table of bench/table.ts)
    const t = line.trim().split(/\s+/);
    if (t.length >= 8 && t[0] === benchCase && (t[3] === 'fwd' || t[3] === 'bwd')) {
      const pass = t[3] === 'fwd' ? 'forward' : 'backward';
      ratios.set(`${t[2]}|${pass}|${t[4]}`, { ratio: t.length >= 9 ? Number(t[8]) : NaN });
    }
  }
  if (r.status !== 0) process.stderr.write(`  (${bench} ${benchCase}: exit ${r.status})\n${r.stderr.split('\n').filter((l) => /FAIL|not ok|Error/.test(l)).join('\n')}\n`);
  return { rows, ratios, seconds, status: r.status };
}

function median(v) {
  const s = v.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmt = (v, d = 2) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(d)) : '—');
const pad = (s, n, right = true) => (right ? String(s).padStart(n) : String(s).padEnd(n));

const args = parseArgs(process.argv.slice(2));
const builds = [
  { label: args.oldLabel, bench: args.old },
  { label: args.newLabel, bench: args.new },
];
/** key -> { [label]: { kernel: [], e2e: [], ratio: [], ok: [] } } in first-seen order */
const table = new Map();
let adapterName = '';
const started = performance.now();
for (let round = 0; round < args.rounds; round++) {
  for (const c of args.cases) {
    const order = round % 2 === 0 ? builds : [...builds].reverse();
    for (const b of order) {
      const r = runOnce(b.bench, c, args);
      process.stderr.write(`round ${round + 1} ${c} ${b.label}: ${r.rows.length} rows, ${r.seconds.toFixed(1)} s\n`);
      for (const row of r.rows) {
        if (row.case === 'copy') continue;
        if (row.impl !== 'ours') continue;
        adapterName ||= row.adapter;
        const key = `${row.case}|${row.op}|${row.pass}|${row.layout}|${row.dtype}`;
        if (!table.has(key)) table.set(key, Object.fromEntries(builds.map((x) => [x.label, { kernel: [], e2e: [], ratio: [], ok: [] }])));
        const cell = table.get(key)[b.label];
        cell.kernel.push(row.kernel_ms ?? NaN);
        cell.e2e.push(row.e2e_ms ?? NaN);
        cell.ok.push(row.ok);
        const x = r.ratios.get(`${row.op}|${row.pass}|${row.layout}`);
        cell.ratio.push(x ? x.ratio : NaN);
      }
    }
  }
}

const [A, B] = builds.map((b) => b.label);
const lines = [];
lines.push(`${A} vs ${B} build, alternating case by case (${args.rounds} rounds, order ${A} ${B} then ${B} ${A}); quick mode (batch 1)`);
lines.push(`adapter: ${adapterName} [--adapter ${args.adapter}]; ${A}: ${args.old}; ${B}: ${args.new}`);
lines.push(`kernel ms: median of the rounds of each run's median kernel time (GPU timestamps where the adapter has them, as SwiftShader; else wall time to onSubmittedWorkDone, as llvmpipe); e2e ms: upload, op, read-back (1 run per process);`);
lines.push(`tfjs ×: TF.js 4.22 WebGPU wall time / our wall time in the same process (NHWC only; — where TF.js has no such op); ratio: ${B} / ${A} kernel time (< 1: ${B} faster)`);
lines.push('');
const cw = Math.max(A.length, B.length) + 7;
const caseWidth = Math.max(14, ...[...table.keys()].map((k) => k.split('|')[0].length + 1));
const header = `${pad('case', caseWidth, false)}${pad('op', 14, false)}${pad('pass', 9, false)}${pad('layout', 10, false)}${pad(`${A} ms`, cw)}${pad(`${B} ms`, cw)}${pad('ratio', 7)}${pad(`${A} e2e`, cw)}${pad(`${B} e2e`, cw)}${pad(`${A} tfjs×`, cw + 1)}${pad(`${B} tfjs×`, cw + 1)}${pad('ok', 5)}`;
lines.push(header, '-'.repeat(header.length));
const logRatios = [];
const minLogRatios = [];
const tfjs = { [A]: [], [B]: [] };
const byPass = { forward: [], backward: [] };
for (const [key, cells] of table) {
  const [c, op, pass, layout, dtype] = key.split('|');
  const a = cells[A];
  const b = cells[B];
  const ka = median(a.kernel);
  const kb = median(b.kernel);
  const ratio = kb / ka;
  const minRatio = Math.min(...b.kernel.filter(Number.isFinite)) / Math.min(...a.kernel.filter(Number.isFinite));
  if (Number.isFinite(minRatio)) minLogRatios.push(Math.log(minRatio));
  const tfA = median(a.ratio);
  const tfB = median(b.ratio);
  if (Number.isFinite(tfA) && Number.isFinite(tfB)) {
    tfjs[A].push(Math.log(tfA));
    tfjs[B].push(Math.log(tfB));
  }
  if (Number.isFinite(ratio)) {
    logRatios.push(Math.log(ratio));
    byPass[pass].push(Math.log(ratio));
  }
  const ok = [...a.ok, ...b.ok].every(Boolean) ? 'ok' : 'FAIL';
  lines.push(
    `${pad(c, caseWidth, false)}${pad(op, 14, false)}${pad(pass, 9, false)}${pad(dtype === 'float16' ? `${layout}·f16` : layout, 10, false)}${pad(fmt(ka), cw)}${pad(fmt(kb), cw)}${pad(fmt(ratio), 7)}${pad(fmt(median(a.e2e)), cw)}${pad(fmt(median(b.e2e)), cw)}${pad(fmt(median(a.ratio)), cw + 1)}${pad(fmt(median(b.ratio)), cw + 1)}${pad(ok, 5)}`,
  );
}
const gm = (v) => (v.length ? Math.exp(v.reduce((s, x) => s + x, 0) / v.length) : NaN);
lines.push('');
lines.push(`geometric mean ${B}/${A} kernel time: all ${fmt(gm(logRatios), 3)} (${logRatios.length} rows), forward ${fmt(gm(byPass.forward), 3)}, backward ${fmt(gm(byPass.backward), 3)}`);
lines.push(`geometric mean ${B}/${A} of the fastest round of each: ${fmt(gm(minLogRatios), 3)}`);
lines.push(`geometric mean TF.js ratio (${tfjs[A].length} rows with TF.js): ${A} ${fmt(gm(tfjs[A]))}×, ${B} ${fmt(gm(tfjs[B]))}×; lowest: ${A} ${fmt(Math.exp(Math.min(...tfjs[A])))}×, ${B} ${fmt(Math.exp(Math.min(...tfjs[B])))}×`);
lines.push(`run time: ${((performance.now() - started) / 1000).toFixed(0)} s`);
const text = `${lines.join('\n')}\n`;
process.stdout.write(text);
if (args.out) writeFileSync(args.out, text);
// Every round's value per row and build, for a second look at the noise.
if (args.raw) writeFileSync(args.raw, `${JSON.stringify({ adapter: adapterName, builds, rows: Object.fromEntries(table) }, null, 1)}\n`);
