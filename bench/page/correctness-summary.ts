/**
 * The correctness block: a running tally of results checked against the CPU reference while the
 * benchmark goes, then the verdict, and every result that disagreed with the reason the runner gave.
 */
import type { Measurement } from '../rows.js';
import { el } from './dom.js';
import { fmtErr } from './format.js';
import { IMPL_LABEL, isOurs } from './result-groups.js';

function describe(m: Measurement): string {
  const r = m.row;
  const what = `${IMPL_LABEL[r.impl]}: ${r.case} ${r.op} ${r.pass} ${r.layout}`;
  if (m.timing === 'failed') return `${what} — failed: ${m.note ?? 'no reason given'}`;
  return `${what} — max |err| ${fmtErr(r.max_abs_err)}${m.note ? ` (${m.note})` : ''}`;
}

export class CorrectnessSummary {
  readonly root = el('div', { class: 'summary' });
  private readonly tally = el('span', { class: 'verdict' }, 'No results yet.');
  private readonly details = el('div');

  constructor() {
    this.root.append(this.tally, this.details);
  }

  update(measurements: readonly Measurement[], finished: boolean): void {
    const ours = measurements.filter((m) => isOurs(m.row));
    const oursBad = ours.filter((m) => !m.row.ok);
    const peers = measurements.filter((m) => !isOurs(m.row) && m.row.impl !== 'cpu-reference');
    const peersBad = peers.filter((m) => !m.row.ok);
    const verdict = oursBad.length === 0 ? `${finished ? 'All ' : ''}${ours.length} of our results match the CPU reference` : `${oursBad.length} of ${ours.length} of our results disagree with the CPU reference`;
    const peerText = peers.length ? ` · peers: ${peers.length - peersBad.length} of ${peers.length} match` : '';
    this.tally.textContent = `${verdict}${finished ? '.' : ' so far…'}${peerText}`;
    this.tally.className = `verdict ${oursBad.length ? 'bad' : 'good'}`;
    this.details.replaceChildren(...[oursBad, peersBad].filter((list) => list.length > 0).map((list) => el('ul', {}, ...list.map((m) => el('li', {}, describe(m))))));
  }

  addAction(node: HTMLElement): void {
    this.root.append(node);
  }
}
