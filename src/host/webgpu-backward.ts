/**
 * Backward ops of the WebGPU backend. Until the backward kernels land, the gradient is computed by
 * the CPU reference on read-back data and uploaded again, so the API already works end to end.
 */
import * as ref from '../reference/index.js';
import type { Tensor } from '../tensor.js';
import type { AvgPoolParams, BackwardAlgorithm, Layout, PlaneShape, PoolGeometry } from '../types.js';
import type { WebGpuBackend } from './webgpu-backend.js';

async function values(gpu: WebGpuBackend, t: Tensor): Promise<Float32Array> {
  return (await gpu.readTensor(t)) as Float32Array;
}

async function ints(gpu: WebGpuBackend, t: Tensor): Promise<Int32Array> {
  return (await gpu.readTensor(t)) as Int32Array;
}

export const gpuBackward = {
  async maxPool2d(gpu: WebGpuBackend, dy: Tensor, indices: Tensor, p: PoolGeometry, layout: Layout, _algorithm: BackwardAlgorithm) {
    const dx = ref.maxPool2dBackward(await values(gpu, dy), await ints(gpu, indices), layout, p);
    return gpu.upload(dx, [p.N, p.C, p.H, p.W], layout, 'float32');
  },
  async avgPool2d(gpu: WebGpuBackend, dy: Tensor, p: AvgPoolParams, layout: Layout, _algorithm: BackwardAlgorithm) {
    const dx = ref.avgPool2dBackward(await values(gpu, dy), layout, p);
    return gpu.upload(dx, [p.N, p.C, p.H, p.W], layout, 'float32');
  },
  async globalMaxPool(gpu: WebGpuBackend, dy: Tensor, indices: Tensor, s: PlaneShape, layout: Layout) {
    const dx = ref.globalMaxPoolBackward(await values(gpu, dy), await ints(gpu, indices), layout, s);
    return gpu.upload(dx, [s.N, s.C, s.H, s.W], layout, 'float32');
  },
  async globalAvgPool(gpu: WebGpuBackend, dy: Tensor, s: PlaneShape, layout: Layout) {
    const dx = ref.globalAvgPoolBackward(await values(gpu, dy), layout, s);
    return gpu.upload(dx, [s.N, s.C, s.H, s.W], layout, 'float32');
  },
};
