/**
 * The plug-in's kernels for TF.js's MaxPool3D, AvgPool3D, MaxPool3DGrad, AvgPool3DGrad (NDHWC) and
 * MaxPoolWithArgmax (NHWC, TensorFlow's index format). They run the core's op descriptors
 * (src/ops/), whose plans pick the kernels as for any call of the library, on TF.js's buffers in
 * place; the windows come from TF.js's own conv-info functions (tf-window-3d.ts, tf-window.ts).
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { adapterProfile } from '../adapter-profile.js';
import type { Step } from '../host/dispatch.js';
import { windowIndexGeometry } from '../index-format.js';
import { indexFormatPlan } from '../kernels/index-format.js';
import { OPS } from '../ops/index.js';
import { adapterInfo, floatBuffers, produce, produceMany, type Body } from './kernel-helpers.js';
import { submitSteps, temporary } from './submit.js';
import { tfAvgPool3dWindow, tfMaxPool3dWindow, type ComputePool3DInfo, type TfPool3dAttrs } from './tf-window-3d.js';
import { tfMaxPoolWindow, type ComputePool2DInfo, type TfPoolAttrs } from './tf-window.js';
import { emptyTensor, type TfjsWebGpuBackend } from './tfjs-backend.js';
import type { MaxWindow } from '../types.js';

const NDHWC = 'NDHWC';
const profileOf = (backend: TfjsWebGpuBackend) => adapterProfile(backend.device, adapterInfo(backend.device));
const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export type Kernel3dName = 'MaxPool3D' | 'AvgPool3D' | 'MaxPool3DGrad' | 'AvgPool3DGrad' | 'MaxPoolWithArgmax';

interface ArgmaxAttrs extends Omit<TfPoolAttrs, 'dimRoundingMode'> {
  includeBatchInIndex: boolean;
}

export function bodies3d(computePool2DInfo: ComputePool2DInfo, computePool3DInfo: ComputePool3DInfo): { [K in Kernel3dName]: Body<K extends 'MaxPoolWithArgmax' ? ArgmaxAttrs : TfPool3dAttrs> } {
  return {
    MaxPool3D(backend, inputs, attrs) {
      const x = inputs.x!;
      const w = tfMaxPool3dWindow(computePool3DInfo, x.shape, attrs);
      if ('unsupported' in w) return w.unsupported;
      // An output without elements (TF.js allows a window larger than the input under 'valid'): nothing to run.
      if ('emptyOutput' in w) return emptyTensor(backend, w.emptyOutput);
      const buffers = floatBuffers(backend, { x });
      if (typeof buffers === 'string') return buffers;
      const plan = OPS.maxPool[3].gpu({ g: w.g, layout: NDHWC, withIndices: false }, profileOf(backend));
      return produce(backend, w.outShape, (y) => submitSteps(backend.device, 'MaxPool3D', plan.steps, { ...buffers, y }));
    },
    AvgPool3D(backend, inputs, attrs) {
      const x = inputs.x!;
      const w = tfAvgPool3dWindow(computePool3DInfo, x.shape, attrs);
      if ('unsupported' in w) return w.unsupported;
      // An output without elements (TF.js allows a window larger than the input under 'valid'): nothing to run.
      if ('emptyOutput' in w) return emptyTensor(backend, w.emptyOutput);
      const buffers = floatBuffers(backend, { x });
      if (typeof buffers === 'string') return buffers;
      const plan = OPS.avgPool[3].gpu({ g: w.g, layout: NDHWC }, profileOf(backend));
      return produce(backend, w.outShape, (y) => submitSteps(backend.device, 'AvgPool3D', plan.steps, { ...buffers, y }));
    },
    // As in 2-D, the argmax is recomputed (first maximum on ties) rather than read from TF.js's output.
    MaxPool3DGrad(backend, inputs, attrs) {
      const { dy, input } = inputs;
      if (!dy || !input) return 'missing dy or input';
      const w = tfMaxPool3dWindow(computePool3DInfo, input.shape, attrs, dy.shape);
      if ('unsupported' in w) return w.unsupported;
      // No output element: no gradient reaches x, so dx is all zeros.
      if ('emptyOutput' in w) return produce(backend, [...input.shape], (dx) => submitSteps(backend.device, 'MaxPool3DGrad', [{ kind: 'clear', slot: 'dx' }], { dx }));
      const buffers = floatBuffers(backend, { x: input, dy });
      if (typeof buffers === 'string') return buffers;
      const profile = profileOf(backend);
      const steps: Step[] = [
        ...OPS.maxPool[3].gpu({ g: w.g, layout: NDHWC, withIndices: true }, profile).steps,
        ...OPS.maxPoolBackward[3].gpu({ g: w.g, layout: NDHWC, algorithm: 'auto' }, profile).steps,
      ];
      const device = backend.device;
      return produce(backend, [...input.shape], (dx) => {
        const bytes = count(dy.shape) * 4;
        const y = temporary(device, bytes, 'tfjs.MaxPool3DGrad.y');
        const indices = temporary(device, bytes, 'tfjs.MaxPool3DGrad.indices');
        submitSteps(device, 'MaxPool3DGrad', steps, { ...buffers, y, indices, dx }, [y, indices]);
      });
    },
    AvgPool3DGrad(backend, inputs, attrs) {
      const { dy, input } = inputs;
      if (!dy || !input) return 'missing dy or input';
      const w = tfAvgPool3dWindow(computePool3DInfo, input.shape, attrs, dy.shape);
      if ('unsupported' in w) return w.unsupported;
      // No output element: no gradient reaches x, so dx is all zeros.
      if ('emptyOutput' in w) return produce(backend, [...input.shape], (dx) => submitSteps(backend.device, 'AvgPool3DGrad', [{ kind: 'clear', slot: 'dx' }], { dx }));
      if (input.dtype !== 'float32') return `input is ${input.dtype}, not float32`;
      const buffers = floatBuffers(backend, { dy });
      if (typeof buffers === 'string') return buffers;
      const plan = OPS.avgPoolBackward[3].gpu({ g: w.g, layout: NDHWC, algorithm: 'auto' }, profileOf(backend));
      return produce(backend, [...input.shape], (dx) => submitSteps(backend.device, 'AvgPool3DGrad', plan.steps, { ...buffers, dx }));
    },
    // The max with plane indices, then the core's conversion to TensorFlow's (y·W + x)·C + c, with
    // the image's offset when includeBatchInIndex.
    MaxPoolWithArgmax(backend, inputs, attrs) {
      const x = inputs.x!;
      // TF.js's own kernel asserts this; the same error, rather than a hand-over that would throw it.
      if (x.shape.length !== 4) throw new Error(`Error in maxPool: input must be rank 4 but got rank ${x.shape.length}.`);
      const w = tfMaxPoolWindow(computePool2DInfo, x.shape, { filterSize: attrs.filterSize, strides: attrs.strides, pad: attrs.pad });
      if ('unsupported' in w) return w.unsupported;
      const buffers = floatBuffers(backend, { x });
      if (typeof buffers === 'string') return buffers;
      const g = w.window as MaxWindow;
      const format = { format: attrs.includeBatchInIndex ? ('channels-last-tensor' as const) : ('channels-last' as const), order: 'row-major' as const };
      const steps: Step[] = [...OPS.maxPool[2].gpu({ g, layout: 'NHWC', withIndices: true }, profileOf(backend)).steps, { kind: 'kernel', plan: indexFormatPlan(windowIndexGeometry(g, 'NHWC'), format, false) }];
      const device = backend.device;
      const made = produceMany(
        backend,
        [
          { shape: w.outShape, dtype: 'float32' },
          { shape: w.outShape, dtype: 'int32' },
        ],
        ([y, indexes]) => {
          const plane = temporary(device, count(w.outShape) * 4, 'tfjs.MaxPoolWithArgmax.indices');
          submitSteps(device, 'MaxPoolWithArgmax', steps, { ...buffers, y: y!, indices: plane, src: plane, dst: indexes! }, [plane]);
        },
      );
      return made as TensorInfo[] | string;
    },
  };
}
