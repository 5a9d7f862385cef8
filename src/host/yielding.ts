/**
 * Yielding to the event loop (README, Robustness: "event loop"): the macrotask boundary, the pacer
 * that sizes slices of work by measured time and yields between them, and a large copy made in
 * such slices. The WebGPU backend uses these for its large reads and its pipeline waits; the CPU
 * backend's slices of kernels (cpu-chunks.ts) are built on them.
 */
import type { HostArray } from '../ops/descriptor.js';

/** Work (input + output elements) below which a call runs directly, in one stretch. */
export const DIRECT_BELOW = 1 << 18;
/** What one slice aims to take. */
export const SLICE_MS = 4;
/** The longest the loop runs before yielding. */
export const YIELD_MS = 6;

export const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

type Yielder = () => Promise<void>;

/**
 * A macrotask boundary: the browser's scheduler.yield() where there is one, Node's setImmediate, a
 * MessageChannel message, else a timeout (browsers clamp nested timeouts to 4 ms, hence last).
 */
export const yieldToEventLoop: Yielder = (() => {
  const g = globalThis as unknown as {
    scheduler?: { yield?: () => Promise<void> };
    setImmediate?: (f: () => void) => unknown;
    MessageChannel?: typeof MessageChannel;
  };
  if (g.scheduler && typeof g.scheduler.yield === 'function') return () => g.scheduler!.yield!();
  if (typeof g.setImmediate === 'function') return () => new Promise<void>((r) => g.setImmediate!(r));
  if (typeof g.MessageChannel === 'function') {
    return () =>
      new Promise<void>((r) => {
        const c = new g.MessageChannel!();
        c.port1.onmessage = () => {
          c.port1.close();
          r();
        };
        c.port2.postMessage(null);
      });
  }
  return () => new Promise<void>((r) => setTimeout(r, 0));
})();

/** Paces a loop of slices: sizes the next one from the rate measured so far, yields every YIELD_MS. */
export class Pacer {
  private work: number;
  private lastYield = now();

  constructor(private readonly fixed: number | undefined) {
    this.work = fixed ?? 1 << 16;
  }

  /** The work the next slice may take. */
  get budget(): number {
    return this.work;
  }

  /** Work and time of the slices run so far. */
  doneWork = 0;
  doneMs = 0;

  /** Runs one slice of `work` elements, then yields if the stretch has run long enough. */
  async run<T>(work: number, body: () => T): Promise<T> {
    const t0 = now();
    const value = body();
    const t1 = now();
    this.doneWork += work;
    this.doneMs += t1 - t0;
    if (this.fixed === undefined) {
      // Grow slowly, shrink at once: a slice that touches fresh memory or meets a GC runs slower.
      const rate = work / Math.max(t1 - t0, 0.05);
      this.work = Math.max(1, Math.min(this.work * 2, rate * SLICE_MS));
    }
    if (t1 - this.lastYield >= YIELD_MS || this.fixed !== undefined) {
      await yieldToEventLoop();
      this.lastYield = now();
    }
    return value;
  }
}


/** A copy of `data` made in slices that yield (read() of a large tensor, from host memory or a mapped GPU buffer). */
export async function copyInSlices<T extends HostArray | Uint8Array>(data: T): Promise<T> {
  if (data.length <= DIRECT_BELOW) return data.slice() as T;
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const pacer = new Pacer(undefined);
  for (let i = 0; i < data.length; ) {
    const end = Math.min(data.length, i + Math.max(4096, Math.floor(pacer.budget)));
    await pacer.run(end - i, () => out.set(data.subarray(i, end), i));
    i = end;
  }
  return out;
}

