/**
 * The WebAssembly SIMD kernels (wasm/pool-simd/*.wat): max and average pooling forward, global max
 * and global average, four floats per instruction. Max and global max use the reference's
 * comparison, so values and indices are its bits; global average sums in f64 (NHWC in the
 * reference's order, bit for bit); windowed average sums in f32 in the reference's order, within
 * docs/semantics.md's tolerance. Each function returns null where it does not apply (no WebAssembly
 * SIMD in this engine, zero padding, too few channels, a huge input), and the caller runs its
 * JavaScript kernel instead.
 *
 * One instance, compiled on first use, serves every call; its memory holds the call's tables,
 * input and outputs, and grows to the largest call up to KEEP_BYTES (wasm memory never shrinks, so
 * a one-off huge tensor must not pin its size for the life of the page). Larger calls run in
 * chunks of whole units (NCHW planes, NHWC images), each copied in, pooled and copied out; a
 * single unit larger than that runs the JavaScript kernel.
 */
import type { AvgPoolParams, Layout, MaxPoolParams, PlaneShape, PoolGeometry } from '../types.js';
import { axisTaps, type AxisTaps } from './axis-taps.js';
import { divisorFactors } from './avg-divisors.js';
import { fullWindows } from './small-window.js';
import { planBlocks, stageLayout, type Addresses, type Call, type RowSplit, type StagedCall, type Units } from './simd-blocks.js';
import { takeFloat32, takeInt32 } from './host-arrays.js';
import { runAlone, startThreads, threadPool } from './threads.js';

interface SimdExports {
  memory: WebAssembly.Memory;
  max_nhwc(x: number, out: number, idx: number, withIdx: number, images: number, C: number, H: number, W: number, outH: number, outW: number, rows: number, cols: number, dH: number, dW: number): void;
  max_nchw(x: number, out: number, idx: number, withIdx: number, planes: number, H: number, W: number, outH: number, outW: number, rows: number, cols: number, dH: number, dW: number, sW: number, kW: number, padLeft: number, lo: number, hi: number): void;
  max_nchw_values(x: number, out: number, planes: number, H: number, W: number, outH: number, outW: number, rows: number, dH: number, dW: number, sW: number, kW: number, padLeft: number, lo: number, hi: number): void;
  avg_nhwc(x: number, out: number, images: number, C: number, H: number, W: number, outH: number, outW: number, rows: number, cols: number, rowF: number, colF: number, override: number): void;
  avg_nchw(x: number, out: number, planes: number, H: number, W: number, outH: number, outW: number, rows: number, cols: number, rowF: number, colF: number, override: number, sW: number, kW: number, padLeft: number, lo: number, hi: number): void;
  global_max_nhwc(x: number, out: number, idx: number, N: number, C: number, HW: number): void;
  global_max_nchw(x: number, out: number, idx: number, planes: number, HW: number): void;
  global_avg_nhwc(x: number, out: number, sums: number, N: number, C: number, HW: number): void;
  global_avg_nchw(x: number, out: number, sums: number, planes: number, HW: number): void;
  global_sum_nhwc(x: number, sums: number, C: number, HW: number): void;
  global_sum_nchw(x: number, sums: number, n: number): void;
}

/** The most memory the shared instance may hold (input, outputs and tables of one call). */
const KEEP_BYTES = 32 << 20;
const PAGE = 65536;

let compiled: WebAssembly.Module | null | undefined;
/** The kernels' binary, once loadSimdKernels() has fetched its module. */
let wasmBase64: string | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads the kernels' binary: a module of its own (a chunk in the package's bundle), so that an app
 * on WebGPU alone never loads it. createPooling() awaits it before it returns a context that runs
 * on the CPU; until then (or if it fails) the JavaScript kernels run, with the same results.
 */
export function loadSimdKernels(): Promise<void> {
  loading ??= import('./wasm/pool-simd.wasm.js').then(
    (m) => {
      wasmBase64 = m.WASM_BASE64;
      sharedBase64 = m.WASM_SHARED_BASE64;
      sharedPages = m.WASM_SHARED_PAGES;
    },
    () => undefined,
  );
  return loading;
}
let sharedBase64: string | undefined;
let sharedPages = 0;
let memoryLimit = KEEP_BYTES;
/** The threads the running call may use (withThreads); 1 outside one. */
let callThreads = 1;
/**
 * Calls that move fewer bytes (input and outputs) than this stay on one thread. Measured on the
 * 2-core test machine (docs/cpu-backend.md, "Threads"): a job costs a message to each worker and a
 * wake-up, and a block staged from a SharedArrayBuffer copies slower than from a plain one, so
 * single images of 1–3 MB (1×64×112×112) ran no faster on two threads, 1×64×224×224 (16 MB)
 * up to 2× faster.
 */
export const THREADED_BYTES = 8 << 20;
let threadedBytes = THREADED_BYTES;

/** Sets the size from which calls may run on threads (back to THREADED_BYTES without an argument): tests thread small calls. */
export function setThreadedMinimum(bytes: number = THREADED_BYTES): void {
  threadedBytes = bytes;
}
/** Blocks per thread of a threaded call: enough for one slow thread to be made up by the others. */
const BLOCKS_PER_THREAD = 4;

/**
 * Runs `f` (a synchronous kernel call) with up to `threads` threads for the SIMD kernels it calls.
 * The pool must have been started (startCpuThreads); until it has, calls run on one thread.
 */
export function withThreads<T>(threads: number, f: () => T): T {
  const before = callThreads;
  callThreads = threads;
  try {
    return f();
  } finally {
    callThreads = before;
  }
}

/**
 * Starts the process's kernel threads (threads.ts), at least `threads` with the calling one, after
 * loadSimdKernels(). Resolves with the threads calls may use: 1 where threads cannot run here.
 */
export async function startCpuThreads(threads: number): Promise<number> {
  await loadSimdKernels();
  if (threads <= 1 || simdModule() === null) return 1;
  // Every CPU context comes here: once the pool has the threads, nothing more to do.
  const running = threadPool();
  if (running && running.size >= threads) return threads;
  const module = sharedModule();
  if (module === null) return 1;
  const pool = await startThreads(threads, module, sharedPages);
  return Math.min(threads, pool?.size ?? 1);
}

let compiledShared: WebAssembly.Module | null | undefined;

/** The shared-memory build of the kernels, compiled once; null where it cannot be. */
function sharedModule(): WebAssembly.Module | null {
  if (compiledShared === undefined) compiledShared = sharedBase64 === undefined ? null : compile(sharedBase64);
  return compiledShared;
}

/** A module from its base64 bytes; null without WebAssembly (or its SIMD, or threads). */
function compile(base64: string): WebAssembly.Module | null {
  try {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    return null;
  }
}
let shared: SimdExports | null = null;
let enabled = true;

/** Turns the SIMD kernels off (true: back on), so that tests can hold the JavaScript kernels to the reference too. */
export function setSimdEnabled(on: boolean): void {
  enabled = on;
}

/** Sets the most memory the instance may hold (back to 32 MiB without an argument): tests use a small one to make many chunks. */
export function setSimdMemoryLimit(bytes: number = KEEP_BYTES): void {
  memoryLimit = bytes;
}

/** True when this engine runs the SIMD kernels (WebAssembly with the SIMD proposal) and they are enabled. */
export function simdAvailable(): boolean {
  return enabled && simdModule() !== null;
}

function simdModule(): WebAssembly.Module | null {
  if (wasmBase64 === undefined) return null;
  // No WebAssembly, no SIMD, or synchronous compilation refused here: null, and the JavaScript kernels run.
  if (compiled === undefined) compiled = compile(wasmBase64);
  return compiled;
}

/** Bump allocation of one call's regions, 16-byte aligned, with 16 bytes of slack after each. */
class Layout16 {
  bytes = 0;
  take(byteLength: number): number {
    const at = this.bytes;
    this.bytes += Math.ceil((byteLength + 16) / 16) * 16;
    return at;
  }
}

/**
 * Room on both sides of a windowed op's input for the NCHW border groups, whose vector loads reach
 * a window's padded taps (masked out, but read) up to a padding, a stride and a window past either
 * end of the data.
 */
function windowReach(p: PoolGeometry): number {
  return 4 * (Math.max(p.padLeft, p.padRight) + 2 * p.sW + p.dW * p.kW + 4);
}

/** The shared instance, its memory grown to at least `bytes`; null when the kernels are off. */
function instanceFor(bytes: number): SimdExports | null {
  const module = simdModule();
  if (!enabled || module === null) return null;
  shared ??= new WebAssembly.Instance(module).exports as unknown as SimdExports;
  const have = shared.memory.buffer.byteLength / PAGE;
  const pages = Math.ceil(bytes / PAGE);
  if (pages > have) shared.memory.grow(pages - have);
  return shared;
}

type KernelName = Exclude<keyof SimdExports, 'memory'>;

const callKernel = (e: SimdExports, c: Call) => (e[c.fn as KernelName] as (...a: number[]) => void)(...c.args);

/**
 * Runs `kernel` over the units, as many at a time as fit in KEEP_BYTES: `tables` lays out (and
 * returns the writer of) what every chunk shares, then each chunk's input is copied in, the kernel
 * runs on it, and its outputs are copied out. Null when there is nothing to do or one unit alone
 * does not fit: the JavaScript kernels run those. Global ops run here; windowed ops where runStaged
 * cannot (a stage smaller than one output row).
 */
function runInChunks(
  x: Float32Array,
  units: Units,
  withIndices: boolean,
  reach: number,
  tables: (layout: Layout16) => (memory: WebAssembly.Memory) => void,
  kernel: (at: Addresses, count: number, r0: number, rn: number) => Call,
  outH = 0,
): { output: Float32Array; indices: Int32Array | null } | null {
  if (!enabled || units.count === 0 || units.inputs === 0 || units.outputs === 0) return null;
  const layout = new Layout16();
  const writeTables = tables(layout);
  const perUnit = 4 * (units.inputs + units.outputs * (withIndices ? 2 : 1));
  const chunk = Math.min(units.count, Math.floor((memoryLimit - layout.bytes - 2 * reach - 64) / perUnit));
  if (chunk < 1) return null;
  layout.take(reach);
  const xAt = layout.take(chunk * units.inputs * 4);
  layout.take(reach);
  const outAt = layout.take(chunk * units.outputs * 4);
  const idxAt = withIndices ? layout.take(chunk * units.outputs * 4) : 0;
  const at: Addresses = { x: xAt, out: outAt, idx: idxAt };
  const e = instanceFor(layout.bytes);
  if (e === null) return null;
  writeTables(e.memory);
  const output = new Float32Array(units.count * units.outputs);
  const indices = withIndices ? new Int32Array(units.count * units.outputs) : null;
  for (let first = 0; first < units.count; first += chunk) {
    const n = Math.min(chunk, units.count - first);
    new Float32Array(e.memory.buffer, xAt, n * units.inputs).set(x.subarray(first * units.inputs, (first + n) * units.inputs));
    callKernel(e, kernel(at, n, 0, outH));
    output.set(new Float32Array(e.memory.buffer, outAt, n * units.outputs), first * units.outputs);
    indices?.set(new Int32Array(e.memory.buffer, idxAt, n * units.outputs), first * units.outputs);
  }
  return { output, indices };
}

/**
 * A windowed call in staged blocks (simd-blocks.ts): on the call's threads where it may use more than
 * one, its input is in a SharedArrayBuffer and it is large enough, else on this thread. Null when a
 * stage cannot hold one output row (the caller then runs the chunked path).
 */
function runStaged(
  x: Float32Array,
  c: StagedCall,
  reach: number,
  tables: (layout: Layout16) => (memory: WebAssembly.Memory) => void,
): { output: Float32Array; indices: Int32Array | null } | null {
  const { units } = c;
  if (!enabled || units.count === 0 || units.inputs === 0 || units.outputs === 0) return null;
  const pool = threadPool();
  const bytes = 4 * units.count * (units.inputs + units.outputs * (c.withIndices ? 2 : 1));
  let threads = Math.min(callThreads, pool?.size ?? 1);
  if (!pool || bytes < threadedBytes || !(x.buffer instanceof SharedArrayBuffer)) threads = 1;
  const stage = stageLayout(reach);
  const layoutFor = (slots: number) => {
    const layout = new Layout16();
    const writeTables = tables(layout);
    const slotsAt = layout.take(slots * stage.slotBytes);
    return { layout, writeTables, slotsAt };
  };
  let placed = layoutFor(threads);
  if (threads > 1 && placed.layout.bytes > pool!.memory.buffer.byteLength) placed = layoutFor((threads = 1));
  const plan = planBlocks(c, stage, threads, BLOCKS_PER_THREAD);
  if (plan === null) return null;
  const total = units.count * units.outputs;
  // Reused arrays (host-arrays.ts): the blocks write every output and index.
  const output = takeFloat32(total, threads > 1);
  const indices = c.withIndices ? takeInt32(total, threads > 1) : null;
  const job = {
    ...plan,
    slotsAt: placed.slotsAt,
    slotBytes: stage.slotBytes,
    xStage: stage.xStage,
    outStage: stage.outStage,
    idxStage: stage.idxStage,
    x: x.buffer,
    xOffset: x.byteOffset,
    xLength: x.length,
    out: output.buffer,
    outLength: total,
    idx: indices?.buffer ?? null,
    idxLength: indices ? total : 0,
  };
  if (threads > 1) {
    placed.writeTables(pool!.memory);
    pool!.run(job, threads);
  } else {
    const e = instanceFor(placed.layout.bytes);
    if (e === null) return null;
    placed.writeTables(e.memory);
    runAlone(job, e as unknown as Record<string, unknown>, e.memory);
  }
  return { output, indices };
}

/** Per output row or column: the first real tap's input coordinate and the number of real taps. */
function writeTaps(memory: WebAssembly.Memory, at: number, taps: AxisTaps, dilation: number): void {
  const table = new Int32Array(memory.buffer, at, taps.start.length * 2);
  for (let o = 0; o < taps.start.length; o++) {
    const first = taps.first[o]!;
    table[2 * o] = taps.start[o]! + first * dilation;
    table[2 * o + 1] = Math.max(0, taps.end[o]! - first);
  }
}

function windowTaps(p: PoolGeometry): { rows: AxisTaps; cols: AxisTaps } {
  return {
    rows: axisTaps(p.outH, p.H, p.kH, p.sH, p.dH, p.padTop, p.padBottom),
    cols: axisTaps(p.outW, p.W, p.kW, p.sW, p.dW, p.padLeft, p.padRight),
  };
}

/** NCHW: planes of one channel; NHWC: images of C interleaved channels. */
function windowUnits(layout: Layout, p: PoolGeometry): Units {
  const C = layout === 'NCHW' ? 1 : p.C;
  return { count: layout === 'NCHW' ? p.N * p.C : p.N, inputs: p.H * p.W * C, outputs: p.outH * p.outW * C };
}

function planeUnits(layout: Layout, s: PlaneShape): Units {
  const C = layout === 'NCHW' ? 1 : s.C;
  return { count: layout === 'NCHW' ? s.N * s.C : s.N, inputs: s.H * s.W * C, outputs: C };
}

export function maxPoolSimd(x: Float32Array, layout: Layout, p: MaxPoolParams, withIndices: boolean): { output: Float32Array; indices: Int32Array | null } | null {
  if (!simdAvailable() || p.padWithZero || (layout === 'NHWC' && p.C < 4)) return null;
  const { rows, cols } = windowTaps(p);
  const full = fullWindows(cols, p.kW);
  let rowsAt = 0;
  let colsAt = 0;
  const tables = (layout16: Layout16) => {
    rowsAt = layout16.take(p.outH * 8);
    colsAt = layout16.take(p.outW * 8);
    return (memory: WebAssembly.Memory) => {
      writeTaps(memory, rowsAt, rows, p.dH);
      writeTaps(memory, colsAt, cols, p.dW);
    };
  };
  const flag = withIndices ? 1 : 0;
  const kernel = (at: Addresses, n: number, r0: number, rn: number): Call => {
    const rowTable = rowsAt + r0 * 8;
    if (layout === 'NHWC') return { fn: 'max_nhwc', args: [at.x, at.out, at.idx, flag, n, p.C, p.H, p.W, rn, p.outW, rowTable, colsAt, p.dH, p.dW] };
    if (!withIndices && p.outW >= 4) return { fn: 'max_nchw_values', args: [at.x, at.out, n, p.H, p.W, rn, p.outW, rowTable, p.dH, p.dW, p.sW, p.kW, p.padLeft, full.lo, full.hi] };
    return { fn: 'max_nchw', args: [at.x, at.out, at.idx, flag, n, p.H, p.W, rn, p.outW, rowTable, colsAt, p.dH, p.dW, p.sW, p.kW, p.padLeft, full.lo, full.hi] };
  };
  const units = windowUnits(layout, p);
  const staged: StagedCall = { units, rows: rowSplit(layout, p, rows), withIndices, idxArg: 2, kernel };
  return runStaged(x, staged, windowReach(p), tables) ?? runInChunks(x, units, withIndices, windowReach(p), tables, kernel, p.outH);
}

/** A windowed op's output rows and the input rows each reads (RowSplit). */
function rowSplit(layout: Layout, p: PoolGeometry, rows: AxisTaps): RowSplit {
  const C = layout === 'NCHW' ? 1 : p.C;
  return {
    outH: p.outH,
    rowOutputs: p.outW * C,
    rowInputs: p.W * C,
    rowSpan(o) {
      const first = rows.first[o]!;
      const count = rows.end[o]! - first;
      if (count <= 0) return [0, -1];
      const h0 = rows.start[o]! + first * p.dH;
      return [h0, h0 + (count - 1) * p.dH];
    },
  };
}

export function avgPoolSimd(x: Float32Array, layout: Layout, p: AvgPoolParams): Float32Array | null {
  if (!simdAvailable() || (layout === 'NHWC' && p.C < 4)) return null;
  const { rows, cols } = windowTaps(p);
  const full = fullWindows(cols, p.kW);
  let rowsAt = 0;
  let colsAt = 0;
  let rowFAt = 0;
  let colFAt = 0;
  const tables = (layout16: Layout16) => {
    rowsAt = layout16.take(p.outH * 8);
    colsAt = layout16.take(p.outW * 8);
    rowFAt = layout16.take(p.outH * 4);
    colFAt = layout16.take(p.outW * 4);
    return (memory: WebAssembly.Memory) => {
      writeTaps(memory, rowsAt, rows, p.dH);
      writeTaps(memory, colsAt, cols, p.dW);
      new Float32Array(memory.buffer, rowFAt, p.outH).set(divisorFactors(p, rows));
      new Float32Array(memory.buffer, colFAt, p.outW).set(divisorFactors(p, cols));
    };
  };
  const kernel = (at: Addresses, n: number, r0: number, rn: number): Call => {
    const rowTable = rowsAt + r0 * 8;
    const rowFactors = rowFAt + r0 * 4;
    if (layout === 'NHWC') return { fn: 'avg_nhwc', args: [at.x, at.out, n, p.C, p.H, p.W, rn, p.outW, rowTable, colsAt, rowFactors, colFAt, p.divisorOverride] };
    return { fn: 'avg_nchw', args: [at.x, at.out, n, p.H, p.W, rn, p.outW, rowTable, colsAt, rowFactors, colFAt, p.divisorOverride, p.sW, p.kW, p.padLeft, full.lo, full.hi] };
  };
  const units = windowUnits(layout, p);
  const staged: StagedCall = { units, rows: rowSplit(layout, p, rows), withIndices: false, idxArg: -1, kernel };
  const result = runStaged(x, staged, windowReach(p), tables) ?? runInChunks(x, units, false, windowReach(p), tables, kernel, p.outH);
  return result?.output ?? null;
}

export function globalMaxPoolSimd(x: Float32Array, layout: Layout, s: PlaneShape): { output: Float32Array; indices: Int32Array } | null {
  if (layout === 'NHWC' && s.C % 4 !== 0) return null;
  const result = runInChunks(x, planeUnits(layout, s), true, 0, () => () => {}, (at, n): Call =>
    layout === 'NHWC' ? { fn: 'global_max_nhwc', args: [at.x, at.out, at.idx, n, s.C, s.H * s.W] } : { fn: 'global_max_nchw', args: [at.x, at.out, at.idx, n, s.H * s.W] },
  );
  return result === null ? null : { output: result.output, indices: result.indices! };
}

/** f64 sums: NHWC per channel in the reference's order, NCHW in four lanes like the JavaScript kernel. */
export function globalAvgPoolSimd(x: Float32Array, layout: Layout, s: PlaneShape): Float32Array | null {
  if (layout === 'NHWC' && s.C % 4 !== 0) return null;
  let sumsAt = 0;
  const tables = (layout16: Layout16) => {
    sumsAt = layout16.take(Math.max(4, s.C) * 8);
    return () => {};
  };
  const result = runInChunks(x, planeUnits(layout, s), false, 0, tables, (at, n): Call =>
    layout === 'NHWC' ? { fn: 'global_avg_nhwc', args: [at.x, at.out, sumsAt, n, s.C, s.H * s.W] } : { fn: 'global_avg_nchw', args: [at.x, at.out, sumsAt, n, s.H * s.W] },
  );
  return result?.output ?? null;
}

/**
 * Adds a run of one unit's pixels into its running f64 sums, as global_avg_* sums a whole unit:
 * NCHW `x` is a run of one plane that starts on a multiple of 4 elements (four lane sums; a run
 * whose length is not a multiple of 4 must be the plane's last), NHWC `x` a run of pixels of C
 * channels (C sums, C % 4 == 0). The CPU backend sums a plane too large for one slice this way, in
 * runs that yield between them (src/host/cpu-chunks.ts), to the bits of one whole call. False when
 * the SIMD kernels are off or cannot take it: the caller sums in JavaScript, in the same order.
 */
export function addGlobalSumsSimd(x: Float32Array, layout: Layout, C: number, sums: Float64Array): boolean {
  const channels = layout === 'NHWC' ? C : 1;
  if ((layout === 'NHWC' && C % 4 !== 0) || sums.length !== (layout === 'NHWC' ? C : 4)) return false;
  if (x.length === 0) return true;
  const layout16 = new Layout16();
  const sumsAt = layout16.take(sums.length * 8);
  // Whole pixels per copy, and whole groups of four elements on NCHW (the tail only in the last).
  const room = Math.floor((memoryLimit - layout16.bytes - 64) / (4 * channels * 4)) * 4;
  if (room < 4) return false;
  const pixels = x.length / channels;
  const perCopy = Math.min(pixels, room);
  const xAt = layout16.take(perCopy * channels * 4);
  const e = instanceFor(layout16.bytes);
  if (e === null) return false;
  new Float64Array(e.memory.buffer, sumsAt, sums.length).set(sums);
  for (let first = 0; first < pixels; first += perCopy) {
    const n = Math.min(perCopy, pixels - first);
    new Float32Array(e.memory.buffer, xAt, n * channels).set(x.subarray(first * channels, (first + n) * channels));
    if (layout === 'NHWC') e.global_sum_nhwc(xAt, sumsAt, C, n);
    else e.global_sum_nchw(xAt, sumsAt, n);
  }
  sums.set(new Float64Array(e.memory.buffer, sumsAt, sums.length));
  return true;
}
