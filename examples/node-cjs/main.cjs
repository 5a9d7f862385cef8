// webgpu-pooling from CommonJS: require() loads the package's ES modules (Node.js >= 20.19), so the
// library and its TF.js plug-in share one copy of every class, as they do under import.
const { createPooling, PoolingError } = require('webgpu-pooling');
const { registerTfjsKernels, PLUGIN_KERNELS } = require('webgpu-pooling/tfjs');

async function main() {
  const pool = await createPooling({ backend: 'cpu' });
  const x = pool.tensor([1, 5, 3, 4, 2, 8, 7, 6, 0], [1, 1, 3, 3]);
  const { output } = await pool.maxPool2d(x, { kernelSize: 2, stride: 1 });
  let sameErrorClass = false;
  try {
    registerTfjsKernels(undefined); // no TF.js given: a PoolingError from the plug-in
  } catch (e) {
    sameErrorClass = e instanceof PoolingError;
  }
  console.log(JSON.stringify({ max: Array.from(await output.read()), kernels: PLUGIN_KERNELS.length, sameErrorClass }));
  pool.destroy();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
