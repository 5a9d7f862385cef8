/**
 * Peer: TensorFlow.js 4.22's WebGPU backend, channels-last (its only layout). Forward with
 * tf.maxPool / tf.avgPool and tf.max / tf.mean over H, W; backward with the MaxPoolGrad /
 * AvgPoolGrad kernels (global backward has no single TF.js kernel and is not run). 3-D: its own
 * WebGPU kernels MaxPool3D / AvgPool3D and MaxPool3DGrad / AvgPool3DGrad (tf.maxPool3d /
 * tf.avgPool3d, NDHWC). 1-D: TF.js has no 1-D pooling op; its 1-D form is the 2-D op on
 * [N, 1, L, C] with a 1×k window (what tf.layers.maxPooling1d does), so the rows of the 1-D cases
 * time its 2-D kernels. Timed as wall time: the op, TF.js's queue flush, and onSubmittedWorkDone on
 * its device. Each result is checked to live in a GPU buffer: a kernel that ran on the CPU instead
 * says so in the row's note.
 *
 * It needs `navigator.gpu` before it starts (tfjs-webgpu.ts): in Node the CLI sets it to Dawn's GPU
 * object of our adapter kind (peers/node-navigator.ts).
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { windowedOp, type OpName, type Pass } from '../cases.js';
import { median, repeat } from '../timing.js';
import type { Peer, PeerCall, PeerResult } from './peer.js';
import { startTfjsWebGpu } from './tfjs-webgpu.js';

export const TFJS_LAYOUT = 'NHWC';

export function tfjsSupports(op: OpName, pass: Pass): boolean {
  return pass === 'forward' || windowedOp(op) !== undefined;
}

/** The TF.js kernel behind each op and pass (the registry names), to find and to name. */
export function tfjsKernelName(op: OpName, pass: Pass): string {
  const w = windowedOp(op);
  if (!w) return op === 'globalMaxPool' ? 'Max' : 'Mean';
  const base = `${w.reduction === 'max' ? 'MaxPool' : 'AvgPool'}${w.rank === 3 ? '3D' : ''}`;
  return pass === 'forward' ? base : `${base}Grad`;
}

/** The parts of TF.js's WebGPU backend that say where a tensor's data lives. */
interface TensorStorage {
  tensorMap: { get(dataId: object): { resource?: unknown; values?: unknown } | undefined };
}

export async function createTfjsPeer(adapter: string): Promise<Peer> {
  const { tf, settle } = await startTfjsWebGpu('TF.js WebGPU');

  return {
    impl: 'tfjs-webgpu',
    adapter,
    layout: TFJS_LAYOUT,
    avgCountIncludePad: false,
    supports: tfjsSupports,
    knownFault(call) {
      const w = windowedOp(call.op);
      if (w?.reduction === 'avg' && call.pass === 'backward' && (call.window?.pad ?? 0) > 0) {
        return w.rank === 3
          ? "TF.js's AvgPool3DGrad divides by k³ at padded edges while its forward excludes the padding (as AvgPoolGrad, docs/tfjs-plugin.md)"
          : "TF.js's AvgPoolGrad divides by k·k at padded edges while its forward excludes the padding (known fault, docs/tfjs-plugin.md)";
      }
      if (w?.reduction === 'max' && call.pass === 'backward') {
        // Its max-position pass keeps `value >= currMaxValue`: a tie sends the gradient to the last maximum.
        return "TF.js's MaxPoolGrad gives a tied window's gradient to the last maximum; PyTorch and docs/semantics.md, the first";
      }
      return undefined;
    },
    async run(call: PeerCall): Promise<PeerResult> {
      const [N, C, ...spatial] = call.input as number[];
      const [, , ...outSpatial] = call.output as number[];
      const windowed = windowedOp(call.op);
      const rank = windowed?.rank ?? 2;
      // Channels-last shapes as TF.js takes them: [N, H, W, C], [N, D, H, W, C], and [N, 1, L, C] for 1-D.
      const lift = (s: readonly number[]) => (rank === 1 ? [1, s[0]!] : [...s]);
      const xShape = [N!, ...lift(spatial), C!];
      const yShape = [N!, ...lift(outSpatial), C!];
      const kernelName = tfjsKernelName(call.op, call.pass);
      if (!tf.getKernel(kernelName, 'webgpu')) throw new Error(`TF.js has no WebGPU kernel ${kernelName}`);
      const kept: TfCore.Tensor[] = [];
      try {
        const x = tf.tensor(call.x, xShape);
        kept.push(x);
        const w = call.window;
        const k = w?.kernel ?? 1;
        const s = w?.stride ?? 1;
        const pad = w?.pad ?? 0;
        // 1-D as 2-D: a 1×k window of stride 1×s, padded along L only. Not a number pad there: TF.js
        // sizes the output of a numeric pad with the window's height along both axes (square windows
        // only), so a 1×3 window with pad 0 came out as large as its input. 'valid', or explicit pads.
        const filterSize = rank === 1 ? [1, k] : k;
        const strides = rank === 1 ? [1, s] : s;
        const padding = rank !== 1 ? pad : pad > 0 ? [[0, 0], [0, 0], [pad, pad], [0, 0]] : 'valid';
        const attrs = { filterSize, strides, pad: padding };
        const maxForward = (t: TfCore.Tensor) =>
          rank === 3 ? tf.maxPool3d(t as TfCore.Tensor5D, k, s, pad) : tf.maxPool(t as TfCore.Tensor4D, filterSize as never, strides as never, padding as never);
        const avgForward = (t: TfCore.Tensor) =>
          rank === 3 ? tf.avgPool3d(t as TfCore.Tensor5D, k, s, pad) : tf.avgPool(t as TfCore.Tensor4D, filterSize as never, strides as never, padding as never);
        /** The op on a freshly supplied input: x for forward, dy for backward. */
        let compute: (input: TfCore.Tensor) => TfCore.Tensor;
        let inputData: Float32Array;
        let inputShape: number[];
        if (call.pass === 'forward') {
          inputData = call.x;
          inputShape = xShape;
          if (windowed) compute = windowed.reduction === 'max' ? maxForward : avgForward;
          else compute = call.op === 'globalMaxPool' ? (t) => tf.max(t, [1, 2]) : (t) => tf.mean(t, [1, 2]);
        } else {
          if (!call.dy) throw new Error('internal: backward without dy');
          if (!windowed) throw new Error(`TF.js has no ${call.op} backward kernel`);
          inputData = call.dy;
          inputShape = yShape;
          if (windowed.reduction === 'max') {
            const y = maxForward(x);
            kept.push(y);
            compute = (dy) => tf.engine().runKernel(kernelName, { dy, input: x, output: y }, attrs as never) as TfCore.Tensor;
          } else {
            compute = (dy) => tf.engine().runKernel(kernelName, { dy, input: x }, attrs as never) as TfCore.Tensor;
          }
        }
        const resident = tf.tensor(inputData, inputShape);
        kept.push(resident);

        const first = compute(resident);
        // A GPU kernel leaves its output in a GPU buffer (`resource`); a CPU one in `values`.
        const storage = (tf.backend() as unknown as TensorStorage).tensorMap.get(first.dataId);
        const onCpu = storage !== undefined && storage.resource == null && storage.values != null;
        const result = (await first.data()) as Float32Array;
        first.dispose();

        const times = await repeat(call.plan, async () => {
          const y = compute(resident);
          await settle();
          y.dispose();
        });
        const e2e = await repeat({ ...call.plan, warmup: 0, minRuns: 1 }, async () => {
          const input = tf.tensor(inputData, inputShape);
          const y = compute(input);
          await y.data();
          y.dispose();
          input.dispose();
        }, call.plan.e2eRuns);
        const note = `${rank === 1 ? "TF.js's 1-D form: its 2-D kernel on [N, 1, L, C] with a 1×k window" : ''}${onCpu ? `${rank === 1 ? '; ' : ''}TF.js ran ${kernelName} on the CPU, not on WebGPU` : ''}`;
        return { result: Float32Array.from(result), kernelMs: median(times), timing: 'wall', e2eMs: median(e2e), runs: times.length, ...(note ? { note } : {}) };
      } finally {
        for (const t of kept) t.dispose();
      }
    },
    dispose() {
      tf.disposeVariables();
    },
  };
}
