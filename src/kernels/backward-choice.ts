/**
 * Which form a windowed backward op runs. 'scatter' and 'gather' are the API's names
 * (docs/api.md); 'direct' and 'cell' serve windows that cannot overlap, where no element has two
 * writers: 'direct' is the scatter mapping without atomics (dx cleared first), 'cell' one
 * invocation per output element that writes every element of its stride cell (its gradient or 0),
 * so every dx element is written exactly once and there is no clear step.
 */
import { adapterKind } from '../adapter-profile.js';
import type { AdapterInfoSummary, BackwardAlgorithm, Layout, PoolGeometry } from '../types.js';
import type { KernelPlan } from './kernel.js';
import { usesVec4Channels } from './vec4-channels.js';

export type BackwardForm = 'scatter' | 'direct' | 'gather' | 'cell';

/**
 * The geometry whose windows are the cell form's stride cells, for its split spec: kernel = stride
 * (the last output's cell also takes the rows and columns past the last cell), dilation 1.
 */
export function cellGeometry(p: PoolGeometry): PoolGeometry {
  const extraH = Math.max(0, p.H - (p.outH * p.sH - p.padTop));
  const extraW = Math.max(0, p.W - (p.outW * p.sW - p.padLeft));
  return { ...p, kH: p.sH + extraH, kW: p.sW + extraW, dH: 1, dW: 1 };
}

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
 * SwiftShader: its gather is slowed by integer division more than its scatter by atomics (llvmpipe's
 * is the other way round), and its scattered scalar stores make the cell form's extra stores cost
 * more than the clear it saves for NCHW max pooling.
 */
function isSwiftShader(adapter: AdapterInfoSummary | null): boolean {
  return adapterKind(adapter) === 'swiftshader';
}

/**
 * The form to run; for 'auto', the rule measured in docs/backward-selection.md:
 *  - windows cannot overlap: cell (no clear step, every dx element written once; deterministic),
 *    except NCHW max pooling on SwiftShader, where direct + clear measured faster;
 *  - max pooling: scatter (one atomic add per output, rarely contended: 1.1-10x faster than the
 *    scalar gather), except on llvmpipe where the gather is the four-channel one (NHWC with
 *    C % 4 == 0) and the window undilated: there the gather measured 1.5-2.3x faster (and it is
 *    deterministic);
 *  - average pooling: gather, except on SwiftShader while a window adds into fewer than 8 elements
 *    per input element on average (kH·kW < 8·sH·sW) and the gather is the scalar one (not NHWC with
 *    C % 4 == 0), where the atomic scatter measured faster. Without a layout (the TF.js kernels)
 *    the layout is NHWC.
 */
export function chooseBackwardForm(op: 'max' | 'avg', p: PoolGeometry, requested: BackwardAlgorithm, adapter: AdapterInfoSummary | null, layout?: Layout): BackwardForm {
  const overlap = windowsOverlap(p);
  if (requested === 'gather') return 'gather';
  if (!overlap) return op === 'max' && layout === 'NCHW' && isSwiftShader(adapter) ? 'direct' : 'cell';
  if (requested === 'scatter') return 'scatter';
  const vec4Gather = usesVec4Channels(layout ?? 'NHWC', p.C);
  if (op === 'max') return vec4Gather && p.dH === 1 && p.dW === 1 && adapterKind(adapter) === 'llvmpipe' ? 'gather' : 'scatter';
  return isSwiftShader(adapter) && !vec4Gather && p.kH * p.kW < 8 * p.sH * p.sW ? 'scatter' : 'gather';
}
