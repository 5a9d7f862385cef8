/**
 * The tuning key (docs/tuning.md): which adapter, and which class of call. A class is coarse enough
 * that a model's calls fall into few of them (sizes bucketed by powers of two, so batch 8 and batch
 * 11 share one) and fine enough that the winner holds within it: everything that selects a kernel
 * or changes its work per output is exact (the window, the layout, the dtype, vec4-able channels,
 * indices or not); only the amounts of work are bucketed.
 */
import type { AdapterInfoSummary, WindowGeometry } from '../types.js';

/** The adapter's identity: every field its info gives (Dawn's description carries the driver's version). */
export function adapterIdentity(info: AdapterInfoSummary | null): string {
  if (!info) return 'unknown adapter';
  return [info.vendor, info.architecture, info.device, info.description].map((s) => s || '-').join(' | ');
}

/** The nearest power of two's exponent: 1 → 0, 6 → 3 (8), 100 → 7 (128). */
export function sizeBucket(n: number): number {
  return n <= 1 ? 0 : Math.round(Math.log2(n));
}

/**
 * A window call's class: the window exact (kernel, stride, dilation, pads), planes N·C and each
 * spatial input size bucketed, C % 4 (the vec4 kernels take channels-last C divisible by 4), and
 * the op's own flags.
 */
export function windowClass(g: WindowGeometry, flags: Readonly<Record<string, boolean | number>> = {}): string {
  const axes = (a: readonly number[]) => a.join('x');
  const extra = Object.entries(flags).map(([k, v]) => `${k}=${typeof v === 'boolean' ? (v ? 1 : 0) : v}`);
  return [
    `r${g.rank}`,
    `k${axes(g.kernel)}`,
    `s${axes(g.stride)}`,
    `d${axes(g.dilation)}`,
    `p${axes(g.padBegin)}-${axes(g.padEnd)}`,
    `nc~2^${sizeBucket(g.N * g.C)}`,
    `in~2^${g.inSize.map(sizeBucket).join('x2^')}`,
    `c4=${g.C % 4 === 0 ? 1 : 0}`,
    ...extra,
  ].join(' ');
}

export function tuningKey(op: string, dtype: string, layout: string, shapeClass: string): string {
  return `${op} ${dtype} ${layout} ${shapeClass}`;
}
