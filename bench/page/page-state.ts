/**
 * What scripts read (test/browser-page.test.ts, anyone automating the page):
 * `document.documentElement.dataset.state` goes 'loading' → 'running' → 'done' | 'error', and
 * `window.__poolingBench` holds the rows exactly as the CLI's `--json` prints them.
 */
export type PageState = 'loading' | 'running' | 'done' | 'error';

declare global {
  interface Window {
    __poolingBench?: readonly object[];
    /** The message shown on the page when the state is 'error'. */
    __poolingBenchError?: string;
  }
}

export function setPageState(state: PageState): void {
  document.documentElement.dataset.state = state;
}

export function publishRows(rows: readonly object[]): void {
  window.__poolingBench = rows;
}

export function publishError(message: string): void {
  window.__poolingBenchError = message;
  setPageState('error');
}
