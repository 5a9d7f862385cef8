/**
 * TF.js's WebGPU backend in Node on the same Dawn adapter as the library (PEERS.md): `navigator.gpu`
 * from bench/peers/node-navigator.ts, then the backend imported and selected. Small ops stay on the
 * GPU (WEBGPU_CPU_FORWARD off), so the tests exercise TF.js's GPU buffers and command stream.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { installNavigatorGpu } from '../../bench/peers/node-navigator.js';
import { findNodeAdapter } from '../../src/host/node-gpu.js';
import { testAdapterKind } from './gpu.js';

export type Tf = typeof TfCore;

export interface TfjsWebGpu {
  tf: Tf;
  /** TF.js's own device: share it with createPooling({ device }). */
  device: GPUDevice;
}

export async function startTfjsWebGpu(): Promise<TfjsWebGpu> {
  const found = await findNodeAdapter(testAdapterKind());
  if (!found) throw new Error('TF.js WebGPU tests need a WebGPU adapter and none was found (npm run setup:system).');
  installNavigatorGpu(found.kind);
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-webgpu');
  // tfjs-core alone has no gradient functions (@tensorflow/tfjs registers them); tf.grad needs them.
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  tf.env().set('WEBGPU_CPU_FORWARD', false);
  if (!(await tf.setBackend('webgpu'))) throw new Error(`TF.js could not start its WebGPU backend on the ${found.kind} adapter`);
  await tf.ready();
  return { tf, device: (tf.backend() as unknown as { device: GPUDevice }).device };
}
