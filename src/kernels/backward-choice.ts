/**
 * Which form a windowed backward op runs. 'scatter' and 'gather' are the API's names
 * (spec/API.md); 'direct' is the scatter mapping without atomics, used whenever windows cannot
 * overlap, because then no element has two writers.
 */
import type { BackwardAlgorithm, PoolGeometry } from '../types.js';
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

/**
 * The rule behind backward: 'auto', from the measurements in docs/backward-selection.md.
 * RULE_PLACEHOLDER
 */
export function chooseBackwardForm(p: PoolGeometry, requested: BackwardAlgorithm): BackwardForm {
  const overlap = windowsOverlap(p);
  if (requested === 'gather') return 'gather';
  if (requested === 'scatter') return overlap ? 'scatter' : 'direct';
  return overlap ? 'gather' : 'direct';
}
