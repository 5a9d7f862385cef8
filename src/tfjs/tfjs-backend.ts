/**
 * The few parts of TF.js 4.x's WebGPUBackend (@tensorflow/tfjs-backend-webgpu) the plug-in's
 * kernels use: its device, where a tensor's GPUBuffer lives, how it makes an output tensor, and how
 * it flushes the commands it has recorded but not yet submitted. TF.js exports no type for these;
 * they are public fields and methods of the class, stable across 4.x.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

interface TfjsTensorData {
  dtype: string;
  shape: number[];
  /** A GPUBuffer once the data is on the GPU (a texture only for pixel uploads); null while on the CPU. */
  resource: unknown;
  /** Host values, which TF.js keeps for a tensor with no element. */
  values?: unknown;
}

export interface TfjsWebGpuBackend {
  readonly device: GPUDevice;
  readonly tensorMap: { get(dataId: object): TfjsTensorData | undefined };
  /** Commands recorded since the last submit, or null. */
  readonly commandEncoder: GPUCommandEncoder | null;
  makeTensorInfo(shape: number[], dtype: 'float32' | 'int32'): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  uploadToGPU(dataId: object): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
}

export function isTfjsWebGpuBackend(backend: unknown): backend is TfjsWebGpuBackend {
  const b = backend as Partial<TfjsWebGpuBackend> | null;
  return (
    typeof b === 'object' &&
    b !== null &&
    typeof b.device?.createBuffer === 'function' &&
    typeof b.tensorMap?.get === 'function' &&
    typeof b.uploadToGPU === 'function' &&
    typeof b.makeTensorInfo === 'function' &&
    typeof b.disposeData === 'function' &&
    typeof b.submitQueue === 'function'
  );
}

function isGpuBuffer(resource: unknown): resource is GPUBuffer {
  return typeof resource === 'object' && resource !== null && typeof (resource as GPUBuffer).mapAsync === 'function' && typeof (resource as GPUBuffer).size === 'number';
}

/**
 * The GPUBuffer holding a tensor, uploaded first when TF.js still keeps it on the CPU (the upload is
 * recorded in TF.js's encoder: flush before using the buffer). Undefined for a texture.
 */
export function tensorBuffer(backend: TfjsWebGpuBackend, info: TensorInfo): GPUBuffer | undefined {
  backend.uploadToGPU(info.dataId);
  const resource = backend.tensorMap.get(info.dataId)?.resource;
  return isGpuBuffer(resource) ? resource : undefined;
}

/** A new TF.js tensor of this shape (float32, or int32 for indices) with its GPUBuffer allocated, for a kernel to write. */
export function newOutput(backend: TfjsWebGpuBackend, shape: number[], dtype: 'float32' | 'int32' = 'float32'): { info: TensorInfo; buffer: GPUBuffer } {
  const info = backend.makeTensorInfo(shape, dtype);
  const buffer = tensorBuffer(backend, info);
  if (!buffer) throw new Error(`internal: TF.js gave a ${dtype} output no GPUBuffer`);
  return { info, buffer };
}

/**
 * Submits what TF.js has recorded (ops, uploads) so that work submitted to the queue next runs after
 * it; TF.js opens a new encoder for its next op.
 */
export function flushRecorded(backend: TfjsWebGpuBackend): void {
  if (!backend.commandEncoder) return;
  backend.endComputePassEncoder();
  backend.submitQueue();
}

/** A float32 tensor with no element, as TF.js's runWebGPUProgram makes one: host values of length 0, no buffer. */
export function emptyTensor(backend: TfjsWebGpuBackend, shape: number[]): TensorInfo {
  const info = backend.makeTensorInfo(shape, 'float32');
  const data = backend.tensorMap.get(info.dataId);
  if (data) data.values = new Float32Array(0);
  return info;
}
