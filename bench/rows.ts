/**
 * What the benchmark reports: BENCHMARKS.md's JSON rows (exactly its keys, in its order) and, beside
 * them, how each time was taken. Environment-agnostic.
 */
import type { TensorLayout } from '../src/types.js';
import type { OpName, Pass } from './cases.js';
import type { FamilyOpName } from './family-cases.js';

/** 'ours-tuned': our WebGPU context with `tuning: 'measure'` (--tuning), beside 'ours' with the rules. */
export type Impl = 'ours' | 'ours-tuned' | 'ours-cpu' | 'tfjs-webgpu' | 'ort-webgpu' | 'ort-wasm' | 'cpu-reference' | 'pytorch-cuda';

/** One measurement line of `--json`, BENCHMARKS.md's format. Times in ms; null where not measured (a failed run). */
export interface BenchRow {
  case: string;
  /** A windowed or global op (bench/cases.ts), or one of the rest of the family (bench/family-cases.ts). */
  op: OpName | FamilyOpName;
  pass: Pass;
  impl: Impl;
  /** The tensors' memory order: NCHW / NHWC, and NCL / NLC, NCDHW / NDHWC for the 1-D and 3-D cases. */
  layout: TensorLayout;
  dtype: 'float32' | 'float16';
  adapter: string;
  kernel_ms: number | null;
  e2e_ms: number | null;
  GBps: number | null;
  pct_copy: number | null;
  max_abs_err: number | null;
  ok: boolean;
}

/** BENCHMARKS.md's copy line. */
export interface CopyRow {
  case: 'copy';
  impl: 'ours';
  kernel_ms: number;
  GBps: number;
  adapter: string;
}

export const ROW_KEYS = ['case', 'op', 'pass', 'impl', 'layout', 'dtype', 'adapter', 'kernel_ms', 'e2e_ms', 'GBps', 'pct_copy', 'max_abs_err', 'ok'] as const;
export const COPY_KEYS = ['case', 'impl', 'kernel_ms', 'GBps', 'adapter'] as const;

/**
 * How `kernel_ms` was taken: GPU timestamp queries; wall time around the op and
 * `queue.onSubmittedWorkDone()` (or the peer's own flush); or CPU time of a synchronous call.
 */
export type TimingSource = 'gpu-timestamp' | 'wall' | 'cpu';

export interface Measurement {
  row: BenchRow;
  timing: TimingSource | 'failed';
  /** Timed runs behind the median. */
  runs: number;
  /** Median wall time of the same runs, when kernel_ms is a timestamp (ratios against wall-timed peers use it). */
  wall_ms?: number;
  /** Why it failed, or what to know about it (e.g. a known peer fault). */
  note?: string;
}

export interface CopyMeasurement {
  row: CopyRow;
  bytes: number;
  timing: TimingSource;
  runs: number;
  /** Smaller than BENCHMARKS.md's 256 MiB (quick mode, or the adapter's limits). */
  reduced: boolean;
}

function pick<K extends string>(obj: Record<K, unknown>, keys: readonly K[]): Record<K, unknown> {
  const out = {} as Record<K, unknown>;
  for (const k of keys) out[k] = obj[k];
  return out;
}

/** Rounds for display in JSON without losing what matters at either end (0.0007 ms, 2900 GB/s). */
export function round(v: number | null, digits = 4): number | null {
  if (v === null || !Number.isFinite(v)) return v === null || Number.isNaN(v) ? null : v;
  if (v === 0) return 0;
  const magnitude = Math.floor(Math.log10(Math.abs(v)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return Number(v.toFixed(Math.min(decimals, 12)));
}

/** What actually ran, after the format's keys: a quick run's rows keep the case's name but say batch 1. */
export const RUN_KEYS = ['input', 'batch', 'quick'] as const;

export interface RunShape {
  /** The logical input shape that ran (in quick mode, batch 1). */
  readonly input: readonly number[];
  readonly quick: boolean;
}

export function rowJson(row: BenchRow, run?: RunShape): string {
  const r = { ...row, kernel_ms: round(row.kernel_ms), e2e_ms: round(row.e2e_ms), GBps: round(row.GBps), pct_copy: round(row.pct_copy, 3), max_abs_err: round(row.max_abs_err, 3) };
  const base = pick(r, ROW_KEYS);
  return JSON.stringify(run ? { ...base, input: run.input, batch: run.input[0], quick: run.quick } : base);
}

export function copyJson(row: CopyRow): string {
  return JSON.stringify(pick({ ...row, kernel_ms: round(row.kernel_ms), GBps: round(row.GBps) }, COPY_KEYS));
}
