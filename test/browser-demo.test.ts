/**
 * The demo page end to end in headless Chromium (WebGPU on SwiftShader): the bundled sample runs
 * through the whole pipeline on WebGPU, every stage matches the CPU reference, the pictures are
 * drawn, and nothing is logged as an error. Then a dropped image (a small PNG made in the page)
 * runs the pipeline again.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DemoRow } from '../demo/check.js';
import { STAGES } from '../demo/pipeline.js';
import { pageText, pageWithErrorLog, startPageSession, waitForPageState, type PageSession } from './helpers/browser.js';

const PAGE_TIMEOUT_MS = 60_000;
const SCREENSHOT = 'test-results/browser-demo.png';

let session: PageSession | undefined;

beforeAll(async () => {
  session = await startPageSession();
}, 120_000);

afterAll(async () => {
  await session?.close();
});

it('the built demo page runs the sample through every stage on WebGPU, each stage matching the CPU reference; a dropped image runs again', async () => {
  const { page, errors } = await pageWithErrorLog(session!.context);
  await page.goto(session!.url('/demo.html'));
  const state = await waitForPageState(page, PAGE_TIMEOUT_MS, SCREENSHOT);
  expect(state, `the demo stopped with an error: ${await page.evaluate(() => window.__poolingDemoError)}`).toBe('done');
  expect(await page.evaluate(() => document.documentElement.dataset.backend), `the demo fell back to the CPU: ${await pageText(page, '#backend')}`).toBe('webgpu');
  // The checks run the CPU backend; in Chromium it compiles and runs the WebAssembly SIMD kernels.
  expect(await page.evaluate(() => document.documentElement.dataset.cpuKernels)).toBe('wasm-simd');

  const rows = (await page.evaluate(() => window.__poolingDemo)) as DemoRow[] | undefined;
  expect(rows?.map((r) => r.stage)).toEqual(STAGES.map((s) => s.id));
  for (const r of rows!) {
    expect(r.backend).toBe('webgpu');
    expect(r.ok, `${r.stage} (${r.call}): ${r.detail} max_abs_err ${r.max_abs_err}`).toBe(true);
    expect(r.ms).toBeGreaterThanOrEqual(0);
  }
  expect(rows!.find((r) => r.stage === 'x')!.shape).toEqual([1, 3, 256, 256]);
  expect(rows!.find((r) => r.stage === 'max8')!.shape).toEqual([1, 3, 32, 32]);
  expect(rows!.find((r) => r.stage === 'globalAvg')!.shape).toEqual([1, 3]);
  expect(rows!.find((r) => r.stage === 'dx')!.shape).toEqual([1, 3, 256, 256]);
  expect(await page.locator('figure.stage[data-stage] canvas').count()).toBe(STAGES.length);
  expect(await page.locator('figure.zoom canvas').count()).toBe(2);
  expect(await pageText(page, '#status')).toMatch(/All \d+ stages match the CPU reference/);

  // Drop a 40x24 PNG drawn in the page: the pipeline runs again on it.
  await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 40;
    canvas.height = 24;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#204080';
    ctx.fillRect(0, 0, 40, 24);
    ctx.fillStyle = '#ffcc00';
    ctx.fillRect(10, 6, 12, 9);
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], 'drawn.png', { type: 'image/png' }));
    document.documentElement.dataset.state = 'dropping';
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  expect(await waitForPageState(page, PAGE_TIMEOUT_MS, SCREENSHOT.replace('.png', '-dropped.png'))).toBe('done');
  const dropped = (await page.evaluate(() => window.__poolingDemo)) as DemoRow[];
  expect(dropped.find((r) => r.stage === 'x')!.shape).toEqual([1, 3, 24, 40]);
  expect(dropped.filter((r) => !r.ok).map((r) => r.stage)).toEqual([]);
  expect(await pageText(page, '#status')).toMatch(/drawn\.png/);

  expect(errors, 'console errors on the page').toEqual([]);
  await page.close();
}, 2 * PAGE_TIMEOUT_MS + 30_000);

it("without navigator.gpu the demo's createPooling() falls back to the CPU backend (its WebAssembly SIMD kernels), pool.reason says why, and every stage still matches the reference", async () => {
  const { page, errors } = await pageWithErrorLog(session!.context);
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true }));
  await page.goto(session!.url('/demo.html'));
  expect(await waitForPageState(page, PAGE_TIMEOUT_MS, SCREENSHOT.replace('.png', '-cpu.png'))).toBe('done');
  expect(await page.evaluate(() => document.documentElement.dataset.backend)).toBe('cpu');
  expect(await pageText(page, '#backend')).toMatch(/WebGPU is not available here.*CPU backend \(WebAssembly SIMD kernels\).*'auto' took the CPU backend\. No WebGPU adapter was found: navigator\.gpu is undefined, because this browser does not offer WebGPU/s);
  expect(await page.evaluate(() => document.documentElement.dataset.cpuKernels)).toBe('wasm-simd');
  const rows = (await page.evaluate(() => window.__poolingDemo)) as DemoRow[];
  expect(rows.map((r) => r.stage)).toEqual(STAGES.map((s) => s.id));
  expect(rows.filter((r) => r.backend !== 'cpu' || !r.ok)).toEqual([]);
  expect(errors, 'console errors on the page').toEqual([]);
  await page.close();
}, PAGE_TIMEOUT_MS + 30_000);
