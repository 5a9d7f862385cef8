// webgpu-pooling in Node.js: forward and backward max pooling, average pooling, and a typed error.
// `node main.mjs` lets the library choose (a GPU when Dawn finds one, else the CPU backend);
// `node main.mjs --webgpu` insists on WebGPU, software adapters such as SwiftShader included.
import { createPooling, PoolingError } from 'webgpu-pooling';

const backend = process.argv.includes('--webgpu') ? 'webgpu' : 'auto';
const pool = await createPooling({ backend });
console.error(`webgpu-pooling runs on ${pool.backend}: ${pool.reason}`);

// A 4×4 image, one channel: [N, C, H, W] = [1, 1, 4, 4], values 0..15.
const x = pool.tensor(Float32Array.from({ length: 16 }, (_, i) => i), [1, 1, 4, 4]);
const { output, indices } = await pool.maxPool2d(x, { kernelSize: 2, returnIndices: true });
const mean = await pool.avgPool2d(x, { kernelSize: 3, stride: 1, padding: 1, countIncludePad: false });
// The gradient of sum(maxPool2d(x)) with respect to x: ones where each window's maximum was.
const dy = pool.tensor(new Float32Array(4).fill(1), output.shape);
const dx = await pool.maxPool2dBackward(dy, indices, { kernelSize: 2, inputShape: x.shape });

let error = '';
try {
  await pool.avgPool2d(x, { kernelSize: 0 });
} catch (e) {
  if (!(e instanceof PoolingError)) throw e;
  error = e.message; // names the op, the option, the value and the rule
}

const result = {
  backend: pool.backend,
  max: Array.from(await output.read()),
  indices: Array.from(await indices.read()),
  mean: Array.from(await mean.read()),
  dx: Array.from(await dx.read()),
  error,
};
console.log(JSON.stringify(result));
pool.destroy();
