/**
 * The packed tarball, installed as users install it, into fresh projects outside this repository:
 * Node ESM and CommonJS scripts, strict TypeScript (bundler and node16 resolution, skipLibCheck
 * off), and Vite apps (the library alone, and the TF.js plug-in) built and run in headless Chromium.
 * The projects are examples/, so every example runs here. npm installs from its cache where it can.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageWithErrorLog, servePages, type PageSession } from './helpers/browser.js';

const REPO = resolve('.');
const STAGE = join(REPO, 'node_modules/.cache/pack-stage');
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');
let work: string;
let tarball: string;

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile());
}

/** A fresh project: the example's files, with the packed tarball in place of the registry's package. */
function project(example: string, extra: string[] = []): string {
  const dir = join(work, example);
  cpSync(join(REPO, 'examples', example), dir, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  delete pkg.dependencies['webgpu-pooling'];
  // Only what each test installs below: not Dawn's binding, not vite (the repository's runs the build).
  delete pkg.dependencies.webgpu;
  delete pkg.devDependencies;
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  npmInstall(dir, [tarball, ...extra]);
  return dir;
}

function npmInstall(dir: string, specs: string[]): void {
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs], { cwd: dir, stdio: 'pipe' });
}

function runNode(dir: string, file: string, args: string[] = []): { out: unknown; err: string } {
  const r = execFileSync('node', [file, ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { out: JSON.parse(r.trim().split('\n').pop()!), err: '' };
}

function runNodeWithStderr(dir: string, file: string, args: string[] = []): { out: Record<string, unknown>; err: string } {
  const errFile = join(dir, 'stderr.txt');
  const r = execFileSync('bash', ['-c', `node ${file} ${args.join(' ')} 2>${errFile}`], { cwd: dir, encoding: 'utf8' });
  return { out: JSON.parse(r.trim().split('\n').pop()!), err: readFileSync(errFile, 'utf8') };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'pooling-consumers-'));
  // Built into a staging folder, so that other tests' builds of dist/ cannot race this one.
  rmSync(STAGE, { recursive: true, force: true });
  mkdirSync(STAGE, { recursive: true });
  execFileSync('node', ['scripts/build.mjs', '--outdir', join(STAGE, 'dist')], { stdio: 'pipe' });
  for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) cpSync(f, join(STAGE, f));
  for (const d of ['shaders', 'docs']) cpSync(d, join(STAGE, d), { recursive: true });
  const packed = JSON.parse(execFileSync('npm', ['pack', STAGE, '--pack-destination', work, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  tarball = join(work, packed[0].filename);
  mkdirSync(join(work, 'unpacked'));
  execFileSync('tar', ['-xzf', tarball, '-C', join(work, 'unpacked')]);
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the library, its CommonJS declarations and its docs; no native binary, no build-machine path', () => {
    const dir = join(work, 'unpacked');
    const files = filesUnder(join(dir, 'package'));
    for (const f of ['dist/index.js', 'dist/tfjs.js', 'dist/index.d.ts', 'dist/cjs/index.d.ts', 'dist/cjs/package.json', 'docs/semantics.md', 'docs/api.md', 'LICENSE', 'README.md', 'CHANGELOG.md']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => /\.(node|so|dll|dylib|exe)$/.test(f))).toEqual([]);
    const leaks = files.filter((f) => {
      const text = readFileSync(join(dir, 'package', f), 'utf8');
      return text.includes(REPO) || text.includes(work);
    });
    expect(leaks, 'files naming the build machine’s paths').toEqual([]);
    const pkg = JSON.parse(readFileSync(join(dir, 'package/package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies)).toEqual(['@webgpu/types']);
    expect(pkg.peerDependenciesMeta.webgpu).toEqual({ optional: true });
    expect(pkg.sideEffects).toBe(false);
  });

  it('every relative link in README.md and docs/ resolves inside the package', () => {
    const dir = join(work, 'unpacked', 'package');
    const broken: string[] = [];
    for (const f of ['README.md', ...filesUnder(join(dir, 'docs')).map((d) => `docs/${d}`)].filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(join(dir, f), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/i.test(target!)) continue;
        const at = resolve(join(dir, f, '..'), target!);
        // Links into the source tree (src/, test/, bench/) resolve in the repository, not the package.
        if (!existsSync(at) && !existsSync(join(REPO, at.slice(dir.length)))) broken.push(`${f} -> ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('Node.js consumers', () => {
  it("examples/node: installs no native binary; without Dawn's binding it runs on the CPU and says to install 'webgpu'", () => {
    const dir = project('node');
    expect(existsSync(join(dir, 'node_modules/webgpu')), 'the optional peer dependency webgpu was installed').toBe(false);
    expect(filesUnder(join(dir, 'node_modules')).filter((f) => f.endsWith('.node'))).toEqual([]);
    const { out, err } = runNodeWithStderr(dir, 'main.mjs');
    expect(out).toEqual({
      backend: 'cpu',
      max: [5, 7, 13, 15],
      indices: [5, 7, 13, 15],
      mean: [2.5, 3, 4, 4.5, 4.5, 5, 6, 6.5, 8.5, 9, 10, 10.5, 10.5, 11, 12, 12.5],
      dx: [0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1],
      error: expect.stringMatching(/^avgPool2d: invalid kernelSize = 0/),
    });
    expect(err).toMatch(/runs on cpu: 'auto' took the CPU backend\. No WebGPU adapter was found: .*npm install webgpu/);
  }, 120_000);

  it("examples/node with 'webgpu' installed: 'auto' passes over a software adapter, --webgpu uses it, same numbers", () => {
    const dir = project('node', ['webgpu@0.6.2']);
    const auto = runNodeWithStderr(dir, 'main.mjs');
    const gpu = runNodeWithStderr(dir, 'main.mjs', ['--webgpu']);
    expect(gpu.out.backend).toBe('webgpu');
    expect(gpu.err).toMatch(/runs on webgpu: backend 'webgpu' was requested: /);
    // This machine has no GPU: the adapter Dawn finds is SwiftShader or llvmpipe.
    expect(auto.out.backend).toBe('cpu');
    expect(auto.err).toMatch(/'auto' took the CPU backend: the only WebGPU adapter is a software rasteriser/);
    expect({ ...gpu.out, backend: 'cpu' }).toEqual(auto.out);
  }, 180_000);

  it('examples/node-cjs: require() of both entry points, one PoolingError class between them', () => {
    const dir = project('node-cjs');
    expect(runNode(dir, 'main.cjs').out).toEqual({ max: [5, 8, 7, 8], kernels: 9, sameErrorClass: true });
  }, 120_000);
});

describe('TypeScript consumers', () => {
  it('strict, skipLibCheck off, moduleResolution bundler and node16 (ESM and .cts): GPU types real, indices typed, internals hidden', () => {
    const dir = join(work, 'types');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'types-consumer', private: true, type: 'module' }));
    cpSync(join(REPO, 'test/fixtures/consumer-types'), dir, { recursive: true });
    npmInstall(dir, [tarball]);
    for (const config of ['tsconfig.bundler.json', 'tsconfig.node16.json']) {
      // tsc fails on any error, an unused @ts-expect-error included.
      execFileSync('node', [TSC, '-p', config], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    }
    npmInstall(dir, ['@tensorflow/tfjs-core@4.22.0']);
    execFileSync('node', [TSC, '-p', 'tsconfig.tfjs.json'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
  }, 180_000);
});

describe('webpack consumer', () => {
  it('bundles the package with no warning (no "Critical dependency" from the Node-only imports) and no native code', async () => {
    const dir = join(work, 'webpack');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'webpack-consumer', private: true, type: 'module' }));
    npmInstall(dir, [tarball]);
    writeFileSync(join(dir, 'entry.js'), "import { createPooling } from 'webgpu-pooling';\nimport { PLUGIN_KERNELS } from 'webgpu-pooling/tfjs';\ncreatePooling().then((p) => console.log(p.backend, PLUGIN_KERNELS.length));\n");
    const { default: webpack } = await import('webpack');
    const stats = await new Promise<import('webpack').Stats>((resolveStats, reject) =>
      webpack({ mode: 'production', target: 'web', performance: { hints: false }, context: dir, entry: './entry.js', output: { path: join(dir, 'out') }, resolve: { modules: [join(dir, 'node_modules')] } }, (err, s) => (err || !s ? reject(err) : resolveStats(s))),
    );
    const info = stats.toJson({ all: false, warnings: true, errors: true, assets: true });
    expect(info.errors ?? []).toEqual([]);
    expect((info.warnings ?? []).map((w) => w.message)).toEqual([]);
    expect((info.assets ?? []).map((a) => a.name).filter((n) => n.endsWith('.node'))).toEqual([]);
  }, 180_000);
});

describe('browser consumers (Vite, headless Chromium)', () => {
  let session: PageSession | undefined;
  afterAll(async () => session?.close());

  /** The URLs each page load requested, by page URL. */
  const requested = new Map<string, string[]>();

  async function resultOf(url: string, withoutWebGpu = false): Promise<Record<string, unknown>> {
    const { page, errors } = await pageWithErrorLog(session!.context);
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    requested.set(url, urls);
    if (withoutWebGpu) await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true }));
    await page.goto(url);
    await page.waitForFunction(() => document.documentElement.dataset.result !== undefined, undefined, { timeout: 120_000 });
    const result = JSON.parse((await page.evaluate(() => document.documentElement.dataset.result))!);
    expect(errors, 'console errors').toEqual([]);
    await page.close();
    return result;
  }

  it('examples/browser and examples/tfjs build with Vite from the tarball, with no native binary in the app', async () => {
    const browser = project('browser');
    const tfjs = project('tfjs');
    const site = join(work, 'site');
    for (const [dir, name] of [
      [browser, 'browser'],
      [tfjs, 'tfjs'],
    ] as const) {
      await build({ root: dir, configFile: false, logLevel: 'warn', base: `/${name}/`, build: { outDir: join(site, name) } });
      expect(existsSync(join(dir, 'node_modules/webgpu'))).toBe(false);
    }
    const assets = filesUnder(site);
    expect(assets.filter((f) => f.endsWith('.node'))).toEqual([]);
    session = await servePages({ root: site });
  }, 300_000);

  it("examples/browser: 'auto' passes over Chromium's SwiftShader for the CPU backend, ?webgpu uses it, same numbers", async () => {
    const auto = await resultOf(session!.url('/browser/index.html'));
    const gpu = await resultOf(session!.url('/browser/index.html?webgpu'));
    expect(gpu.backend).toBe('webgpu');
    expect(auto.backend).toBe('cpu');
    expect(auto.reason).toMatch(/^'auto' took the CPU backend: the only WebGPU adapter is a software rasteriser \(google, swiftshader/);
    expect(gpu.error).toMatch(/^maxPool2d: invalid stride = -1/);
    expect(auto.maxShape).toEqual([1, 3, 4, 4]);
    expect({ ...gpu, backend: 'cpu', reason: auto.reason }).toEqual(auto);
    // The CPU backend (its JavaScript kernels, references and slicing: cpu-runtime) and its
    // WebAssembly kernels (pool-simd) are chunks of their own: loaded only by the CPU context.
    for (const chunk of [/cpu-runtime/, /pool-simd/]) {
      expect(requested.get(session!.url('/browser/index.html'))!.some((u) => chunk.test(u)), String(chunk)).toBe(true);
      expect(requested.get(session!.url('/browser/index.html?webgpu'))!.filter((u) => chunk.test(u))).toEqual([]);
    }
  }, 300_000);

  it("examples/browser without navigator.gpu: the CPU backend, and pool.reason says why; 'webgpu' fails with that reason", async () => {
    const auto = await resultOf(session!.url('/browser/index.html'), true);
    expect(auto.backend).toBe('cpu');
    expect(auto.reason).toMatch(/^'auto' took the CPU backend\. No WebGPU adapter was found: navigator\.gpu is undefined, because this browser does not offer WebGPU/);
    const insisted = await resultOf(session!.url('/browser/index.html?webgpu'), true);
    expect(insisted).toEqual({ failed: expect.stringMatching(/^createPooling: .*backend 'webgpu' was requested\. No WebGPU adapter was found: navigator\.gpu is undefined/) });
  }, 300_000);

  it("examples/tfjs: TF.js's ops on the plug-in's kernels give TF.js's results, with no hand-over", async () => {
    const r = (await resultOf(session!.url('/tfjs/index.html'))) as { same: boolean; gradSum: number; volume: number; counts: Record<string, { ours: number; delegated: number }> };
    expect(r.same).toBe(true);
    expect(r.gradSum).toBeCloseTo(54, 4); // avgPool 2×2/2 over 2×6×6×3: each of the 216 inputs gets 1/4
    expect(r.volume).toBe(1 * 1 * 3 * 3 * 3);
    expect(r.counts.MaxPool).toEqual({ ours: 1, delegated: 0 });
    expect(r.counts.AvgPoolGrad).toEqual({ ours: 1, delegated: 0 });
    expect(r.counts.MaxPool3D).toEqual({ ours: 1, delegated: 0 });
  }, 300_000);
});
