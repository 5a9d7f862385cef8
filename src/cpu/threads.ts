/**
 * The CPU backend's threads: workers that run the WebAssembly SIMD kernels beside the calling
 * thread, on one shared WebAssembly memory. A call (src/cpu/simd.ts) cuts its units (NCHW planes,
 * NHWC images, or output rows of one of them) into blocks, each a record of plain integers: which
 * kernel, its arguments, and which ranges to copy in and out. The calling thread posts the records
 * to every worker and takes blocks itself; whoever is free takes the next block (an atomic ticket),
 * so a worker that the OS has not scheduled holds up the call by at most the block it is running.
 *
 * Every block runs the same kernel over its own outputs, so the results are those of one thread, bit
 * for bit. Each thread stages its blocks in a slot of its own: it copies a block's input in from the
 * tensor, runs the kernel and copies the outputs out to the result (both SharedArrayBuffer-backed),
 * so the copies run in parallel too, in cache. One thread runs the same records (simd.ts).
 *
 * One pool per process (or page), shared by every context: workers start once, on the first context
 * that asks for more than one thread, and never keep a Node process alive (unref). Threads need
 * SharedArrayBuffer and a shared WebAssembly memory (Node; in browsers only where
 * `crossOriginIsolated`) and workers; without them every call runs on the calling thread.
 */

/** Integers per block record: kernel, argument count, ARGS_MAX arguments, then 7 fields (runBlocks). */
export const ARGS_MAX = 20;
export const BLOCK_RECORD = 2 + ARGS_MAX + 7;
/** Tickets hold the job id in the high 15 bits and the next block in the low 16. */
export const MAX_BLOCKS = 0xffff;

/** What one job sends to every thread. */
export interface ThreadJob {
  id: number;
  fns: string[];
  /** BLOCK_RECORD integers per block (see runBlocks). */
  blocks: Int32Array;
  /** Where each thread's staging slot starts in the wasm memory (bytes), and each slot's size. */
  slotsAt: number;
  slotBytes: number;
  /** Where, inside a slot, a block's input, outputs and indices are staged (bytes). */
  xStage: number;
  outStage: number;
  idxStage: number;
  /** The input tensor's buffer, and its view (elements). */
  x: ArrayBufferLike;
  xOffset: number;
  xLength: number;
  out: ArrayBufferLike;
  outLength: number;
  idx: ArrayBufferLike | null;
  idxLength: number;
}

/**
 * Takes blocks of job `m` until none is left, on any thread; `slot` is the thread's own staging
 * area (stringified into the workers: it must not refer to anything outside itself). A block
 * record: [kernel, argc, args × ARGS_MAX, idxArg, xSrc, xLen, outDst, outLen, idxDst, idxLen].
 * Arguments 0 and 1 (the input and output addresses) and argument idxArg (the indices' address,
 * when idxArg >= 0) are relative to the slot; the others are absolute (tables, sizes). The block
 * copies xLen elements of the input from xSrc into its slot, runs the kernel, and copies outLen
 * outputs (and idxLen indices) from its slot to outDst (idxDst). Staged blocks stay in the
 * thread's cache: the input is read from memory once, the staging area is reused.
 */
export function runBlocks(m: ThreadJob, exports: Record<string, unknown>, memory: WebAssembly.Memory, ctrl: Int32Array, argsMax: number, slot: number): number {
  const record = 2 + argsMax + 7;
  const n = m.blocks.length / record;
  const fns = m.fns.map((f) => exports[f] as (...a: number[]) => void);
  const heapF = new Float32Array(memory.buffer);
  const heapI = new Int32Array(memory.buffer);
  const base = m.slotsAt + slot * m.slotBytes;
  const xAt = (base + m.xStage) >> 2;
  const outAt = (base + m.outStage) >> 2;
  const idxAt = (base + m.idxStage) >> 2;
  const x = new Float32Array(m.x, m.xOffset, m.xLength);
  const out = new Float32Array(m.out, 0, m.outLength);
  const idx = m.idx === null ? null : new Int32Array(m.idx, 0, m.idxLength);
  const b = m.blocks;
  let ran = 0;
  for (;;) {
    const t = Atomics.load(ctrl, 0);
    if (t >>> 16 !== m.id || (t & 0xffff) >= n) return ran;
    if (Atomics.compareExchange(ctrl, 0, t, t + 1) !== t) continue;
    const r = (t & 0xffff) * record;
    const args: number[] = [];
    for (let i = 0; i < b[r + 1]!; i++) args.push(b[r + 2 + i]!);
    const c = r + 2 + argsMax;
    args[0] = (args[0]! + base) | 0;
    args[1] = (args[1]! + base) | 0;
    if (b[c]! >= 0) args[b[c]!] = (args[b[c]!]! + base) | 0;
    if (b[c + 2]! > 0) heapF.set(x.subarray(b[c + 1]!, b[c + 1]! + b[c + 2]!), xAt);
    fns[b[r]!]!(...args);
    out.set(heapF.subarray(outAt, outAt + b[c + 4]!), b[c + 3]!);
    if (idx !== null && b[c + 6]! > 0) idx.set(heapI.subarray(idxAt, idxAt + b[c + 6]!), b[c + 5]!);
    ran++;
    Atomics.add(ctrl, 1, 1);
    Atomics.notify(ctrl, 1);
  }
}

/** Runs every block of `job` on the calling thread alone, slot 0 (no workers, any memory). */
export function runAlone(job: Omit<ThreadJob, 'id'>, exports: Record<string, unknown>, memory: WebAssembly.Memory): void {
  const ctrl = new Int32Array(2);
  ctrl[0] = 1 << 16;
  runBlocks({ ...job, id: 1 }, exports, memory, ctrl, ARGS_MAX, 0);
}

/** A worker's whole program: instantiate the module on the shared memory, then run the jobs it is sent. */
function workerSource(): string {
  return `'use strict';
const runBlocks = ${runBlocks.toString()};
let instance = null, memory = null, ctrl = null, slot = 0, post = null;
function onMessage(m) {
  if (m.init) {
    memory = m.memory;
    slot = m.slot;
    ctrl = new Int32Array(m.ctrl);
    instance = new WebAssembly.Instance(m.module, { env: { memory } });
    post('ready');
    return;
  }
  runBlocks(m, instance.exports, memory, ctrl, ${ARGS_MAX}, slot);
}
if (typeof require === 'function') {
  const { parentPort } = require('node:worker_threads');
  post = (v) => parentPort.postMessage(v);
  parentPort.on('message', onMessage);
} else {
  post = (v) => self.postMessage(v);
  self.onmessage = (e) => onMessage(e.data);
}
`;
}

interface AnyWorker {
  postMessage(m: unknown): void;
  terminate(): unknown;
}

/** One started worker, in Node (worker_threads) or a browser (a Blob URL worker). */
async function startWorker(source: string, init: unknown): Promise<AnyWorker> {
  const g = globalThis as unknown as { process?: { versions?: { node?: string } }; Worker?: new (url: string) => Worker };
  if (g.process?.versions?.node) {
    const specifier = 'node:worker_threads';
    const { Worker } = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as typeof import('node:worker_threads');
    const w = new Worker(source, { eval: true });
    w.unref();
    await new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('error', reject);
      w.postMessage(init);
    });
    return w;
  }
  if (typeof g.Worker !== 'function' || typeof Blob === 'undefined' || typeof URL.createObjectURL !== 'function') throw new Error('no workers here');
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const w = new g.Worker(url);
  URL.revokeObjectURL(url);
  await new Promise<void>((resolve, reject) => {
    w.onmessage = () => resolve();
    w.onerror = (e) => reject(new Error(e.message));
    w.postMessage(init);
  });
  return w;
}

/** Whether this thread may block in Atomics.wait (Node, workers; not a browser's main thread). */
function mayBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** The process's workers on one shared memory, and the calling thread's instance on it. */
export class ThreadPool {
  private nextId = 1;
  private readonly canBlock = mayBlock();
  /** Jobs run, and their blocks: all, and those the workers took (tests check that they help). */
  readonly stats = { jobs: 0, blocks: 0, workerBlocks: 0 };

  constructor(
    readonly memory: WebAssembly.Memory,
    readonly exports: Record<string, unknown>,
    private readonly ctrl: Int32Array,
    readonly workers: readonly AnyWorker[],
  ) {}

  /** Threads a call may use: the workers and the calling thread. */
  get size(): number {
    return this.workers.length + 1;
  }

  /** Runs every block of `job` (its id is set here) on up to `threads` threads; returns when all are done. */
  run(job: Omit<ThreadJob, 'id'>, threads: number): void {
    const n = job.blocks.length / BLOCK_RECORD;
    if (!Number.isInteger(n) || n > MAX_BLOCKS) throw new Error(`a thread job of ${n} blocks`);
    const id = this.nextId;
    this.nextId = (this.nextId % 0x7fff) + 1;
    const m: ThreadJob = { ...job, id };
    Atomics.store(this.ctrl, 1, 0);
    Atomics.store(this.ctrl, 0, id << 16);
    const helpers = Math.min(this.workers.length, threads - 1, n - 1);
    for (let i = 0; i < helpers; i++) this.workers[i]!.postMessage(m);
    const mine = runBlocks(m, this.exports, this.memory, this.ctrl, ARGS_MAX, 0);
    for (;;) {
      const done = Atomics.load(this.ctrl, 1);
      if (done >= n) break;
      if (this.canBlock) Atomics.wait(this.ctrl, 1, done, 2);
    }
    this.stats.jobs++;
    this.stats.blocks += n;
    this.stats.workerBlocks += n - mine;
  }
}

let pool: ThreadPool | null = null;
let starting: Promise<ThreadPool | null> | null = null;
let startedFor = 0;

/** The pool when it has started; null before, or where threads cannot run. */
export function threadPool(): ThreadPool | null {
  return pool;
}

/** The threads 'auto' takes: the machine's logical processors, at most 4 (the kernels are memory-bound). */
export async function defaultThreadCount(): Promise<number> {
  const g = globalThis as unknown as { navigator?: { hardwareConcurrency?: number }; process?: { versions?: { node?: string } } };
  let n = g.navigator?.hardwareConcurrency;
  if (n === undefined && g.process?.versions?.node) {
    const specifier = 'node:os';
    n = ((await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as typeof import('node:os')).availableParallelism();
  }
  return Math.max(1, Math.min(4, typeof n === 'number' && n > 0 ? n : 1));
}

/**
 * Starts the pool with at least `threads` threads (the calling one included) on the shared-memory
 * build of the kernels; resolves with the pool, or null where threads cannot run here (then every
 * call runs on its own thread, with the same results).
 */
export function startThreads(threads: number, module: WebAssembly.Module, memoryPages: number): Promise<ThreadPool | null> {
  if (threads <= 1) return Promise.resolve(pool);
  if (pool && pool.size >= threads) return Promise.resolve(pool);
  if (starting && startedFor >= threads) return starting;
  startedFor = threads;
  // One start at a time: a larger request waits for the one under way, then grows its pool.
  starting = (starting ?? Promise.resolve(null)).then(async () => {
    const previous = pool;
    if (previous && previous.size >= threads) return previous;
    try {
      if (typeof SharedArrayBuffer === 'undefined' || (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) return previous;
      const memory = previous?.memory ?? new WebAssembly.Memory({ initial: memoryPages, maximum: memoryPages, shared: true });
      const exports = previous?.exports ?? (new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, unknown>);
      const ctrlBuffer = new SharedArrayBuffer(8);
      const source = workerSource();
      // Worker i stages its blocks in slot i + 1; the calling thread uses slot 0.
      const workers = await Promise.all(Array.from({ length: threads - 1 }, (_, i) => startWorker(source, { init: true, module, memory, ctrl: ctrlBuffer, slot: i + 1 })));
      // The old pool's workers are idle (calls are synchronous): let them go.
      for (const w of previous?.workers ?? []) w.terminate();
      pool = new ThreadPool(memory, exports, new Int32Array(ctrlBuffer), workers);
      return pool;
    } catch {
      return previous;
    }
  });
  return starting;
}
