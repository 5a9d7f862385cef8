/**
 * What scripts read (test/browser-demo.test.ts, anyone automating the demo):
 * `document.documentElement.dataset.state` goes 'loading' → 'running' → 'done' | 'error' (and back
 * to 'running' for each new image), `dataset.backend` is 'webgpu' or 'cpu', `dataset.cpuKernels` is
 * 'wasm-simd' or 'javascript' (what the CPU backend runs in this browser), and
 * `window.__poolingDemo` holds one row per stage with `ok` from the check against the CPU reference.
 */
import type { DemoRow } from './check.js';

export type DemoState = 'loading' | 'running' | 'done' | 'error';

declare global {
  interface Window {
    __poolingDemo?: readonly DemoRow[];
    /** The message shown on the page when the state is 'error'. */
    __poolingDemoError?: string;
  }
}

export function setDemoState(state: DemoState): void {
  document.documentElement.dataset.state = state;
}

export function publishDemoRows(rows: readonly DemoRow[]): void {
  window.__poolingDemo = rows;
}

export function publishDemoError(message: string): void {
  window.__poolingDemoError = message;
  setDemoState('error');
}
