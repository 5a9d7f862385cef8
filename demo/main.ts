/**
 * The demo page: an image (the bundled sample first, then whatever is dropped or picked) goes once
 * to the GPU, through the pooling pipeline (pipeline.ts) with no read-back in between, and comes
 * back as pictures, descriptors and a gradient map, each stage timed and checked against the CPU
 * reference. Without WebGPU it runs on the CPU backend and says so.
 */
import { adapterLabel } from '../bench/page/adapter-panel.js';
import { simdAvailable } from '../src/cpu/simd.js';
import { byId, el } from '../bench/page/dom.js';
import { checkAgainstReference } from './check.js';
import { publishDemoError, publishDemoRows, setDemoState } from './demo-state.js';
import { startEngine, type Engine } from './engine.js';
import { inputPanel } from './input-panel.js';
import { runPipeline } from './pipeline.js';
import type { RgbImage } from './rgb-image.js';
import { sampleImage } from './sample-image.js';
import { stageGroups, summary } from './views.js';

/** Which kernels the CPU backend (the reference checks, or the whole pipeline without WebGPU) runs. */
function cpuKernels(): 'wasm-simd' | 'javascript' {
  return simdAvailable() ? 'wasm-simd' : 'javascript';
}

function backendNotice(engine: Engine): HTMLElement {
  const cpu = cpuKernels() === 'wasm-simd' ? 'WebAssembly SIMD' : 'JavaScript';
  if (!engine.whyNoGpu) return el('p', {}, `WebGPU on ${adapterLabel(engine.pool)}; the checks run the CPU backend's ${cpu} kernels.`);
  return el(
    'div',
    { class: 'notice', role: 'alert' },
    el('strong', {}, 'WebGPU is not available here — '),
    `the pipeline runs on the library's CPU backend (${cpu} kernels), so the times are CPU times. ${engine.whyNoGpu}`,
    ' Open the page in a browser with WebGPU (Chrome or Edge 113+, Safari 26, Firefox 141+ on Windows; Chromium on Linux with --enable-unsafe-webgpu).',
  );
}

async function runImage(engine: Engine, image: RgbImage): Promise<void> {
  setDemoState('running');
  byId('status').textContent = `Running the pipeline on ${image.source}…`;
  // A first, untimed run compiles every kernel, so the times shown are steady-state ones.
  if (engine.pool.backend === 'webgpu') (await runPipeline(engine.pool, image, () => engine.settle())).destroy();
  const run = await runPipeline(engine.pool, image, () => engine.settle());
  try {
    const reference = await runPipeline(engine.reference, image, async () => {});
    try {
      const checked = await checkAgainstReference(run, reference, engine.pool.backend);
      const label = engine.pool.backend === 'webgpu' ? adapterLabel(engine.pool) : 'the CPU';
      byId('status').replaceChildren(summary(checked, label, image.source, engine.pool.backend === 'webgpu'));
      byId('results').replaceChildren(...stageGroups(checked));
      publishDemoRows(checked.map((c) => c.row));
      setDemoState('done');
    } finally {
      reference.destroy();
    }
  } finally {
    run.destroy();
  }
}

function fail(error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const section = byId('error-section');
  section.replaceChildren(el('h2', {}, 'The demo stopped'), el('div', { class: 'error' }, message));
  section.hidden = false;
  publishDemoError(message);
}

async function main(): Promise<void> {
  const engine = await startEngine();
  document.documentElement.dataset.backend = engine.pool.backend;
  document.documentElement.dataset.cpuKernels = cpuKernels();
  byId('backend').replaceChildren(backendNotice(engine));
  // One image at a time: a drop during a run waits for it.
  let queue = Promise.resolve();
  const submit = (image: RgbImage) => {
    queue = queue.then(() => runImage(engine, image)).catch(fail);
  };
  byId('input').replaceChildren(inputPanel(submit, (message) => (byId('status').textContent = message)));
  submit(sampleImage());
  await queue;
}

window.addEventListener('error', (e) => fail(e.error ?? e.message));
window.addEventListener('unhandledrejection', (e) => fail(e.reason));
main().catch(fail);
