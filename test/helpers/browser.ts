/**
 * The browser tests' shared set-up: `vite build` into dist-page/ (both pages), `vite preview` on a
 * free localhost port, Debian's Chromium (headless, WebGPU on SwiftShader) driven by
 * playwright-core, and a page that records console errors. Never skips: without Chromium it fails
 * and says how to get it.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Chromium 156 (Debian bookworm) in headless mode hands out its SwiftShader WebGPU adapter
 * (vendor 'google', architecture 'swiftshader', with timestamp-query) with these flags alone;
 * none of --use-angle=swiftshader, --enable-features=Vulkan, --use-vulkan=swiftshader or
 * --enable-unsafe-swiftshader was needed. navigator.gpu needs a secure context, hence localhost.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export interface PageSession {
  context: BrowserContext;
  /** An absolute URL on the preview server for a path such as '/demo.html?x=1'. */
  url(path: string): string;
  close(): Promise<void>;
}

/** Builds the pages, serves them and starts Chromium; call close() in afterAll. */
export async function startPageSession(): Promise<PageSession> {
  await build({ logLevel: 'warn', mode: 'production' });
  return servePages({});
}

/**
 * Serves an already built Vite app (this repository's pages, or with `root` another project's
 * dist/) on a free localhost port and opens Chromium on it; `headers` go with every response (the
 * cross-origin isolation headers, for a page that needs SharedArrayBuffer).
 */
export async function servePages(options: { root?: string; headers?: Record<string, string> }): Promise<PageSession> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The page tests drive Chromium at ${CHROMIUM} and there is none: run \`npm run setup:system\` (installs Debian's chromium) or set CHROMIUM_PATH.`);
  }
  const server: PreviewServer = await preview({
    ...(options.root ? { root: options.root, configFile: false, build: { outDir: options.root } } : {}),
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false, ...(options.headers ? { headers: options.headers } : {}) },
  });
  const userDataDir = await mkdtemp(join(tmpdir(), 'pooling-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1400, height: 1000 },
    });
  } catch (e) {
    await server.close();
    await rm(userDataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    context,
    url(path: string) {
      const base = server.resolvedUrls?.local[0];
      if (!base) throw new Error('vite preview reported no local URL');
      return new URL(path, base).href;
    },
    async close() {
      await context.close();
      await server.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A new page whose console errors and uncaught exceptions land in the returned list. */
export async function pageWithErrorLog(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return { page, errors };
}

/** Waits until the page's `data-state` is 'done' or 'error', then saves a full-page screenshot. */
export async function waitForPageState(page: Page, timeoutMs: number, screenshot: string): Promise<string | undefined> {
  await page.waitForFunction(() => ['done', 'error'].includes(document.documentElement.dataset.state ?? ''), undefined, { timeout: timeoutMs, polling: 250 });
  await mkdir('test-results', { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  return page.evaluate(() => document.documentElement.dataset.state);
}

export async function pageText(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (node) => (node as HTMLElement).innerText).catch(() => '');
}
