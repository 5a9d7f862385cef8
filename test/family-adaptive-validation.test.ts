/**
 * Bad input to the adaptive ops (docs/adaptive-pooling.md, "Errors"): each invalid call throws a
 * PoolingError naming the op, the option, the value and the rule, before anything reaches the GPU
 * queue, on both the CPU and the WebGPU contexts; both keep working afterwards. Also: every option
 * is read once, own properties only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Pooling, Tensor } from '../src/index.js';
import { expectRejected, type BadCall } from './helpers/bad-call.js';
import { useBothContexts } from './helpers/contexts.js';
import { countQueueCalls } from './helpers/gpu.js';

const { cpu, webgpu: gpu } = useBothContexts();

interface Fixtures {
  /** [2, 3, 8] NCL */
  x3: Tensor;
  /** [2, 3, 8, 8] NCHW, and int32 and destroyed tensors of that shape */
  x4: Tensor;
  x4int: Tensor;
  x4gone: Tensor;
  /** adaptiveMaxPool2d(x4, [3, 5]): [2, 3, 3, 5] and its indices; the same shape NHWC, in float16 */
  y4: Tensor;
  i4: Tensor;
  y4last: Tensor;
  y4half: Tensor;
  /** [2, 3, 3, 4]: a wrong gradient and wrong int32 indices */
  y4wrong: Tensor;
  i4wrong: Tensor;
  /** [1, 1, 3] */
  d13: Tensor;
}

const fixtures = new Map<Pooling, Fixtures>();
const queueCounters = new Map<Pooling, () => number>();

async function makeFixtures(p: Pooling): Promise<Fixtures> {
  const f32 = (shape: number[], layout?: string) => p.tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)).map((_, i) => Math.sin(i)), shape, layout ? { layout: layout as never } : {});
  const x4 = f32([2, 3, 8, 8]);
  const { output, indices } = await p.adaptiveMaxPool2d(x4, { outputSize: [3, 5], returnIndices: true });
  const x4gone = f32([2, 3, 8, 8]);
  x4gone.destroy();
  return {
    x3: f32([2, 3, 8]),
    x4,
    x4int: p.tensor(new Int32Array(384), [2, 3, 8, 8], { dtype: 'int32' }),
    x4gone,
    y4: output,
    i4: indices!,
    y4last: f32([2, 3, 3, 5], 'NHWC'),
    y4half: p.tensor(new Float32Array(90), [2, 3, 3, 5], { dtype: 'float16' }),
    y4wrong: f32([2, 3, 3, 4]),
    i4wrong: p.tensor(new Int32Array(72), [2, 3, 3, 4], { dtype: 'int32' }),
    d13: f32([1, 1, 3]),
  };
}

const fx = (p: Pooling) => fixtures.get(p)!;

beforeAll(async () => {
  for (const p of [cpu(), gpu()]) fixtures.set(p, await makeFixtures(p));
  queueCounters.set(cpu(), () => 0);
  queueCounters.set(gpu(), countQueueCalls(gpu()));
});

const A2 = 'adaptiveAvgPool2d';
const M2 = 'adaptiveMaxPool2d';
const A2B = 'adaptiveAvgPool2dBackward';
const M2B = 'adaptiveMaxPool2dBackward';
const avg2 = (outputSize: unknown) => (p: Pooling) => p.adaptiveAvgPool2d(fx(p).x4, { outputSize } as never);
const IN4 = [2, 3, 8, 8];

const bad: BadCall[] = [
  // outputSize
  { name: 'outputSize 0', op: A2, option: 'outputSize', value: '0', rule: /integers >= 1/, call: avg2(0) },
  { name: 'negative outputSize', op: A2, option: 'outputSize', value: '-2', rule: /integers >= 1/, call: avg2(-2) },
  { name: 'fractional outputSize', op: A2, option: 'outputSize', value: '2.5', rule: /integers >= 1/, call: avg2(2.5) },
  { name: 'NaN outputSize', op: A2, option: 'outputSize', value: 'NaN', rule: /integers >= 1/, call: avg2(NaN) },
  { name: 'Infinity outputSize', op: A2, option: 'outputSize', value: 'Infinity', rule: /integers >= 1/, call: avg2(Infinity) },
  { name: 'outputSize past 2^31 - 1', op: A2, option: 'outputSize', value: '2147483648', rule: /<= 2147483647/, call: avg2(2 ** 31) },
  { name: 'a string outputSize', op: A2, option: 'outputSize', value: '"2"', rule: /must be a number or \[h, w\]/, call: avg2('2') },
  { name: 'a boolean outputSize', op: A2, option: 'outputSize', value: 'true', rule: /must be a number or \[h, w\]/, call: avg2(true) },
  { name: 'a bare null outputSize', op: A2, option: 'outputSize', value: 'null', rule: /must be a number or \[h, w\]/, call: avg2(null) },
  { name: 'an object outputSize', op: A2, option: 'outputSize', value: '{ h: 2 }', rule: /must be a number or \[h, w\]/, call: avg2({ h: 2 }) },
  { name: 'outputSize missing', op: A2, option: 'outputSize', value: 'undefined', rule: /is required/, call: (p) => p.adaptiveAvgPool2d(fx(p).x4, {} as never) },
  { name: 'too few entries', op: A2, option: 'outputSize', value: '[2]', rule: /one entry per spatial axis/, call: avg2([2]) },
  { name: 'too many entries', op: A2, option: 'outputSize', value: '[2, 3, 4]', rule: /one entry per spatial axis/, call: avg2([2, 3, 4]) },
  { name: 'an entry of 0', op: A2, option: 'outputSize[1]', value: '0', rule: /null or an integer >= 1/, call: avg2([2, 0]) },
  { name: 'a fractional entry beside null', op: A2, option: 'outputSize[1]', value: '1.5', rule: /null or an integer >= 1/, call: avg2([null, 1.5]) },
  { name: 'an undefined entry', op: A2, option: 'outputSize[0]', value: 'undefined', rule: /null or an integer >= 1/, call: avg2([undefined, 2]) },
  { name: 'a string entry', op: M2, option: 'outputSize[0]', value: '"3"', rule: /null or an integer >= 1/, call: (p) => p.adaptiveMaxPool2d(fx(p).x4, { outputSize: ['3', 2] } as never) },
  {
    name: '(in + 1)·(out + 1) past 2^31 - 1 (i32 window arithmetic)',
    op: 'adaptiveAvgPool1d',
    option: 'outputSize',
    value: '268435456',
    rule: /axis L \(input 8, output 268435456\).*32-bit window arithmetic/,
    call: (p) => p.adaptiveAvgPool1d(fx(p).x3, { outputSize: 2 ** 28 }),
  },
  { name: 'an output of more than 2^31 - 1 elements', op: A2, option: 'outputSize', value: '[20000, 20000]', rule: /2400000000 elements.*32-bit indexing/, call: avg2([20000, 20000]) },
  // other options
  { name: 'an unknown option (kernelSize)', op: A2, option: 'kernelSize', value: '2', rule: /unknown option; adaptiveAvgPool2d accepts outputSize$/, call: (p) => p.adaptiveAvgPool2d(fx(p).x4, { outputSize: 2, kernelSize: 2 } as never) },
  { name: 'returnIndices on the average', op: A2, option: 'returnIndices', value: 'true', rule: /unknown option/, call: (p) => p.adaptiveAvgPool2d(fx(p).x4, { outputSize: 2, returnIndices: true } as never) },
  { name: 'returnIndices not a boolean', op: M2, option: 'returnIndices', value: '"yes"', rule: /must be a boolean/, call: (p) => p.adaptiveMaxPool2d(fx(p).x4, { outputSize: 2, returnIndices: 'yes' } as never) },
  { name: 'options not an object', op: A2, option: 'options', value: '3', rule: /must be an options object/, call: (p) => p.adaptiveAvgPool2d(fx(p).x4, 3 as never) },
  { name: 'options missing', op: M2, option: 'options', value: 'undefined', rule: /must be an options object/, call: (p) => p.adaptiveMaxPool2d(fx(p).x4, undefined as never) },
  // tensors
  { name: 'a rank-3 input to the 2-D op', op: M2, option: 'x.shape', value: '[2, 3, 8]', rule: /rank-4 shape/, call: (p) => p.adaptiveMaxPool2d(fx(p).x3, { outputSize: 2 }) },
  { name: 'a rank-4 input to the 3-D op', op: 'adaptiveAvgPool3d', option: 'x.shape', value: '[2, 3, 8, 8]', rule: /rank-5 shape/, call: (p) => p.adaptiveAvgPool3d(fx(p).x4, { outputSize: 2 }) },
  { name: 'x not a tensor', op: 'adaptiveAvgPool1d', option: 'x', value: '[1, 2, 3]', rule: /must be a tensor made by this pooling context/, call: (p) => p.adaptiveAvgPool1d([1, 2, 3] as never, { outputSize: 2 }) },
  { name: 'an int32 x', op: M2, option: 'x', value: '"int32"', rule: /must be a float32 tensor \(or float16\)/, call: (p) => p.adaptiveMaxPool2d(fx(p).x4int, { outputSize: 2 }) },
  { name: 'a destroyed x', op: A2, option: 'x', value: '[2, 3, 8, 8]', rule: /destroyed/, call: (p) => p.adaptiveAvgPool2d(fx(p).x4gone, { outputSize: 2 }) },
  // backward ops
  { name: 'inputShape missing', op: A2B, option: 'inputShape', value: 'undefined', rule: /is required/, call: (p) => p.adaptiveAvgPool2dBackward(fx(p).y4, {} as never) },
  { name: 'inputShape of the wrong rank', op: A2B, option: 'inputShape', value: '[2, 3, 8]', rule: /rank-4 shape/, call: (p) => p.adaptiveAvgPool2dBackward(fx(p).y4, { inputShape: [2, 3, 8] }) },
  { name: 'an inputShape entry of 0', op: M2B, option: 'inputShape[2]', value: '0', rule: /integer >= 1/, call: (p) => p.adaptiveMaxPool2dBackward(fx(p).y4, fx(p).i4, { inputShape: [2, 3, 0, 8] }) },
  { name: "dy's N, C unlike inputShape's", op: A2B, option: 'dy', value: '[2, 3, 3, 5]', rule: /shape must be \[2, 4, outH, outW\]/, call: (p) => p.adaptiveAvgPool2dBackward(fx(p).y4, { inputShape: [2, 4, 8, 8] }) },
  { name: 'dy of the wrong rank', op: A2B, option: 'dy', value: '[2, 3, 8]', rule: /shape must be \[2, 3, outH, outW\]/, call: (p) => p.adaptiveAvgPool2dBackward(fx(p).x3, { inputShape: IN4 }) },
  { name: 'dy unlike the forward output of outputSize', op: A2B, option: 'dy', value: '[2, 3, 3, 5]', rule: /shape must be \[2, 3, 3, 4\]/, call: (p) => p.adaptiveAvgPool2dBackward(fx(p).y4, { inputShape: IN4, outputSize: [3, 4] }) },
  { name: 'a bad outputSize passed along', op: M2B, option: 'outputSize', value: '0', rule: /integers >= 1/, call: (p) => p.adaptiveMaxPool2dBackward(fx(p).y4, fx(p).i4, { inputShape: IN4, outputSize: 0 }) },
  { name: 'returnIndices passed along, not a boolean', op: M2B, option: 'returnIndices', value: '1', rule: /must be a boolean/, call: (p) => p.adaptiveMaxPool2dBackward(fx(p).y4, fx(p).i4, { inputShape: IN4, returnIndices: 1 } as never) },
  { name: 'an unknown backward option', op: A2B, option: 'kernelSize', value: '2', rule: /unknown option; adaptiveAvgPool2dBackward accepts inputShape, outputSize, backward$/, call: (p) => p.adaptiveAvgPool2dBackward(fx(p).y4, { inputShape: IN4, kernelSize: 2 } as never) },
  { name: 'a bad backward algorithm', op: A2B, option: 'backward', value: '"fast"', rule: /must be 'auto', 'scatter' or 'gather'/, call: (p) => p.adaptiveAvgPool2dBackward(fx(p).y4, { inputShape: IN4, backward: 'fast' } as never) },
  { name: 'a bad backward algorithm (max)', op: M2B, option: 'backward', value: '1', rule: /must be 'auto', 'scatter' or 'gather'/, call: (p) => p.adaptiveMaxPool2dBackward(fx(p).y4, fx(p).i4, { inputShape: IN4, backward: 1 } as never) },
  {
    name: "dy's output past the i32 window arithmetic",
    op: 'adaptiveAvgPool1dBackward',
    option: 'dy',
    value: '[1, 1, 3]',
    rule: /32-bit window arithmetic/,
    call: (p) => p.adaptiveAvgPool1dBackward(fx(p).d13, { inputShape: [1, 1, 2 ** 30] }),
  },
  { name: 'float32 indices', op: M2B, option: 'indices', value: '"float32"', rule: /must be a int32 tensor/, call: (p) => p.adaptiveMaxPool2dBackward(fx(p).y4, fx(p).y4, { inputShape: IN4 }) },
  { name: 'float16 indices (dtype mixing)', op: M2B, option: 'indices', value: '"float16"', rule: /must be a int32 tensor/, call: (p) => p.adaptiveMaxPool2dBackward(fx(p).y4half, fx(p).y4half, { inputShape: IN4 }) },
  { name: 'indices of the wrong shape', op: M2B, option: 'indices', value: '[2, 3, 3, 4]', rule: /shape must be \[2, 3, 3, 5\]/, call: (p) => p.adaptiveMaxPool2dBackward(fx(p).y4, fx(p).i4wrong, { inputShape: IN4 }) },
  { name: 'a wrong dy with right indices', op: M2B, option: 'dy', value: '[2, 3, 3, 4]', rule: /shape must be \[2, 3, 3, 5\]/, call: (p) => p.adaptiveMaxPool2dBackward(fx(p).y4wrong, fx(p).i4, { inputShape: IN4, outputSize: [3, 5] }) },
  { name: "indices' layout unlike dy's", op: M2B, option: 'indices', value: '"NCHW"', rule: /layout must match dy's \(NHWC\)/, call: (p) => p.adaptiveMaxPool2dBackward(fx(p).y4last, fx(p).i4, { inputShape: IN4 }) },
  { name: 'dy not a tensor', op: M2B, option: 'dy', value: '{}', rule: /must be a tensor/, call: (p) => p.adaptiveMaxPool2dBackward({} as never, fx(p).i4, { inputShape: IN4 }) },
];

describe.each(['cpu', 'webgpu'] as const)('invalid calls to the adaptive ops throw a PoolingError before any work (%s)', (backend) => {
  const context = backend === 'cpu' ? cpu : gpu;

  for (const b of bad) {
    it(`${b.op}: ${b.name}`, async () => {
      const p = context();
      await expectRejected(b, p, queueCounters.get(p)!);
    });
  }

  it('reads every option once, own properties only (a getter answers once; an inherited outputSize is not seen)', async () => {
    const p = context();
    let reads = 0;
    const options = {
      get outputSize() {
        reads++;
        return reads === 1 ? [2, 4] : 0;
      },
    };
    const y = await p.adaptiveAvgPool2d(fx(p).x4, options as never);
    expect(reads).toBe(1);
    expect(y.shape).toEqual([2, 3, 2, 4]);
    const inherited = Object.create({ outputSize: 2 }) as object;
    await expect(p.adaptiveAvgPool2d(fx(p).x4, inherited as never)).rejects.toThrow(/outputSize = undefined: is required/);
  });

  it('leaves the context working: valid adaptive calls afterwards give the right answer', async () => {
    const p = context();
    const x = p.tensor([1, 3, 2, 5, 4, 0], [1, 1, 6]);
    const { output, indices } = await p.adaptiveMaxPool1d(x, { outputSize: 3, returnIndices: true });
    expect(Array.from(await output.read())).toEqual([3, 5, 4]);
    expect(Array.from(await indices!.read())).toEqual([1, 3, 4]);
    const y = await p.adaptiveAvgPool3d(p.tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 2, 2, 2], { layout: 'NDHWC' }), { outputSize: [1, null, 1] });
    expect(y.shape).toEqual([1, 1, 1, 2, 1]);
    expect(Array.from(await y.read())).toEqual([3.5, 5.5]);
    const dx = await p.adaptiveMaxPool2dBackward(fx(p).y4, fx(p).i4, { inputShape: IN4, outputSize: [3, 5], returnIndices: true });
    expect(dx.shape).toEqual(IN4);
  });
});
