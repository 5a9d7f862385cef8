/**
 * Every value a caller passes, bad in every way we could think of (non-integers, NaN, ±Infinity,
 * negatives, huge values, strings for numbers, objects for arrays, wrong lengths, sparse arrays,
 * tensors of another context): each call throws a PoolingError that names the op, the option, the
 * value and the rule, and nothing else escapes. The matrix runs on the CPU backend (validation is
 * the context's, shared by both backends); the GPU-only arguments run on a WebGPU context.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeValue } from '../src/errors.js';
import { PoolingError, createPooling, type Pooling, type Tensor } from '../src/index.js';
import { useGpuPool } from './helpers/gpu.js';

const gpu = useGpuPool();
let cpu: Pooling;
let other: Pooling;
/** Tensors of `cpu`: x [2, 3, 8, 8]; dy, indices [2, 3, 4, 4] (k2 forward); global dy, indices [2, 3]. */
const t: Record<string, Tensor> = {};

beforeAll(async () => {
  cpu = await createPooling({ backend: 'cpu' });
  other = await createPooling({ backend: 'cpu' });
  t.x = cpu.tensor(Float32Array.from({ length: 384 }, (_, i) => Math.sin(i)), [2, 3, 8, 8]);
  const r = await cpu.maxPool2d(t.x, { kernelSize: 2, returnIndices: true });
  t.dy = r.output;
  t.indices = r.indices!;
  const g = await cpu.globalMaxPool(t.x, { returnIndices: true });
  t.gdy = g.output;
  t.gindices = g.indices!;
  t.foreign = other.tensor(new Float32Array(384), [2, 3, 8, 8]);
  t.destroyed = cpu.tensor(new Float32Array(384), [2, 3, 8, 8]);
  t.destroyed.destroy();
});
afterAll(() => {
  cpu?.destroy();
  other?.destroy();
});

const inputShape = [2, 3, 8, 8];
const HUGE = [2 ** 31, 2 ** 40, 2 ** 53, 2 ** 60, Number.MAX_VALUE];
const NOT_NUMBERS = [NaN, Infinity, -Infinity, '2', null, true, {}, { h: 2, w: 2 }, 2n, () => 2, Symbol('2')];
const BAD_PAIRS = [0, -1, 2.5, -0.5, ...HUGE, ...NOT_NUMBERS, [], [2], [2, 2, 2], [2, NaN], [2, '2'], [2, -1], [2, 2.5], [2, 2 ** 40], new Int32Array([2, 2])];
const BAD_PADDINGS = [-1, 2.5, NaN, Infinity, '1', 'full', 'SAME', null, true, {}, { top: 1 }, [1, 1, 1], [], [1, -1], [1, 1, 1, 1, 1], [1, NaN], ...HUGE];
const BAD_BOOLEANS = ['yes', 'true', 1, 0, null, {}, NaN, []];
// Ranks 2-5 are tensors of the API; 1 and 6 are not, and no op takes them.
const BAD_SHAPES = [[1], 'abc', {}, null, 5, [1, 2, 3, NaN], [1, 2, 3, 0], [1, 2, 3, -4], [1, 2, 3, 4.5], [1, 2, 3, '4'], [1, 2, 3, Infinity], [2 ** 20, 2 ** 20, 2, 2], [1, 2, 3, 4, 5, 6], new Int32Array([2, 3, 8, 8])];
// eslint-disable-next-line no-sparse-arrays
const SPARSE_SHAPE = [2, , 8, 8];

interface BadCall {
  op: string;
  option: string | RegExp;
  value: unknown;
  call: () => unknown;
}

/** The call must throw (or reject with) a PoolingError of this op and option that shows the value. */
async function expectNamedError(b: BadCall): Promise<PoolingError> {
  let error: unknown;
  try {
    await b.call();
  } catch (e) {
    error = e;
  }
  expect(error, `${b.op} ${String(b.option)} = ${describeValue(b.value)} was accepted`).toBeInstanceOf(PoolingError);
  const e = error as PoolingError;
  expect(e.op).toBe(b.op);
  if (typeof b.option === 'string') expect(e.option).toBe(b.option);
  else expect(e.option).toMatch(b.option);
  expect(e.message.startsWith(`${b.op}: `)).toBe(true);
  expect(e.message).toContain(`${e.option} = `);
  // An entry of an array is named by its index (shape[3] = NaN) and shown alone.
  const entry = /\[(\d+)\]$/.exec(e.option ?? '');
  const shown = entry && Array.isArray(b.value) && typeof b.option !== 'string' ? (b.value as unknown[])[Number(entry[1])] : b.value;
  expect(e.message).toContain(describeValue(shown));
  // The rule follows the value after a colon and says what would be accepted.
  expect(e.message.split(': ').length).toBeGreaterThanOrEqual(3);
  return e;
}

function windowCalls(): BadCall[] {
  const calls: BadCall[] = [];
  const ops = [
    { op: 'maxPool2d', run: (o: object) => cpu.maxPool2d(t.x!, o as never), keys: ['kernelSize', 'stride', 'dilation', 'padding', 'ceilMode', 'padValue', 'returnIndices'] },
    { op: 'avgPool2d', run: (o: object) => cpu.avgPool2d(t.x!, o as never), keys: ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'] },
    {
      op: 'maxPool2dBackward',
      run: (o: object) => cpu.maxPool2dBackward(t.dy!, t.indices!, { inputShape, ...o } as never),
      keys: ['kernelSize', 'stride', 'dilation', 'padding', 'ceilMode', 'padValue', 'backward', 'inputShape'],
    },
    {
      op: 'avgPool2dBackward',
      run: (o: object) => cpu.avgPool2dBackward(t.dy!, { inputShape, ...o } as never),
      keys: ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride', 'backward', 'inputShape'],
    },
  ];
  for (const { op, run, keys } of ops) {
    const add = (key: string, value: unknown, extra: object = {}, option: string | RegExp = key) =>
      calls.push({ op, option, value, call: () => run({ kernelSize: 2, ...extra, [key]: value }) });
    for (const key of keys) {
      if (key === 'kernelSize' || key === 'stride' || key === 'dilation') for (const v of BAD_PAIRS) add(key, v);
      if (key === 'padding') for (const v of BAD_PADDINGS) add(key, v);
      if (['ceilMode', 'countIncludePad', 'returnIndices'].includes(key)) for (const v of BAD_BOOLEANS) add(key, v);
      if (key === 'divisorOverride') for (const v of [0, -1, 2.5, 2 ** 25, ...NOT_NUMBERS, ...HUGE]) add(key, v);
      if (key === 'padValue') for (const v of [1, -1, 0.5, NaN, Infinity, '0', '-Infinity', null, {}]) add(key, v);
      if (key === 'backward') for (const v of ['fast', 'Scatter', 1, null, {}, true]) add(key, v);
      if (key === 'inputShape') {
        for (const v of [...BAD_SHAPES, SPARSE_SHAPE]) add(key, v, {}, /^inputShape/);
        add(key, undefined, {}, 'inputShape');
      }
    }
    // Values each fine alone whose combination breaks a rule.
    add('padding', 2, { kernelSize: 2 }); // pad not below the effective kernel
    add('kernelSize', 9, {}); // output 0
    add('kernelSize', [1, 9], {});
    if (op.startsWith('max')) add('dilation', 2 ** 29, { kernelSize: 3, padding: 2 ** 29 }, /dilation|padding/); // output 0 or index range
    add('stride', 2 ** 31 - 2, { kernelSize: 1 }); // 32-bit index arithmetic
    add('padding', [2 ** 30, 0], { kernelSize: [2 ** 30 + 1, 1] }, /padding|kernelSize/);
    add('misspelt', 1, {}, 'misspelt');
    add('kernel_size', 2, {}, 'kernel_size');
    calls.push({ op, option: 'options', value: 'x', call: () => (op.endsWith('Backward') ? (op === 'maxPool2dBackward' ? cpu.maxPool2dBackward(t.dy!, t.indices!, 'x' as never) : cpu.avgPool2dBackward(t.dy!, 'x' as never)) : op === 'maxPool2d' ? cpu.maxPool2d(t.x!, 'x' as never) : cpu.avgPool2d(t.x!, 'x' as never)) });
    calls.push({ op, option: 'options', value: [2], call: () => (op === 'maxPool2d' ? cpu.maxPool2d(t.x!, [2] as never) : op === 'avgPool2d' ? cpu.avgPool2d(t.x!, [2] as never) : op === 'maxPool2dBackward' ? cpu.maxPool2dBackward(t.dy!, t.indices!, [2] as never) : cpu.avgPool2dBackward(t.dy!, [2] as never)) });
  }
  return calls;
}

function tensorArgumentCalls(): BadCall[] {
  const calls: BadCall[] = [];
  const badTensors = (): [unknown, RegExp][] => [
    [null, /tensor made by this/],
    [undefined, /tensor made by this/],
    [{}, /tensor made by this/],
    [new Float32Array(384), /tensor made by this/],
    [{ shape: [2, 3, 8, 8], buffer: null }, /tensor made by this/],
    [t.foreign, /another pooling context/],
    [t.destroyed, /destroyed/],
  ];
  for (const [value] of badTensors()) {
    const shown = value instanceof Object && 'owner' in (value as object) ? (value as Tensor).shape : value;
    calls.push({ op: 'maxPool2d', option: 'x', value: shown, call: () => cpu.maxPool2d(value as Tensor, { kernelSize: 2 }) });
    calls.push({ op: 'avgPool2d', option: 'x', value: shown, call: () => cpu.avgPool2d(value as Tensor, { kernelSize: 2 }) });
    calls.push({ op: 'globalMaxPool', option: 'x', value: shown, call: () => cpu.globalMaxPool(value as Tensor) });
    calls.push({ op: 'globalAvgPool', option: 'x', value: shown, call: () => cpu.globalAvgPool(value as Tensor) });
    calls.push({ op: 'maxPool2dBackward', option: 'dy', value: shown, call: () => cpu.maxPool2dBackward(value as Tensor, t.indices!, { kernelSize: 2, inputShape }) });
    calls.push({ op: 'maxPool2dBackward', option: 'indices', value: shown, call: () => cpu.maxPool2dBackward(t.dy!, value as Tensor, { kernelSize: 2, inputShape }) });
    calls.push({ op: 'avgPool2dBackward', option: 'dy', value: shown, call: () => cpu.avgPool2dBackward(value as Tensor, { kernelSize: 2, inputShape }) });
    calls.push({ op: 'globalMaxPoolBackward', option: 'dy', value: shown, call: () => cpu.globalMaxPoolBackward(value as Tensor, t.gindices!, { inputShape }) });
    calls.push({ op: 'globalMaxPoolBackward', option: 'indices', value: shown, call: () => cpu.globalMaxPoolBackward(t.gdy!, value as Tensor, { inputShape }) });
    calls.push({ op: 'globalAvgPoolBackward', option: 'dy', value: shown, call: () => cpu.globalAvgPoolBackward(value as Tensor, { inputShape }) });
  }
  // dtype and shape mismatches between tensors.
  calls.push({ op: 'maxPool2d', option: 'x', value: 'int32', call: () => cpu.maxPool2d(t.indices!, { kernelSize: 2 }) });
  calls.push({ op: 'maxPool2dBackward', option: 'indices', value: 'float32', call: () => cpu.maxPool2dBackward(t.dy!, t.dy!, { kernelSize: 2, inputShape }) });
  calls.push({ op: 'maxPool2dBackward', option: 'dy', value: [2, 3, 8, 8], call: () => cpu.maxPool2dBackward(t.x!, t.indices!, { kernelSize: 2, inputShape }) });
  calls.push({ op: 'avgPool2dBackward', option: 'dy', value: [2, 3, 4, 4], call: () => cpu.avgPool2dBackward(t.dy!, { kernelSize: 3, inputShape }) });
  calls.push({ op: 'globalAvgPoolBackward', option: 'dy', value: [2, 3, 4, 4], call: () => cpu.globalAvgPoolBackward(t.dy!, { inputShape }) });
  calls.push({ op: 'globalMaxPoolBackward', option: 'indices', value: [2, 3, 4, 4], call: () => cpu.globalMaxPoolBackward(t.gdy!, t.indices!, { inputShape }) });
  return calls;
}

function globalCalls(): BadCall[] {
  const calls: BadCall[] = [];
  for (const v of BAD_BOOLEANS) {
    calls.push({ op: 'globalMaxPool', option: 'keepDims', value: v, call: () => cpu.globalMaxPool(t.x!, { keepDims: v as never }) });
    calls.push({ op: 'globalMaxPool', option: 'returnIndices', value: v, call: () => cpu.globalMaxPool(t.x!, { returnIndices: v as never }) });
    calls.push({ op: 'globalAvgPool', option: 'keepDims', value: v, call: () => cpu.globalAvgPool(t.x!, { keepDims: v as never }) });
    calls.push({ op: 'globalAvgPoolBackward', option: 'keepDims', value: v, call: () => cpu.globalAvgPoolBackward(t.gdy!, { inputShape, keepDims: v } as never) });
    calls.push({ op: 'globalMaxPoolBackward', option: 'keepDims', value: v, call: () => cpu.globalMaxPoolBackward(t.gdy!, t.gindices!, { inputShape, keepDims: v } as never) });
  }
  for (const v of [...BAD_SHAPES, SPARSE_SHAPE]) {
    calls.push({ op: 'globalAvgPoolBackward', option: /^inputShape/, value: v, call: () => cpu.globalAvgPoolBackward(t.gdy!, { inputShape: v as never }) });
    calls.push({ op: 'globalMaxPoolBackward', option: /^inputShape/, value: v, call: () => cpu.globalMaxPoolBackward(t.gdy!, t.gindices!, { inputShape: v as never }) });
  }
  for (const v of ['x', 5, [1], null]) {
    calls.push({ op: 'globalAvgPool', option: 'options', value: v, call: () => cpu.globalAvgPool(t.x!, v as never) });
    calls.push({ op: 'globalMaxPool', option: 'options', value: v, call: () => cpu.globalMaxPool(t.x!, v as never) });
    calls.push({ op: 'globalAvgPoolBackward', option: 'options', value: v, call: () => cpu.globalAvgPoolBackward(t.gdy!, v as never) });
  }
  calls.push({ op: 'globalAvgPoolBackward', option: 'options', value: undefined, call: () => cpu.globalAvgPoolBackward(t.gdy!, undefined as never) });
  calls.push({ op: 'globalAvgPool', option: 'keepdims', value: true, call: () => cpu.globalAvgPool(t.x!, { keepdims: true } as never) });
  return calls;
}

function tensorCalls(): BadCall[] {
  const calls: BadCall[] = [];
  const shape = [1, 1, 2, 2];
  // eslint-disable-next-line no-sparse-arrays
  const sparseData = [1, , 3, 4];
  for (const [data, option] of [
    ['1234', 'data'],
    [null, 'data'],
    [undefined, 'data'],
    [{}, 'data'],
    [{ length: 4, 0: 1, 1: 2, 2: 3, 3: 4 }, 'data'],
    [new BigInt64Array(4), 'data'],
    [new DataView(new ArrayBuffer(16)), 'data'],
    [new ArrayBuffer(16), 'data'],
    [[1, 2, 3], 'data'],
    [new Float32Array(5), 'data'],
    [[1, '2', 3, 4], 'data[1]'],
    [[1, 2, null, 4], 'data[2]'],
    [[1, 2, 3, 4n], 'data[3]'],
    [sparseData, 'data[1]'],
  ] as [unknown, string][]) {
    calls.push({ op: 'tensor', option: option, value: option === 'data' ? data : (data as unknown[])[Number(/\d/.exec(option)![0])], call: () => cpu.tensor(data as never, shape) });
  }
  for (const s of [...BAD_SHAPES, SPARSE_SHAPE, [0, 1, 2, 2], [1, 1, 1, 2 ** 31]]) {
    calls.push({ op: 'tensor', option: /^shape/, value: s, call: () => cpu.tensor(new Float32Array(4), s as never) });
    calls.push({ op: 'fromGPUBuffer', option: /^shape/, value: s, call: () => gpu().fromGPUBuffer({ size: 64, usage: 0x80 } as never, s as never) });
  }
  for (const v of ['NCWH', 'nchw', 1, null, {}]) calls.push({ op: 'tensor', option: 'layout', value: v, call: () => cpu.tensor(new Float32Array(4), shape, { layout: v as never }) });
  for (const v of ['int8', 'float64', 'uint32', 1, null]) calls.push({ op: 'tensor', option: 'dtype', value: v, call: () => cpu.tensor(new Float32Array(4), shape, { dtype: v as never }) });
  calls.push({ op: 'tensor', option: 'options', value: 'NHWC', call: () => cpu.tensor(new Float32Array(4), shape, 'NHWC' as never) });
  calls.push({ op: 'tensor', option: 'options', value: null, call: () => cpu.tensor(new Float32Array(4), shape, null as never) });
  calls.push({ op: 'tensor', option: 'Layout', value: 'NHWC', call: () => cpu.tensor(new Float32Array(4), shape, { Layout: 'NHWC' } as never) });
  return calls;
}

const matrix: [string, () => BadCall[]][] = [
  ['windowed ops: every option, every bad value', windowCalls],
  ['tensor arguments: not tensors, foreign, destroyed, wrong dtype or shape', tensorArgumentCalls],
  ['global ops: booleans, inputShape, options', globalCalls],
  ['tensor(): data, shape, layout, dtype, options', tensorCalls],
];

describe.each(matrix)('%s', (_name, make) => {
  it('each call throws a PoolingError naming op, option, value and rule', async () => {
    const calls = make();
    expect(calls.length).toBeGreaterThan(20);
    for (const b of calls) await expectNamedError(b);
  });
});

describe('GPU-only arguments', () => {
  it('fromGPUBuffer: not a buffer, too small, no STORAGE usage, options', async () => {
    const p = gpu();
    const device = (p.impl as unknown as { device: GPUDevice }).device;
    const small = device.createBuffer({ size: 32, usage: 0x80 });
    const noStorage = device.createBuffer({ size: 64, usage: 0x08 | 0x04 });
    const good = device.createBuffer({ size: 64, usage: 0x80 | 0x04 });
    const calls: BadCall[] = [
      { op: 'fromGPUBuffer', option: 'buffer', value: null, call: () => p.fromGPUBuffer(null as never, [1, 1, 4, 4]) },
      { op: 'fromGPUBuffer', option: 'buffer', value: {}, call: () => p.fromGPUBuffer({} as never, [1, 1, 4, 4]) },
      { op: 'fromGPUBuffer', option: 'buffer', value: new Float32Array(16), call: () => p.fromGPUBuffer(new Float32Array(16) as never, [1, 1, 4, 4]) },
      { op: 'fromGPUBuffer', option: 'buffer', value: 32, call: () => p.fromGPUBuffer(small, [1, 1, 4, 4]) },
      { op: 'fromGPUBuffer', option: 'buffer', value: 0x0c, call: () => p.fromGPUBuffer(noStorage, [1, 1, 4, 4]) },
      { op: 'fromGPUBuffer', option: 'layout', value: 'CHWN', call: () => p.fromGPUBuffer(good, [1, 1, 4, 4], { layout: 'CHWN' as never }) },
      { op: 'fromGPUBuffer', option: 'dtype', value: 'float64', call: () => p.fromGPUBuffer(good, [1, 1, 4, 4], { dtype: 'float64' as never }) },
      { op: 'fromGPUBuffer', option: 'offset', value: 4, call: () => p.fromGPUBuffer(good, [1, 1, 4, 4], { offset: 4 } as never) },
      { op: 'maxPool2d', option: 'x', value: [2, 3, 8, 8], call: () => p.maxPool2d(t.x!, { kernelSize: 2 }) },
    ];
    for (const b of calls) await expectNamedError(b);
    for (const b of [small, noStorage, good]) b.destroy();
  });

  it('fromGPUBuffer on the CPU backend names the backend', () => {
    const e = (() => {
      try {
        cpu.fromGPUBuffer({ size: 64, usage: 0x80 } as never, [1, 1, 4, 4]);
      } catch (error) {
        return error;
      }
    })();
    expect(e).toBeInstanceOf(PoolingError);
    expect(e).toMatchObject({ op: 'fromGPUBuffer', option: 'backend' });
  });

  it('after all of that, both contexts still compute the right answer', async () => {
    for (const p of [cpu, gpu()]) {
      const x = p.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
      const { output, indices } = await p.maxPool2d(x, { kernelSize: 2, stride: 1, returnIndices: true });
      expect(Array.from(await output.read())).toEqual([5, 6, 8, 9]);
      expect(Array.from(await indices!.read())).toEqual([4, 5, 7, 8]);
      expect(Array.from(await (await p.avgPool2d(x, { kernelSize: 3, padding: 1, countIncludePad: false })).read())).toEqual([3]);
    }
  });
});

describe('createPooling options', () => {
  const bad: BadCall[] = [
    { op: 'createPooling', option: 'options', value: 'webgpu', call: () => createPooling('webgpu' as never) },
    { op: 'createPooling', option: 'options', value: null, call: () => createPooling(null as never) },
    { op: 'createPooling', option: 'backend', value: 'gpu', call: () => createPooling({ backend: 'gpu' as never }) },
    { op: 'createPooling', option: 'backend', value: 1, call: () => createPooling({ backend: 1 as never }) },
    { op: 'createPooling', option: 'backend', value: null, call: () => createPooling({ backend: null as never }) },
    { op: 'createPooling', option: 'nodeAdapter', value: null, call: () => createPooling({ nodeAdapter: null as never }) },
    { op: 'createPooling', option: 'nodeAdapter', value: 'metal', call: () => createPooling({ nodeAdapter: 'metal' as never }) },
    { op: 'createPooling', option: 'device', value: {}, call: () => createPooling({ device: {} as never }) },
    { op: 'createPooling', option: 'device', value: 'gpu', call: () => createPooling({ device: 'gpu' as never }) },
    { op: 'createPooling', option: 'Backend', value: 'cpu', call: () => createPooling({ Backend: 'cpu' } as never) },
    { op: 'createPooling', option: 'fallbackToCpu', value: 'yes', call: () => createPooling({ fallbackToCpu: 'yes' as never }) },
    { op: 'createPooling', option: 'fallbackToCpu', value: true, call: () => createPooling({ backend: 'webgpu', fallbackToCpu: true }) },
    ...[0, -1, 100, 1024.5, NaN, Infinity, '4096', null].map((v) => ({
      op: 'createPooling',
      option: 'maxStorageBufferBindingSize',
      value: v,
      call: () => createPooling({ maxStorageBufferBindingSize: v as never }),
    })),
    { op: 'createPooling', option: 'maxStorageBufferBindingSize', value: 4096, call: () => createPooling({ backend: 'cpu', maxStorageBufferBindingSize: 4096 }) },
  ];
  it('each bad option is a PoolingError naming it', async () => {
    for (const b of bad) await expectNamedError(b);
  });
});
