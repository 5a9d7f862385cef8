/**
 * The CPU benchmarks' timing (bench/cpu-*.ts): batches of each side alternate, each batch at least
 * 20 ms, and each side reports its best batch mean, so that load from other processes on this
 * noisy 2-core machine shows up as noise rather than as a bias against one side.
 */
export type Side = () => unknown;

/** Mean ms per call over `reps` calls. */
export async function batchMs(f: Side, reps: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await f();
  return (performance.now() - t0) / reps;
}

/** Best batch mean (ms per call) of each side over `batches` alternating batches. */
export async function bestOfAlternating(sides: Record<string, Side>, batches: number): Promise<Record<string, number>> {
  const reps: Record<string, number> = {};
  const best: Record<string, number> = {};
  for (const [n, f] of Object.entries(sides)) {
    await batchMs(f, 3);
    reps[n] = Math.max(1, Math.ceil(20 / Math.max(await batchMs(f, 3), 0.01)));
    best[n] = Infinity;
  }
  for (let b = 0; b < batches; b++) for (const [n, f] of Object.entries(sides)) best[n] = Math.min(best[n]!, await batchMs(f, reps[n]!));
  return best;
}
