/**
 * How many runs the page takes per measurement: the same plans as the Node CLI (bench/cli.ts), so a
 * page run and a CLI run on one adapter measure alike. Quick mode keeps a software adapter to
 * seconds per case; full mode is BENCHMARKS.md's median of 20 runs after warm-up.
 */
import type { RunPlan } from '../timing.js';

export interface PagePlans {
  /** Our WebGPU ops. */
  gpu: RunPlan;
  /** GPU peers (TF.js), wall-timed and slower: a time budget caps them. */
  peer: RunPlan;
  /** CPU implementations. */
  cpu: RunPlan;
}

export function pagePlans(quick: boolean): PagePlans {
  return quick
    ? {
        gpu: { warmup: 2, minRuns: 5, maxRuns: 5, budgetMs: Infinity, e2eRuns: 2 },
        peer: { warmup: 2, minRuns: 3, maxRuns: 5, budgetMs: 500, e2eRuns: 2 },
        cpu: { warmup: 1, minRuns: 1, maxRuns: 3, budgetMs: 200, e2eRuns: 1 },
      }
    : {
        gpu: { warmup: 3, minRuns: 20, maxRuns: 20, budgetMs: Infinity, e2eRuns: 5 },
        peer: { warmup: 3, minRuns: 10, maxRuns: 20, budgetMs: 3000, e2eRuns: 3 },
        cpu: { warmup: 0, minRuns: 1, maxRuns: 3, budgetMs: 1000, e2eRuns: 1 },
      };
}

/** BENCHMARKS.md's 256 MiB copy; 32 MiB in quick mode, as the CLI. */
export function copyBytes(quick: boolean): number {
  return (quick ? 32 : 256) * 2 ** 20;
}
