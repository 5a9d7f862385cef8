// webgpu-pooling in a browser app. createPooling() uses navigator.gpu on a hardware adapter; without
// WebGPU (no secure context, an old browser, WebGPU turned off) or with only a software rasteriser it
// runs on the CPU backend, and pool.reason says why. `?webgpu` insists on WebGPU.
import { createPooling, PoolingError, type Tensor } from 'webgpu-pooling';

async function main(): Promise<void> {
  const insist = new URLSearchParams(location.search).has('webgpu');
  const pool = await createPooling({ backend: insist ? 'webgpu' : 'auto' });
  document.querySelector('#backend')!.textContent = `Running on ${pool.backend}: ${pool.reason}`;

  // A batch of one 8×8 RGB image, channels-last as a canvas gives it: logical [N, C, H, W], layout NHWC.
  const pixels = Float32Array.from({ length: 8 * 8 * 3 }, (_, i) => (i * 37) % 256);
  const image = pool.tensor(pixels, [1, 3, 8, 8], { layout: 'NHWC' });
  const { output, indices } = await pool.maxPool2d(image, { kernelSize: 3, stride: 2, padding: 1, returnIndices: true });
  const kept: Tensor<'int32'> = indices; // present, and int32, because returnIndices is true
  const pooled = await pool.adaptiveAvgPool2d(image, { outputSize: [2, 2] });
  const half = pool.tensor(pixels, [1, 3, 8, 8], { layout: 'NHWC', dtype: 'float16' });
  const halfMax = (await pool.maxPool2d(half, { kernelSize: 2 })).output;

  let error = '';
  try {
    await pool.maxPool2d(image, { kernelSize: 3, stride: -1 });
  } catch (e) {
    if (e instanceof PoolingError) error = e.message;
  }

  const result = {
    backend: pool.backend,
    reason: pool.reason,
    maxShape: output.shape,
    max: Array.from(await output.read()),
    indices: Array.from(await kept.read()),
    adaptive: Array.from(await pooled.read()),
    halfMax: Array.from(await halfMax.readFloat32()),
    error,
  };
  document.querySelector('#result')!.textContent = JSON.stringify(result, null, 1);
  document.documentElement.dataset.result = JSON.stringify(result);
  pool.destroy();
}

main().catch((e: Error) => {
  document.querySelector('#result')!.textContent = `Failed: ${e.message}`;
  document.documentElement.dataset.result = JSON.stringify({ failed: e.message });
});
