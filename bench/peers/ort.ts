/**
 * Peer: ONNX Runtime Web 1.30, forward only, NCHW, with one-node models made in code
 * (onnx-model.ts). Two execution providers: wasm (1 thread) and WebGPU through the same
 * `navigator.gpu` as TF.js. Timed as wall time of `session.run()`; on WebGPU the input already
 * sits in a GPU buffer and the output stays on the GPU until onSubmittedWorkDone, so only the
 * end-to-end time includes transfers.
 *
 * BENCHMARKS.md's workarounds for the WebGPU EP on Dawn: (1) writeBuffer of a SharedArrayBuffer view is
 * copied to a plain buffer first; (2) one small session stays alive for the whole run, because
 * ORT destroys its device with its last session; (3) the first run's wasm compile (`node
 * --liftoff-only` makes it short) happens at set-up, outside every timing.
 */
import type * as Ort from 'onnxruntime-web';
import type { OpName, Pass } from '../cases.js';
import { median, repeat } from '../timing.js';
import { onnxPoolModel, type OnnxPoolOp } from './onnx-model.js';
import type { Peer, PeerCall, PeerResult } from './peer.js';

type OrtModule = typeof Ort;
export type OrtProvider = 'wasm' | 'webgpu';

export const ORT_LAYOUT = 'NCHW';

const ONNX_OP: Partial<Record<OpName, OnnxPoolOp>> = {
  maxPool2d: 'MaxPool',
  avgPool2d: 'AveragePool',
  globalMaxPool: 'GlobalMaxPool',
  globalAvgPool: 'GlobalAveragePool',
};

/**
 * Forward of BENCHMARKS.md's four 2-D ops. Not the 1-D / 3-D ones: ORT's WebGPU EP may hand a node it
 * does not take to its CPU EP without saying so, and a wasm row would then pass for a WebGPU one.
 */
export function ortSupports(op: OpName, pass: Pass): boolean {
  return pass === 'forward' && ONNX_OP[op] !== undefined;
}

let ortModule: Promise<OrtModule> | undefined;

export function loadOrt(): Promise<OrtModule> {
  ortModule ??= import('onnxruntime-web/webgpu').then((m) => {
    const ort = ((m as { default?: OrtModule }).default ?? m) as OrtModule;
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    ort.env.logLevel = 'error';
    return ort;
  });
  return ortModule;
}

/** Workaround 1: Dawn's binding rejects (or crashes on) data backed by a SharedArrayBuffer. */
export function copySharedWrites(): void {
  const queueClass = (globalThis as { GPUQueue?: { prototype: GPUQueue } }).GPUQueue;
  if (typeof SharedArrayBuffer === 'undefined' || !queueClass) return;
  const proto = queueClass.prototype as GPUQueue & { __benchSharedCopy?: boolean };
  if (proto.__benchSharedCopy) return;
  const writeBuffer = proto.writeBuffer as (...args: unknown[]) => undefined;
  proto.writeBuffer = function (this: GPUQueue, buffer: GPUBuffer, offset: number, data: unknown, ...rest: unknown[]) {
    let plain = data;
    if (ArrayBuffer.isView(data) && data.buffer instanceof SharedArrayBuffer) {
      const Ctor = data.constructor as new (source: ArrayBufferView) => ArrayBufferView;
      plain = new Ctor(data);
    } else if (data instanceof SharedArrayBuffer) {
      plain = new Uint8Array(new Uint8Array(data)).buffer;
    }
    return writeBuffer.call(this, buffer, offset, plain, ...rest);
  } as GPUQueue['writeBuffer'];
  proto.__benchSharedCopy = true;
}

function modelFor(call: PeerCall): Uint8Array {
  const w = call.window;
  return onnxPoolModel({
    op: ONNX_OP[call.op]!,
    input: call.input,
    output: call.output,
    ...(w ? { kernel: w.kernel, stride: w.stride, pad: w.pad, countIncludePad: true } : {}),
  });
}

function sessionOptions(provider: OrtProvider): Ort.InferenceSession.SessionOptions {
  return provider === 'webgpu'
    ? { executionProviders: [{ name: 'webgpu', preferredLayout: 'NCHW' }], preferredOutputLocation: 'gpu-buffer', graphOptimizationLevel: 'all' }
    : { executionProviders: ['wasm'], graphOptimizationLevel: 'all' };
}

export async function createOrtPeer(provider: OrtProvider, adapter: string): Promise<Peer> {
  if (provider === 'webgpu') {
    if (!(globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu) throw new Error('the WebGPU EP needs navigator.gpu, and there is none');
    copySharedWrites();
  }
  const ort = await loadOrt();
  // Workaround 2 (WebGPU) and 3: a tiny session, run once now, kept until dispose.
  const keepAlive = await ort.InferenceSession.create(onnxPoolModel({ op: 'GlobalMaxPool', input: [1, 1, 2, 2], output: [1, 1, 1, 1] }), sessionOptions(provider));
  const probe = await keepAlive.run({ x: new ort.Tensor('float32', new Float32Array(4), [1, 1, 2, 2]) });
  for (const t of Object.values(probe)) t.dispose();
  const device = provider === 'webgpu' ? ((await ort.env.webgpu.device) as GPUDevice) : undefined;

  return {
    impl: provider === 'webgpu' ? 'ort-webgpu' : 'ort-wasm',
    adapter,
    layout: ORT_LAYOUT,
    avgCountIncludePad: true,
    supports: ortSupports,
    async run(call: PeerCall): Promise<PeerResult> {
      if (call.pass !== 'forward') throw new Error('the ONNX Runtime peer runs forward only');
      const session = await ort.InferenceSession.create(modelFor(call), sessionOptions(provider));
      const dims = [...call.input];
      let gpuInput: GPUBuffer | undefined;
      try {
        let input: Ort.Tensor;
        if (device) {
          gpuInput = device.createBuffer({ label: 'bench.ort.x', size: Math.ceil(call.x.byteLength / 16) * 16, usage: 0x0080 | 0x0004 | 0x0008 });
          device.queue.writeBuffer(gpuInput, 0, call.x as Float32Array<ArrayBuffer>);
          input = ort.Tensor.fromGpuBuffer(gpuInput, { dataType: 'float32', dims });
        } else {
          input = new ort.Tensor('float32', call.x, dims);
        }
        const output = async (feeds: Record<string, Ort.Tensor>) => (await session.run(feeds)).y!;

        const first = await output({ x: input });
        const result = Float32Array.from((await first.getData(true)) as Float32Array);

        const times = await repeat(call.plan, async () => {
          const y = await output({ x: input });
          if (device) await device.queue.onSubmittedWorkDone();
          y.dispose();
        });
        const e2e = await repeat({ ...call.plan, warmup: 0, minRuns: 1 }, async () => {
          const y = await output({ x: new ort.Tensor('float32', call.x, dims) });
          await y.getData(true);
        }, call.plan.e2eRuns);
        return { result, kernelMs: median(times), timing: 'wall', e2eMs: median(e2e), runs: times.length };
      } finally {
        await session.release();
        gpuInput?.destroy();
      }
    },
    async dispose() {
      await keepAlive.release();
    },
  };
}
