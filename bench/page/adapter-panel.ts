/** The adapter block at the top of the page, and the notice shown when WebGPU is not there. */
import type { Pooling } from '../../src/index.js';
import { el } from './dom.js';

/**
 * Everything the adapter says about itself, for people: browsers often leave `device` and
 * `description` empty (Chromium's SwiftShader is 'google' · 'swiftshader').
 */
export function adapterLabel(pool: Pooling): string {
  const info = pool.adapterInfo;
  if (pool.backend === 'cpu' || !info) return 'the CPU';
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((p) => p && p.length > 0);
  return parts.length > 0 ? [...new Set(parts)].join(' ') : 'an unnamed WebGPU adapter';
}

function gpuFeatures(pool: Pooling): string[] {
  const device = (pool.impl as { device?: GPUDevice }).device;
  return device ? [...device.features].sort() : [];
}

function row(name: string, value: string): HTMLElement[] {
  return [el('dt', {}, name), el('dd', {}, value)];
}

export function renderAdapterPanel(pool: Pooling, whyNoGpu: string | undefined): HTMLElement {
  const info = pool.adapterInfo;
  const features = gpuFeatures(pool);
  const list = el(
    'dl',
    { class: 'adapter' },
    ...row('backend', pool.backend === 'webgpu' ? 'WebGPU' : 'CPU reference (fallback)'),
    ...row('adapter', adapterLabel(pool)),
    ...(info ? row('vendor · architecture', `${info.vendor || '—'} · ${info.architecture || '—'}`) : []),
    ...(features.length ? row('timestamps', features.includes('timestamp-query') ? 'timestamp-query: kernel times from the GPU' : 'no timestamp-query: wall times') : []),
    ...(features.length ? row('device features', features.join(', ')) : []),
  );
  if (pool.backend === 'webgpu') return list;
  const notice = el(
    'div',
    { class: 'notice', role: 'alert' },
    el('strong', {}, 'WebGPU is not available here — '),
    `the benchmark runs on the library's CPU backend, so the times are CPU times and there are no GPU peers. ${whyNoGpu ?? ''}`,
    ' Open the page in a browser with WebGPU (Chrome or Edge 113+, Safari 26, Firefox 141+ on Windows; in Chromium on Linux start it with --enable-unsafe-webgpu).',
  );
  return el('div', {}, notice, list);
}

/** Why navigator.gpu gave no adapter, in words, for the notice. */
export async function probeWebGpu(): Promise<string | undefined> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return window.isSecureContext ? 'This browser has no navigator.gpu.' : 'navigator.gpu needs a secure context (https or localhost).';
  try {
    const adapter = await gpu.requestAdapter();
    return adapter ? undefined : 'navigator.gpu.requestAdapter() returned null.';
  } catch (e) {
    return `navigator.gpu.requestAdapter() failed: ${(e as Error).message}`;
  }
}
