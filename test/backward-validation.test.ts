/**
 * Bad input to the backward ops: each throws a PoolingError naming the op, the option, the value
 * and the rule, before anything reaches the GPU queue or the buffer pool; the context keeps
 * working afterwards, and its backward results are still right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PoolingError, createPooling, type Pooling, type Tensor } from '../src/index.js';
import { resolveAvgPool, resolveMaxPool } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { expectRejected, type BadCall } from './helpers/bad-call.js';
import { countQueueCalls, useGpuPool, withCleanErrorScope } from './helpers/gpu.js';

const pool = useGpuPool();
const inputShape = [2, 3, 8, 8];
const xData = Float32Array.from({ length: 2 * 3 * 8 * 8 }, (_, i) => Math.sin(i * 0.7));
const k2 = { kernelSize: 2 } as const;

let cpu: Pooling;
let queueCalls: () => number;
/** Forward results the bad calls are built from: k2 gives [2, 3, 4, 4], k3 s1 gives [2, 3, 6, 6]. */
const t: Record<string, Tensor> = {};

beforeAll(async () => {
  cpu = await createPooling({ backend: 'cpu' });
  const p = pool();
  t.x = p.tensor(xData, inputShape);
  const k2Result = await p.maxPool2d(t.x, { ...k2, returnIndices: true });
  t.dy = k2Result.output;
  t.indices = k2Result.indices!;
  const k3Result = await p.maxPool2d(t.x, { kernelSize: 3, stride: 1, returnIndices: true });
  t.dy3 = k3Result.output;
  t.indices3 = k3Result.indices!;
  const nhwc = await p.maxPool2d(p.tensor(xData, inputShape, { layout: 'NHWC' }), { ...k2, returnIndices: true });
  t.indicesNhwc = nhwc.indices!;
  const global = await p.globalMaxPool(t.x, { returnIndices: true });
  t.globalDy = global.output;
  t.globalIndices = global.indices!;
  t.otherGlobalIndices = (await p.globalMaxPool(p.tensor(new Float32Array(3 * 16), [1, 3, 4, 4]), { returnIndices: true })).indices!;
  t.destroyed = p.tensor(new Float32Array(2 * 3 * 4 * 4), [2, 3, 4, 4]);
  t.destroyed.destroy();
  t.cpuDy = cpu.tensor(new Float32Array(2 * 3 * 4 * 4), [2, 3, 4, 4]);
  queueCalls = countQueueCalls(p);
});
afterAll(() => cpu?.destroy());

const wrongOutput = /shape must be \[2, 3, 4, 4\] \(the forward output shape/;
const bad: BadCall[] = [
  { name: 'dy of the wrong shape', op: 'maxPool2dBackward', option: 'dy', value: '[2, 3, 6, 6]', rule: wrongOutput, call: (p) => p.maxPool2dBackward(t.dy3!, t.indices!, { ...k2, inputShape }) },
  { name: 'indices from another shape', op: 'maxPool2dBackward', option: 'indices', value: '[2, 3, 6, 6]', rule: wrongOutput, call: (p) => p.maxPool2dBackward(t.dy!, t.indices3!, { ...k2, inputShape }) },
  { name: 'inputShape of another input', op: 'maxPool2dBackward', option: 'dy', value: '[2, 3, 4, 4]', rule: /shape must be \[2, 3, 5, 5\]/, call: (p) => p.maxPool2dBackward(t.dy!, t.indices!, { ...k2, inputShape: [2, 3, 10, 10] }) },
  { name: 'missing inputShape', op: 'maxPool2dBackward', option: 'inputShape', value: 'undefined', rule: /required/, call: (p) => p.maxPool2dBackward(t.dy!, t.indices!, k2 as never) },
  { name: 'inputShape of rank 3', op: 'maxPool2dBackward', option: 'inputShape', value: '[3, 8, 8]', rule: /rank-4/, call: (p) => p.maxPool2dBackward(t.dy!, t.indices!, { ...k2, inputShape: [3, 8, 8] }) },
  { name: 'backward "atomic"', op: 'maxPool2dBackward', option: 'backward', value: '"atomic"', rule: /'auto', 'scatter' or 'gather'/, call: (p) => p.maxPool2dBackward(t.dy!, t.indices!, { ...k2, inputShape, backward: 'atomic' as never }) },
  { name: 'indices tensor passed as dy', op: 'maxPool2dBackward', option: 'dy', value: '"int32"', rule: /must be a float32 tensor/, call: (p) => p.maxPool2dBackward(t.indices!, t.indices!, { ...k2, inputShape }) },
  { name: 'dy passed as indices', op: 'maxPool2dBackward', option: 'indices', value: '"float32"', rule: /must be a int32 tensor/, call: (p) => p.maxPool2dBackward(t.dy!, t.dy!, { ...k2, inputShape }) },
  { name: 'indices of the other layout', op: 'maxPool2dBackward', option: 'indices', value: '"NHWC"', rule: /layout must match dy's \(NCHW\)/, call: (p) => p.maxPool2dBackward(t.dy!, t.indicesNhwc!, { ...k2, inputShape }) },
  { name: 'no options', op: 'maxPool2dBackward', option: 'options', value: 'undefined', rule: /options object/, call: (p) => p.maxPool2dBackward(t.dy!, t.indices!, undefined as never) },
  { name: 'misspelt option', op: 'maxPool2dBackward', option: 'backwards', value: '"gather"', rule: /unknown option/, call: (p) => p.maxPool2dBackward(t.dy!, t.indices!, { ...k2, inputShape, backwards: 'gather' } as never) },
  { name: 'destroyed dy', op: 'maxPool2dBackward', option: 'dy', value: '[2, 3, 4, 4]', rule: /destroyed/, call: (p) => p.maxPool2dBackward(t.destroyed!, t.indices!, { ...k2, inputShape }) },
  { name: 'dy of another context', op: 'maxPool2dBackward', option: 'dy', value: '[2, 3, 4, 4]', rule: /another pooling context/, call: (p) => p.maxPool2dBackward(t.cpuDy!, t.indices!, { ...k2, inputShape }) },
  { name: 'dy of the wrong shape', op: 'avgPool2dBackward', option: 'dy', value: '[2, 3, 6, 6]', rule: wrongOutput, call: (p) => p.avgPool2dBackward(t.dy3!, { ...k2, inputShape }) },
  { name: 'indices tensor passed as dy', op: 'avgPool2dBackward', option: 'dy', value: '"int32"', rule: /must be a float32 tensor/, call: (p) => p.avgPool2dBackward(t.indices!, { ...k2, inputShape }) },
  { name: 'missing inputShape', op: 'avgPool2dBackward', option: 'inputShape', value: 'undefined', rule: /required/, call: (p) => p.avgPool2dBackward(t.dy!, k2 as never) },
  { name: 'backward "Gather" (case matters)', op: 'avgPool2dBackward', option: 'backward', value: '"Gather"', rule: /'auto', 'scatter' or 'gather'/, call: (p) => p.avgPool2dBackward(t.dy!, { ...k2, inputShape, backward: 'Gather' as never }) },
  { name: 'dilation of three entries', op: 'avgPool2dBackward', option: 'dilation', value: '[2, 2, 2]', rule: /pair/, call: (p) => p.avgPool2dBackward(t.dy!, { ...k2, inputShape, dilation: [2, 2, 2] } as never) },
  { name: 'padding not below the kernel', op: 'avgPool2dBackward', option: 'padding', value: '2', rule: /smaller than the effective kernel 2/, call: (p) => p.avgPool2dBackward(t.dy!, { ...k2, padding: 2, inputShape }) },
  { name: 'dy of the wrong shape', op: 'globalMaxPoolBackward', option: 'dy', value: '[2, 3, 4, 4]', rule: /\[2, 3\] or \[2, 3, 1, 1\]/, call: (p) => p.globalMaxPoolBackward(t.dy!, t.globalIndices!, { inputShape }) },
  { name: 'indices from another shape', op: 'globalMaxPoolBackward', option: 'indices', value: '[1, 3]', rule: /\[2, 3\] or \[2, 3, 1, 1\]/, call: (p) => p.globalMaxPoolBackward(t.globalDy!, t.otherGlobalIndices!, { inputShape }) },
  { name: 'indices tensor passed as dy', op: 'globalMaxPoolBackward', option: 'dy', value: '"int32"', rule: /must be a float32 tensor/, call: (p) => p.globalMaxPoolBackward(t.globalIndices!, t.globalIndices!, { inputShape }) },
  { name: 'missing inputShape', op: 'globalMaxPoolBackward', option: 'inputShape', value: 'undefined', rule: /required/, call: (p) => p.globalMaxPoolBackward(t.globalDy!, t.globalIndices!, {} as never) },
  { name: 'indices tensor passed as dy', op: 'globalAvgPoolBackward', option: 'dy', value: '"int32"', rule: /must be a float32 tensor/, call: (p) => p.globalAvgPoolBackward(t.globalIndices!, { inputShape }) },
  { name: 'a backward algorithm (global ops have none)', op: 'globalAvgPoolBackward', option: 'backward', value: '"gather"', rule: /unknown option/, call: (p) => p.globalAvgPoolBackward(t.globalDy!, { inputShape, backward: 'gather' } as never) },
];

describe('invalid backward calls throw a PoolingError before any GPU work', () => {
  for (const b of bad) {
    it(`${b.op}: ${b.name}`, async () => {
      const p = pool();
      const buffersBefore = p.stats().liveBuffers;
      await expectRejected(b, p, queueCalls);
      expect(p.stats().liveBuffers - buffersBefore, 'buffers left allocated by the failed call').toBe(0);
    });
  }
});

describe('after the failed calls the context still works', () => {
  it('every backward op gives the reference result', async () => {
    const p = pool();
    await withCleanErrorScope(p, async () => {
      const mp = resolveMaxPool('maxPool2d', inputShape, k2);
      const forward = ref.maxPool2dForward(xData, 'NCHW', mp);
      for (const backward of ['scatter', 'gather', 'auto'] as const) {
        const dx = await p.maxPool2dBackward(t.dy!, t.indices!, { ...k2, inputShape, backward });
        expectBitExact(await dx.read(), ref.maxPool2dBackward(forward.output, forward.indices, 'NCHW', mp), `max dx (${backward})`);
        const dxAvg = await p.avgPool2dBackward(t.dy!, { ...k2, inputShape, backward });
        expectClose(await dxAvg.read(), ref.avgPool2dBackward(forward.output, 'NCHW', resolveAvgPool('avgPool2d', inputShape, k2)), 1, `avg dx (${backward})`);
        dx.destroy();
        dxAvg.destroy();
      }
      const s = { N: 2, C: 3, H: 8, W: 8 };
      const global = ref.globalMaxPool(xData, 'NCHW', s);
      const dx = await p.globalMaxPoolBackward(t.globalDy!, t.globalIndices!, { inputShape });
      expectBitExact(await dx.read(), ref.globalMaxPoolBackward(global.output, global.indices, 'NCHW', s), 'global max dx');
      const dxAvg = await p.globalAvgPoolBackward(t.globalDy!, { inputShape });
      expectClose(await dxAvg.read(), ref.globalAvgPoolBackward(global.output, 'NCHW', s), 1, 'global avg dx');
      dx.destroy();
      dxAvg.destroy();
    });
  });
});
