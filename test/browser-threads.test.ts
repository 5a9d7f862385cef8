/**
 * The CPU backend's threads in Chromium (docs/cpu-backend.md, "Threads"): a page served with the
 * cross-origin isolation headers (COOP same-origin, COEP require-corp) gets SharedArrayBuffer; a
 * context with `threads: 2` starts its Blob-URL workers there, they take blocks of large max and
 * average pools in both memory orders, and every output equals a one-thread context's bit for bit.
 * The same page without the headers runs every call on the calling thread, with the same answers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { build } from 'vite';
import { pageWithErrorLog, servePages, type PageSession } from './helpers/browser.js';

const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

let outDir = '';
const sessions: PageSession[] = [];

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'pooling-threads-page-'));
  await build({ root: 'test/pages/threads', configFile: false, logLevel: 'warn', base: './', build: { outDir, emptyOutDir: true, target: 'es2022' } });
}, 300_000);

afterAll(async () => {
  for (const s of sessions) await s.close();
  await rm(outDir, { recursive: true, force: true });
});

async function resultOf(headers: Record<string, string> | undefined): Promise<Record<string, unknown>> {
  const session = await servePages({ root: outDir, ...(headers ? { headers } : {}) });
  sessions.push(session);
  const { page, errors } = await pageWithErrorLog(session.context);
  await page.goto(session.url('/index.html'));
  await page.waitForFunction(() => document.documentElement.dataset.result !== undefined, undefined, { timeout: 120_000 });
  const result = JSON.parse((await page.evaluate(() => document.documentElement.dataset.result))!) as Record<string, unknown>;
  expect(errors, 'console errors').toEqual([]);
  await page.close();
  return result;
}

it('cross-origin isolated: two threads, the workers take blocks, every output equals one thread\'s bit for bit', async () => {
  const r = await resultOf(ISOLATION);
  console.log('threads page, isolated:', JSON.stringify(r));
  expect(r.failed, String(r.failed)).toBeUndefined();
  expect(r.isolated).toBe(true);
  expect(r.threads).toBe(2);
  expect(r.oneThread).toBe(1);
  for (const layout of ['NCHW', 'NHWC']) {
    const l = r[layout] as { workerBlocks: number; max: boolean; indices: boolean; avg: boolean };
    expect(l.workerBlocks, `${layout}: blocks run by workers`).toBeGreaterThan(0);
    expect([l.max, l.indices, l.avg], `${layout}: max, indices, avg equal`).toEqual([true, true, true]);
  }
}, 300_000);

it('without the headers: no SharedArrayBuffer, one thread, the same answers', async () => {
  const r = await resultOf(undefined);
  expect(r.failed, String(r.failed)).toBeUndefined();
  expect(r.isolated).toBe(false);
  expect(r.threads).toBe(1);
  for (const layout of ['NCHW', 'NHWC']) {
    const l = r[layout] as { workerBlocks: number; max: boolean; indices: boolean; avg: boolean };
    expect(l.workerBlocks).toBe(0);
    expect([l.max, l.indices, l.avg]).toEqual([true, true, true]);
  }
}, 300_000);
