/**
 * Large CPU work in slices that yield to the event loop, so that no synchronous stretch of the CPU
 * backend blocks a page (README, Robustness: "event loop"). Every descriptor's CPU kernel takes a
 * whole tensor; a slice is the same kernel over a sub-tensor, with the parameters resized to it,
 * and its outputs copied into the full outputs. Nothing of the kernels' math changes:
 *
 * - planes: channel-first tensors are N·C independent planes, so a slice is a run of planes seen as
 *   one image of that many channels ([1, planes, ...spatial]); channels-last tensors are N images,
 *   a slice a run of images. Every tensor of the op (x, y, indices, dy, dx) is contiguous per slice.
 * - rows, for one plane (or one channels-last image) that is itself too large, windowed ops only:
 *   a run of rows along the first spatial axis that is not of size 1, contiguous in both layouts.
 *   A forward slice is a run of output rows over the input rows their windows reach (the halo); a
 *   backward slice is a run of dx rows, computed from every dy row whose window reaches them. The
 *   slice's padding is set so that every window classifies each tap as the whole tensor does (real,
 *   declared padding, or ceil-mode overhang), hence the same maxima, indices, divisors and sums,
 *   in the same order. Indices are shifted by the slice's first row; one that is not on a real tap
 *   of its own window (saved from another window, out of the plane) sends nothing in the whole
 *   kernel (the index rule), so the slice gets -1 for it.
 *
 * - pixels, for one plane or channels-last image of a global op that is too large: runs of its
 *   pixels through the op's `cpuPixels` (descriptor.ts), which carries the reduction's state (the
 *   running winners, the f64 sums in their lanes) from run to run, so that the runs give the whole
 *   reduction's order and bits; the backward ops write each run's part of dx.
 *
 * Slices are sized by measured time (about SLICE_MS each) and the loop yields whenever YIELD_MS
 * have passed since the last yield. Small calls (below DIRECT_BELOW elements of work) run directly.
 */
import type { HostArray, HostArrays, OpDescriptor, PixelSlicing } from '../ops/descriptor.js';
import { withThreads } from '../cpu/simd.js';
import { DIRECT_BELOW, now, Pacer } from './yielding.js';
import { isChannelsLast } from '../layouts.js';
import type { TensorLayout, WindowGeometry } from '../types.js';

/**
 * A call whose kernel is known (from earlier calls of the same op, layout and window) to take less
 * than this also runs directly: slicing costs a copy of the outputs and a task per slice, which
 * only pays where the whole kernel would block the loop.
 */
export const DIRECT_MS = 16;
type ArrayCtor = new (n: number) => HostArray;

export interface SliceOptions {
  /** Work of every slice, fixed (tests); default: sized from the measured rate. */
  fixedWork?: number;
  /** Run directly below this much work; default DIRECT_BELOW. */
  directBelow?: number;
  /** Called with the work of each slice run (tests). */
  onSlice?: (kind: 'planes' | 'rows' | 'pixels' | 'whole', work: number) => void;
  /** Threads the kernels may use (the context's `threads`); default 1. */
  threads?: number;
}

/** Work per ms measured for each kind of call (op, layout, window), the slowest seen; a few hundred entries at most. */
const rates = new Map<string, number>();
const MAX_RATES = 512;

function rateKey(name: string, p: unknown): string {
  const q = p as { layout?: unknown; planeLayout?: unknown; g?: { kernel?: unknown; dilation?: unknown } };
  return `${name}|${String(q.layout ?? q.planeLayout)}|${JSON.stringify(q.g?.kernel ?? null)}|${JSON.stringify(q.g?.dilation ?? null)}`;
}

function noteRate(key: string, work: number, ms: number): void {
  if (ms < 0.5) return;
  const rate = work / ms;
  const known = rates.get(key);
  if (known === undefined && rates.size >= MAX_RATES) rates.delete(rates.keys().next().value!);
  rates.set(key, known === undefined ? rate : Math.min(known * 1.25, Math.max(rate, known / 2)));
}

// ---------------------------------------------------------------------------------------------
// How an op's parameters and tensors are cut.

/** N and C of the op and whether its tensors are channels-last; null when the op is not known here. */
interface Batch {
  readonly N: number;
  readonly C: number;
  readonly channelsLast: boolean;
  /** The window, for windowed ops (rows can be cut); undefined for global pooling. */
  readonly g: WindowGeometry | undefined;
}

type Params = Record<string, unknown>;

const isObject = (v: unknown): v is Params => typeof v === 'object' && v !== null;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function batchOf(p: unknown): Batch | null {
  if (!isObject(p)) return null;
  const g = p.g;
  if (isObject(g) && isCount(g.N) && isCount(g.C) && Array.isArray(g.inSize) && typeof p.layout === 'string') {
    return { N: g.N, C: g.C, channelsLast: isChannelsLast(p.layout as TensorLayout), g: g as unknown as WindowGeometry };
  }
  const s = p.s;
  if (isObject(s) && isCount(s.N) && isCount(s.C) && (p.planeLayout === 'NCHW' || p.planeLayout === 'NHWC')) {
    return { N: s.N, C: s.C, channelsLast: p.planeLayout === 'NHWC', g: undefined };
  }
  return null;
}

/** `p` for a sub-tensor of N×C (and, for a row slice, window `g`): the geometry and every [N, C, …] shape resized. */
function resized<P>(p: P, N: number, C: number, g?: WindowGeometry): P {
  const q: Params = { ...(p as Params) };
  for (const [key, value] of Object.entries(q)) {
    if (key === 'g' && isObject(value)) q.g = { ...(g ?? value), N, C };
    else if (key === 's' && isObject(value)) q.s = { ...value, N, C };
    else if (key.endsWith('Shape') && Array.isArray(value) && value.length >= 2) q[key] = [N, C, ...value.slice(2)];
  }
  return q as P;
}

const elements = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** One sub-problem: its parameters, its input views, and where its outputs go. */
interface Slice<P> {
  readonly p: P;
  readonly inputs: Record<string, HostArray>;
  readonly work: number;
}

/**
 * Runs `d.cpu(p, inputs)` in slices that yield (module comment). Returns the same arrays the
 * kernel returns whole, element for element.
 */
export async function runInSlices<P>(op: OpDescriptor<P>, p: P, inputs: HostArrays, options: SliceOptions = {}): Promise<Record<string, HostArray>> {
  const threads = options.threads ?? 1;
  // Every kernel call of this op, whole or a slice, may use the context's threads.
  const d: OpDescriptor<P> = threads > 1 ? Object.create(op, { cpu: { value: (q: P, i: HostArrays) => withThreads(threads, () => op.cpu(q, i)) } }) : op;
  const specs = d.outputs(p);
  const outSizes = specs.map((s) => elements(s.shape));
  const inSizes = d.inputs.map((slot) => inputs[slot]!.length);
  const work = outSizes.reduce((a, b) => a + b, 0) + inSizes.reduce((a, b) => a + b, 0);
  const batch = batchOf(p);
  const key = rateKey(d.name, p);
  const whole = () => {
    options.onSlice?.('whole', work);
    const t0 = now();
    const r = d.cpu(p, inputs);
    noteRate(key, work, now() - t0);
    return r;
  };
  if (work < (options.directBelow ?? DIRECT_BELOW) || !batch) return whole();
  const rate = rates.get(key);
  if (options.fixedWork === undefined && options.directBelow === undefined && rate !== undefined && work / rate < DIRECT_MS) return whole();
  // Units: planes (channel-first) or images (channels-last); every tensor holds the same share of each.
  const units = batch.channelsLast ? batch.N : batch.N * batch.C;
  if (units === 0) return whole();
  const share = (size: number) => size / units;
  if (![...outSizes, ...inSizes].every((n) => Number.isInteger(share(n)))) return whole();
  const subOf = (count: number) => (batch.channelsLast ? resized(p, count, batch.C) : resized(p, 1, count));
  // The resizing must give the sub-tensor sizes the shares say; else this op is not one cut here.
  const probe = d.outputs(subOf(1));
  if (probe.length !== specs.length || probe.some((s, i) => elements(s.shape) !== share(outSizes[i]!))) return whole();

  const pacer = new Pacer(options.fixedWork);
  const outputs: Record<string, HostArray> = {};
  const place: Place = (slot, at, values, total) => {
    let out = outputs[slot];
    if (!out) outputs[slot] = out = new (values.constructor as ArrayCtor)(total);
    out.set(values, at);
  };
  const unitWork = work / units;
  const runUnits = async (u: number, count: number, kind: 'planes' | 'whole') => {
    const slice = sliceOf(d, subOf(count), inputs, u, count, units, inSizes, count * unitWork);
    options.onSlice?.(kind, slice.work);
    await pacer.run(slice.work, () => {
      const r = d.cpu(slice.p, slice.inputs);
      specs.forEach((s, i) => place(s.slot, u * share(outSizes[i]!), r[s.slot]!, outSizes[i]!));
    });
  };
  const cutter = batch.g && d.slicing === 'rows' ? rowCutter(d, subOf(1), batch, batch.g) : d.cpuPixels ? pixelCutter(d, d.cpuPixels, subOf(1), batch) : null;
  for (let u = 0; u < units; ) {
    if (unitWork > pacer.budget && cutter) {
      // One unit is more than a slice: cut it into rows or pixels, or run it whole where it cannot be cut.
      if (!(await cutter.run(u, inputs, outSizes, units, pacer, place, options))) await runUnits(u, 1, 'whole');
      u++;
      continue;
    }
    const count = Math.max(1, Math.min(units - u, Math.floor(pacer.budget / unitWork)));
    await runUnits(u, count, 'planes');
    u += count;
  }
  // An output no slice wrote (a dx no window reaches) is all zeros.
  specs.forEach((s, i) => (outputs[s.slot] ??= new (ZERO_ARRAYS[s.dtype] ?? Float32Array)(outSizes[i]!)));
  noteRate(key, pacer.doneWork, pacer.doneMs);
  return outputs;
}

const ZERO_ARRAYS: Record<string, ArrayCtor> = { float32: Float32Array, int32: Int32Array, float16: Uint16Array };

/** Units [u, u + count) of every input, as views. */
function sliceOf<P>(d: OpDescriptor<P>, p: P, inputs: HostArrays, u: number, count: number, units: number, inSizes: readonly number[], work: number): Slice<P> {
  const views: Record<string, HostArray> = {};
  d.inputs.forEach((slot, i) => {
    const per = inSizes[i]! / units;
    views[slot] = inputs[slot]!.subarray(u * per, (u + count) * per);
  });
  return { p, inputs: views, work };
}

// ---------------------------------------------------------------------------------------------
// Rows of one unit, windowed ops.

/** Where the real taps of window o fall along one axis: [first, last] input positions, none when first > last. */
interface AxisWindows {
  start(o: number): number;
  /** First real position of window o, or size when it has none. */
  first(o: number): number;
  /** Last real position of window o, or -1 when it has none. */
  last(o: number): number;
}

function axisWindows(size: number, k: number, stride: number, dilation: number, padBegin: number): AxisWindows {
  const start = (o: number) => o * stride - padBegin;
  const span = (o: number): [number, number] => {
    const s = start(o);
    const t0 = s >= 0 ? 0 : Math.ceil(-s / dilation);
    const t1 = Math.min(k - 1, Math.floor((size - 1 - s) / dilation));
    return t0 > t1 ? [size, -1] : [s + t0 * dilation, s + t1 * dilation];
  };
  return { start, first: (o) => span(o)[0], last: (o) => span(o)[1] };
}

/** The window of output rows [o0, o1) along `axis`, over input rows [i0, i1): same taps, same classes. */
function rowWindow(g: WindowGeometry, axis: number, w: AxisWindows, o0: number, o1: number): { g: WindowGeometry; i0: number; i1: number } | null {
  let i0 = Infinity;
  let i1 = -Infinity;
  for (let o = o0; o < o1; o++) {
    const f = w.first(o);
    const l = w.last(o);
    if (f > l) continue;
    i0 = Math.min(i0, f);
    i1 = Math.max(i1, l + 1);
  }
  if (!(i1 > i0)) return null;
  const size = g.inSize[axis]!;
  const lastTap = w.start(o1 - 1) + (g.kernel[axis]! - 1) * g.dilation[axis]!;
  const set = (v: readonly number[], x: number) => v.map((e, a) => (a === axis ? x : e));
  return {
    i0,
    i1,
    g: {
      ...g,
      inSize: set(g.inSize, i1 - i0),
      outSize: set(g.outSize, o1 - o0),
      padBegin: set(g.padBegin, i0 - w.start(o0)),
      // Taps past i1 are past the input (a real one would have moved i1): keep their class.
      padEnd: set(g.padEnd, lastTap >= i1 ? size + g.padEnd[axis]! - i1 : 0),
    },
  };
}

type Place = (slot: string, at: number, values: HostArray, total: number) => void;

interface UnitCutter {
  /**
   * Computes unit u in slices (rows or pixels) and places them; false when it cannot be cut (the caller then
   * runs the unit whole, overwriting whatever rows were placed).
   */
  run(u: number, inputs: HostArrays, outSizes: readonly number[], units: number, pacer: Pacer, place: Place, options: SliceOptions): Promise<boolean>;
}

/** A copy of `indices` with `by` added to every index but -1 (a forward row slice's in-plane positions). */
function shiftIndices(indices: Int32Array, by: number): Int32Array {
  const out = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i]!;
    out[i] = v === -1 ? -1 : v + by;
  }
  return out;
}

/**
 * The indices of dy rows [o0, o0 + rows) of a backward row slice, shifted to the slice's first
 * input row i0. An index that is not on a real tap of its own window along the cut axis (-1, out of
 * the plane, or saved from another window) becomes -1: the whole kernel's index rule sends nothing
 * for it (docs/semantics.md), and every index kept names a dx row of the slice's own input rows.
 */
function ownIndices(indices: Int32Array, w: AxisWindows, o0: number, rowOut: number, innerIn: number, dilation: number, i0: number): Int32Array {
  const out = new Int32Array(indices.length);
  const by = i0 * innerIn;
  for (let j = 0, o = o0; j < indices.length; o++) {
    const f = w.first(o);
    const l = w.last(o);
    const s = w.start(o);
    for (const end = j + rowOut; j < end; j++) {
      const v = indices[j]!;
      const row = Math.floor(v / innerIn);
      out[j] = v < 0 || row < f || row > l || (row - s) % dilation !== 0 ? -1 : v - by;
    }
  }
  return out;
}

function rowCutter<P>(d: OpDescriptor<P>, p: P, batch: Batch, g: WindowGeometry): UnitCutter | null {
  // The first spatial axis that is not of size 1 in and out: rows along it are contiguous.
  const axis = g.inSize.findIndex((n, a) => n !== 1 || g.outSize[a] !== 1);
  if (axis < 0) return null;
  const forward = d.inputs.includes('x');
  if (forward === d.inputs.includes('dy')) return null;
  const specs = d.outputs(p);
  // A unit's channels: 1 for a plane, C for a channels-last image.
  const Cc = batch.channelsLast ? batch.C : 1;
  const inRows = g.inSize[axis]!;
  const outRows = g.outSize[axis]!;
  const k = g.kernel[axis]!;
  const stride = g.stride[axis]!;
  const dilation = g.dilation[axis]!;
  const padBegin = g.padBegin[axis]!;
  const innerIn = elements(g.inSize.slice(axis + 1));
  const innerOut = elements(g.outSize.slice(axis + 1));
  const rowIn = innerIn * Cc;
  const rowOut = innerOut * Cc;
  const inUnit = inRows * rowIn;
  const outUnit = outRows * rowOut;
  const w = axisWindows(inRows, k, stride, dilation, padBegin);
  const subParams = (rg: WindowGeometry): P => resized(p, 1, Cc, rg);
  return {
    async run(u, inputs, outSizes, units, pacer, place, options) {
      // Every tensor of the unit must be whole rows: x and dx of input rows, y, indices, dy of output rows.
      for (const slot of d.inputs) if (inputs[slot]!.length / units !== (forward ? inUnit : outUnit)) return false;
      if (outSizes.some((n) => n / units !== (forward ? outUnit : inUnit))) return false;
      if (forward) {
        const rowWork = rowOut * specs.length + inUnit / outRows;
        for (let o0 = 0; o0 < outRows; ) {
          let o1 = Math.min(outRows, o0 + Math.max(1, Math.floor(pacer.budget / rowWork)));
          let win = rowWindow(g, axis, w, o0, o1);
          while (!win && o1 < outRows) win = rowWindow(g, axis, w, o0, ++o1);
          if (!win) return false;
          const x = inputs.x!.subarray(u * inUnit + win.i0 * rowIn, u * inUnit + win.i1 * rowIn);
          const sp = subParams(win.g);
          const sliceWork = x.length + (o1 - o0) * rowOut * specs.length;
          options.onSlice?.('rows', sliceWork);
          const by = win.i0 * innerIn;
          await pacer.run(sliceWork, () => {
            const r = d.cpu(sp, { x });
            specs.forEach((s, i) => {
              const values = s.dtype === 'int32' && by > 0 ? shiftIndices(r[s.slot] as Int32Array, by) : r[s.slot]!;
              place(s.slot, u * outUnit + o0 * rowOut, values, outSizes[i]!);
            });
          });
          o0 = o1;
        }
        return true;
      }
      // Backward: runs of dx rows [r0, r1), each from every dy row whose window may reach them.
      const rowWork = rowIn + (outUnit * d.inputs.length) / inRows;
      const span = (k - 1) * dilation;
      for (let r0 = 0; r0 < inRows; ) {
        const r1 = Math.min(inRows, r0 + Math.max(1, Math.floor(pacer.budget / rowWork)));
        // Windows whose extent [start, start + span] meets [r0, r1): a range, as starts grow with o.
        const o0 = Math.max(0, Math.ceil((r0 - span + padBegin) / stride));
        const o1 = Math.min(outRows, Math.floor((r1 - 1 + padBegin) / stride) + 1);
        const win = o0 < o1 ? rowWindow(g, axis, w, o0, o1) : null;
        if (!win) {
          // No window has a real tap in these rows: their dx stays 0.
          r0 = r1;
          continue;
        }
        const sliceInputs: Record<string, HostArray> = {};
        for (const slot of d.inputs) sliceInputs[slot] = inputs[slot]!.subarray(u * outUnit + o0 * rowOut, u * outUnit + o1 * rowOut);
        if (sliceInputs.indices) sliceInputs.indices = ownIndices(sliceInputs.indices as Int32Array, w, o0, rowOut, innerIn, dilation, win.i0);
        const sp = subParams(win.g);
        const sliceWork = (o1 - o0) * rowOut * d.inputs.length + (win.i1 - win.i0) * rowIn;
        options.onSlice?.('rows', sliceWork);
        const a = Math.max(r0, win.i0);
        const b = Math.min(r1, win.i1);
        await pacer.run(sliceWork, () => {
          const r = d.cpu(sp, sliceInputs);
          if (b > a) specs.forEach((s, i) => place(s.slot, u * inUnit + a * rowIn, r[s.slot]!.subarray((a - win.i0) * rowIn, (b - win.i0) * rowIn), outSizes[i]!));
        });
        r0 = r1;
      }
      return true;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Pixels of one unit, global ops.

/** Cuts one unit of a global op into runs of its pixels (module comment); its tensors are pixel-indexed or per-channel. */
function pixelCutter<P>(d: OpDescriptor<P>, slicing: PixelSlicing<P>, p: P, batch: Batch): UnitCutter {
  const channels = batch.channelsLast ? batch.C : 1;
  const pixels = slicing.pixels(p);
  const perPixel = pixels * channels;
  const specs = d.outputs(p);
  return {
    async run(u, inputs, outSizes, units, pacer, place, options) {
      if (pixels <= slicing.align || perPixel === channels) return false;
      const unitSize = (n: number) => n / units;
      // Every tensor of the unit holds all its pixels or one value per channel.
      const inKinds = d.inputs.map((slot) => unitSize(inputs[slot]!.length));
      if (![...inKinds, ...outSizes.map(unitSize)].every((n) => n === perPixel || n === channels)) return false;
      const unitView = (a: HostArray, size: number, from = 0, to = size / channels) => a.subarray(u * size + from * channels, u * size + to * channels);
      const unit: Record<string, HostArray> = {};
      d.inputs.forEach((slot, i) => {
        if (inKinds[i] === channels) unit[slot] = unitView(inputs[slot]!, channels);
      });
      const runs = slicing.start(p, unit);
      const workPerPixel = (inKinds.reduce((a, b) => a + b, 0) + outSizes.reduce((a, n) => a + unitSize(n), 0)) / pixels;
      for (let from = 0; from < pixels; ) {
        const want = Math.floor(pacer.budget / workPerPixel / slicing.align) * slicing.align;
        const to = Math.min(pixels, from + Math.max(slicing.align, want));
        const runInputs: Record<string, HostArray> = {};
        d.inputs.forEach((slot, i) => {
          if (inKinds[i] === perPixel) runInputs[slot] = unitView(inputs[slot]!, perPixel, from, to);
        });
        const work = (to - from) * workPerPixel;
        options.onSlice?.('pixels', work);
        await pacer.run(work, () => {
          const r = runs.run(from, to, runInputs);
          specs.forEach((s, i) => {
            if (r[s.slot]) place(s.slot, u * perPixel + from * channels, r[s.slot]!, outSizes[i]!);
          });
        });
        from = to;
      }
      const last = runs.finish();
      specs.forEach((s, i) => {
        if (last[s.slot]) place(s.slot, u * channels, last[s.slot]!, outSizes[i]!);
      });
      return true;
    },
  };
}
