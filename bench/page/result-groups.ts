/**
 * The rows regrouped for people: one line per (case, op, pass, layout, dtype) with our measurement
 * and each peer's beside it — the shape of the table and of the chart. A float16 line also knows
 * its float32 twin, for the f16 / f32 ratio.
 */
import type { BenchRow, Impl, Measurement } from '../rows.js';

/** A row and how it was timed: what the table and the chart need of a Measurement. */
export type TimedRow = Pick<Measurement, 'row' | 'timing' | 'wall_ms' | 'note'>;

export interface ResultGroup {
  key: string;
  case: string;
  op: BenchRow['op'];
  pass: BenchRow['pass'];
  layout: BenchRow['layout'];
  dtype: BenchRow['dtype'];
  ours: TimedRow | undefined;
  byImpl: Map<Impl, TimedRow>;
}

const OURS: readonly Impl[] = ['ours', 'ours-cpu'];

export function isOurs(row: BenchRow): boolean {
  return OURS.includes(row.impl);
}

export function groupRows(measured: readonly TimedRow[]): ResultGroup[] {
  const groups = new Map<string, ResultGroup>();
  for (const m of measured) {
    const row = m.row;
    const dtype = row.dtype ?? 'float32';
    const key = `${row.case} ${row.op} ${row.pass} ${row.layout}${dtype === 'float32' ? '' : ` ${dtype}`}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, case: row.case, op: row.op, pass: row.pass, layout: row.layout, dtype, ours: undefined, byImpl: new Map() };
      groups.set(key, g);
    }
    g.byImpl.set(row.impl, m);
    if (isOurs(row)) g.ours = m;
  }
  return [...groups.values()];
}

/** The peers present in the rows, in a stable order. */
export function peerImpls(measured: readonly TimedRow[]): Impl[] {
  const order: Impl[] = ['ours-tuned', 'tfjs-webgpu', 'ort-webgpu', 'ort-wasm', 'cpu-reference', 'pytorch-cuda'];
  const present = new Set(measured.filter((m) => !isOurs(m.row)).map((m) => m.row.impl));
  return order.filter((i) => present.has(i));
}

export const OP_SHORT: Record<BenchRow['op'], string> = {
  maxPool2d: 'max',
  avgPool2d: 'avg',
  globalMaxPool: 'global max',
  globalAvgPool: 'global avg',
  maxPool1d: 'max 1-D',
  avgPool1d: 'avg 1-D',
  maxPool3d: 'max 3-D',
  avgPool3d: 'avg 3-D',
  adaptiveAvgPool2d: 'adaptive avg',
  adaptiveMaxPool2d: 'adaptive max',
  lpPool2d: 'LP',
  maxUnpool2d: 'max-unpool',
  fractionalMaxPool2d: 'fractional max',
};

export const IMPL_LABEL: Record<Impl, string> = {
  ours: 'ours (WebGPU)',
  'ours-tuned': 'ours (WebGPU, tuned)',
  'ours-cpu': 'ours (CPU fallback)',
  'tfjs-webgpu': 'TF.js WebGPU',
  'ort-webgpu': 'ORT WebGPU',
  'ort-wasm': 'ORT wasm',
  'cpu-reference': 'CPU reference',
  'pytorch-cuda': 'PyTorch CUDA',
};

export function groupLabel(g: ResultGroup): string {
  return `${g.case} ${OP_SHORT[g.op]} ${g.pass === 'forward' ? 'fwd' : 'bwd'} ${g.layout}${g.dtype === 'float16' ? ' f16' : ''}`;
}

/** Whether any group is float16: then the table has its dtype and f16 / f32 columns. */
export function hasHalves(groups: readonly ResultGroup[]): boolean {
  return groups.some((g) => g.dtype === 'float16');
}

/** Peers that run float32 only (every GPU peer and ORT wasm); the CPU reference checks every dtype. */
export function peerRunsDtype(impl: Impl, dtype: BenchRow['dtype']): boolean {
  return dtype === 'float32' || impl === 'cpu-reference' || impl === 'ours-cpu';
}

/**
 * Our float16 kernel time over our float32 kernel time of the same case, op, pass and layout in the
 * same run (both timed alike); null for float32 lines and where either is missing.
 */
export function halfOverFull(g: ResultGroup, groups: readonly ResultGroup[]): number | null {
  if (g.dtype !== 'float16' || !g.ours?.row.kernel_ms) return null;
  const twin = groups.find((x) => x.dtype === 'float32' && x.case === g.case && x.op === g.op && x.pass === g.pass && x.layout === g.layout);
  const base = twin?.ours;
  if (!base?.row.kernel_ms || base.timing !== g.ours.timing || base.row.impl !== g.ours.row.impl) return null;
  return g.ours.row.kernel_ms / base.row.kernel_ms;
}

/**
 * Peer time over ours, like for like: a wall-timed peer is set against our wall time of the same
 * runs, a timestamped one against our kernel time.
 */
export function speedupOver(ours: TimedRow | undefined, peer: TimedRow | undefined): number | null {
  if (!ours || !peer || !ours.row.ok || !peer.row.kernel_ms) return null;
  const mine = peer.timing === 'gpu-timestamp' ? ours.row.kernel_ms : (ours.wall_ms ?? ours.row.kernel_ms);
  if (!mine || !Number.isFinite(mine)) return null;
  return peer.row.kernel_ms / mine;
}
