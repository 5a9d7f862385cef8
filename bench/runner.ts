/**
 * The measurement core shared by the Node CLI and the page: for each case × op × pass × layout ×
 * dtype, our WebGPU op (timestamps), our CPU backend, the CPU reference and the peers, each checked
 * against the reference; plus the copy kernel that bounds them. float16 runs the same seeded values
 * rounded to halves, checked against the reference on the widened halves rounded to half once; the
 * peers (TF.js, ONNX Runtime) run float32 only, so float16 rows have none. Environment-agnostic:
 * the caller makes the contexts and peers and says where rows go.
 */
import { webgpuBackendOf } from '../src/host/webgpu-backend.js';
import type { Pooling } from '../src/index.js';
import type { AdapterInfoSummary, BackwardAlgorithm, DType, Layout } from '../src/types.js';
import { elementCount, LAYOUTS, type BenchCase, type OpName, type Pass } from './cases.js';
import { compareValues, ruleFor } from './compare.js';
import { copyBytesFor, FULL_COPY_BYTES, measureCopy } from './copy-bandwidth.js';
import { measureOurs } from './ours.js';
import type { PeerCall, PeerSlot } from './peers/peer.js';
import type { BenchRow, CopyMeasurement, Impl, Measurement } from './rows.js';
import { measureRoundTrip, type RunPlan } from './timing.js';
import { caseSeed, seededValues, toHalfValues, Workload, type HalfValues } from './workload.js';

export interface BenchConfig {
  cases: readonly BenchCase[];
  /** Layouts to run; a peer runs only in its own layout, so only when that one is listed. */
  layouts: readonly Layout[];
  /** Value dtypes to run every case in (float32 only when absent); each case's dtypes run side by side. */
  dtypes?: readonly DType[];
  quick: boolean;
  /** Our WebGPU context; absent with `--backend cpu`. */
  gpu?: Pooling;
  /** Our WebGPU context with `tuning: 'measure'` (impl 'ours-tuned'), timed right after `gpu` on each unit. */
  tuned?: Pooling;
  /** Our CPU backend (impl 'ours-cpu'); absent to skip it. */
  cpu?: Pooling;
  /** Also report the CPU reference's own time (impl 'cpu-reference'). */
  cpuReference: boolean;
  peers: readonly PeerSlot[];
  /** Runs of our GPU ops and the copy kernel (BENCHMARKS.md: median of >= 20 after warm-up). */
  gpuPlan: RunPlan;
  /** Runs of the peers, within a time budget as some are slow; gpuPlan when absent. */
  peerPlan?: RunPlan;
  /** Runs of our CPU backend. */
  cpuPlan: RunPlan;
  /** Name of the CPU, for the `adapter` field of CPU rows. */
  cpuName: string;
  /** The `backward` option of our windowed backward calls ('auto' when absent: the library's rule). */
  backward?: BackwardAlgorithm;
  /** Copy kernel size; BENCHMARKS.md's 256 MiB by default. */
  copyBytes?: number;
  onMeasurement?(m: Measurement): void;
  onCopy?(c: CopyMeasurement): void;
  onProgress?(p: { done: number; total: number; label: string }): void;
}

export interface BenchReport {
  adapter: string;
  copy?: CopyMeasurement;
  /** One empty submission's round trip on our device, when a latency case ran (the yardstick of its e2e time). */
  roundTrip?: { ms: number; runs: number };
  measurements: Measurement[];
  /** Our rows (ours, ours-cpu) whose check failed or that threw. */
  ourFailures: Measurement[];
}

/** A readable adapter name for the `adapter` field: the device, and the driver where it says more. */
export function adapterName(info: AdapterInfoSummary | null): string {
  if (!info) return 'unknown adapter';
  const main = info.device || info.description || info.vendor || 'unknown adapter';
  return info.description && info.description !== main ? `${main} (${info.description})` : main;
}

const GPU_IMPLS: readonly Impl[] = ['ours', 'ours-tuned', 'tfjs-webgpu', 'ort-webgpu'];

/** A case whose point is the latency of one call (r50stem_b1: 'latency, batch 1'). */
export function isLatencyCase(c: BenchCase): boolean {
  return /latency/i.test(c.note);
}

/** End-to-end runs of a latency case: its e2e time is the figure reported, so not a single run. */
const LATENCY_E2E_RUNS = 10;

export const DTYPES: readonly DType[] = ['float32', 'float16'];

interface Unit {
  benchCase: BenchCase;
  op: OpName;
  passes: readonly Pass[];
  layout: Layout;
  dtype: DType;
}

/** The work in order; a unit's dtypes come one after the other, so their f16 / f32 ratio is taken seconds apart. */
function units(config: BenchConfig): Unit[] {
  const layouts = LAYOUTS.filter((l) => config.layouts.includes(l));
  const dtypes = DTYPES.filter((d) => (config.dtypes ?? ['float32']).includes(d));
  const out: Unit[] = [];
  for (const benchCase of config.cases) for (const { op, passes } of benchCase.ops) for (const layout of layouts) for (const dtype of dtypes) out.push({ benchCase, op, passes, layout, dtype });
  return out;
}

export async function runBench(config: BenchConfig): Promise<BenchReport> {
  const gpuBackend = config.gpu?.backend === 'webgpu' ? webgpuBackendOf(config.gpu) : undefined;
  const adapter = config.gpu ? adapterName(config.gpu.adapterInfo) : 'none';
  const report: BenchReport = { adapter, measurements: [], ourFailures: [] };
  const emit = (m: Measurement) => {
    report.measurements.push(m);
    if ((m.row.impl === 'ours' || m.row.impl === 'ours-tuned' || m.row.impl === 'ours-cpu') && !m.row.ok) report.ourFailures.push(m);
    config.onMeasurement?.(m);
  };

  if (gpuBackend) {
    const bytes = copyBytesFor(gpuBackend.device, config.copyBytes ?? FULL_COPY_BYTES);
    report.copy = await measureCopy(gpuBackend, bytes, config.gpuPlan, adapter);
    config.onCopy?.(report.copy);
    if (config.cases.some(isLatencyCase)) report.roundTrip = await measureRoundTrip(gpuBackend.device);
  }
  const copyGBps = report.copy?.row.GBps;

  const todo = units(config);
  let done = 0;
  let lastInput: { benchCase: BenchCase; data: Float32Array; halves?: HalfValues } | undefined;
  for (const unit of todo) {
    const { benchCase, op, layout, dtype } = unit;
    const f16 = dtype === 'float16';
    config.onProgress?.({ done, total: todo.length, label: `${benchCase.id} ${op} ${layout}${f16 ? ' f16' : ''}` });
    // One logical input per case, shared by its ops, layouts and dtypes (it can be 200 MB).
    if (lastInput?.benchCase !== benchCase) lastInput = { benchCase, data: seededValues(caseSeed(benchCase), elementCount(benchCase.input)) };
    if (f16) lastInput.halves ??= toHalfValues(lastInput.data);
    const w = new Workload(benchCase, op, layout, f16 ? lastInput.halves! : lastInput.data, dtype);
    for (const pass of unit.passes) {
      const base = { case: benchCase.id, op, pass, layout: w.tensorLayout, dtype };
      const bytes = w.bytesMoved(pass);
      const make = (impl: Impl, adapterField: string, kernelMs: number | null, e2eMs: number | null, maxAbsErr: number | null, ok: boolean): BenchRow => {
        const GBps = kernelMs !== null && kernelMs > 0 ? bytes / kernelMs / 1e6 : null;
        const onGpu = GPU_IMPLS.includes(impl);
        return { ...base, impl, adapter: adapterField, kernel_ms: kernelMs, e2e_ms: e2eMs, GBps, pct_copy: onGpu && GBps !== null && copyGBps ? (100 * GBps) / copyGBps : null, max_abs_err: maxAbsErr, ok };
      };
      const failed = (impl: Impl, adapterField: string, error: unknown): Measurement => ({
        row: make(impl, adapterField, null, null, null, false),
        timing: 'failed',
        runs: 0,
        note: describeError(error),
      });

      if (config.cpuReference) {
        const r = pass === 'forward' ? w.referenceForward() : w.referenceBackward();
        emit({ row: make('cpu-reference', config.cpuName, r.ms, r.ms, 0, true), timing: 'cpu', runs: 1 });
      }
      if (config.gpu) {
        const plan = isLatencyCase(benchCase) ? { ...config.gpuPlan, e2eRuns: Math.max(config.gpuPlan.e2eRuns, LATENCY_E2E_RUNS) } : config.gpuPlan;
        // The tuned context measures a new key's alternatives in its warm-up runs, outside the timed
        // ones; the two contexts take turns going first, so that neither gains from the order.
        const tunedFirst = config.tuned !== undefined && done % 2 === 1;
        const tunedRow = async () => (config.tuned ? [await measureOne('ours-tuned', adapter, config.tuned, w, pass, plan, make, failed, config.backward)] : []);
        const early = tunedFirst ? await tunedRow() : [];
        const rules = await measureOne('ours', adapter, config.gpu, w, pass, plan, make, failed, config.backward);
        const late = tunedFirst ? [] : await tunedRow();
        // Rows in the same order whichever ran first.
        for (const m of [rules, ...early, ...late]) emit(m);
      }
      if (config.cpu) {
        emit(await measureOne('ours-cpu', config.cpuName, config.cpu, w, pass, config.cpuPlan, make, failed, config.backward));
      }
      // The peers take float32 only (TF.js has no float16; ONNX Runtime runs here in f32).
      for (const slot of f16 ? [] : config.peers) {
        if (slot.layout !== layout || !slot.supports(op, pass)) continue;
        const peer = slot.peer;
        if (!peer) {
          emit(failed(slot.impl, slot.impl === 'ort-wasm' ? config.cpuName : adapter, slot.failure ?? 'not available'));
          continue;
        }
        const call: PeerCall = {
          benchCase,
          op,
          pass,
          layout,
          input: w.input,
          output: w.output,
          ...(benchCase.window ? { window: benchCase.window } : {}),
          x: w.x,
          ...(pass === 'backward' ? { dy: w.dy } : {}),
          plan: config.peerPlan ?? config.gpuPlan,
        };
        try {
          const r = await peer.run(call);
          const want = pass === 'forward' ? w.referenceForward(peer.avgCountIncludePad) : w.referenceBackward(peer.avgCountIncludePad);
          const check = compareValues(r.result, want.output, ruleFor(op, pass, benchCase.window, w.planeSize));
          const notes = [r.note, check.detail, check.ok ? undefined : peer.knownFault?.(call)].filter(Boolean).join('; ');
          emit({ row: make(peer.impl, peer.adapter, r.kernelMs, r.e2eMs, check.maxAbsErr, check.ok), timing: r.timing, runs: r.runs, ...(notes ? { note: notes } : {}) });
        } catch (e) {
          emit(failed(peer.impl, peer.adapter, e));
        }
      }
    }
    done++;
  }
  config.onProgress?.({ done, total: todo.length, label: 'done' });
  return report;
}

type MakeRow = (impl: Impl, adapter: string, kernelMs: number | null, e2eMs: number | null, maxAbsErr: number | null, ok: boolean) => BenchRow;

async function measureOne(
  impl: 'ours' | 'ours-tuned' | 'ours-cpu',
  adapter: string,
  pool: Pooling,
  w: Workload,
  pass: Pass,
  plan: RunPlan,
  make: MakeRow,
  failed: (impl: Impl, adapter: string, e: unknown) => Measurement,
  backward: BackwardAlgorithm | undefined,
): Promise<Measurement> {
  try {
    const r = await measureOurs(pool, w, pass, plan, backward);
    return {
      row: make(impl, adapter, r.kernelMs, r.e2eMs, r.check.maxAbsErr, r.check.ok),
      timing: r.timing,
      runs: r.runs,
      wall_ms: r.wallMs,
      ...(r.check.detail ? { note: r.check.detail } : {}),
    };
  } catch (e) {
    return failed(impl, adapter, e);
  }
}

function describeError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0]!.slice(0, 300);
}
