/** The download button: the rows as the CLI's `--json` prints them, one JSON object per line. */
import { el } from './dom.js';

export function jsonLines(lines: readonly string[]): string {
  return lines.join('\n') + '\n';
}

function fileName(adapter: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const slug = adapter.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'adapter';
  return `pooling-bench-${slug}-${stamp}.jsonl`;
}

export function downloadButton(lines: readonly string[], adapter: string): HTMLButtonElement {
  const button = el('button', { type: 'button', class: 'download' }, `Download JSON rows (${lines.length})`);
  button.addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([jsonLines(lines)], { type: 'application/x-ndjson' }));
    const a = el('a', { href: url, download: fileName(adapter) });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  return button;
}
