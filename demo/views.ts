/**
 * The result views: one figure per stage (its picture, the call, shape, time and check), grouped as
 * the pipeline groups them, and a summary line with the verdict and the total time.
 */
import { fmtErr, fmtMs } from '../bench/page/format.js';
import { el } from '../bench/page/dom.js';
import type { CheckedStage } from './check.js';
import { STAGES, type StageGroup } from './pipeline.js';
import { crop, descriptorCanvas, heatCanvas, rgbCanvas } from './render.js';

const FIGURE_WIDTH = 176;
/** The gradient map and its zoom are drawn larger: every input pixel counts there. */
const GRADIENT_WIDTH = 256;
const ZOOM_SIZE = 48;

const GROUP_NOTES: Record<StageGroup, string> = {
  input: 'The only upload of the image: every later stage reads tensors earlier stages left on the device.',
  'max pyramid': 'Each level keeps the brightest pixel of every 2×2 window of the level before: the one-pixel lines survive.',
  'average pyramid': 'Each level averages 2×2 windows: thin lines fade, colours blend.',
  windows: 'Other windows on the full image: overlapping max (its indices feed the backward pass), a 5×5 blur that divides by the real pixels at the border, and ceil mode keeping the partial last window.',
  descriptors: 'Global pooling reduces each channel to one number: a colour descriptor of the image.',
  backward:
    'The max-pooling backward pass with dy = 1: each output sends its gradient to the input pixel that was its maximum. Bright pixels won several overlapping windows; black ones receive no gradient.',
};

function checkBadge(stage: CheckedStage): HTMLElement {
  const r = stage.row;
  return r.ok
    ? el('span', { class: 'check good', title: `max |err| ${fmtErr(r.max_abs_err)}` }, '✓ matches the CPU reference')
    : el('span', { class: 'check bad' }, `✗ ${r.detail ?? 'differs from the CPU reference'} (max |err| ${fmtErr(r.max_abs_err)})`);
}

function picture(stage: CheckedStage): { node: HTMLElement; note?: string } {
  const view = STAGES.find((s) => s.id === stage.row.stage)!.view;
  if (view === 'descriptor') return { node: descriptorCanvas(stage.values, FIGURE_WIDTH + 60) };
  if (view === 'heat') {
    const { canvas, max } = heatCanvas(stage.values, stage.shape, stage.row.stage === 'dx' ? GRADIENT_WIDTH : FIGURE_WIDTH);
    return { node: canvas, note: `brightest: ${max} (summed over R, G, B)` };
  }
  return { node: rgbCanvas(stage.values, stage.shape, FIGURE_WIDTH) };
}

function figure(stage: CheckedStage, title: string): HTMLElement {
  const { node, note } = picture(stage);
  const r = stage.row;
  return el(
    'figure',
    { class: `stage ${r.ok ? 'ok' : 'bad'}${r.stage === 'dx' ? ' wide' : ''}`, 'data-stage': r.stage },
    node,
    el(
      'figcaption',
      {},
      el('span', { class: 'stage-title' }, title),
      el('code', {}, r.call),
      el('span', { class: 'meta' }, `[${r.shape.join(', ')}] · ${fmtMs(r.ms)} ms`),
      note ? el('span', { class: 'meta' }, note) : null,
      checkBadge(stage),
    ),
  );
}

/** The centre of the input beside the same pixels of dx, magnified: which pixels won a window. */
function gradientZoom(stages: readonly CheckedStage[]): HTMLElement[] {
  const x = stages.find((s) => s.row.stage === 'x');
  const dx = stages.find((s) => s.row.stage === 'dx');
  if (!x || !dx) return [];
  const xc = crop(x.values, x.shape, ZOOM_SIZE);
  const dxc = crop(dx.values, dx.shape, ZOOM_SIZE);
  const where = `rows ${xc.top}–${xc.top + xc.shape[2]! - 1}, columns ${xc.left}–${xc.left + xc.shape[3]! - 1}`;
  return [
    el('figure', { class: 'stage zoom wide' }, rgbCanvas(xc.values, xc.shape, GRADIENT_WIDTH), el('figcaption', {}, el('span', { class: 'stage-title' }, 'input, centre magnified'), el('span', { class: 'meta' }, where))),
    el('figure', { class: 'stage zoom wide' }, heatCanvas(dxc.values, dxc.shape, GRADIENT_WIDTH).canvas, el('figcaption', {}, el('span', { class: 'stage-title' }, 'dx, same pixels'), el('span', { class: 'meta' }, 'the local maxima of the windows light up'))),
  ];
}

export function stageGroups(stages: readonly CheckedStage[]): HTMLElement[] {
  const groups = [...new Set(STAGES.map((s) => s.group))];
  return groups.map((group) => {
    const members = stages.filter((s) => s.row.group === group);
    return el(
      'section',
      { class: 'group', 'data-group': group },
      el('h2', {}, group[0]!.toUpperCase() + group.slice(1)),
      el('p', { class: 'note' }, GROUP_NOTES[group]),
      el('div', { class: 'figures' }, ...members.map((s) => figure(s, STAGES.find((spec) => spec.id === s.row.stage)!.title)), ...(group === 'backward' ? gradientZoom(stages) : [])),
    );
  });
}

export function summary(stages: readonly CheckedStage[], backendLabel: string, source: string, onGpu: boolean): HTMLElement {
  const bad = stages.filter((s) => !s.row.ok);
  const total = stages.reduce((a, s) => a + s.row.ms, 0);
  const verdict = bad.length === 0 ? `All ${stages.length} stages match the CPU reference.` : `${bad.length} of ${stages.length} stages differ from the CPU reference: ${bad.map((s) => s.row.stage).join(', ')}.`;
  return el(
    'div',
    { class: 'summary' },
    el('span', { class: `verdict ${bad.length === 0 ? 'good' : 'bad'}` }, verdict),
    el('span', {}, `${stages.length} stages on ${backendLabel} in ${fmtMs(total)} ms ${onGpu ? '(each timed until the device finished it; no read-back between stages; a first, untimed run compiled the kernels).' : '(CPU times).'}`),
    el('span', { class: 'meta' }, `Input: ${source}.`),
  );
}
