/**
 * Peer: TensorFlow.js 4.22's WebGPU backend, NHWC (its only layout). Forward with tf.maxPool /
 * tf.avgPool and tf.max / tf.mean over H, W; backward with the MaxPoolGrad / AvgPoolGrad kernels
 * (global backward has no single TF.js kernel and is not run). Timed as wall time: the op, TF.js's
 * queue flush, and onSubmittedWorkDone on its device.
 *
 * It needs `navigator.gpu` before it starts (tfjs-webgpu.ts): in Node the CLI sets it to Dawn's GPU
 * object of our adapter kind (peers/node-navigator.ts).
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type { OpName, Pass } from '../cases.js';
import { median, repeat } from '../timing.js';
import type { Peer, PeerCall, PeerResult } from './peer.js';
import { startTfjsWebGpu } from './tfjs-webgpu.js';

export const TFJS_LAYOUT = 'NHWC';

export function tfjsSupports(op: OpName, pass: Pass): boolean {
  return pass === 'forward' || op === 'maxPool2d' || op === 'avgPool2d';
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
      if (call.op === 'avgPool2d' && call.pass === 'backward' && (call.window?.pad ?? 0) > 0) {
        return "TF.js's AvgPoolGrad divides by k·k at padded edges while its forward excludes the padding (known fault, PEERS.md)";
      }
      if (call.op === 'maxPool2d' && call.pass === 'backward') {
        // Its max-position pass keeps `value >= currMaxValue`: a tie sends the gradient to the last maximum.
        return "TF.js's MaxPoolGrad gives a tied window's gradient to the last maximum; PyTorch and SEMANTICS.md, the first";
      }
      return undefined;
    },
    async run(call: PeerCall): Promise<PeerResult> {
      const [N, C, H, W] = call.input;
      const [, , outH, outW] = call.output;
      const xShape: [number, number, number, number] = [N, H, W, C];
      const yShape: [number, number, number, number] = [N, outH, outW, C];
      const kept: TfCore.Tensor[] = [];
      try {
        const x = tf.tensor4d(call.x, xShape);
        kept.push(x);
        const w = call.window;
        const k = w?.kernel ?? 1;
        const s = w?.stride ?? 1;
        const pad = w?.pad ?? 0;
        /** The op on a freshly supplied input: x for forward, dy for backward. */
        let compute: (input: TfCore.Tensor) => TfCore.Tensor;
        let inputData: Float32Array;
        let inputShape: number[];
        if (call.pass === 'forward') {
          inputData = call.x;
          inputShape = xShape;
          compute = {
            maxPool2d: (t: TfCore.Tensor) => tf.maxPool(t as TfCore.Tensor4D, k, s, pad),
            avgPool2d: (t: TfCore.Tensor) => tf.avgPool(t as TfCore.Tensor4D, k, s, pad),
            globalMaxPool: (t: TfCore.Tensor) => tf.max(t, [1, 2]),
            globalAvgPool: (t: TfCore.Tensor) => tf.mean(t, [1, 2]),
          }[call.op];
        } else {
          if (!call.dy) throw new Error('internal: backward without dy');
          inputData = call.dy;
          inputShape = yShape;
          const attrs = { filterSize: k, strides: s, pad };
          if (call.op === 'maxPool2d') {
            const y = tf.maxPool(x, k, s, pad);
            kept.push(y);
            compute = (dy) => tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y }, attrs as never) as TfCore.Tensor;
          } else if (call.op === 'avgPool2d') {
            compute = (dy) => tf.engine().runKernel('AvgPoolGrad', { dy, input: x }, attrs as never) as TfCore.Tensor;
          } else {
            throw new Error(`TF.js has no ${call.op} backward kernel`);
          }
        }
        const resident = tf.tensor(inputData, inputShape);
        kept.push(resident);

        const first = compute(resident);
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
        return { result: Float32Array.from(result), kernelMs: median(times), timing: 'wall', e2eMs: median(e2e), runs: times.length };
      } finally {
        for (const t of kept) t.dispose();
      }
    },
    dispose() {
      tf.disposeVariables();
    },
  };
}
