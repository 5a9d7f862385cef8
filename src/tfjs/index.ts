/// <reference types="@webgpu/types" preserve="true" />
/**
 * webgpu-pooling/tfjs: this library's kernels as TF.js's nine pooling kernels (MaxPool, AvgPool,
 * their gradients, the 3-D four and MaxPoolWithArgmax) on the webgpu backend, so an existing TF.js
 * model (tf.maxPool, tf.avgPool, tf.maxPool3d, tf.layers pooling, tf.grad through them) runs them
 * unchanged.
 *
 *   import * as tf from '@tensorflow/tfjs';            // or tfjs-core + tfjs-backend-webgpu
 *   import { registerTfjsKernels } from 'webgpu-pooling/tfjs';
 *   const plugin = registerTfjsKernels(tf);
 *   ...
 *   plugin.unregister();                                 // TF.js's own kernels again
 *
 * What differs from TF.js's own kernels, and why, is in docs/tfjs-plugin.md.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { PoolingError } from '../errors.js';
import { releaseDevicePool } from './submit.js';
import { PLUGIN_KERNELS, pluginKernelConfigs, type KernelCounts, type PluginKernelName } from './kernels.js';

export { PLUGIN_KERNELS, type KernelCounts, type PluginKernelName } from './kernels.js';

/** What the plug-in needs of the `tf` namespace (@tensorflow/tfjs or @tensorflow/tfjs-core). */
export type TfjsNamespace = Pick<typeof TfCore, 'registerKernel' | 'unregisterKernel' | 'getKernel' | 'backend_util'>;

export interface TfjsPlugin {
  readonly kernels: readonly PluginKernelName[];
  /** Per kernel: calls that ran ours, calls handed to TF.js's original, and the last reason. */
  readonly counts: Readonly<Record<PluginKernelName, Readonly<KernelCounts>>>;
  /** Restores TF.js's original kernels and frees the plug-in's pooled buffers. Idempotent. */
  unregister(): void;
}

const BACKEND = 'webgpu';
/** One registration per kernel registry; a second would wrap our kernels in themselves. */
const active = new WeakMap<TfjsNamespace['getKernel'], TfjsPlugin>();

export function registerTfjsKernels(tf: TfjsNamespace): TfjsPlugin {
  const op = 'registerTfjsKernels';
  if (typeof tf?.registerKernel !== 'function' || typeof tf.getKernel !== 'function' || typeof tf.backend_util?.computePool2DInfo !== 'function' || typeof tf.backend_util.computePool3DInfo !== 'function') {
    throw new PoolingError(op, 'tf', 'pass the TF.js namespace (import * as tf from "@tensorflow/tfjs" or "@tensorflow/tfjs-core")');
  }
  if (active.has(tf.getKernel)) throw new PoolingError(op, 'tf', 'the kernels are already registered on this TF.js; call unregister() on the plug-in first');
  const originals = {} as Record<PluginKernelName, KernelConfig>;
  for (const name of PLUGIN_KERNELS) {
    const config = tf.getKernel(name, BACKEND);
    if (!config) {
      throw new PoolingError(op, 'tf', `TF.js has no '${name}' kernel for the '${BACKEND}' backend: import '@tensorflow/tfjs-backend-webgpu' (it registers them) before registering the plug-in`);
    }
    originals[name] = config;
  }
  const counts = Object.fromEntries(PLUGIN_KERNELS.map((name) => [name, { ours: 0, delegated: 0 }])) as Record<PluginKernelName, KernelCounts>;
  /**
   * Replaces the registered kernels with `configs`, all or nothing: if TF.js throws part-way, every
   * kernel already swapped gets its original back (and one missing is registered again), so TF.js
   * is left exactly as it was and the error says which kernel failed.
   */
  const swap = (configs: readonly KernelConfig[], restore: Readonly<Record<PluginKernelName, KernelConfig>>) => {
    const done: PluginKernelName[] = [];
    for (const config of configs) {
      const name = config.kernelName as PluginKernelName;
      try {
        tf.unregisterKernel(name, BACKEND);
        done.push(name);
        tf.registerKernel(config);
      } catch (e) {
        for (const back of done.reverse()) {
          if (tf.getKernel(back, BACKEND)) tf.unregisterKernel(back, BACKEND);
          tf.registerKernel(restore[back]);
        }
        throw new PoolingError(op, 'tf', `TF.js refused to register the '${name}' kernel; every kernel was restored as it was`, { cause: e });
      }
    }
  };
  const devices = new Set<GPUDevice>();
  swap(pluginKernelConfigs(tf.backend_util.computePool2DInfo, tf.backend_util.computePool3DInfo, originals, counts, devices), originals);
  let registered = true;
  const plugin: TfjsPlugin = {
    kernels: PLUGIN_KERNELS,
    counts,
    unregister() {
      if (!registered) return;
      registered = false;
      const ours = Object.fromEntries(PLUGIN_KERNELS.map((name) => [name, tf.getKernel(name, BACKEND)!])) as Record<PluginKernelName, KernelConfig>;
      swap(
        PLUGIN_KERNELS.map((name) => originals[name]),
        ours,
      );
      active.delete(tf.getKernel);
      for (const device of devices) releaseDevicePool(device);
    },
  };
  active.set(tf.getKernel, plugin);
  return plugin;
}
