/**
 * The plans the tuner may choose between for the windowed ops (src/tuning/, docs/tuning.md), beside
 * the rules' pick: forward, the scalar or W4 kernel in NCHW and the specialised or generic window
 * pipeline of max pooling; backward, every form that is valid for the window (scatter and gather;
 * direct and cell where windows cannot overlap), and the N-d scatter or gather. Every alternative
 * computes the op's result (the selection check and test/tuning.test.ts compare them).
 * `backward: 'gather'` is an explicit, deterministic request: never tuned. `backward: 'scatter'`
 * keeps the gather out.
 */
import { avgPoolForwardKernel, avgPoolForwardPlan } from '../kernels/avg-pool.js';
import { avgCellHasW4, avgPoolBackwardPlan } from '../kernels/avg-pool-backward.js';
import { chooseBackwardForm, windowsOverlap, type BackwardForm } from '../kernels/backward-choice.js';
import { maxPoolForwardKernel, maxPoolForwardPlan } from '../kernels/max-pool.js';
import { maxPoolBackwardPlan } from '../kernels/max-pool-backward.js';
import { ndBackwardPlan, ndForwardKernel, ndForwardPlan, type NdBackwardForm, type NdForwardKernel } from '../kernels/nd-pool.js';
import { usesVec4Channels } from '../kernels/vec4-channels.js';
import { w4RowsFit, type ForwardKernel } from '../kernels/w4-rows.js';
import { isSpecialisedWindow } from '../kernels/window-constants.js';
import { isChannelsLast, planeLayout } from '../layouts.js';
import { maxPlaneParams } from '../params.js';
import { windowClass } from '../tuning/key.js';
import type { AvgPoolParams, AvgWindow, BackwardAlgorithm, Layout, MaxWindow, PoolGeometry, TensorLayout } from '../types.js';
import { backwardSteps, type DeviceProfile, type GpuAlternative, type GpuChoice, type OpPlan } from './descriptor.js';

const single = (plan: OpPlan['steps'][number]): OpPlan => ({ steps: [plan], scratch: [] });

function choice(rule: string, alternatives: GpuAlternative[], layout: TensorLayout, shapeClass: string): GpuChoice | undefined {
  return alternatives.length > 1 ? { rule, alternatives, layout, dtype: 'float32', shapeClass } : undefined;
}

/** The NCHW kernels a plane forward may run: W4 where its rows fit (and, for max, no zero padding). */
function forwardKernels(layout: Layout, p: PoolGeometry, w4Allowed: boolean): ForwardKernel[] {
  return w4Allowed && w4RowsFit(layout, p) ? ['scalar', 'w4'] : ['scalar'];
}

export function maxForwardChoice(g: MaxWindow, tensorLayout: TensorLayout, withIndices: boolean): GpuChoice | undefined {
  const p = maxPlaneParams(g);
  const layout = planeLayout(tensorLayout);
  const vec4 = usesVec4Channels(layout, p.C) && !p.padWithZero;
  const kernels: ForwardKernel[] = vec4 ? ['scalar'] : forwardKernels(layout, p, !p.padWithZero);
  const specialise = isSpecialisedWindow(p) ? [true, false] : [true];
  const alternatives: GpuAlternative[] = [];
  for (const kernel of kernels) {
    for (const s of specialise) {
      alternatives.push({ name: `${vec4 ? 'vec4' : kernel}${s ? '' : '-generic'}`, plan: single({ kind: 'kernel', plan: maxPoolForwardPlan(p, layout, withIndices, kernel, s) }) });
    }
  }
  const rule = vec4 ? 'vec4' : maxPoolForwardKernel(p, layout);
  return choice(rule, alternatives, tensorLayout, windowClass(g, { indices: withIndices, zeroPad: g.padWithZero, nanIgnore: g.ignoreNan === true }));
}

export function avgForwardChoice(g: AvgWindow, p: AvgPoolParams, tensorLayout: TensorLayout): GpuChoice | undefined {
  const layout = planeLayout(tensorLayout);
  if (usesVec4Channels(layout, p.C)) return undefined;
  const alternatives = forwardKernels(layout, p, true).map((kernel) => ({ name: kernel, plan: single({ kind: 'kernel', plan: avgPoolForwardPlan(p, layout, kernel) }) }));
  return choice(avgPoolForwardKernel(p, layout), alternatives, tensorLayout, windowClass(g, { countPad: g.countIncludePad, divisor: g.divisorOverride }));
}

/** The N-d forward (3-D windows, dilated averages): the rules' mapping (vec4 or W4 where it applies) or one output per invocation. */
export function ndForwardChoice(op: 'max' | 'avg', g: MaxWindow | AvgWindow, tensorLayout: TensorLayout, withIndices: boolean): GpuChoice | undefined {
  const channelsLast = isChannelsLast(tensorLayout);
  const rule = ndForwardKernel(op, g, channelsLast);
  if (rule === 'scalar') return undefined;
  const kernels: NdForwardKernel[] = [rule, 'scalar'];
  const plan = (k: NdForwardKernel) => (op === 'max' ? ndForwardPlan('max', g as MaxWindow, channelsLast, withIndices, k) : ndForwardPlan('avg', g as AvgWindow, channelsLast, false, k));
  const flags: Record<string, boolean | number> = op === 'max' ? { nd: true, indices: withIndices, nanIgnore: (g as MaxWindow).ignoreNan === true } : { nd: true, countPad: (g as AvgWindow).countIncludePad, divisor: (g as AvgWindow).divisorOverride };
  return choice(rule, kernels.map((k) => ({ name: `nd-${k}`, plan: single({ kind: 'kernel', plan: plan(k) }) })), tensorLayout, windowClass(g, flags));
}

/** The forms a plane backward may run for this request. */
function backwardForms(p: PoolGeometry, requested: BackwardAlgorithm): BackwardForm[] {
  if (requested === 'gather') return [];
  const forms: BackwardForm[] = windowsOverlap(p) ? ['scatter'] : ['cell', 'direct', 'scatter'];
  return requested === 'auto' ? [...forms, 'gather'] : forms;
}

export function planeBackwardChoice(
  op: 'max' | 'avg',
  g: MaxWindow | AvgWindow,
  p: PoolGeometry,
  tensorLayout: TensorLayout,
  requested: BackwardAlgorithm,
  device: DeviceProfile,
): GpuChoice | undefined {
  const layout = planeLayout(tensorLayout);
  const plan = (form: BackwardForm) => (op === 'max' ? maxPoolBackwardPlan(p, layout, form) : avgPoolBackwardPlan(p as AvgPoolParams, layout, form));
  const forms = backwardForms(p, requested);
  const alternatives: GpuAlternative[] = forms.map((form) => ({ name: form, plan: { steps: backwardSteps(plan(form)), scratch: [] } }));
  // The average cell form in W4 groups (avgCellHasW4): for the tuner only.
  if (op === 'avg' && forms.includes('cell') && avgCellHasW4(p as AvgPoolParams, layout)) {
    alternatives.push({ name: 'cell-w4', plan: { steps: backwardSteps(avgPoolBackwardPlan(p as AvgPoolParams, layout, 'cell', true, true)), scratch: [] } });
  }
  const flags: Record<string, boolean | number> = op === 'avg' ? { countPad: (g as AvgWindow).countIncludePad, divisor: (g as AvgWindow).divisorOverride } : {};
  return choice(chooseBackwardForm(op, p, requested, device.adapter, layout), alternatives, tensorLayout, windowClass(g, { ...flags, request: requested === 'auto' ? 0 : 1 }));
}

export function ndBackwardChoice(op: 'max' | 'avg', g: MaxWindow | AvgWindow, tensorLayout: TensorLayout, requested: BackwardAlgorithm, rule: NdBackwardForm): GpuChoice | undefined {
  if (requested !== 'auto') return undefined;
  const forms: NdBackwardForm[] = ['scatter', 'gather'];
  const alternatives = forms.map((form) => ({ name: `nd-${form}`, plan: { steps: backwardSteps(ndBackwardPlan(op, g, isChannelsLast(tensorLayout), form)), scratch: [] } }));
  return choice(`nd-${rule}`, alternatives, tensorLayout, windowClass(g));
}
