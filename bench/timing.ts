/**
 * Timing: how many runs, medians, and GPU time from timestamp queries (BENCHMARKS.md), falling back to
 * wall time around `queue.onSubmittedWorkDone()` where the device lacks `timestamp-query` or the
 * op wrote no timestamps. Environment-agnostic.
 */
import type { TimestampSink } from '../src/host/dispatch.js';
import { readDurations } from '../src/host/timestamps.js';

export { readDurations };
import type { TimingSource } from './rows.js';

/** How often to run something: warm-up runs, then timed runs until maxRuns, or minRuns once budgetMs is spent. */
export interface RunPlan {
  warmup: number;
  minRuns: number;
  maxRuns: number;
  /** Wall-time budget of the timed runs; the slow implementations stop at minRuns past it. */
  budgetMs: number;
  /** End-to-end (upload → result on the CPU) runs. */
  e2eRuns: number;
  /** Quick mode: a first timed run longer than this is the only one (its noise is small beside it). */
  longRunMs?: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs `once` per the plan; returns the wall time of each timed run. */
export async function repeat(plan: RunPlan, once: (i: number) => Promise<void>, maxRuns = plan.maxRuns): Promise<number[]> {
  for (let i = 0; i < plan.warmup; i++) await once(-1);
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < maxRuns; i++) {
    const t0 = performance.now();
    await once(i);
    times.push(performance.now() - t0);
    if (times.length >= plan.minRuns && performance.now() - start > plan.budgetMs) break;
    if (times.length === 1 && plan.longRunMs !== undefined && times[0]! > plan.longRunMs) break;
  }
  return times;
}

export interface GpuTiming {
  /** Median kernel time: timestamps when every run wrote them, else wall. */
  ms: number;
  source: TimingSource;
  /** Median wall time of the same runs (op call to onSubmittedWorkDone). */
  wallMs: number;
  runs: number;
}

/** The hook of our WebGPU backend: timestamps for the next op's passes. */
export interface TimestampTarget {
  device: GPUDevice;
  timestamps: TimestampSink | undefined;
}

/**
 * Times `op` (which submits its work and returns once submitted) on our backend. Each run ends with
 * onSubmittedWorkDone, so runs do not overlap and the wall time is honest too.
 */
export async function timeGpu(target: TimestampTarget, plan: RunPlan, op: () => Promise<void>): Promise<GpuTiming> {
  const { device } = target;
  const queue = device.queue;
  const useTimestamps = device.features.has('timestamp-query');
  const count = 2 * plan.maxRuns;
  const querySet = useTimestamps ? device.createQuerySet({ type: 'timestamp', count }) : undefined;
  try {
    const walls = await repeat(plan, async (i) => {
      if (querySet && i >= 0) target.timestamps = { querySet, beginIndex: 2 * i };
      try {
        await op();
      } finally {
        target.timestamps = undefined;
      }
      await queue.onSubmittedWorkDone();
    });
    const wallMs = median(walls);
    const kernel = querySet ? await readDurations(device, querySet, walls.length) : undefined;
    if (kernel) return { ms: median(kernel), source: 'gpu-timestamp', wallMs, runs: walls.length };
    return { ms: wallMs, source: 'wall', wallMs, runs: walls.length };
  } finally {
    querySet?.destroy();
  }
}

/**
 * One empty submission's round trip: an empty command buffer submitted and
 * `queue.onSubmittedWorkDone()` resolved, the floor under any call's latency (BENCHMARKS.md target 4
 * compares batch-1 end-to-end latency with it). Median of `runs` after a few warm-up ones.
 */
export async function measureRoundTrip(device: GPUDevice, runs = 50): Promise<{ ms: number; runs: number }> {
  const once = async () => {
    device.queue.submit([device.createCommandEncoder({ label: 'bench.round-trip' }).finish()]);
    await device.queue.onSubmittedWorkDone();
  };
  const times = await repeat({ warmup: 5, minRuns: runs, maxRuns: runs, budgetMs: Infinity, e2eRuns: 0 }, once);
  return { ms: median(times), runs: times.length };
}

