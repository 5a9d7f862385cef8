/**
 * The benchmark page end to end in a real browser: `vite build` into dist-page/, `vite preview` on a
 * free localhost port, Debian's Chromium (headless, WebGPU on SwiftShader) driven by playwright-core,
 * `/?quick=1` on a subset of the cases. Never skips: without Chromium or WebGPU it fails and says
 * how to get them.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pageText, pageWithErrorLog, startPageSession, waitForPageState, type PageSession } from './helpers/browser.js';

/**
 * Every op, both passes and both layouts, with the TF.js peer, in ~20 s on SwiftShader; the whole
 * quick list takes over two minutes there (gpool_big's 512×512 planes dominate).
 */
const CASES = ['r50stem_b8', 'incep_b32', 'gpool_r50_b32'];
/** One family case (bench/family-cases.ts), beside its yardstick. */
const FAMILY = ['adaptive_vgg'];
const PAGE_TIMEOUT_MS = 180_000;
const SCREENSHOT = 'test-results/browser-page.png';

interface Row {
  case: string;
  impl: string;
  adapter: string;
  op?: string;
  pass?: string;
  layout?: string;
  ok?: boolean;
  max_abs_err?: number | null;
}

let session: PageSession | undefined;

beforeAll(async () => {
  session = await startPageSession();
}, 120_000);

afterAll(async () => {
  await session?.close();
});

function pageUrl(): string {
  return session!.url(`/?quick=1&cases=${CASES.join(',')}&family=${FAMILY.join(',')}`);
}

it(`the built page runs quick mode (${CASES.join(', ')}) on WebGPU in Chromium, every result of ours correct`, async () => {
  const { page, errors } = await pageWithErrorLog(session!.context);

  await page.goto(pageUrl());
  const state = await waitForPageState(page, PAGE_TIMEOUT_MS, SCREENSHOT);
  const pageError = await page.evaluate(() => window.__poolingBenchError);
  expect(state, `the page stopped with an error: ${pageError}`).toBe('done');

  const backend = await page.evaluate(() => document.documentElement.dataset.backend);
  expect(backend, `the page fell back to the CPU: Chromium gave no WebGPU adapter. ${await pageText(page, '#adapter-section')}`).toBe('webgpu');

  const rows = (await page.evaluate(() => window.__poolingBench)) as Row[] | undefined;
  expect(rows, 'window.__poolingBench').toBeDefined();
  const copy = rows!.filter((r) => r.case === 'copy');
  expect(copy).toHaveLength(1);
  const family = rows!.filter((r) => r.impl === 'ours' && FAMILY.includes(r.case));
  // The family case: its op and its yardstick, forward and backward, in both layouts.
  expect(family).toHaveLength(2 * 2 * 2);
  expect(family.filter((r) => r.ok !== true).map((r) => `${r.case} ${r.op} ${r.pass} ${r.layout}`), 'family results that disagree with the reference').toEqual([]);
  expect(await page.locator('#family-section pre').count()).toBe(1);
  const ours = rows!.filter((r) => r.impl === 'ours' && r.case !== 'copy' && !FAMILY.includes(r.case));
  expect(rows!.some((r) => r.impl === 'ours-cpu')).toBe(false);
  // 2 windowed cases × 2 ops × 2 passes + 1 global case × 2 ops × 2 passes, each in NCHW and NHWC.
  expect(ours).toHaveLength((2 * 2 * 2 + 2 * 2) * 2);
  expect(new Set(ours.map((r) => r.case))).toEqual(new Set(CASES));
  for (const r of ours) expect(r.adapter, `${r.case} ${r.op} ${r.pass} ${r.layout} ran on`).not.toMatch(/^(cpu|none)/i);
  const wrong = ours.filter((r) => r.ok !== true).map((r) => `${r.case} ${r.op} ${r.pass} ${r.layout}: max_abs_err ${r.max_abs_err}`);
  expect(wrong, 'our results that disagree with the CPU reference').toEqual([]);
  // The TF.js peer ran beside ours (its correctness is its own; BENCH.md lists its known faults).
  expect(rows!.filter((r) => r.impl === 'tfjs-webgpu').length).toBeGreaterThan(0);

  expect(await page.locator('table.results tbody tr').count()).toBeGreaterThan(0);
  expect(await page.locator('#chart-section canvas').count()).toBe(1);
  expect(await page.locator('button.download').count()).toBe(1);
  expect(errors, 'console errors on the page').toEqual([]);
  await page.close();
}, PAGE_TIMEOUT_MS + 30_000);

it('?tuning=1 times a tuned context beside ours and shows what tuning chose', async () => {
  const { page, errors } = await pageWithErrorLog(session!.context);
  await page.goto(session!.url('/?quick=1&cases=incep_b32&family=0&peers=0&tuning=1'));
  const state = await waitForPageState(page, PAGE_TIMEOUT_MS, SCREENSHOT.replace('.png', '-tuning.png'));
  expect(state, `the page stopped with an error: ${await page.evaluate(() => window.__poolingBenchError)}`).toBe('done');
  const rows = (await page.evaluate(() => window.__poolingBench)) as Row[];
  const tuned = rows.filter((r) => r.impl === 'ours-tuned');
  // incep_b32: max and avg, forward and backward, NCHW and NHWC.
  expect(tuned).toHaveLength(2 * 2 * 2);
  expect(tuned.filter((r) => r.ok !== true)).toEqual([]);
  expect(await pageText(page, '#tuning-section')).toMatch(/tuning: \d+ keys measured; cost per key median \d+ ms.*\n\s*tuned pick differs from the rules' in \d+ of \d+ keys/s);
  expect(errors, 'console errors on the page').toEqual([]);
  await page.close();
}, PAGE_TIMEOUT_MS + 30_000);
