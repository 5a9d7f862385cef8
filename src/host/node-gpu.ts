/**
 * Finds a WebGPU adapter in Node.js through Dawn's binding (npm `webgpu`), so users pass nothing:
 * the system's GPU through Vulkan first, then SwiftShader (the Vulkan CPU driver Chromium ships),
 * then Dawn's OpenGL ES backend (Mesa llvmpipe) at the `compatibility` feature level.
 */
import { adapterKind, runsOnCpu } from '../adapter-profile.js';
import { nodeFs } from './node-fs.js';

/** Where Linux distributions put Chromium's SwiftShader ICD manifest. */
const SWIFTSHADER_ICDS = [
  '/usr/lib/chromium/vk_swiftshader_icd.json',
  '/usr/lib64/chromium/vk_swiftshader_icd.json',
  '/usr/lib/chromium-browser/vk_swiftshader_icd.json',
  '/opt/google/chrome/vk_swiftshader_icd.json',
];

/** Timestamps unquantised and the APIs behind them, as BENCHMARKS.md asks; harmless elsewhere. */
const DAWN_TOGGLES = ['enable-dawn-features=allow_unsafe_apis', 'disable-dawn-features=timestamp_quantization'];

export type NodeAdapterKind = 'auto' | 'vulkan' | 'swiftshader' | 'opengles';

export interface NodeAdapter {
  adapter: GPUAdapter;
  kind: Exclude<NodeAdapterKind, 'auto'>;
}

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

/** Dawn's module, or why it could not be loaded (with the loader's own error as `cause`). */
type DawnLoad = { module: DawnModule } | AdapterMissing;

let dawn: Promise<DawnLoad> | undefined;

/**
 * One Dawn instance per adapter kind, kept for the life of the process: a collected instance
 * (even one whose adapter is still in use) tears down shared state and crashes the process, and
 * reusing them keeps repeated createPooling() calls cheap.
 */
const instances = new Map<string, GPU>();

function instanceFor(m: DawnModule, kind: string, flags: string[]): GPU {
  let gpu = instances.get(kind);
  if (!gpu) {
    gpu = m.create([...flags, ...DAWN_TOGGLES]);
    instances.set(kind, gpu);
  }
  return gpu;
}

/**
 * The Dawn instance (what `navigator.gpu` is in a browser) behind adapters of this kind, once
 * findNodeAdapter has found one; libraries that request their own adapter (the benchmark's peers)
 * then get the same adapter as this library.
 */
export function nodeGpuInstance(kind: Exclude<NodeAdapterKind, 'auto'>): GPU | undefined {
  return instances.get(kind);
}

function loadDawn(): Promise<DawnLoad> {
  // A variable specifier keeps browser bundlers (Vite, webpack) from trying to resolve the Node-only package.
  const specifier = 'webgpu';
  dawn ??= import(/* @vite-ignore */ /* webpackIgnore: true */ specifier).then(
    (m: DawnModule) => {
      // Dawn's classes (GPUBufferUsage, ...) become globals, as in a browser.
      for (const [key, value] of Object.entries(m.globals)) {
        if (!(key in globalThis)) (globalThis as Record<string, unknown>)[key] = value;
      }
      return { module: m };
    },
    (cause: unknown) => ({ missing: dawnLoadFailure(cause), cause }),
  );
  return dawn;
}

/** Not installed (the usual case: `webgpu` is an optional peer dependency) or installed but broken. */
function dawnLoadFailure(cause: unknown): string {
  const code = (cause as { code?: string } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    return "No WebGPU adapter was found: in Node.js this library reaches WebGPU through Dawn's binding, the npm package 'webgpu', which is not installed. Install it beside this library (`npm install webgpu`), or use backend 'cpu'.";
  }
  return `No WebGPU adapter was found: Dawn's binding (npm 'webgpu') is installed but failed to load (${(cause as Error)?.message ?? String(cause)}); reinstall it for this platform and Node.js version, or use backend 'cpu'.`;
}

async function fileExists(path: string): Promise<boolean> {
  const { access } = await nodeFs();
  return access(path).then(
    () => true,
    () => false,
  );
}

async function swiftShaderIcd(): Promise<string | undefined> {
  for (const path of SWIFTSHADER_ICDS) if (await fileExists(path)) return path;
  return undefined;
}

/** A CPU implementation of WebGPU (SwiftShader, llvmpipe, ...), not a GPU. */
export function isSoftwareAdapter(adapter: GPUAdapter): boolean {
  return runsOnCpu(adapterKind(adapter.info));
}

async function tryVulkan(m: DawnModule): Promise<GPUAdapter | null> {
  if (!(await mayHaveVulkanGpu())) return null;
  // Linux reaches its GPU through Vulkan; elsewhere Dawn's default backend for the platform (Metal on
  // macOS, D3D12 on Windows) is the system GPU's API. Only Linux is tested here.
  const flags = process.platform === 'linux' ? ['backend=vulkan'] : [];
  return instanceFor(m, 'vulkan', flags).requestAdapter({ powerPreference: 'high-performance' });
}

/** Vulkan loader variables that name the drivers: the user chose them, so the search must run. */
const DRIVER_VARIABLES = ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'VK_ADD_DRIVER_FILES'];

/**
 * False on a Linux machine with no GPU device node (/dev/dri, /dev/nvidiaN, WSL's /dev/dxg) and no
 * driver chosen through the loader's variables: no hardware adapter can exist, and asking Vulkan
 * anyway only makes the installed drivers print warnings on stderr (Mesa's lavapipe, which Dawn
 * rejects, "shaderUniform*ArrayDynamicIndexing required"; "Failed to detect any valid GPUs").
 */
async function mayHaveVulkanGpu(): Promise<boolean> {
  if (process.platform !== 'linux' || DRIVER_VARIABLES.some((v) => process.env[v])) return true;
  const { readdir } = await nodeFs();
  const nodes = await readdir('/dev').catch(() => null);
  if (!nodes) return true;
  return nodes.some((n) => n === 'dri' || n === 'dxg' || /^nvidia\d+$/.test(n));
}

async function trySwiftShader(m: DawnModule): Promise<GPUAdapter | null> {
  const icd = await swiftShaderIcd();
  if (!icd) return null;
  // The Vulkan loader reads this when Dawn creates its instance, so it must be set first.
  const previous = process.env.VK_ICD_FILENAMES;
  process.env.VK_ICD_FILENAMES = icd;
  try {
    return await instanceFor(m, 'swiftshader', ['backend=vulkan']).requestAdapter();
  } finally {
    if (previous === undefined) delete process.env.VK_ICD_FILENAMES;
    else process.env.VK_ICD_FILENAMES = previous;
  }
}

async function tryOpenGles(m: DawnModule): Promise<GPUAdapter | null> {
  process.env.EGL_PLATFORM ??= 'surfaceless';
  return instanceFor(m, 'opengles', ['backend=opengles']).requestAdapter({ featureLevel: 'compatibility' });
}

/** Why no adapter was found, in words for the user, with the underlying error where there was one. */
export interface AdapterMissing {
  missing: string;
  cause?: unknown;
}

const SEARCHED: Record<NodeAdapterKind, string> = {
  auto: "the system's GPU through Vulkan, Chromium's SwiftShader Vulkan driver, and Mesa's OpenGL ES",
  vulkan: "the system's GPU through Vulkan",
  swiftshader: "Chromium's SwiftShader Vulkan driver",
  opengles: "Mesa's OpenGL ES (EGL)",
};

function noNodeAdapter(kind: NodeAdapterKind): AdapterMissing {
  return {
    missing:
      `No WebGPU adapter was found: Dawn (npm 'webgpu') loaded, but found none (searched ${SEARCHED[kind]}). ` +
      'Check the GPU driver and its Vulkan ICD; without a GPU, a software adapter needs the Vulkan loader and ' +
      "Chromium's SwiftShader driver (Debian: `apt-get install chromium libvulkan1`) or Mesa's EGL " +
      "(`apt-get install libegl1 libgles2 libegl-mesa0`). backend 'cpu' needs none of these.",
  };
}

/** Finds the best adapter of the requested kind, or says why there is none. */
export async function searchNodeAdapter(kind: NodeAdapterKind = 'auto'): Promise<NodeAdapter | AdapterMissing> {
  const loaded = await loadDawn();
  if (!('module' in loaded)) return loaded;
  const m = loaded.module;
  // Vulkan drivers complain without it on headless machines.
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
  const found = await searchWithDawn(m, kind);
  return found ?? noNodeAdapter(kind);
}

async function searchWithDawn(m: DawnModule, kind: NodeAdapterKind): Promise<NodeAdapter | null> {
  if (kind === 'vulkan') return wrap(await tryVulkan(m), 'vulkan');
  if (kind === 'swiftshader') return wrap(await trySwiftShader(m), 'swiftshader');
  if (kind === 'opengles') return wrap(await tryOpenGles(m), 'opengles');
  const system = await tryVulkan(m);
  if (system && !isSoftwareAdapter(system)) return { adapter: system, kind: 'vulkan' };
  const swiftShader = await trySwiftShader(m);
  if (swiftShader) return { adapter: swiftShader, kind: 'swiftshader' };
  if (system) return { adapter: system, kind: 'vulkan' };
  return wrap(await tryOpenGles(m), 'opengles');
}

/** Finds the best adapter of the requested kind, or null when there is none (or no Dawn, or not Node.js). */
export async function findNodeAdapter(kind: NodeAdapterKind = 'auto'): Promise<NodeAdapter | null> {
  if (!isNode()) return null;
  const found = await searchNodeAdapter(kind);
  return 'adapter' in found ? found : null;
}

export function isNode(): boolean {
  return typeof process !== 'undefined' && !!process.versions?.node;
}

function wrap(adapter: GPUAdapter | null, kind: Exclude<NodeAdapterKind, 'auto'>): NodeAdapter | null {
  return adapter ? { adapter, kind } : null;
}

/** For this repository's scripts (the benchmark): how to get a software adapter here. */
export const HOW_TO_GET_AN_ADAPTER =
  "No WebGPU adapter was found. In Node.js this library uses Dawn's binding (npm 'webgpu'); on a machine without a GPU " +
  "install Debian's 'chromium' package (its SwiftShader Vulkan driver) and 'libvulkan1' — `npm run setup:system` does both — " +
  "or Mesa's EGL for the OpenGL ES backend.";
