// TF.js's pooling ops run on webgpu-pooling's kernels once the plug-in is registered on TF.js's
// webgpu backend: same tensors, same results, TF.js's own code otherwise.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-webgpu';
import { registerTfjsKernels } from 'webgpu-pooling/tfjs';

async function main(): Promise<void> {
  if (!(await tf.setBackend('webgpu'))) throw new Error('TF.js could not start its webgpu backend (no WebGPU here)');
  await tf.ready();
  const x = tf.tensor4d(Array.from({ length: 2 * 6 * 6 * 3 }, (_, i) => Math.sin(i)), [2, 6, 6, 3]);
  const before = await tf.maxPool(x, 3, 2, 'same').data();

  const plugin = registerTfjsKernels(tf);
  const after = await tf.maxPool(x, 3, 2, 'same').data();
  const grad = await tf.grad((t: tf.Tensor4D) => tf.sum(tf.avgPool(t, 2, 2, 'valid')))(x).data();
  const volume = await tf.maxPool3d(tf.reshape(x, [1, 2, 6, 6, 3]) as tf.Tensor5D, 2, 2, 'valid').data();
  const result = {
    same: Array.from(before).every((v, i) => v === after[i]),
    gradSum: Array.from(grad).reduce((a, b) => a + b, 0),
    volume: volume.length,
    counts: plugin.counts,
  };
  plugin.unregister();
  document.querySelector('#result')!.textContent = JSON.stringify(result, null, 1);
  document.documentElement.dataset.result = JSON.stringify(result);
}

main().catch((e: Error) => {
  document.querySelector('#result')!.textContent = `Failed: ${e.message}`;
  document.documentElement.dataset.result = JSON.stringify({ failed: e.message });
});
