/** createPooling: backend choice, adapter info, an application's own device, and no adapter at all. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapterKind, runsOnCpu } from '../src/adapter-profile.js';
import { findNodeAdapter } from '../src/host/node-gpu.js';
import { createPooling } from '../src/index.js';
import { namedTestAdapter } from './helpers/gpu.js';

describe('createPooling', () => {
  it("'auto' takes a hardware adapter, but the CPU backend when the only adapter is a software rasteriser", async () => {
    const best = (await findNodeAdapter('auto'))!;
    expect(best, 'this machine has a WebGPU adapter (the suite needs one)').not.toBeNull();
    const pool = await createPooling();
    if (runsOnCpu(adapterKind(best.adapter.info))) {
      // The machines CI runs on: SwiftShader or llvmpipe only.
      expect(pool.backend).toBe('cpu');
      expect(pool.adapterInfo).toBeNull();
      expect(pool.reason).toMatch(/^'auto' took the CPU backend: the only WebGPU adapter is a software rasteriser \(.*(swiftshader|llvmpipe).*\).*backend 'webgpu' uses it anyway/i);
    } else {
      expect(pool.backend).toBe('webgpu');
      expect(pool.reason).toMatch(/^'auto' found a WebGPU adapter: /);
    }
    const { output } = await pool.maxPool2d(pool.tensor([1, 5, 3, 4], [1, 1, 2, 2]), { kernelSize: 2 });
    expect(Array.from(await output.read())).toEqual([5]);
    pool.destroy();
  });

  it("'webgpu', or an adapter named with nodeAdapter, uses that adapter even when it is software, and says so", async () => {
    const forced = await createPooling({ backend: 'webgpu' });
    expect(forced.backend).toBe('webgpu');
    expect(forced.adapterInfo).toMatchObject({ vendor: expect.any(String), description: expect.any(String) });
    expect(forced.reason).toMatch(/^backend 'webgpu' was requested: /);
    forced.destroy();
    const named = await createPooling({ nodeAdapter: await namedTestAdapter() });
    expect(named.backend).toBe('webgpu');
    expect(named.reason).toMatch(/^'auto' found a WebGPU adapter: /);
    named.destroy();
    const cpu = await createPooling({ backend: 'cpu' });
    expect(cpu.reason).toBe("backend 'cpu' was requested");
    cpu.destroy();
  });

  it('classifies WARP and fallback adapters as software rasterisers', () => {
    expect(adapterKind({ vendor: 'microsoft', architecture: '', description: 'Microsoft Basic Render Driver' })).toBe('software');
    expect(adapterKind({ vendor: 'microsoft', architecture: 'warp', description: '' })).toBe('software');
    expect(adapterKind({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100 80GB HBM3', isFallbackAdapter: true })).toBe('software');
    expect(adapterKind({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100 80GB HBM3' })).toBe('gpu');
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
    expect(r.error.message).toMatch(/backend 'webgpu' was requested\. No WebGPU adapter was found: Dawn \(npm 'webgpu'\) loaded, but found none \(searched the system's GPU through Vulkan\)\..*apt-get install chromium libvulkan1/);
    expect(r.error.message).not.toMatch(/setup:system/);
    expect(r.reason).toMatch(/^'auto' took the CPU backend\. No WebGPU adapter was found: Dawn/);
  });

  it('finding an adapter prints nothing on stderr (no Vulkan search without a GPU device node)', () => {
    execFileSync('node', ['scripts/build.mjs'], { stdio: 'pipe' });
    const script = "import { createPooling } from './dist/index.js'; const p = await createPooling({ backend: 'webgpu' }); const q = await createPooling(); console.log(p.backend, q.backend); p.destroy(); q.destroy();";
    const errFile = join(mkdtempSync(join(tmpdir(), 'quiet-')), 'stderr.txt');
    const out = execFileSync('bash', ['-c', `node --input-type=module -e "${script}" 2>${errFile}`], { encoding: 'utf8' });
    expect(out.trim()).toMatch(/^webgpu (cpu|webgpu)$/);
    const gpuNode = readdirSync('/dev').some((n) => n === 'dri' || n === 'dxg' || /^nvidia\d+$/.test(n));
    // With a GPU the drivers Dawn loads may still speak (Mesa's lavapipe beside a GPU does); without one, none is asked.
    if (!gpuNode) expect(readFileSync(errFile, 'utf8')).toBe('');
    else expect(out.trim()).toBe('webgpu webgpu');
  });

  it("without Dawn's binding installed, 'auto' runs on the CPU and 'webgpu' says to install it, with the loader's error as cause", () => {
    execFileSync('node', ['scripts/build.mjs'], { stdio: 'pipe' });
    // The built package alone, outside this repository, so that no node_modules/webgpu is reachable.
    const root = mkdtempSync(join(tmpdir(), 'no-dawn-'));
    try {
      const pkg = join(root, 'node_modules', 'webgpu-pooling');
      mkdirSync(pkg, { recursive: true });
      cpSync('dist', join(pkg, 'dist'), { recursive: true });
      cpSync('package.json', join(pkg, 'package.json'));
      writeFileSync(
        join(root, 'main.mjs'),
        `import { createPooling, PoolingError } from 'webgpu-pooling';
const auto = await createPooling();
const y = await auto.avgPool2d(auto.tensor([1, 2, 3, 4], [1, 1, 2, 2]), { kernelSize: 2 });
let error = null;
try { await createPooling({ backend: 'webgpu' }); } catch (e) {
  error = { isPoolingError: e instanceof PoolingError, message: e.message, causeCode: e.cause?.code };
}
console.log(JSON.stringify({ backend: auto.backend, reason: auto.reason, avg: Array.from(await y.read()), error }));
`,
      );
      const out = execFileSync('node', ['main.mjs'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const r = JSON.parse(out.trim().split('\n').pop()!);
      expect(r.backend).toBe('cpu');
      expect(r.avg).toEqual([2.5]);
      expect(r.reason).toMatch(/^'auto' took the CPU backend\. No WebGPU adapter was found: in Node\.js .*the npm package 'webgpu', which is not installed\. Install it beside this library \(`npm install webgpu`\)/);
      expect(r.error).toEqual({ isPoolingError: true, message: expect.stringMatching(/^createPooling: .*backend 'webgpu' was requested\. No WebGPU adapter was found: .*`npm install webgpu`/), causeCode: 'ERR_MODULE_NOT_FOUND' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
