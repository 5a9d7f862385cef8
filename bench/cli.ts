/**
 * `npm run bench`: the benchmark in Node on Dawn. Finds the adapter, sets up our contexts and the
 * peers (TF.js WebGPU, ONNX Runtime Web) on it, runs bench/runner.ts, prints a table for people
 * and, with --json, BENCHMARKS.md's lines. Exits non-zero when any of our results disagrees with the
 * reference. Built into dist-bench/bench.mjs by scripts/build-bench.mjs.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { cpus } from 'node:os';
import { createPooling, type Pooling } from '../src/index.js';
import { findNodeAdapter, HOW_TO_GET_AN_ADAPTER, isSoftwareAdapter, type NodeAdapterKind } from '../src/host/node-gpu.js';
import type { BackwardAlgorithm, DType, Layout } from '../src/types.js';
import { BENCH_CASES, LAYOUTS, OP_NAMES, selectCases, type BenchCase, type OpName } from './cases.js';
import { FAMILY_CASES, selectFamilyCases } from './family-cases.js';
import { formatFamilyTable, runFamilyBench, type FamilyResult } from './family.js';
import { installNavigatorGpu } from './peers/node-navigator.js';
import { createOrtPeer, ORT_LAYOUT, ortSupports } from './peers/ort.js';
import { failedSlot, type PeerSlot } from './peers/peer.js';
import { createTfjsPeer, TFJS_LAYOUT, tfjsSupports } from './peers/tfjs.js';
import { copyJson, rowJson, type RunShape } from './rows.js';
import { adapterName, DTYPES, runBench } from './runner.js';
import { formatTfjsStack, runTfjsStack } from './tfjs-stack.js';
import { formatTable } from './table.js';
import { formatTuningSummary } from './tuning-summary.js';
import { usage, VERSION } from './usage.mjs';
import type { RunPlan } from './timing.js';

const PEER_NAMES = ['tfjs', 'ort', 'ort-wasm', 'ort-webgpu'] as const;
type PeerName = (typeof PEER_NAMES)[number];
const ADAPTERS: readonly NodeAdapterKind[] = ['auto', 'vulkan', 'swiftshader', 'opengles'];

/** The option list lives in usage.mjs, which scripts/bench.mjs prints for --help without building anything. */
const USAGE = usage({ caseIds: BENCH_CASES.map((c) => c.id), familyIds: FAMILY_CASES.map((c) => c.id), opNames: OP_NAMES });

interface Args {
  quick: boolean;
  cases?: string[];
  ops?: OpName[];
  layouts: Layout[];
  /** Absent: float32 and float16 in quick mode (about 5 minutes on SwiftShader in all), float32 only in full mode. */
  dtypes?: DType[];
  backend: 'webgpu' | 'cpu';
  adapter: NodeAdapterKind;
  peers: Set<PeerName>;
  cpuRows: boolean;
  json: boolean;
  tfjsStack: boolean;
  full: boolean;
  backward?: BackwardAlgorithm;
  out?: string;
  /** The family cases (bench/family-cases.ts): run after the windowed ones unless --no-family. */
  family: boolean;
  familyOnly: boolean;
  /** Every column of the table, not only what fits about 120 columns. */
  wide: boolean;
  /** Also run our ops on a context with tuning: 'measure' (impl 'ours-tuned'). */
  tuning: boolean;
  familyCases?: string[];
}

class UsageError extends Error {}

function list(value: string | undefined, flag: string): string[] {
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function oneOf<T extends string>(values: readonly string[], allowed: readonly T[], flag: string): T[] {
  for (const v of values) if (!allowed.includes(v as T)) throw new UsageError(`${flag}: unknown '${v}'; one of ${allowed.join(', ')}`);
  return values as T[];
}

export function parseArgs(argv: readonly string[]): Args {
  const a: Args = { quick: false, layouts: [...LAYOUTS], backend: 'webgpu', adapter: 'auto', peers: new Set(['tfjs', 'ort']), cpuRows: true, json: false, tfjsStack: false, full: false, family: true, familyOnly: false, wide: false, tuning: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const [name, inline] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = () => inline ?? argv[++i];
    switch (name) {
      case '--quick':
        a.quick = true;
        break;
      case '--full':
        a.full = true;
        break;
      case '--cases':
        a.cases = list(value(), name);
        break;
      case '--ops':
        a.ops = oneOf(list(value(), name), OP_NAMES, name);
        break;
      case '--layouts':
        a.layouts = oneOf(list(value(), name), LAYOUTS, name);
        break;
      case '--dtypes':
        a.dtypes = oneOf(list(value(), name), DTYPES, name);
        break;
      case '--backend':
        a.backend = oneOf([value() ?? ''], ['webgpu', 'cpu'] as const, name)[0]!;
        break;
      case '--adapter':
        a.adapter = oneOf([value() ?? ''], ADAPTERS, name)[0]!;
        break;
      case '--peers': {
        const v = list(value(), name);
        a.peers = new Set(v.includes('none') ? [] : oneOf(v, PEER_NAMES, name));
        break;
      }
      case '--no-cpu':
        a.cpuRows = false;
        break;
      case '--json':
        a.json = true;
        break;
      case '--backward':
        a.backward = oneOf([value() ?? ''], ['auto', 'scatter', 'gather'] as const, name)[0]!;
        break;
      case '--tfjs-stack':
        a.tfjsStack = true;
        break;
      case '--no-family':
        a.family = false;
        break;
      case '--wide':
        a.wide = true;
        break;
      case '--tuning':
        a.tuning = true;
        break;
      case '--family-only':
        a.familyOnly = true;
        break;
      case '--family-cases':
        a.familyCases = list(value(), name);
        break;
      case '--out':
        a.out = value();
        if (!a.out) throw new UsageError('--out needs a file name');
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
      case '--version':
        console.log(VERSION);
        process.exit(0);
      default:
        throw new UsageError(`unknown option '${flag}'`);
    }
  }
  return a;
}

/**
 * Full mode follows BENCHMARKS.md (median of 20 after warm-up). Quick mode keeps the whole suite within
 * a few minutes on a 2-core software adapter, where one large op takes seconds: 3 runs, up to 5
 * while under 300 ms, and a single one when it alone takes over a second. Peers are always under a
 * budget; their check run doubles as warm-up.
 */
function plans(quick: boolean): { gpu: RunPlan; peer: RunPlan; cpu: RunPlan } {
  return quick
    ? {
        gpu: { warmup: 1, minRuns: 3, maxRuns: 5, budgetMs: 300, e2eRuns: 1, longRunMs: 1000 },
        peer: { warmup: 0, minRuns: 3, maxRuns: 5, budgetMs: 300, e2eRuns: 1, longRunMs: 1000 },
        cpu: { warmup: 0, minRuns: 1, maxRuns: 3, budgetMs: 100, e2eRuns: 1 },
      }
    : {
        gpu: { warmup: 3, minRuns: 20, maxRuns: 20, budgetMs: Infinity, e2eRuns: 5 },
        peer: { warmup: 2, minRuns: 10, maxRuns: 20, budgetMs: 3000, e2eRuns: 3 },
        cpu: { warmup: 0, minRuns: 1, maxRuns: 3, budgetMs: 1000, e2eRuns: 1 },
      };
}

/** Seconds as "42 s" or "3 min 05 s". */
function duration(seconds: number): string {
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/**
 * Progress on stderr, so stdout stays clean for --json: on a terminal a bar redrawn in place; else
 * (CI logs, pipes) a plain line at the start and end of each phase and at most every 10 s between.
 * Each line has the step, the elapsed time and an estimate of the time left in this phase.
 */
function progress(tty: boolean) {
  let last = '';
  let phase = 'cases';
  let phaseStart = performance.now();
  let lastLine = -Infinity;
  return {
    phase(name: string) {
      phase = name;
      phaseStart = performance.now();
      lastLine = -Infinity;
    },
    update(p: { done: number; total: number; label: string }) {
      const now = performance.now();
      const elapsed = (now - phaseStart) / 1000;
      const left = p.done > 0 && p.done < p.total ? `, about ${duration((elapsed * (p.total - p.done)) / p.done)} left` : '';
      const text = `${phase} ${p.done}/${p.total}, ${duration(elapsed)}${left}: ${p.label}`;
      if (tty) {
        const width = 24;
        const filled = Math.round((p.done / Math.max(p.total, 1)) * width);
        const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`.slice(0, Math.max((process.stderr.columns ?? 120) - 1, 40));
        process.stderr.write(`\r${line.padEnd(last.length)}`);
        last = line;
        return;
      }
      if (p.done === 0 || p.done === p.total || now - lastLine >= 10_000) {
        process.stderr.write(`bench: ${text}\n`);
        lastLine = now;
      }
    },
    clear() {
      if (tty && last) process.stderr.write(`\r${' '.repeat(last.length)}\r`);
      last = '';
    },
  };
}

async function setUpPeers(args: Args, kind: Exclude<NodeAdapterKind, 'auto'> | undefined, gpuName: string, cpuName: string, log: (s: string) => void): Promise<PeerSlot[]> {
  const slots: PeerSlot[] = [];
  // A peer runs in its own layout only; --layouts without it leaves the peer out.
  const inLayout = (layout: Layout, name: string) => {
    if (args.layouts.includes(layout)) return true;
    log(`${name} runs only in ${layout}, which --layouts leaves out: not run`);
    return false;
  };
  const wantTfjs = args.peers.has('tfjs') && inLayout(TFJS_LAYOUT, 'TF.js');
  const wantOrt = args.peers.has('ort') || args.peers.has('ort-webgpu') || args.peers.has('ort-wasm');
  const ortLayoutOk = wantOrt && inLayout(ORT_LAYOUT, 'ONNX Runtime');
  const wantOrtGpu = ortLayoutOk && (args.peers.has('ort') || args.peers.has('ort-webgpu'));
  const wantOrtWasm = ortLayoutOk && (args.peers.has('ort') || args.peers.has('ort-wasm'));
  const noAdapter = new Error('no WebGPU adapter was found for the peers');
  if ((wantTfjs || wantOrtGpu) && kind) installNavigatorGpu(kind);
  if (wantTfjs) {
    log('setting up TF.js WebGPU ...');
    try {
      if (!kind) throw noAdapter;
      slots.push({ impl: 'tfjs-webgpu', layout: TFJS_LAYOUT, supports: tfjsSupports, peer: await createTfjsPeer(gpuName) });
    } catch (e) {
      slots.push(failedSlot('tfjs-webgpu', TFJS_LAYOUT, tfjsSupports, e));
    }
  }
  if (wantOrtWasm) {
    log('setting up ONNX Runtime Web (wasm) ...');
    try {
      slots.push({ impl: 'ort-wasm', layout: ORT_LAYOUT, supports: ortSupports, peer: await createOrtPeer('wasm', `wasm, 1 thread (${cpuName})`) });
    } catch (e) {
      slots.push(failedSlot('ort-wasm', ORT_LAYOUT, ortSupports, e));
    }
  }
  if (wantOrtGpu) {
    log('setting up ONNX Runtime Web (WebGPU) ...');
    try {
      if (!kind) throw noAdapter;
      slots.push({ impl: 'ort-webgpu', layout: ORT_LAYOUT, supports: ortSupports, peer: await createOrtPeer('webgpu', gpuName) });
    } catch (e) {
      slots.push(failedSlot('ort-webgpu', ORT_LAYOUT, ortSupports, e));
    }
  }
  for (const s of slots) if (s.failure) log(`peer ${s.impl} could not be set up: ${s.failure}`);
  return slots;
}

async function main(argv: readonly string[]): Promise<number> {
  const started = performance.now();
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n${USAGE}`);
    return 2;
  }
  let cases: BenchCase[];
  try {
    cases = selectCases({ quick: args.quick, ...(args.cases ? { ids: args.cases } : {}), ...(args.ops ? { ops: args.ops } : {}) });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  let familyCases;
  try {
    familyCases = args.family && args.backend === 'webgpu' ? selectFamilyCases(args.quick, args.familyCases) : [];
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.familyOnly) cases = [];
  if (cases.length === 0 && !args.familyOnly) {
    console.error(`no case has any of the ops ${args.ops?.join(', ')}`);
    return 2;
  }
  const tty = process.stderr.isTTY === true;
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const cpuName = cpus()[0]?.model.trim() || 'cpu';

  const needAdapter = args.backend === 'webgpu' || args.peers.has('tfjs') || args.peers.has('ort') || args.peers.has('ort-webgpu');
  const found = needAdapter ? await findNodeAdapter(args.adapter) : null;
  if (args.backend === 'webgpu' && !found) {
    log(`bench: no WebGPU adapter of kind '${args.adapter}'. ${HOW_TO_GET_AN_ADAPTER}`);
    return 2;
  }
  // The full-size cases take an hour on an emulated GPU: there the main job runs the quick suite.
  if (!args.quick && !args.full && found && isSoftwareAdapter(found.adapter)) {
    args.quick = true;
    cases = args.familyOnly ? [] : selectCases({ quick: true, ...(args.cases ? { ids: args.cases } : {}), ...(args.ops ? { ops: args.ops } : {}) });
    familyCases = args.family ? selectFamilyCases(true, args.familyCases) : [];
    log('bench: software adapter, so quick mode (every batch 1); --full runs the full-size batches');
  }
  const dtypes: DType[] = args.dtypes ?? (args.quick ? ['float32', 'float16'] : ['float32']);
  let gpu: Pooling | undefined;
  if (args.backend === 'webgpu') gpu = await createPooling({ backend: 'webgpu', nodeAdapter: found!.kind });
  const gpuName = found ? adapterName(gpu?.adapterInfo ?? { vendor: found.adapter.info.vendor, architecture: found.adapter.info.architecture, device: found.adapter.info.device, description: found.adapter.info.description }) : 'none';
  const tuned = args.tuning && gpu ? await createPooling({ backend: 'webgpu', nodeAdapter: found!.kind, tuning: 'measure' }) : undefined;
  const cpu = args.cpuRows ? await createPooling({ backend: 'cpu' }) : undefined;
  log(`adapter: ${gpuName}${found ? ` [${found.kind}]` : ''}; ${cases.length} cases${args.quick ? ' (quick: batch 1)' : ''}; ${dtypes.join(', ')}`);
  const peers = await setUpPeers(args, found?.kind, gpuName, cpuName, log);

  const jsonOut: WriteStream | undefined = args.out ? createWriteStream(args.out) : undefined;
  const bar = progress(tty);
  const writeJson = (line: string) => {
    if (args.json) {
      // On a terminal the bar and the lines share the screen: the bar redraws on its next update.
      if (process.stdout.isTTY) bar.clear();
      process.stdout.write(`${line}\n`);
    }
    jsonOut?.write(`${line}\n`);
  };
  // Each row says what ran: its input shape (batch 1 in quick mode) and whether the run was quick.
  const shapes = new Map<string, readonly number[]>([...cases.map((c) => [c.id, c.input] as const), ...familyCases.map((c) => [c.id, c.input] as const)]);
  const runOf = (row: { case: string }): RunShape | undefined => {
    const input = shapes.get(row.case);
    return input ? { input, quick: args.quick } : undefined;
  };
  const p = plans(args.quick);
  let report;
  let family: FamilyResult[] = [];
  let tuningSummary = '';
  try {
    bar.phase(`${cases.length === 1 ? '1 case' : `${cases.length} cases`} × ops × layouts × dtypes`);
    report = await runBench({
      cases,
      layouts: args.layouts,
      dtypes,
      quick: args.quick,
      ...(gpu ? { gpu } : {}),
      ...(tuned ? { tuned } : {}),
      ...(cpu ? { cpu } : {}),
      cpuReference: args.cpuRows,
      ...(args.backward ? { backward: args.backward } : {}),
      peers,
      gpuPlan: p.gpu,
      peerPlan: p.peer,
      cpuPlan: p.cpu,
      cpuName,
      copyBytes: args.quick ? 32 * 2 ** 20 : 256 * 2 ** 20,
      onCopy: (c) => writeJson(copyJson(c.row)),
      onMeasurement: (m) => {
        writeJson(rowJson(m.row, runOf(m.row)));
        if (m.timing === 'failed' || !m.row.ok) {
          bar.clear();
          log(`${m.timing === 'failed' ? 'FAILED' : 'not ok'}: ${m.row.impl} ${m.row.case} ${m.row.op} ${m.row.pass} ${m.row.layout} ${m.row.dtype}${m.note ? ` — ${m.note}` : ''}`);
        }
      },
      onProgress: (pr) => bar.update(pr),
    });
    if (gpu && familyCases.length > 0) {
      bar.phase(familyCases.length === 1 ? '1 family case' : `${familyCases.length} family cases`);
      family = await runFamilyBench({
        cases: familyCases,
        layouts: args.layouts,
        gpu,
        adapter: gpuName,
        ...(report.copy ? { copyGBps: report.copy.row.GBps } : {}),
        plan: p.gpu,
        rounds: 2,
        peers,
        peerPlan: p.peer,
        onMeasurement: (m) => {
          writeJson(rowJson(m.row, runOf(m.row)));
          if (!m.row.ok) {
            bar.clear();
            log(`not ok: ${m.row.impl} ${m.row.case} ${m.row.op} ${m.row.pass} ${m.row.layout}${m.note ? ` — ${m.note}` : ''}`);
          }
        },
        onProgress: (pr) => bar.update(pr),
      });
    }
  } finally {
    bar.clear();
    for (const s of peers) {
      try {
        await s.peer?.dispose();
      } catch (e) {
        log(`peer ${s.impl} failed to shut down: ${(e as Error).message}`);
      }
    }
    if (tuned) tuningSummary = formatTuningSummary(tuned);
    gpu?.destroy();
    tuned?.destroy();
    cpu?.destroy();
  }
  const table = formatTable(report, { quick: args.quick, adapterKind: found?.kind ?? 'none', elapsedMs: performance.now() - started, wide: args.wide });
  const familyTable = family.length > 0 ? `${formatFamilyTable(family)}\n` : '';
  if (args.json) process.stderr.write(`${table}\n${familyTable}${tuningSummary}`);
  else process.stdout.write(`${table}\n${familyTable}${tuningSummary}`);
  if (args.tfjsStack) await runStack(args, found?.kind, log);
  if (jsonOut) await new Promise<void>((resolve) => jsonOut.end(resolve));
  const familyFailures = family.filter((r) => !r.ours.row.ok).length;
  return report.ourFailures.length > 0 || familyFailures > 0 ? 1 : 0;
}

/** The TF.js layer stack with and without the plug-in; its rows are not BENCHMARKS.md's, so only a table. */
async function runStack(args: Args, kind: Exclude<NodeAdapterKind, 'auto'> | undefined, log: (line: string) => void): Promise<void> {
  if (!kind) {
    log('tfjs-stack: no WebGPU adapter, skipped');
    return;
  }
  installNavigatorGpu(kind);
  try {
    const rows = await runTfjsStack({ quick: args.quick, log });
    (args.json ? process.stderr : process.stdout).write(`${formatTfjsStack(rows)}\n`);
  } catch (e) {
    log(`tfjs-stack: FAILED — ${(e as Error).message}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error('bench: unexpected failure:', e);
    process.exit(3);
  },
);
