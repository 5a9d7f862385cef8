/**
 * The WebAssembly SIMD kernels (wasm/pool-simd/*.wat): max and average pooling forward, global max
 * and global average, four floats per instruction. Max and global max use the reference's
 * comparison, so values and indices are its bits; global average sums in f64 (NHWC in the
 * reference's order, bit for bit); windowed average sums in f32 in the reference's order, within
 * SEMANTICS.md's tolerance. Each function returns null where it does not apply (no WebAssembly
 * SIMD in this engine, zero padding, too few channels, a huge input), and the caller runs its
 * JavaScript kernel instead.
 *
 * One instance, compiled on first use, serves every call; its memory holds the call's input,
 * outputs and tables, and grows to the largest call up to KEEP_BYTES. Larger calls run the
 * JavaScript kernels: wasm memory never shrinks, so a one-off huge tensor would pin its size for
 * the life of the page, and on those memory-bound sizes copying the input in cost more than SIMD
 * saved (1×64×512×512 global max: 60 ms through a fresh instance, 30 ms in JavaScript).
 */
import type { AvgPoolParams, Layout, MaxPoolParams, PlaneShape, PoolGeometry } from '../types.js';
import { axisTaps, type AxisTaps } from './axis-taps.js';
import { divisorFactors } from './avg-divisors.js';
import { fullWindows } from './small-window.js';
import { WASM_BASE64 } from './wasm/pool-simd.wasm.js';

interface SimdExports {
  memory: WebAssembly.Memory;
  max_nhwc(x: number, out: number, idx: number, withIdx: number, images: number, C: number, H: number, W: number, outH: number, outW: number, rows: number, cols: number, dH: number, dW: number): void;
  max_nchw(x: number, out: number, idx: number, withIdx: number, planes: number, H: number, W: number, outH: number, outW: number, rows: number, cols: number, dH: number, dW: number, sW: number, lo: number, hi: number): void;
  max_nchw_values(x: number, out: number, planes: number, H: number, W: number, outH: number, outW: number, rows: number, dH: number, dW: number, sW: number, kW: number, padLeft: number, lo: number, hi: number): void;
  avg_nhwc(x: number, out: number, images: number, C: number, H: number, W: number, outH: number, outW: number, rows: number, cols: number, rowF: number, colF: number, override: number): void;
  avg_nchw(x: number, out: number, planes: number, H: number, W: number, outH: number, outW: number, rows: number, cols: number, rowF: number, colF: number, override: number, sW: number, kW: number, padLeft: number, lo: number, hi: number): void;
  global_max_nhwc(x: number, out: number, idx: number, N: number, C: number, HW: number): void;
  global_max_nchw(x: number, out: number, idx: number, planes: number, HW: number): void;
  global_avg_nhwc(x: number, out: number, sums: number, N: number, C: number, HW: number): void;
  global_avg_nchw(x: number, out: number, planes: number, HW: number): void;
}

/** The most memory the shared instance may hold (input, outputs and tables of one call). */
const KEEP_BYTES = 32 << 20;
const PAGE = 65536;

let compiled: WebAssembly.Module | null | undefined;
let shared: SimdExports | null = null;
let enabled = true;

/** Turns the SIMD kernels off (true: back on), so that tests can hold the JavaScript kernels to the reference too. */
export function setSimdEnabled(on: boolean): void {
  enabled = on;
}

/** True when this engine runs the SIMD kernels (WebAssembly with the SIMD proposal) and they are enabled. */
export function simdAvailable(): boolean {
  return enabled && simdModule() !== null;
}

function simdModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    compiled = null;
    try {
      if (typeof WebAssembly === 'object') {
        const bytes = Uint8Array.from(atob(WASM_BASE64), (c) => c.charCodeAt(0));
        if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
      }
    } catch {
      // No WebAssembly, no SIMD, or synchronous compilation refused here: the JavaScript kernels run.
      compiled = null;
    }
  }
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

  /**
   * The input of a windowed op, with room on both sides for the NCHW border groups, whose vector
   * loads reach a window's padded taps (masked out, but read) up to a padding, a stride and a
   * window past either end of the data.
   */
  takeInput(byteLength: number, p: PoolGeometry): number {
    const reach = 4 * (Math.max(p.padLeft, p.padRight) + 2 * p.sW + p.dW * p.kW + 4);
    this.take(reach);
    const at = this.take(byteLength);
    this.take(reach);
    return at;
  }
}

/**
 * The shared instance, its memory grown to at least `bytes`; null when the kernels are off or the
 * call is empty or too large to keep (the JavaScript kernels, which need no copy, run those).
 */
function instanceFor(bytes: number, elements: number): SimdExports | null {
  const module = simdModule();
  if (!enabled || module === null || elements === 0 || bytes > KEEP_BYTES) return null;
  shared ??= new WebAssembly.Instance(module).exports as unknown as SimdExports;
  const have = shared.memory.buffer.byteLength / PAGE;
  const pages = Math.ceil(bytes / PAGE);
  if (pages > have) shared.memory.grow(pages - have);
  return shared;
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

export function maxPoolSimd(x: Float32Array, layout: Layout, p: MaxPoolParams, withIndices: boolean): { output: Float32Array; indices: Int32Array | null } | null {
  if (p.padWithZero || (layout === 'NHWC' && p.C < 4)) return null;
  const outCount = p.N * p.C * p.outH * p.outW;
  const mem = new Layout16();
  const xAt = mem.takeInput(x.byteLength, p);
  const outAt = mem.take(outCount * 4);
  const idxAt = withIndices ? mem.take(outCount * 4) : 0;
  const rowsAt = mem.take(p.outH * 8);
  const colsAt = mem.take(p.outW * 8);
  const e = instanceFor(mem.bytes, x.length * outCount);
  if (e === null) return null;
  const { rows, cols } = windowTaps(p);
  new Float32Array(e.memory.buffer, xAt, x.length).set(x);
  writeTaps(e.memory, rowsAt, rows, p.dH);
  writeTaps(e.memory, colsAt, cols, p.dW);
  if (layout === 'NHWC') {
    e.max_nhwc(xAt, outAt, idxAt, withIndices ? 1 : 0, p.N, p.C, p.H, p.W, p.outH, p.outW, rowsAt, colsAt, p.dH, p.dW);
  } else {
    const full = fullWindows(cols, p.kW);
    if (!withIndices && p.outW >= 4) {
      e.max_nchw_values(xAt, outAt, p.N * p.C, p.H, p.W, p.outH, p.outW, rowsAt, p.dH, p.dW, p.sW, p.kW, p.padLeft, full.lo, full.hi);
    } else {
      e.max_nchw(xAt, outAt, idxAt, withIndices ? 1 : 0, p.N * p.C, p.H, p.W, p.outH, p.outW, rowsAt, colsAt, p.dH, p.dW, p.sW, full.lo, full.hi);
    }
  }
  return {
    output: new Float32Array(e.memory.buffer, outAt, outCount).slice(),
    indices: withIndices ? new Int32Array(e.memory.buffer, idxAt, outCount).slice() : null,
  };
}

export function avgPoolSimd(x: Float32Array, layout: Layout, p: AvgPoolParams): Float32Array | null {
  if (layout === 'NHWC' && p.C < 4) return null;
  const outCount = p.N * p.C * p.outH * p.outW;
  const mem = new Layout16();
  const xAt = mem.takeInput(x.byteLength, p);
  const outAt = mem.take(outCount * 4);
  const rowsAt = mem.take(p.outH * 8);
  const colsAt = mem.take(p.outW * 8);
  const rowFAt = mem.take(p.outH * 4);
  const colFAt = mem.take(p.outW * 4);
  const e = instanceFor(mem.bytes, x.length * outCount);
  if (e === null) return null;
  const { rows, cols } = windowTaps(p);
  new Float32Array(e.memory.buffer, xAt, x.length).set(x);
  writeTaps(e.memory, rowsAt, rows, p.dH);
  writeTaps(e.memory, colsAt, cols, p.dW);
  new Float32Array(e.memory.buffer, rowFAt, p.outH).set(divisorFactors(p, rows));
  new Float32Array(e.memory.buffer, colFAt, p.outW).set(divisorFactors(p, cols));
  if (layout === 'NHWC') {
    e.avg_nhwc(xAt, outAt, p.N, p.C, p.H, p.W, p.outH, p.outW, rowsAt, colsAt, rowFAt, colFAt, p.divisorOverride);
  } else {
    const full = fullWindows(cols, p.kW);
    e.avg_nchw(xAt, outAt, p.N * p.C, p.H, p.W, p.outH, p.outW, rowsAt, colsAt, rowFAt, colFAt, p.divisorOverride, p.sW, p.kW, p.padLeft, full.lo, full.hi);
  }
  return new Float32Array(e.memory.buffer, outAt, outCount).slice();
}

export function globalMaxPoolSimd(x: Float32Array, layout: Layout, s: PlaneShape): { output: Float32Array; indices: Int32Array } | null {
  if (layout === 'NHWC' && s.C % 4 !== 0) return null;
  const outCount = s.N * s.C;
  const mem = new Layout16();
  const xAt = mem.take(x.byteLength);
  const outAt = mem.take(outCount * 4);
  const idxAt = mem.take(outCount * 4);
  const e = instanceFor(mem.bytes, x.length * outCount);
  if (e === null) return null;
  new Float32Array(e.memory.buffer, xAt, x.length).set(x);
  if (layout === 'NHWC') e.global_max_nhwc(xAt, outAt, idxAt, s.N, s.C, s.H * s.W);
  else e.global_max_nchw(xAt, outAt, idxAt, s.N * s.C, s.H * s.W);
  return {
    output: new Float32Array(e.memory.buffer, outAt, outCount).slice(),
    indices: new Int32Array(e.memory.buffer, idxAt, outCount).slice(),
  };
}

/** f64 sums: NHWC per channel in the reference's order, NCHW in four lanes like the JavaScript kernel. */
export function globalAvgPoolSimd(x: Float32Array, layout: Layout, s: PlaneShape): Float32Array | null {
  if (layout === 'NHWC' && s.C % 4 !== 0) return null;
  const outCount = s.N * s.C;
  const mem = new Layout16();
  const xAt = mem.take(x.byteLength);
  const outAt = mem.take(outCount * 4);
  const sumsAt = mem.take(s.C * 8);
  const e = instanceFor(mem.bytes, x.length * outCount);
  if (e === null) return null;
  new Float32Array(e.memory.buffer, xAt, x.length).set(x);
  if (layout === 'NHWC') e.global_avg_nhwc(xAt, outAt, sumsAt, s.N, s.C, s.H * s.W);
  else e.global_avg_nchw(xAt, outAt, s.N * s.C, s.H * s.W);
  return new Float32Array(e.memory.buffer, outAt, outCount).slice();
}
