/** The benchmark's account of a tuned context (CLI and page): keys, measuring cost, and where tuning disagreed with the rules. */
import type { Pooling } from '../src/index.js';

/** What the tuned context decided: keys, their measuring cost, and where it disagreed with the rules. */
export function formatTuningSummary(tuned: Pooling): string {
  const decisions = tuned.tuning.decisions();
  if (decisions.length === 0) return '\ntuning: no key had alternatives\n';
  const costs = decisions.map((d) => d.costMs).sort((a, b) => a - b);
  const lines = ['', `tuning: ${decisions.length} keys measured; cost per key median ${costs[costs.length >> 1]!.toFixed(0)} ms, max ${costs[costs.length - 1]!.toFixed(0)} ms, total ${costs.reduce((a, b) => a + b, 0).toFixed(0)} ms`];
  const differ = decisions.filter((d) => d.kernel !== d.rule);
  lines.push(`  tuned pick differs from the rules' in ${differ.length} of ${decisions.length} keys${differ.length ? ':' : ''}`);
  for (const d of differ) {
    const times = Object.entries(d.times).map(([k, t]) => `${k} ${t.toFixed(2)}`).join(', ');
    lines.push(`    ${d.key}: ${d.rule} -> ${d.kernel} (medians ms: ${times})`);
  }
  // Which kernel ran for every key: the tuned context's choice, the same as the rules' unless marked.
  lines.push('  the kernel each key ran (tuned; the rules\' pick where it differs):');
  for (const d of decisions) lines.push(`    ${d.key}: ${d.kernel}${d.kernel === d.rule ? '' : ` (rules: ${d.rule})`}`);
  return `${lines.join('\n')}\n`;
}
