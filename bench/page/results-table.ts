/**
 * The results table: one line per (case, op, pass, layout, dtype); our time, bandwidth, share of
 * the copy ceiling and error, then for each peer its time, whether it was right, and how many times
 * faster ours is. When float16 ran: a dtype column, our f16 / f32 kernel time, and "no f16" where a
 * peer runs float32 only.
 */
import type { Impl } from '../rows.js';
import { el } from './dom.js';
import { DASH, fmtErr, fmtMs, fmtNumber, fmtRatio } from './format.js';
import { halfOverFull, hasHalves, IMPL_LABEL, OP_SHORT, peerRunsDtype, speedupOver, type ResultGroup, type TimedRow } from './result-groups.js';

const TIMING_MARK: Record<string, string> = { 'gpu-timestamp': '', wall: ' ʷ', cpu: ' ᶜ', failed: '' };

function okCell(m: TimedRow | undefined): HTMLTableCellElement {
  if (!m) return el('td', { class: 'na' }, DASH);
  if (m.timing === 'failed') return el('td', { class: 'bad', title: m.note ?? 'failed' }, 'failed');
  const attrs: Record<string, string> = { class: m.row.ok ? 'good' : 'bad' };
  if (m.note) attrs.title = m.note;
  return el('td', attrs, m.row.ok ? '✓' : `✗ ${fmtErr(m.row.max_abs_err)}`);
}

function timeCell(m: TimedRow | undefined): HTMLTableCellElement {
  if (!m || m.row.kernel_ms === null) return el('td', { class: 'num na' }, DASH);
  return el('td', { class: 'num', title: `timed by ${m.timing}` }, fmtMs(m.row.kernel_ms) + (TIMING_MARK[m.timing] ?? ''));
}

function ratioCell(ours: TimedRow | undefined, peer: TimedRow | undefined): HTMLTableCellElement {
  const r = speedupOver(ours, peer);
  const cls = r === null ? 'num na' : r >= 1 ? 'num faster' : 'num slower';
  return el('td', { class: cls }, fmtRatio(r));
}

function halfRatioCell(g: ResultGroup, groups: readonly ResultGroup[]): HTMLTableCellElement {
  const r = halfOverFull(g, groups);
  if (r === null) return el('td', { class: 'num na' }, g.dtype === 'float16' ? DASH : '');
  return el('td', { class: `num ${r <= 1 ? 'faster' : 'slower'}`, title: 'our float16 kernel time / our float32 kernel time, same run' }, `${r.toFixed(2)}`);
}

export function renderResultsTable(groups: readonly ResultGroup[], peers: readonly Impl[], oursImpl: Impl): HTMLTableElement {
  // Only a run with float16 rows gets the dtype and f16 / f32 columns; a float32 run looks as before.
  const halves = hasHalves(groups);
  const head1 = el(
    'tr',
    {},
    el('th', { colspan: halves ? '5' : '4' }, 'case'),
    el('th', { colspan: halves ? '7' : '6', class: 'group' }, IMPL_LABEL[oursImpl]),
    ...peers.map((p) => el('th', { colspan: '3', class: 'group' }, IMPL_LABEL[p])),
  );
  const head2 = el(
    'tr',
    {},
    ...['name', 'op', 'pass', 'layout', ...(halves ? ['dtype'] : [])].map((t) => el('th', {}, t)),
    ...['kernel ms', 'e2e ms', 'GB/s', '% copy', 'max |err|', 'ok', ...(halves ? ['f16 / f32'] : [])].map((t) => el('th', { class: 'num' }, t)),
    ...peers.flatMap(() => ['ms', 'ok', 'ours ×'].map((t) => el('th', { class: 'num' }, t))),
  );
  const body = el('tbody');
  for (const g of groups) {
    const ours = g.ours;
    body.append(
      el(
        'tr',
        {},
        el('td', {}, g.case),
        el('td', {}, OP_SHORT[g.op]),
        el('td', {}, g.pass),
        el('td', {}, g.layout),
        halves ? el('td', {}, g.dtype) : null,
        timeCell(ours),
        el('td', { class: 'num' }, fmtMs(ours?.row.e2e_ms)),
        el('td', { class: 'num' }, fmtNumber(ours?.row.GBps)),
        el('td', { class: 'num' }, fmtNumber(ours?.row.pct_copy)),
        el('td', { class: 'num' }, fmtErr(ours?.row.max_abs_err)),
        okCell(ours),
        halves ? halfRatioCell(g, groups) : null,
        ...peers.flatMap((p) => {
          if (!peerRunsDtype(p, g.dtype)) return [el('td', { class: 'num na', colspan: '3' }, 'no f16')];
          const m = g.byImpl.get(p);
          return [timeCell(m), okCell(m), ratioCell(ours, m)];
        }),
      ),
    );
  }
  return el('table', { class: 'results' }, el('thead', {}, head1, head2), body);
}

export const TABLE_LEGEND =
  'Times are medians in ms. ʷ: wall time around the op and queue.onSubmittedWorkDone() (no GPU timestamps); ' +
  'ᶜ: CPU time of the call; unmarked: GPU timestamp queries. "ours ×" is the peer\'s time over ours, like for like (wall against wall). ' +
  '% copy: bandwidth over the plain vec4 copy kernel on the same adapter.';

/** The legend's addition when float16 ran. */
export const HALF_LEGEND =
  'f16 rows (?dtypes=float32,float16): float16 tensors checked against the reference rounded to half once, bytes counted at 2 a value; ' +
  '"f16 / f32" is our float16 kernel time over our float32 one in the same run; TF.js runs float32 only ("no f16").';
