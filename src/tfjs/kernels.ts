/**
 * The plug-in's kernels for TF.js's pooling kernels on its webgpu backend: here MaxPool, AvgPool,
 * MaxPoolGrad and AvgPoolGrad (the 3-D ones and MaxPoolWithArgmax in kernels-3d.ts), and the
 * registry configs for all nine. Each reads TF.js's buffers in place (NHWC), writes a TF.js output
 * tensor's own buffer, and hands what it does not cover (non-float32 data, a texture-backed input)
 * to TF.js's original kernel.
 */
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import type { Step } from '../host/dispatch.js';
import { avgPoolBackwardPlan } from '../kernels/avg-pool-backward.js';
import { avgPoolForwardPlan } from '../kernels/avg-pool.js';
import { chooseBackwardForm, type BackwardPlan } from '../kernels/backward-choice.js';
import { maxPoolBackwardPlan } from '../kernels/max-pool-backward.js';
import { maxPoolForwardPlan } from '../kernels/max-pool.js';
import { submitCopy, submitSteps, temporary } from './submit.js';
import { tfAvgPoolWindow, tfMaxPoolWindow, type ComputePool2DInfo, type TfPoolAttrs } from './tf-window.js';
import { adapterInfo, bytesOf, floatBuffers, produce, type Body } from './kernel-helpers.js';
import { isTfjsWebGpuBackend, type TfjsWebGpuBackend } from './tfjs-backend.js';
import { bodies3d } from './kernels-3d.js';
import type { ComputePool3DInfo } from './tf-window-3d.js';

/** TF.js's nine pooling kernels, every one replaced on its webgpu backend. */
export const PLUGIN_KERNELS = ['MaxPool', 'AvgPool', 'MaxPoolGrad', 'AvgPoolGrad', 'MaxPool3D', 'AvgPool3D', 'MaxPool3DGrad', 'AvgPool3DGrad', 'MaxPoolWithArgmax'] as const;
export type PluginKernelName = (typeof PLUGIN_KERNELS)[number];

/** How often each kernel ran ours or TF.js's original, and why the last hand-over happened. */
export interface KernelCounts {
  ours: number;
  delegated: number;
  lastDelegation?: string;
}

type KernelArgs = Parameters<KernelFunc>[0];

const NHWC = 'NHWC';

function backwardSteps(plan: BackwardPlan): Step[] {
  const kernel: Step = { kind: 'kernel', plan: plan.kernel };
  return plan.zeroDx ? [{ kind: 'clear', slot: 'dx' }, kernel] : [kernel];
}

function bodies2d(computePool2DInfo: ComputePool2DInfo): Record<'MaxPool' | 'AvgPool' | 'MaxPoolGrad' | 'AvgPoolGrad', Body<TfPoolAttrs>> {
  return {
    MaxPool(backend, inputs, attrs) {
      const x = inputs.x!;
      const w = tfMaxPoolWindow(computePool2DInfo, x.shape, attrs);
      if ('unsupported' in w) return w.unsupported;
      const buffers = floatBuffers(backend, { x });
      if (typeof buffers === 'string') return buffers;
      if (w.identity) return produce(backend, w.outShape, (y) => submitCopy(backend.device, buffers.x!, y, bytesOf(x)));
      return produce(backend, w.outShape, (y) => submitSteps(backend.device, 'MaxPool', [{ kind: 'kernel', plan: maxPoolForwardPlan(w.params, NHWC, false) }], { ...buffers, y }));
    },
    AvgPool(backend, inputs, attrs) {
      const x = inputs.x!;
      const w = tfAvgPoolWindow(computePool2DInfo, x.shape, attrs);
      if ('unsupported' in w) return w.unsupported;
      const buffers = floatBuffers(backend, { x });
      if (typeof buffers === 'string') return buffers;
      if (w.identity) return produce(backend, w.outShape, (y) => submitCopy(backend.device, buffers.x!, y, bytesOf(x)));
      return produce(backend, w.outShape, (y) => submitSteps(backend.device, 'AvgPool', [{ kind: 'kernel', plan: avgPoolForwardPlan(w.params, NHWC) }], { ...buffers, y }));
    },
    // TF.js passes the forward output too; the argmax is recomputed with PyTorch's tie rule instead.
    MaxPoolGrad(backend, inputs, attrs) {
      const { dy, input } = inputs;
      if (!dy || !input) return 'missing dy or input';
      const w = tfMaxPoolWindow(computePool2DInfo, input.shape, attrs, dy.shape);
      if ('unsupported' in w) return w.unsupported;
      const buffers = floatBuffers(backend, { x: input, dy });
      if (typeof buffers === 'string') return buffers;
      const device = backend.device;
      const backward = maxPoolBackwardPlan(w.params, NHWC, chooseBackwardForm('max', w.params, 'auto', adapterInfo(device)));
      const steps: Step[] = [{ kind: 'kernel', plan: maxPoolForwardPlan(w.params, NHWC, true) }, ...backwardSteps(backward)];
      return produce(backend, [...input.shape], (dx) => {
        const bytes = w.params.N * w.params.C * w.params.outH * w.params.outW * 4;
        const y = temporary(device, bytes, 'tfjs.MaxPoolGrad.y');
        const indices = temporary(device, bytes, 'tfjs.MaxPoolGrad.indices');
        submitSteps(device, 'MaxPoolGrad', steps, { ...buffers, y, indices, dx }, [y, indices]);
      });
    },
    // The gradient follows the forward's divisor (real elements only); TF.js's own uses k·k everywhere.
    AvgPoolGrad(backend, inputs, attrs) {
      const { dy, input } = inputs;
      if (!dy || !input) return 'missing dy or input';
      const w = tfAvgPoolWindow(computePool2DInfo, input.shape, attrs, dy.shape);
      if ('unsupported' in w) return w.unsupported;
      if (input.dtype !== 'float32') return `input is ${input.dtype}, not float32`;
      const buffers = floatBuffers(backend, { dy });
      if (typeof buffers === 'string') return buffers;
      const backward = avgPoolBackwardPlan(w.params, NHWC, chooseBackwardForm('avg', w.params, 'auto', adapterInfo(backend.device)));
      return produce(backend, [...input.shape], (dx) => submitSteps(backend.device, 'AvgPoolGrad', backwardSteps(backward), { ...buffers, dx }));
    },
  };
}

/** Our kernel configs, each falling back to `originals[name]`, counting which ran and noting the devices used. */
export function pluginKernelConfigs(
  computePool2DInfo: ComputePool2DInfo,
  computePool3DInfo: ComputePool3DInfo,
  originals: Readonly<Record<PluginKernelName, KernelConfig>>,
  counts: Record<PluginKernelName, KernelCounts>,
  devices: Set<GPUDevice>,
): KernelConfig[] {
  const table: Record<PluginKernelName, Body> = { ...bodies2d(computePool2DInfo), ...bodies3d(computePool2DInfo, computePool3DInfo) };
  return PLUGIN_KERNELS.map((name) => {
    const original = originals[name];
    const kernelFunc = (args: KernelArgs) => {
      const result = isTfjsWebGpuBackend(args.backend) ? table[name](args.backend, args.inputs, args.attrs as never) : 'not the webgpu backend';
      if (typeof result !== 'string') {
        devices.add((args.backend as TfjsWebGpuBackend).device);
        counts[name].ours++;
        return result;
      }
      counts[name].delegated++;
      counts[name].lastDelegation = result;
      return original.kernelFunc(args);
    };
    return { ...original, kernelFunc: kernelFunc as KernelFunc };
  });
}
