/**
 * The results table: one line per (case, op, pass, layout); our time, bandwidth, share of the copy
 * ceiling and error, then for each peer its time, whether it was right, and how many times faster
 * ours is.
 */
import type { Impl } from '../rows.js';
import { el } from './dom.js';
import { DASH, fmtErr, fmtMs, fmtNumber, fmtRatio } from './format.js';
import { IMPL_LABEL, OP_SHORT, speedupOver, type ResultGroup, type TimedRow } from './result-groups.js';

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

export function renderResultsTable(groups: readonly ResultGroup[], peers: readonly Impl[], oursImpl: Impl): HTMLTableElement {
  const head1 = el(
    'tr',
    {},
    el('th', { colspan: '4' }, 'case'),
    el('th', { colspan: '6', class: 'group' }, IMPL_LABEL[oursImpl]),
    ...peers.map((p) => el('th', { colspan: '3', class: 'group' }, IMPL_LABEL[p])),
  );
  const head2 = el(
    'tr',
    {},
    ...['name', 'op', 'pass', 'layout'].map((t) => el('th', {}, t)),
    ...['kernel ms', 'e2e ms', 'GB/s', '% copy', 'max |err|', 'ok'].map((t) => el('th', { class: 'num' }, t)),
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
        timeCell(ours),
        el('td', { class: 'num' }, fmtMs(ours?.row.e2e_ms)),
        el('td', { class: 'num' }, fmtNumber(ours?.row.GBps)),
        el('td', { class: 'num' }, fmtNumber(ours?.row.pct_copy)),
        el('td', { class: 'num' }, fmtErr(ours?.row.max_abs_err)),
        okCell(ours),
        ...peers.flatMap((p) => {
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
