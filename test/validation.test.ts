/**
 * Bad input: every invalid call throws a PoolingError naming the op, the option, the value and the
 * rule, before anything reaches the GPU queue; the context keeps working afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PoolingError, createPooling, type Pooling, type Tensor } from '../src/index.js';
import { expectRejected, type BadCall } from './helpers/bad-call.js';
import { countQueueCalls, useGpuPool } from './helpers/gpu.js';

const pool = useGpuPool();
let other: Pooling;
let x: Tensor;
let queueCalls: () => number;

beforeAll(async () => {
  other = await createPooling({ backend: 'cpu' });
  const p = pool();
  x = p.tensor(new Float32Array(2 * 3 * 8 * 8).map((_, i) => Math.sin(i)), [2, 3, 8, 8]);
  queueCalls = countQueueCalls(p);
});
afterAll(() => other?.destroy());

const bad: BadCall[] = [
  { name: 'kernelSize missing', op: 'maxPool2d', option: 'kernelSize', value: 'undefined', rule: /required/, call: (p) => p.maxPool2d(x, {} as never) },
  { name: 'kernelSize 0', op: 'maxPool2d', option: 'kernelSize', value: '0', rule: />= 1/, call: (p) => p.maxPool2d(x, { kernelSize: 0 }) },
  { name: 'kernelSize 2.5', op: 'avgPool2d', option: 'kernelSize', value: '2.5', rule: /integer/, call: (p) => p.avgPool2d(x, { kernelSize: 2.5 }) },
  { name: 'kernelSize NaN', op: 'maxPool2d', option: 'kernelSize', value: 'NaN', rule: /integer/, call: (p) => p.maxPool2d(x, { kernelSize: NaN }) },
  { name: 'kernelSize of three entries', op: 'maxPool2d', option: 'kernelSize', value: '[2, 2, 2]', rule: /pair/, call: (p) => p.maxPool2d(x, { kernelSize: [2, 2, 2] as never }) },
  { name: 'kernel larger than the input', op: 'maxPool2d', option: 'kernelSize', value: '9', rule: /output.*>= 1/, call: (p) => p.maxPool2d(x, { kernelSize: 9 }) },
  { name: 'stride 0', op: 'avgPool2d', option: 'stride', value: '[0, 1]', rule: />= 1/, call: (p) => p.avgPool2d(x, { kernelSize: 2, stride: [0, 1] }) },
  { name: 'negative stride', op: 'maxPool2d', option: 'stride', value: '-1', rule: />= 1/, call: (p) => p.maxPool2d(x, { kernelSize: 2, stride: -1 }) },
  { name: 'dilation 0', op: 'maxPool2d', option: 'dilation', value: '0', rule: />= 1/, call: (p) => p.maxPool2d(x, { kernelSize: 2, dilation: 0 }) },
  { name: 'dilation 0 on average pooling', op: 'avgPool2d', option: 'dilation', value: '0', rule: />= 1/, call: (p) => p.avgPool2d(x, { kernelSize: 2, dilation: 0 }) },
  { name: 'negative padding', op: 'maxPool2d', option: 'padding', value: '-1', rule: />= 0/, call: (p) => p.maxPool2d(x, { kernelSize: 3, padding: -1 }) },
  { name: 'padding not below the effective kernel', op: 'maxPool2d', option: 'padding', value: '3', rule: /smaller than the effective kernel 3/, call: (p) => p.maxPool2d(x, { kernelSize: 3, padding: 3 }) },
  { name: 'padding of three entries', op: 'avgPool2d', option: 'padding', value: '[1, 1, 1]', rule: /\[top, left, bottom, right\]/, call: (p) => p.avgPool2d(x, { kernelSize: 3, padding: [1, 1, 1] as never }) },
  { name: 'unknown padding string', op: 'maxPool2d', option: 'padding', value: '"full"', rule: /'same'/, call: (p) => p.maxPool2d(x, { kernelSize: 3, padding: 'full' as never }) },
  { name: 'ceilMode not boolean', op: 'maxPool2d', option: 'ceilMode', value: '"yes"', rule: /boolean/, call: (p) => p.maxPool2d(x, { kernelSize: 2, ceilMode: 'yes' as never }) },
  { name: 'padValue 1', op: 'maxPool2d', option: 'padValue', value: '1', rule: /-Infinity.*or 0/, call: (p) => p.maxPool2d(x, { kernelSize: 2, padValue: 1 }) },
  { name: 'divisorOverride 0', op: 'avgPool2d', option: 'divisorOverride', value: '0', rule: /integer in \[1/, call: (p) => p.avgPool2d(x, { kernelSize: 2, divisorOverride: 0 }) },
  { name: 'countIncludePad not boolean', op: 'avgPool2d', option: 'countIncludePad', value: '1', rule: /boolean/, call: (p) => p.avgPool2d(x, { kernelSize: 2, countIncludePad: 1 as never }) },
  { name: 'misspelt option', op: 'avgPool2d', option: 'countIncludPad', value: 'false', rule: /unknown option/, call: (p) => p.avgPool2d(x, { kernelSize: 2, countIncludPad: false } as never) },
  { name: 'options not an object', op: 'maxPool2d', option: 'options', value: '3', rule: /options object/, call: (p) => p.maxPool2d(x, 3 as never) },
  { name: 'input not a tensor', op: 'maxPool2d', option: 'x', value: 'Float32Array(4)', rule: /tensor made by this pooling context/, call: (p) => p.maxPool2d(new Float32Array(4) as never, { kernelSize: 2 }) },
  { name: 'tensor of another context', op: 'avgPool2d', option: 'x', value: '[1, 1, 2, 2]', rule: /another pooling context/, call: (p) => p.avgPool2d(other.tensor([1, 2, 3, 4], [1, 1, 2, 2]), { kernelSize: 2 }) },
  { name: 'tensor shape of rank 6', op: 'tensor', option: 'shape', value: '[1, 1, 1, 1, 4, 4]', rule: /rank-2 .*rank-5/, call: (p) => p.tensor(new Float32Array(16), [1, 1, 1, 1, 4, 4]) },
  { name: 'tensor shape of rank 1', op: 'tensor', option: 'shape', value: '[16]', rule: /rank-4 shape \[N, C, H, W\]/, call: (p) => p.tensor(new Float32Array(16), [16]) },
  { name: 'tensor shape with a zero', op: 'tensor', option: 'shape[2]', value: '0', rule: /integer >= 1/, call: (p) => p.tensor(new Float32Array(0), [1, 1, 0, 4]) },
  { name: 'tensor data of the wrong length', op: 'tensor', option: 'data', value: 'Float32Array(15)', rule: /length 15 must equal.*16/, call: (p) => p.tensor(new Float32Array(15), [1, 1, 4, 4]) },
  { name: 'tensor data with a string', op: 'tensor', option: 'data[1]', value: '"2"', rule: /number/, call: (p) => p.tensor([1, '2', 3, 4] as never, [1, 1, 2, 2]) },
  { name: 'tensor layout NCWH', op: 'tensor', option: 'layout', value: '"NCWH"', rule: /'NCHW' or 'NHWC'/, call: (p) => p.tensor(new Float32Array(16), [1, 1, 4, 4], { layout: 'NCWH' as never }) },
  { name: 'tensor dtype int8', op: 'tensor', option: 'dtype', value: '"int8"', rule: /float32/, call: (p) => p.tensor(new Float32Array(16), [1, 1, 4, 4], { dtype: 'int8' as never }) },
  { name: 'too many elements for 32-bit indexing', op: 'tensor', option: 'shape', value: '[65536, 65536, 1, 1]', rule: /32-bit indexing/, call: (p) => p.tensor(new Float32Array(1), [65536, 65536, 1, 1]) },
  { name: 'globalMaxPool keepDims not boolean', op: 'globalMaxPool', option: 'keepDims', value: '"no"', rule: /boolean/, call: (p) => p.globalMaxPool(x, { keepDims: 'no' as never }) },
  { name: 'globalAvgPool unknown option', op: 'globalAvgPool', option: 'returnIndices', value: 'true', rule: /unknown option/, call: (p) => p.globalAvgPool(x, { returnIndices: true } as never) },
  { name: 'backward without inputShape', op: 'avgPool2dBackward', option: 'inputShape', value: 'undefined', rule: /required/, call: (p) => p.avgPool2dBackward(x, { kernelSize: 2 } as never) },
  { name: 'backward algorithm name', op: 'avgPool2dBackward', option: 'backward', value: '"fast"', rule: /'scatter' or 'gather'/, call: (p) => p.avgPool2dBackward(x, { kernelSize: 1, inputShape: [2, 3, 8, 8], backward: 'fast' as never }) },
];

describe('invalid calls throw a PoolingError before any GPU work', () => {
  it(`covers at least 20 distinct invalid calls (${bad.length})`, () => {
    expect(bad.length).toBeGreaterThanOrEqual(20);
  });

  for (const b of bad) {
    it(`${b.op}: ${b.name}`, async () => {
      await expectRejected(b, pool(), queueCalls);
    });
  }

  it('leaves the context working: a valid call afterwards gives the right answer', async () => {
    const p = pool();
    const t = p.tensor([1, 2, 3, 4], [1, 1, 2, 2]);
    const { output } = await p.maxPool2d(t, { kernelSize: 2 });
    expect(Array.from(await output.read())).toEqual([4]);
  });

  it('a destroyed tensor is refused with a PoolingError', async () => {
    const p = pool();
    const t = p.tensor([1, 2, 3, 4], [1, 1, 2, 2]);
    t.destroy();
    await expect(p.avgPool2d(t, { kernelSize: 2 })).rejects.toThrow(PoolingError);
    await expect(t.read()).rejects.toThrow(/destroyed/);
  });

  it('createPooling refuses an unknown backend name', async () => {
    await expect(createPooling({ backend: 'gpu' as never })).rejects.toThrow(/backend = "gpu"/);
  });
});
