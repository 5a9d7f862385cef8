/**
 * Node only: gives the peers a browser's `navigator.gpu`, backed by the same Dawn instance (so the
 * same adapter) that our context found (BENCHMARKS.md). Node 20 has no `navigator` at all.
 */
import { nodeGpuInstance, type NodeAdapterKind } from '../../src/host/node-gpu.js';

export function installNavigatorGpu(kind: Exclude<NodeAdapterKind, 'auto'>): GPU {
  const dawn = nodeGpuInstance(kind);
  if (!dawn) throw new Error(`no Dawn instance of kind '${kind}' was created; find the adapter first`);
  // Dawn's OpenGL ES adapter exists only at the compatibility feature level, which peers do not ask for.
  const gpu: GPU =
    kind === 'opengles'
      ? ({
          requestAdapter: (options?: GPURequestAdapterOptions) => dawn.requestAdapter({ ...options, featureLevel: 'compatibility' }),
          getPreferredCanvasFormat: () => dawn.getPreferredCanvasFormat(),
          get wgslLanguageFeatures() {
            return dawn.wgslLanguageFeatures;
          },
        } as GPU)
      : dawn;
  const current = (globalThis as { navigator?: object }).navigator;
  Object.defineProperty(globalThis, 'navigator', { value: { ...(current ?? {}), gpu }, configurable: true, writable: true });
  return gpu;
}
