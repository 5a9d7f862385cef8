/**
 * TF.js 4.22 on its WebGPU backend, as the benchmark's TF.js peer (peers/tfjs.ts) and the layer
 * stack (tfjs-stack.ts) both start it, and TF.js's own flush for timing it. It needs
 * `navigator.gpu` before it loads: the backend registers itself only when it sees one.
 */
import type * as TfCore from '@tensorflow/tfjs-core';

export type Tf = typeof TfCore;

/** The parts of TF.js's WebGPUBackend the timing needs. */
interface TfWebGpuBackend {
  device: GPUDevice;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
}

export interface TfjsWebGpu {
  tf: Tf;
  /** TF.js's own flush, as before it reads a buffer: close the open pass, submit the batch, wait. */
  settle(): Promise<void>;
}

/** `who` names the caller in errors; `gradients` registers TF.js's gradient functions (tfjs-core alone has none). */
export async function startTfjsWebGpu(who: string, options: { gradients?: boolean } = {}): Promise<TfjsWebGpu> {
  if (!(globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu) throw new Error(`${who} needs navigator.gpu, and there is none`);
  const tf: Tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-webgpu');
  // @tensorflow/tfjs registers the gradients the same way.
  if (options.gradients) await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  // Small tensors would otherwise be computed on the CPU; the benchmark is about the GPU kernels.
  tf.env().set('WEBGPU_CPU_FORWARD', false);
  if (!(await tf.setBackend('webgpu'))) throw new Error('TF.js could not initialise its WebGPU backend on this adapter');
  await tf.ready();
  const backend = tf.backend() as unknown as TfWebGpuBackend;
  const settle = async () => {
    backend.ensureCommandEncoderReady();
    backend.endComputePassEncoder();
    backend.submitQueue();
    await backend.device.queue.onSubmittedWorkDone();
  };
  return { tf, settle };
}
