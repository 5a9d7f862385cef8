/**
 * Which form a windowed backward op runs. 'scatter' and 'gather' are the API's names
 * (spec/API.md); 'direct' is the scatter mapping without atomics, used whenever windows cannot
 * overlap, because then no element has two writers.
 */
import type { AdapterInfoSummary, BackwardAlgorithm, PoolGeometry } from '../types.js';
import type { KernelPlan } from './kernel.js';

export type BackwardForm = 'scatter' | 'direct' | 'gather';

/** A windowed backward kernel, and whether dx must be zeroed first: the scatter forms write only where gradient lands. */
export interface BackwardPlan {
  kernel: KernelPlan;
  zeroDx: boolean;
}

/** No element lies in two windows: stride >= effective kernel d*(k-1)+1 on both axes. */
export function windowsOverlap(p: PoolGeometry): boolean {
  return p.sH < p.dH * (p.kH - 1) + 1 || p.sW < p.dW * (p.kW - 1) + 1;
}

/** SwiftShader's gather is slowed by integer division more than its scatter by atomics; llvmpipe's is the other way round. */
function cheapAtomics(adapter: AdapterInfoSummary | null): boolean {
  return adapter !== null && /swiftshader/i.test(`${adapter.architecture} ${adapter.description}`);
}

/**
 * The form to run; for 'auto', the rule measured in docs/backward-selection.md:
 *  - windows cannot overlap: direct (fastest everywhere, and deterministic);
 *  - max pooling: scatter (one atomic add per output, rarely contended: 1.1-10x faster than gather);
 *  - average pooling: gather, except on SwiftShader while a window adds into fewer than 8 elements
 *    per input element on average (kH·kW < 8·sH·sW), where the atomic scatter measured faster.
 */
export function chooseBackwardForm(op: 'max' | 'avg', p: PoolGeometry, requested: BackwardAlgorithm, adapter: AdapterInfoSummary | null): BackwardForm {
  const overlap = windowsOverlap(p);
  if (requested === 'gather') return 'gather';
  if (!overlap) return 'direct';
  if (requested === 'scatter' || op === 'max') return 'scatter';
  return cheapAtomics(adapter) && p.kH * p.kW < 8 * p.sH * p.sW ? 'scatter' : 'gather';
}
