/**
 * How many runs the page takes per measurement. BENCH.md asks for a median of ≥ 20 runs after
 * warm-up; quick mode (a software adapter, a CI browser) keeps the count but caps the time each
 * measurement may spend, so the whole quick page stays around a minute on SwiftShader.
 */
import type { RunPlan } from '../timing.js';

export function gpuPlan(quick: boolean): RunPlan {
  return quick ? { warmup: 2, minRuns: 5, maxRuns: 20, budgetMs: 150, e2eRuns: 3 } : { warmup: 3, minRuns: 20, maxRuns: 50, budgetMs: 1000, e2eRuns: 5 };
}

export function cpuPlan(quick: boolean): RunPlan {
  return quick ? { warmup: 0, minRuns: 1, maxRuns: 3, budgetMs: 100, e2eRuns: 1 } : { warmup: 1, minRuns: 3, maxRuns: 10, budgetMs: 1000, e2eRuns: 2 };
}

/** BENCH.md's 256 MiB copy, or 32 MiB in quick mode (still far past any cache). */
export function copyBytes(quick: boolean): number {
  return (quick ? 32 : 256) * 1024 * 1024;
}
