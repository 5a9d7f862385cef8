/**
 * Zero-copy interop on a shared device, in Node on Dawn (docs/interop.md runs the same steps):
 * TF.js WebGPU tensors (dataToGPU) and ONNX Runtime Web's WebGPU EP outputs (gpu-buffer) wrapped
 * with fromGPUBuffer, pooled, and handed back to each library without a read-back in between.
 */
import { setFlagsFromString } from 'node:v8';
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as Ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onnxPoolModel } from '../bench/peers/onnx-model.js';
import { copySharedWrites, loadOrt } from '../bench/peers/ort.js';
import { webgpuBackendOf } from '../src/host/webgpu-backend.js';
import { createPooling, type Pooling } from '../src/index.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { randomData, seededRandom } from './helpers/random.js';
import { startTfjsWebGpu, type Tf } from './helpers/tfjs.js';

const rand = seededRandom(4242);
let tf: Tf;
let tfDevice: GPUDevice;
let cpu: Pooling;

beforeAll(async () => {
  ({ tf, device: tfDevice } = await startTfjsWebGpu());
  cpu = await createPooling({ backend: 'cpu' });
});

afterAll(() => cpu?.destroy());

describe('TF.js WebGPU: createPooling({ device: backend.device }) and dataToGPU()', () => {
  let pool: Pooling;
  beforeAll(async () => {
    pool = await createPooling({ device: tfDevice });
  });
  afterAll(() => pool?.destroy());

  it('2x12x12x4 NHWC: TF.js tensor → maxPool2d (indices) and globalAvgPool → back into TF.js, zero copy; equals tf.maxPool and the reference', async () => {
    const data = randomData(rand, 2 * 12 * 12 * 4, false);
    // An op's result, still in TF.js's command stream: dataToGPU() submits it before handing out the buffer.
    const x = tf.tidy(() => tf.mul(tf.tensor4d(data, [2, 12, 12, 4]), 2)) as TfCore.Tensor4D;
    const gpu = x.dataToGPU();
    const shape = [2, 4, 12, 12]; // logical [N, C, H, W]; the memory is NHWC
    const t = pool.fromGPUBuffer(gpu.buffer!, shape, { layout: 'NHWC' });
    const { output, indices } = await pool.maxPool2d(t, { kernelSize: 3, stride: 2, padding: 'same', returnIndices: true });
    const g = await pool.globalAvgPool(t);
    expect(output.shape).toEqual([2, 4, 6, 6]);

    // Our output buffer as a TF.js tensor with no copy: it stays ours, so it lives until TF.js is done with it.
    const y = tf.tensor({ buffer: output.buffer!, zeroCopy: true }, [2, 6, 6, 4]);
    const viaTf = tf.mul(y, 1); // TF.js computes on our buffer
    const theirs = tf.maxPool(x, 3, 2, 'same');
    expectBitExact(Float32Array.from(await viaTf.data()), Float32Array.from(await theirs.data()), 'ours inside TF.js vs tf.maxPool');

    const ref = cpu.tensor(data.map((v) => v * 2), shape, { layout: 'NHWC' });
    const want = await cpu.maxPool2d(ref, { kernelSize: 3, stride: 2, padding: 'same', returnIndices: true });
    expectBitExact(await output.read(), await want.output.read(), 'max vs reference');
    expectBitExact(await indices!.read(), await want.indices!.read(), 'indices vs reference');
    expectClose(await g.read(), await (await cpu.globalAvgPool(ref)).read(), 144, 'global average vs reference');

    for (const d of [y, viaTf, theirs, x, gpu.tensorRef]) d.dispose();
    for (const d of [t, output, indices!, g, ref]) d.destroy();
  });

  it('2x8x8x3: the backward pass on TF.js buffers (dy from TF.js), result handed over with a copy (zeroCopy: false)', async () => {
    const data = randomData(rand, 2 * 8 * 8 * 3, false);
    const x = tf.tensor4d(data, [2, 8, 8, 3]);
    const dy = tf.tidy(() => tf.onesLike(tf.maxPool(x, 2, 2, 'valid')));
    const xGpu = x.dataToGPU();
    const dyGpu = dy.dataToGPU();
    const t = pool.fromGPUBuffer(xGpu.buffer!, [2, 3, 8, 8], { layout: 'NHWC' });
    const { indices } = await pool.maxPool2d(t, { kernelSize: 2, returnIndices: true });
    const g = pool.fromGPUBuffer(dyGpu.buffer!, [2, 3, 4, 4], { layout: 'NHWC' });
    const dx = await pool.maxPool2dBackward(g, indices!, { kernelSize: 2, inputShape: [2, 3, 8, 8] });
    const copied = tf.tensor({ buffer: dx.buffer!, zeroCopy: false }, [2, 8, 8, 3]);
    dx.destroy(); // TF.js made its own copy
    // Each of the 16 windows of a plane sends its 1 to its maximum.
    const got = Float32Array.from(await copied.data());
    expect(got.reduce((a, b) => a + b, 0)).toBe(2 * 3 * 16);
    const theirs = tf.grad((v: TfCore.Tensor) => tf.sum(tf.maxPool(v as TfCore.Tensor4D, 2, 2, 'valid')))(x);
    expectBitExact(got, Float32Array.from(await theirs.data()), 'dx vs TF.js gradient');
    for (const d of [x, dy, copied, theirs, xGpu.tensorRef, dyGpu.tensorRef]) d.dispose();
    t.destroy();
    g.destroy();
    indices!.destroy();
  });
});

describe("ONNX Runtime Web's WebGPU EP: createPooling({ device: await ort.env.webgpu.device }) and gpu-buffer tensors", () => {
  let ort: typeof Ort;
  let pool: Pooling;
  const sessions: Ort.InferenceSession[] = [];

  beforeAll(async () => {
    // PEERS.md: without it the first run spends ~40-75 s compiling ORT's wasm with TurboFan.
    setFlagsFromString('--liftoff-only');
    copySharedWrites();
    ort = await loadOrt();
  }, 120_000);

  afterAll(async () => {
    pool?.destroy();
    // ORT destroys its device with its last session (PEERS.md): ours goes first.
    for (const s of sessions) await s.release();
  });

  async function session(model: Uint8Array): Promise<Ort.InferenceSession> {
    const s = await ort.InferenceSession.create(model, { executionProviders: [{ name: 'webgpu', preferredLayout: 'NCHW' } as never], preferredOutputLocation: 'gpu-buffer' });
    sessions.push(s);
    return s;
  }

  it('1x3x16x16 NCHW: ORT MaxPool → our avgPool2d and globalMaxPool → ORT GlobalAveragePool, on ORT\'s buffers, against the reference', async () => {
    const maxPool = await session(onnxPoolModel({ op: 'MaxPool', input: [1, 3, 16, 16], output: [1, 3, 8, 8], kernel: 2, stride: 2, pad: 0 }));
    const device = (await ort.env.webgpu.device) as GPUDevice;
    expect(device, 'ORT exposes its device once a WebGPU session exists').toBeTruthy();
    pool = await createPooling({ device });

    const data = randomData(rand, 3 * 16 * 16, false);
    const { y } = await maxPool.run({ x: new ort.Tensor('float32', data, [1, 3, 16, 16]) });
    expect(y!.location).toBe('gpu-buffer');
    const pooled = pool.fromGPUBuffer(y!.gpuBuffer as GPUBuffer, [1, 3, 8, 8]);
    const avg = await pool.avgPool2d(pooled, { kernelSize: 3, stride: 1, padding: 1 });
    const gmax = await pool.globalMaxPool(pooled, { keepDims: true });

    const globalAvg = await session(onnxPoolModel({ op: 'GlobalAveragePool', input: [1, 3, 8, 8], output: [1, 3, 1, 1] }));
    const fed = ort.Tensor.fromGpuBuffer(avg.buffer as unknown as Ort.Tensor.GpuBufferType, { dataType: 'float32', dims: [1, 3, 8, 8] });
    const { y: g } = await globalAvg.run({ x: fed });
    const got = Float32Array.from((await g!.getData()) as Float32Array);

    const ref = cpu.tensor(data, [1, 3, 16, 16]);
    const refMax = (await cpu.maxPool2d(ref, { kernelSize: 2 })).output;
    const refAvg = await cpu.avgPool2d(refMax, { kernelSize: 3, stride: 1, padding: 1 });
    expectBitExact(await pooled.read(), await refMax.read(), "ORT's MaxPool as read through our tensor");
    expectClose(await avg.read(), await refAvg.read(), 9, 'our avgPool2d on ORT\'s buffer');
    expectBitExact(await gmax.output.read(), await (await cpu.globalMaxPool(refMax, { keepDims: true })).output.read(), 'our globalMaxPool');
    expectClose(got, await (await cpu.globalAvgPool(refAvg)).read(), 64 * 9, "ORT's GlobalAveragePool on our buffer");

    g!.dispose();
    y!.dispose();
    for (const t of [pooled, avg, gmax.output, ref, refMax, refAvg]) t.destroy();
  }, 120_000);
});

describe("an application's float16 buffer through fromGPUBuffer", () => {
  it('[1, 3, 7] packed halves (odd count: the buffer is rounded up to whole words) → maxPool1d → float16 output, no read past the buffer', async () => {
    const gpu = await createPooling({ backend: 'webgpu' });
    const device = webgpuBackendOf(gpu)!.device;
    const halves = new Uint16Array([0x3c00, 0x4000, 0xbc00, 0x7c00, 0x0001, 0x8000, 0x4200, 0x3800, 0x3555, 0x3c01, 0x0000, 0xfc00, 0x7bff, 0x4400, 0x3e00, 0x4100, 0x4300, 0x3c00, 0x3d00, 0x3f00, 0x4080]);
    // 21 halves = 42 bytes, rounded up to 44: what the application must allocate.
    const buffer = device.createBuffer({ size: 44, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    const padded = new Uint16Array(22);
    padded.set(halves);
    device.queue.writeBuffer(buffer, 0, padded);
    expect(() => gpu.fromGPUBuffer(device.createBuffer({ size: 40, usage: GPUBufferUsage.STORAGE }), [1, 3, 7], { dtype: 'float16' })).toThrow(/needs 44/);
    const x = gpu.fromGPUBuffer(buffer, [1, 3, 7], { dtype: 'float16' });
    expect(x.dtype).toBe('float16');
    const { output, indices } = await gpu.maxPool1d(x, { kernelSize: 2, ceilMode: true, returnIndices: true });
    const want = await cpu.maxPool1d(cpu.tensor(halves, [1, 3, 7], { dtype: 'float16' }), { kernelSize: 2, ceilMode: true, returnIndices: true });
    expect(Array.from(await output.readFloat32())).toEqual(Array.from(await want.output.readFloat32()));
    expect(Array.from(await indices!.read())).toEqual(Array.from(await want.indices!.read()));
    expect(Array.from(await x.readFloat32()).length).toBe(21);
    gpu.destroy();
    buffer.destroy();
  });
});
