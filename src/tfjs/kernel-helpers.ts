/**
 * What every plug-in kernel shares: the body type, the device's adapter summary, reading TF.js's
 * float32 buffers in place, and making TF.js output tensors that our submission writes (a
 * PoolingError while encoding releases them and becomes the reason to hand the call to TF.js).
 */
import type { NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { PoolingError } from '../errors.js';
import { summarizeAdapterInfo } from '../host/device.js';
import type { AdapterInfoSummary } from '../types.js';
import { flushRecorded, newOutput, tensorBuffer, type TfjsWebGpuBackend } from './tfjs-backend.js';

/** A kernel's body: its output(s), or the reason to hand the call to TF.js's original kernel. */
export type Body<A = never> = (backend: TfjsWebGpuBackend, inputs: NamedTensorInfoMap, attrs: A) => TensorInfo | TensorInfo[] | string;

const adapterInfos = new WeakMap<GPUDevice, AdapterInfoSummary | null>();

export function adapterInfo(device: GPUDevice): AdapterInfoSummary | null {
  if (!adapterInfos.has(device)) adapterInfos.set(device, summarizeAdapterInfo((device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo));
  return adapterInfos.get(device) ?? null;
}

/** The buffers of float32 tensors, or a reason to delegate. */
export function floatBuffers(backend: TfjsWebGpuBackend, tensors: Record<string, TensorInfo | undefined>): Record<string, GPUBuffer> | string {
  const buffers: Record<string, GPUBuffer> = {};
  for (const [slot, t] of Object.entries(tensors)) {
    if (!t) return `no ${slot} input`;
    if (t.dtype !== 'float32') return `${slot} is ${t.dtype}, not float32`;
    const buffer = tensorBuffer(backend, t);
    if (!buffer) return `${slot} is not in a GPUBuffer`;
    buffers[slot] = buffer;
  }
  return buffers;
}

/** New TF.js output tensors, written by `submit` after TF.js's recorded work is flushed. */
export function produceMany(backend: TfjsWebGpuBackend, outputs: readonly { shape: number[]; dtype?: 'float32' | 'int32' }[], submit: (out: GPUBuffer[]) => void): TensorInfo[] | string {
  const made = outputs.map((o) => newOutput(backend, o.shape, o.dtype));
  try {
    flushRecorded(backend);
    submit(made.map((m) => m.buffer));
    return made.map((m) => m.info);
  } catch (e) {
    for (const m of made) backend.disposeData(m.info.dataId);
    if (e instanceof PoolingError) return e.message;
    throw e;
  }
}

/** One float32 output tensor (produceMany's common case). */
export function produce(backend: TfjsWebGpuBackend, shape: number[], submit: (out: GPUBuffer) => void): TensorInfo | string {
  const r = produceMany(backend, [{ shape }], ([out]) => submit(out!));
  return typeof r === 'string' ? r : r[0]!;
}

export const bytesOf = (t: TensorInfo) => t.shape.reduce((a, b) => a * b, 1) * 4;
