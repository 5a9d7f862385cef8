/**
 * One (case, op, layout) of the benchmark as data: seeded input and output gradient, the op's
 * options, shapes, BENCHMARKS.md's byte count, and the CPU reference results (computed once, cached).
 * 2-D ops use the 2-D reference (src/reference/max-pool.ts, avg-pool.ts); the 1-D and 3-D ones the
 * N-d reference (src/reference/nd-pool.ts) with the geometry of src/params.ts's resolveMaxWindow /
 * resolveAvgWindow, as the library resolves it. A float16 workload holds the same seeded values
 * rounded to halves: the reference runs on them widened (exact) and its results are rounded to half
 * once, which is what our float16 ops must match. Environment-agnostic.
 */
import { checkOptionsObject, resolveAvgPool, resolveAvgWindow, resolveMaxPool, resolveMaxWindow } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import { halfToFloat32Bits } from '../src/half.js';
import type { AvgPool2dOptions, AvgPoolParams, AvgWindow, DType, Layout, MaxPool2dOptions, MaxPoolParams, MaxWindow, PlaneShape, TensorLayout } from '../src/types.js';
import { elementCount, tensorLayout, windowedOp, type BenchCase, type OpName, type Pass } from './cases.js';

export type Shape4 = [number, number, number, number];

export interface ReferenceResult {
  output: Float32Array;
  /** Max ops: in-plane (in-row, in-volume) argmax positions. */
  indices?: Int32Array;
  /** CPU time of the reference call. */
  ms: number;
}

/** Seeded uniform values in [-1, 1) (mulberry32): every run and every implementation sees the same data. */
export function seededValues(seed: number, count: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/**
 * Reorders logical channel-first data ([N, C, ...spatial]: NCHW, NCL, NCDHW) into `layout`'s family:
 * unchanged for NCHW, channels-last ([N, ...spatial, C]) for NHWC.
 */
export function toLayout<T extends Float32Array | Uint16Array>(nchw: T, shape: readonly number[], layout: Layout): T {
  if (layout === 'NCHW') return nchw;
  const [N, C, ...spatial] = shape as number[];
  const out = new (nchw.constructor as new (n: number) => T)(nchw.length);
  const plane = elementCount(spatial);
  for (let n = 0; n < N!; n++) {
    for (let c = 0; c < C!; c++) {
      const src = (n * C! + c) * plane;
      let dst = n * plane * C! + c;
      for (let s = 0; s < plane; s++, dst += C!) out[dst] = nchw[src + s]!;
    }
  }
  return out;
}

/** f32 bits of every half, for widening by table (src/half.ts's halfToFloat32Bits, exact). */
let widenTable: Uint32Array | undefined;

/** Halves → f32, exactly (NaN payloads kept): src/half.ts's widenHalves by a 64 Ki-entry table. */
export function widenHalfBits(halves: Uint16Array): Float32Array {
  if (!widenTable) {
    widenTable = new Uint32Array(65536);
    for (let h = 0; h < 65536; h++) widenTable[h] = halfToFloat32Bits(h);
  }
  const out = new Float32Array(halves.length);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < halves.length; i++) bits[i] = widenTable[halves[i]!]!;
  return out;
}

/**
 * f32 → the nearest halves, ties to even (src/half.ts's narrowToHalves, in integer arithmetic on
 * the f32 bits so a 16 M-element plane rounds in a fraction of a second): ±0, subnormal halves,
 * 65504, overflow to ±∞, NaN payloads kept (the top 10 bits; a payload that would vanish becomes 0x200).
 */
export function roundToHalves(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < bits.length; i++) {
    const x = bits[i]!;
    const sign = (x >>> 16) & 0x8000;
    const e = (x >>> 23) & 0xff;
    const m = x & 0x7fffff;
    let h: number;
    if (e === 0xff) {
      h = m === 0 ? 0x7c00 : 0x7c00 | (m >>> 13 || 0x200);
    } else {
      const unbiased = e - 127;
      if (unbiased > 15) {
        h = 0x7c00;
      } else if (unbiased >= -14) {
        h = ((unbiased + 15) << 10) | (m >>> 13);
        const rest = m & 0x1fff;
        if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h++; // a carry rounds into the exponent, up to ∞
      } else if (unbiased >= -25) {
        const mant = m | 0x800000;
        const shift = -unbiased - 1;
        h = mant >>> shift;
        const rest = mant & ((1 << shift) - 1);
        const halfway = 1 << (shift - 1);
        if (rest > halfway || (rest === halfway && (h & 1) === 1)) h++;
      } else {
        h = 0;
      }
    }
    out[i] = sign | h;
  }
  return out;
}

/** Values rounded to the nearest halves, as halves and as their (exact) f32 values. */
export interface HalfValues {
  halves: Uint16Array;
  values: Float32Array;
}

export function toHalfValues(values: Float32Array): HalfValues {
  const halves = roundToHalves(values);
  return { halves, values: widenHalfBits(halves) };
}

/** Bytes of one element of a value tensor: 4 for float32, 2 for float16 (indices are always int32: 4). */
export function valueBytes(dtype: DType): number {
  return dtype === 'float16' ? 2 : 4;
}

/** The seed of a case's data (FNV-1a of its name and shape). */
export function caseSeed(c: BenchCase): number {
  const s = `${c.id}/${c.input.join('x')}`;
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

export class Workload {
  /** Logical input, [N, C, ...spatial]. */
  readonly input: number[];
  /** Logical output: [N, C, ...out], or [N, C, 1, 1] for the global ops. */
  readonly output: number[];
  /** The tensors' memory order: `layout` for 2-D, its rank's own name (NCL, NDHWC, ...) otherwise. */
  readonly tensorLayout: TensorLayout;
  /** The input in `layout`; for float16, the halves' values (exact in f32). */
  readonly x: Float32Array;
  /** The output gradient, in `layout` (for the global ops: n·C + c); for float16 the halves' values. */
  readonly dy: Float32Array;
  /** float16 only: x and dy as half bits, what tensor() uploads. */
  readonly xHalves?: Uint16Array;
  readonly dyHalves?: Uint16Array;
  private readonly forwardCache = new Map<boolean, ReferenceResult>();
  private readonly backwardCache = new Map<boolean, ReferenceResult>();

  constructor(
    readonly benchCase: BenchCase,
    readonly op: OpName,
    /** The layout family (bench/cases.ts LAYOUTS): NCHW channel-first, NHWC channels-last. */
    readonly layout: Layout,
    /**
     * Logical channel-first input shared between layouts, so every layout and peer pools the same
     * values. For float16 either the f32 values (rounded here) or, shared as well, their halves.
     */
    nchwInput?: Float32Array | HalfValues,
    /** The value tensors' dtype: float16 rounds x and dy to halves and the reference's results once. */
    readonly dtype: DType = 'float32',
  ) {
    this.input = [...benchCase.input];
    this.tensorLayout = tensorLayout(layout, this.input.length);
    const [N, C] = this.input as [number, number];
    if (op === 'maxPool2d' || op === 'avgPool2d') {
      const p = this.params();
      this.output = [N, C, p.outH, p.outW];
    } else if (this.isNd) {
      this.output = [N, C, ...this.ndWindow().outSize];
    } else {
      this.output = [N, C, 1, 1];
    }
    const seed = caseSeed(benchCase);
    const input = nchwInput ?? seededValues(seed, elementCount(this.input));
    const dy = seededValues(seed ^ 0x9e3779b9, elementCount(this.output));
    if (dtype === 'float16') {
      const x = input instanceof Float32Array ? toHalfValues(input) : input;
      this.xHalves = toLayout(x.halves, this.input, layout);
      this.x = toLayout(x.values, this.input, layout);
      const g = toHalfValues(toLayout(dy, this.output, layout));
      this.dyHalves = g.halves;
      this.dy = g.values;
    } else {
      if (!(input instanceof Float32Array)) throw new Error('internal: a float32 workload takes f32 input');
      this.x = toLayout(input, this.input, layout);
      this.dy = toLayout(dy, this.output, layout);
    }
  }

  /** float16: the reference's f32 result rounded to half once (and widened back, exactly); float32 as it is. */
  private rounded(values: Float32Array): Float32Array {
    return this.dtype === 'float16' ? widenHalfBits(roundToHalves(values)) : values;
  }

  get window() {
    return this.benchCase.window;
  }

  /** PyTorch-style options of the windowed ops. */
  windowOptions(): { kernelSize: number; stride: number; padding: number } {
    const w = this.window;
    if (!w) throw new Error(`internal: case ${this.benchCase.id} has no window`);
    return { kernelSize: w.kernel, stride: w.stride, padding: w.pad };
  }

  maxOptions(): MaxPool2dOptions {
    return this.windowOptions();
  }

  /** Average pooling options; `countIncludePad` false is TF's rule, used to check TF.js against. */
  avgOptions(countIncludePad = true): AvgPool2dOptions {
    return { ...this.windowOptions(), countIncludePad };
  }

  private params(countIncludePad = true): MaxPoolParams | AvgPoolParams {
    return this.op === 'maxPool2d' ? resolveMaxPool('bench', this.input, this.maxOptions()) : resolveAvgPool('bench', this.input, this.avgOptions(countIncludePad));
  }

  /** A 1-D or 3-D windowed op (maxPool1d, avgPool3d, ...): run by the N-d reference. */
  get isNd(): boolean {
    const w = windowedOp(this.op);
    return w !== undefined && w.rank !== 2;
  }

  /** The window of a 1-D / 3-D op as the library resolves it (src/params.ts), for the N-d reference. */
  ndWindow(countIncludePad = true): MaxWindow | AvgWindow {
    const w = windowedOp(this.op)!;
    const o = checkOptionsObject(this.op, w.reduction === 'max' ? this.maxOptions() : this.avgOptions(countIncludePad), true);
    return w.reduction === 'max' ? resolveMaxWindow(this.op, w.rank, this.input, o) : resolveAvgWindow(this.op, w.rank, this.input, o);
  }

  private plane(): PlaneShape {
    const [N, C, H, W] = this.input as Shape4;
    return { N, C, H, W };
  }

  /** Elements of one (n, c) plane (row, volume): the global ops sum this many terms. */
  get planeSize(): number {
    return elementCount(this.input.slice(2));
  }

  get hasIndices(): boolean {
    return this.op === 'globalMaxPool' || windowedOp(this.op)?.reduction === 'max';
  }

  /**
   * BENCHMARKS.md's minimum traffic: forward x + y; backward dy (+ indices) + dx. f32 and int32 are 4
   * bytes, a float16 value 2 (indices stay int32).
   */
  bytesMoved(pass: Pass): number {
    const b = valueBytes(this.dtype);
    const x = elementCount(this.input);
    const y = elementCount(this.output);
    return pass === 'forward' ? (x + y) * b : y * b + (this.hasIndices ? y * 4 : 0) + x * b;
  }

  referenceForward(countIncludePad = true): ReferenceResult {
    const key = this.op.startsWith('avgPool') && countIncludePad;
    let r = this.forwardCache.get(key);
    if (r) return r;
    const { x, layout } = this;
    const channelsLast = layout === 'NHWC';
    if (this.isNd && windowedOp(this.op)!.reduction === 'max') {
      const [out, ms] = timed(() => ref.maxPoolNdForward(x, channelsLast, this.ndWindow() as MaxWindow));
      r = { ...out, ms };
    } else if (this.isNd) {
      const [output, ms] = timed(() => ref.avgPoolNdForward(x, channelsLast, this.ndWindow(countIncludePad) as AvgWindow));
      r = { output, ms };
    } else if (this.op === 'maxPool2d') {
      const [out, ms] = timed(() => ref.maxPool2dForward(x, layout, this.params() as MaxPoolParams));
      r = { ...out, ms };
    } else if (this.op === 'avgPool2d') {
      const [output, ms] = timed(() => ref.avgPool2dForward(x, layout, this.params(countIncludePad) as AvgPoolParams));
      r = { output, ms };
    } else if (this.op === 'globalMaxPool') {
      const [out, ms] = timed(() => ref.globalMaxPool(x, layout, this.plane()));
      r = { ...out, ms };
    } else {
      const [output, ms] = timed(() => ref.globalAvgPool(x, layout, this.plane()));
      r = { output, ms };
    }
    r = { ...r, output: this.rounded(r.output) };
    this.forwardCache.set(key, r);
    return r;
  }

  referenceBackward(countIncludePad = true): ReferenceResult {
    const key = this.op.startsWith('avgPool') && countIncludePad;
    let r = this.backwardCache.get(key);
    if (r) return r;
    const { dy, layout } = this;
    const channelsLast = layout === 'NHWC';
    let output: Float32Array;
    let ms: number;
    if (this.isNd && windowedOp(this.op)!.reduction === 'max') {
      const indices = this.referenceForward().indices!;
      [output, ms] = timed(() => ref.maxPoolNdBackward(dy, indices, channelsLast, this.ndWindow()));
    } else if (this.isNd) {
      [output, ms] = timed(() => ref.avgPoolNdBackward(dy, channelsLast, this.ndWindow(countIncludePad) as AvgWindow));
    } else if (this.op === 'maxPool2d') {
      const indices = this.referenceForward().indices!;
      [output, ms] = timed(() => ref.maxPool2dBackward(dy, indices, layout, this.params()));
    } else if (this.op === 'avgPool2d') {
      [output, ms] = timed(() => ref.avgPool2dBackward(dy, layout, this.params(countIncludePad) as AvgPoolParams));
    } else if (this.op === 'globalMaxPool') {
      const indices = this.referenceForward().indices!;
      [output, ms] = timed(() => ref.globalMaxPoolBackward(dy, indices, layout, this.plane()));
    } else {
      [output, ms] = timed(() => ref.globalAvgPoolBackward(dy, layout, this.plane()));
    }
    r = { output: this.rounded(output), ms };
    this.backwardCache.set(key, r);
    return r;
  }
}
