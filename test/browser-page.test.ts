/**
 * The benchmark page end to end in a real browser: `vite build` into dist-page/, `vite preview` on a
 * free localhost port, Debian's Chromium (headless, WebGPU on SwiftShader) driven by playwright-core,
 * `/?quick=1` on a subset of the cases. Never skips: without Chromium or WebGPU it fails and says
 * how to get them.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Chromium 156 (Debian bookworm) in headless mode hands out its SwiftShader WebGPU adapter
 * (vendor 'google', architecture 'swiftshader', with timestamp-query) with these flags alone;
 * none of --use-angle=swiftshader, --enable-features=Vulkan, --use-vulkan=swiftshader or
 * --enable-unsafe-swiftshader was needed. navigator.gpu needs a secure context, hence localhost.
 */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/**
 * Every op, both passes and both layouts, with the TF.js peer, in ~20 s on SwiftShader; the whole
 * quick list takes over two minutes there (gpool_big's 512×512 planes dominate).
 */
const CASES = ['r50stem_b8', 'incep_b32', 'gpool_r50_b32'];
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

let server: PreviewServer | undefined;
let context: BrowserContext | undefined;
let userDataDir: string | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The page test drives Chromium at ${CHROMIUM} and there is none: run \`npm run setup:system\` (installs Debian's chromium) or set CHROMIUM_PATH.`);
  }
  await build({ logLevel: 'warn', mode: 'production' });
  server = await preview({ logLevel: 'warn', preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false } });
  userDataDir = await mkdtemp(join(tmpdir(), 'pooling-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1400, height: 1000 },
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

function pageUrl(): string {
  const base = server?.resolvedUrls?.local[0];
  if (!base) throw new Error('vite preview reported no local URL');
  return new URL(`/?quick=1&cases=${CASES.join(',')}`, base).href;
}

async function pageText(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (node) => (node as HTMLElement).innerText).catch(() => '');
}

it(`the built page runs quick mode (${CASES.join(', ')}) on WebGPU in Chromium, every result of ours correct`, async () => {
  const page = await context!.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));

  await page.goto(pageUrl());
  await page.waitForFunction(() => ['done', 'error'].includes(document.documentElement.dataset.state ?? ''), undefined, { timeout: PAGE_TIMEOUT_MS, polling: 500 });
  await mkdir('test-results', { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  const state = await page.evaluate(() => document.documentElement.dataset.state);
  const pageError = await page.evaluate(() => window.__poolingBenchError);
  expect(state, `the page stopped with an error: ${pageError}`).toBe('done');

  const backend = await page.evaluate(() => document.documentElement.dataset.backend);
  expect(backend, `the page fell back to the CPU: Chromium gave no WebGPU adapter. ${await pageText(page, '#adapter-section')}`).toBe('webgpu');

  const rows = (await page.evaluate(() => window.__poolingBench)) as Row[] | undefined;
  expect(rows, 'window.__poolingBench').toBeDefined();
  const copy = rows!.filter((r) => r.case === 'copy');
  expect(copy).toHaveLength(1);
  const ours = rows!.filter((r) => r.impl === 'ours' && r.case !== 'copy');
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
