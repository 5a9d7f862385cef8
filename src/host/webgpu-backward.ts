/**
 * Backward ops of the WebGPU backend: each is one submission (zero dx where a scatter form needs
 * it, then one kernel), reading dy and the indices where they already are, with no read-back.
 */
import { avgPoolBackwardPlan } from '../kernels/avg-pool-backward.js';
import { chooseBackwardForm, type BackwardPlan } from '../kernels/backward-choice.js';
import { globalBackwardPlan } from '../kernels/global-backward.js';
import type { KernelPlan } from '../kernels/kernel.js';
import { maxPoolBackwardPlan } from '../kernels/max-pool-backward.js';
import type { Tensor } from '../tensor.js';
import type { AvgPoolParams, BackwardAlgorithm, Layout, PlaneShape, PoolGeometry } from '../types.js';
import type { Step } from './dispatch.js';
import type { WebGpuBackend } from './webgpu-backend.js';

function stepsOf(plan: BackwardPlan): Step[] {
  const kernel: Step = { kind: 'kernel', plan: plan.kernel };
  return plan.zeroDx ? [{ kind: 'clear', slot: 'dx' }, kernel] : [kernel];
}

/** Allocates dx of logical shape [N, C, H, W], binds `inputs` by slot name and runs the steps. */
async function run(gpu: WebGpuBackend, op: string, shape: PlaneShape, layout: Layout, steps: Step[], inputs: Record<string, Tensor>): Promise<Tensor<'float32'>> {
  const buffers: Record<string, GPUBuffer> = {};
  for (const [slot, t] of Object.entries(inputs)) buffers[slot] = t.storage(op).buffer!;
  const dx = gpu.allocate([shape.N, shape.C, shape.H, shape.W], layout, 'float32');
  buffers.dx = dx.buffer!;
  await gpu.submit(op, steps, buffers, [dx]);
  return dx;
}

function kernelStep(plan: KernelPlan): Step[] {
  return [{ kind: 'kernel', plan }];
}

export const gpuBackward = {
  maxPool2d(gpu: WebGpuBackend, dy: Tensor, indices: Tensor, p: PoolGeometry, layout: Layout, algorithm: BackwardAlgorithm) {
    const plan = maxPoolBackwardPlan(p, layout, chooseBackwardForm('max', p, algorithm, gpu.adapterInfo));
    return run(gpu, 'maxPool2dBackward', p, layout, stepsOf(plan), { dy, indices });
  },
  avgPool2d(gpu: WebGpuBackend, dy: Tensor, p: AvgPoolParams, layout: Layout, algorithm: BackwardAlgorithm) {
    const plan = avgPoolBackwardPlan(p, layout, chooseBackwardForm('avg', p, algorithm, gpu.adapterInfo));
    return run(gpu, 'avgPool2dBackward', p, layout, stepsOf(plan), { dy });
  },
  globalMaxPool(gpu: WebGpuBackend, dy: Tensor, indices: Tensor, s: PlaneShape, layout: Layout) {
    return run(gpu, 'globalMaxPoolBackward', s, layout, kernelStep(globalBackwardPlan('max', s, layout)), { dy, indices });
  },
  globalAvgPool(gpu: WebGpuBackend, dy: Tensor, s: PlaneShape, layout: Layout) {
    return run(gpu, 'globalAvgPoolBackward', s, layout, kernelStep(globalBackwardPlan('avg', s, layout)), { dy });
  },
};
