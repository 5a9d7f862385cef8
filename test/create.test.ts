/** createPooling: backend choice, adapter info, an application's own device, and no adapter at all. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createPooling } from '../src/index.js';

describe('createPooling', () => {
  it("'auto' uses WebGPU when an adapter exists and reports it", async () => {
    const pool = await createPooling();
    expect(pool.backend).toBe('webgpu');
    expect(pool.adapterInfo).toMatchObject({ vendor: expect.any(String), description: expect.any(String) });
    pool.destroy();
  });

  it("'cpu' is the reference path with no adapter info", async () => {
    const pool = await createPooling({ backend: 'cpu' });
    expect(pool.backend).toBe('cpu');
    expect(pool.adapterInfo).toBeNull();
    const { output } = await pool.maxPool2d(pool.tensor([1, 5, 3, 4], [1, 1, 2, 2]), { kernelSize: 2 });
    expect(Array.from(await output.read())).toEqual([5]);
  });

  it("reuses the application's device and leaves it alive on destroy()", async () => {
    const owner = await createPooling({ backend: 'webgpu' });
    const device = (owner.impl as unknown as { device: GPUDevice }).device;
    const pool = await createPooling({ device });
    expect(pool.backend).toBe('webgpu');
    const t = pool.tensor([1, 2, 3, 4], [1, 1, 2, 2]);
    expect(Array.from(await (await pool.globalAvgPool(t)).read())).toEqual([2.5]);
    pool.destroy();
    // The device still works for its owner.
    const { output } = await owner.maxPool2d(owner.tensor([4, 3, 2, 1], [1, 1, 2, 2]), { kernelSize: 2 });
    expect(Array.from(await output.read())).toEqual([4]);
    owner.destroy();
  });

  it("without any adapter, 'auto' falls back to the CPU and 'webgpu' says how to get one", () => {
    execFileSync('node', ['scripts/build.mjs'], { stdio: 'pipe' });
    const out = execFileSync('node', ['test/fixtures/no-adapter.mjs'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, VK_ICD_FILENAMES: '/nonexistent/icd.json' },
    });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    expect(r.autoBackend).toBe('cpu');
    expect(r.adapterInfo).toBeNull();
    expect(r.avg).toEqual([2.5]);
    expect(r.error.isPoolingError).toBe(true);
    expect(r.error.message).toMatch(/No WebGPU adapter was found.*chromium/);
  });
});
