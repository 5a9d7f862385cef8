/**
 * Bad input to the 1-D and 3-D ops, the tensor ranks 2-5 and global pooling of every rank: each
 * invalid call throws a PoolingError naming the op, the option, the value and the rule, before
 * anything reaches the GPU queue, on both the CPU and the WebGPU contexts; both keep working.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Pooling, Tensor } from '../src/index.js';
import { expectRejected, type BadCall } from './helpers/bad-call.js';
import { useBothContexts } from './helpers/contexts.js';
import { countQueueCalls } from './helpers/gpu.js';

const { cpu, webgpu: gpu } = useBothContexts();

/** Valid tensors each bad call is given, made per context before the queue is watched. */
interface Fixtures {
  /** [2, 3, 8] NCL */
  x3: Tensor;
  /** [2, 3, 8, 8] NCHW */
  x4: Tensor;
  /** [1, 2, 4, 5, 6] NCDHW */
  x5: Tensor;
  /** [1, 2, 4, 5, 6] NDHWC */
  x5last: Tensor;
  /** [2, 3] NC */
  x2: Tensor;
  /** maxPool3d(x5, k2) output [1, 2, 2, 2, 3] and its indices */
  y5: Tensor;
  i5: Tensor;
  /** a [1, 2, 2, 2, 3] NDHWC gradient (layout unlike i5's) */
  y5last: Tensor;
  /** a wrong-shaped gradient [1, 2, 2, 2, 2] and int32 indices of that shape */
  y5wrong: Tensor;
  i5wrong: Tensor;
  /** [1, 2] NC and [1, 2, 1, 1, 1]: global gradients for inputShape [1, 2, 4, 5, 6]; [1, 3] and [1, 2, 1, 1]: wrong ones */
  g2: Tensor;
  g5: Tensor;
  g2wrong: Tensor;
  g4wrong: Tensor;
  gi2: Tensor;
}

const fixtures = new Map<Pooling, Fixtures>();
const queueCounters = new Map<Pooling, () => number>();

async function makeFixtures(p: Pooling): Promise<Fixtures> {
  const f32 = (shape: number[], layout?: string) => p.tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)).map((_, i) => Math.sin(i)), shape, layout ? { layout: layout as never } : {});
  const x5 = f32([1, 2, 4, 5, 6]);
  const { output, indices } = await p.maxPool3d(x5, { kernelSize: 2, returnIndices: true });
  return {
    x3: f32([2, 3, 8]),
    x4: f32([2, 3, 8, 8]),
    x5,
    x5last: f32([1, 2, 4, 5, 6], 'NDHWC'),
    x2: f32([2, 3]),
    y5: output,
    i5: indices!,
    y5last: f32([1, 2, 2, 2, 3], 'NDHWC'),
    y5wrong: f32([1, 2, 2, 2, 2]),
    i5wrong: p.tensor(new Int32Array(16), [1, 2, 2, 2, 2], { dtype: 'int32' }),
    g2: f32([1, 2]),
    g5: f32([1, 2, 1, 1, 1]),
    g2wrong: f32([1, 3]),
    g4wrong: f32([1, 2, 1, 1]),
    gi2: p.tensor(new Int32Array(2), [1, 2], { dtype: 'int32' }),
  };
}

const fx = (p: Pooling) => fixtures.get(p)!;

beforeAll(async () => {
  for (const p of [cpu(), gpu()]) fixtures.set(p, await makeFixtures(p));
  queueCounters.set(cpu(), () => 0);
  queueCounters.set(gpu(), countQueueCalls(gpu()));
});

const bad: BadCall[] = [
  // tensors of every rank
  { name: 'layout NCHW for a rank-3 shape [1, 2, 8]', op: 'tensor', option: 'layout', value: '"NCHW"', rule: /rank-4 tensors; a rank-3 shape \[N, C, L\] takes 'NCL' or 'NLC'/, call: (p) => p.tensor(new Float32Array(16), [1, 2, 8], { layout: 'NCHW' }) },
  { name: 'layout NDHWC for a rank-4 shape [1, 2, 2, 2]', op: 'tensor', option: 'layout', value: '"NDHWC"', rule: /rank-5 tensors; a rank-4 shape \[N, C, H, W\] takes 'NCHW' or 'NHWC'/, call: (p) => p.tensor(new Float32Array(8), [1, 2, 2, 2], { layout: 'NDHWC' }) },
  { name: 'layout NLC for a rank-2 shape [2, 3]', op: 'tensor', option: 'layout', value: '"NLC"', rule: /rank-3 tensors; a rank-2 shape \[N, C\] takes 'NC'/, call: (p) => p.tensor(new Float32Array(6), [2, 3], { layout: 'NLC' }) },
  { name: 'unknown layout NCLD for a rank-3 shape', op: 'tensor', option: 'layout', value: '"NCLD"', rule: /must be 'NCL' or 'NLC'/, call: (p) => p.tensor(new Float32Array(16), [1, 2, 8], { layout: 'NCLD' as never }) },
  { name: 'int32 data with a non-integer 1.5 in [1, 1, 4]', op: 'tensor', option: 'data[1]', value: '1.5', rule: /integer in \[-2\^31, 2\^31\)/, call: (p) => p.tensor([0, 1.5, 2, 3], [1, 1, 4], { dtype: 'int32' }) },
  { name: 'int32 data as a Float32Array holding 0.25 in [1, 1, 2, 2, 1]', op: 'tensor', option: 'data[2]', value: '0.25', rule: /integer/, call: (p) => p.tensor(Float32Array.from([0, 1, 0.25, 3]), [1, 1, 2, 2, 1], { dtype: 'int32' }) },
  { name: 'int32 data past 2^31 in [1, 2]', op: 'tensor', option: 'data[1]', value: '2147483648', rule: /integer in \[-2\^31, 2\^31\)/, call: (p) => p.tensor([0, 2 ** 31], [1, 2], { dtype: 'int32' }) },
  { name: 'data of the wrong length for a rank-5 shape [1, 1, 2, 2, 2]', op: 'tensor', option: 'data', value: 'Float32Array(7)', rule: /length 7 must equal.*8/, call: (p) => p.tensor(new Float32Array(7), [1, 1, 2, 2, 2]) },

  // rank of the input
  { name: 'maxPool2d given a rank-3 tensor [2, 3, 8]', op: 'maxPool2d', option: 'x.shape', value: '[2, 3, 8]', rule: /rank-4 shape \[N, C, H, W\]/, call: (p) => p.maxPool2d(fx(p).x3, { kernelSize: 2 }) },
  { name: 'avgPool2d given a rank-5 tensor [1, 2, 4, 5, 6]', op: 'avgPool2d', option: 'x.shape', value: '[1, 2, 4, 5, 6]', rule: /rank-4 shape \[N, C, H, W\]/, call: (p) => p.avgPool2d(fx(p).x5, { kernelSize: 2 }) },
  { name: 'maxPool3d given a rank-4 tensor [2, 3, 8, 8]', op: 'maxPool3d', option: 'x.shape', value: '[2, 3, 8, 8]', rule: /rank-5 shape \[N, C, D, H, W\]/, call: (p) => p.maxPool3d(fx(p).x4, { kernelSize: 2 }) },
  { name: 'maxPool1d given a rank-4 tensor [2, 3, 8, 8]', op: 'maxPool1d', option: 'x.shape', value: '[2, 3, 8, 8]', rule: /rank-3 shape \[N, C, L\]/, call: (p) => p.maxPool1d(fx(p).x4, { kernelSize: 2 }) },
  { name: 'avgPool1d given a rank-2 tensor [2, 3]', op: 'avgPool1d', option: 'x.shape', value: '[2, 3]', rule: /rank-3 shape \[N, C, L\]/, call: (p) => p.avgPool1d(fx(p).x2, { kernelSize: 1 }) },

  // per-axis options
  { name: 'kernelSize [2, 2] for 3-D on [1, 2, 4, 5, 6]', op: 'maxPool3d', option: 'kernelSize', value: '[2, 2]', rule: /\[d, h, w\] \(one entry per spatial axis\)/, call: (p) => p.maxPool3d(fx(p).x5, { kernelSize: [2, 2] }) },
  { name: 'kernelSize [2, 2] for 1-D on [2, 3, 8]', op: 'avgPool1d', option: 'kernelSize', value: '[2, 2]', rule: /a number or \[l\]/, call: (p) => p.avgPool1d(fx(p).x3, { kernelSize: [2, 2] }) },
  { name: 'stride of four entries for 3-D on [1, 2, 4, 5, 6]', op: 'avgPool3d', option: 'stride', value: '[1, 1, 1, 1]', rule: /\[d, h, w\]/, call: (p) => p.avgPool3d(fx(p).x5, { kernelSize: 2, stride: [1, 1, 1, 1] }) },
  { name: 'padding of 5 entries for 3-D on [1, 2, 4, 5, 6]', op: 'maxPool3d', option: 'padding', value: '[1, 1, 1, 1, 1]', rule: /\[front, top, left, back, bottom, right\]/, call: (p) => p.maxPool3d(fx(p).x5, { kernelSize: 3, padding: [1, 1, 1, 1, 1] }) },
  { name: 'padding of 3 entries for 1-D on [2, 3, 8]', op: 'maxPool1d', option: 'padding', value: '[1, 1, 1]', rule: /\[begin, end\]/, call: (p) => p.maxPool1d(fx(p).x3, { kernelSize: 3, padding: [1, 1, 1] }) },
  { name: "'same-lower' misspelt 'same_lower' on [1, 2, 4, 5, 6]", op: 'avgPool3d', option: 'padding', value: '"same_lower"', rule: /'same-lower'/, call: (p) => p.avgPool3d(fx(p).x5, { kernelSize: 3, padding: 'same_lower' as never }) },
  { name: "'Same' (capitalised) on [2, 3, 8]", op: 'maxPool1d', option: 'padding', value: '"Same"', rule: /'valid', 'same' or 'same-lower'/, call: (p) => p.maxPool1d(fx(p).x3, { kernelSize: 3, padding: 'Same' as never }) },
  { name: 'negative dilation on [1, 2, 4, 5, 6]', op: 'maxPool3d', option: 'dilation', value: '[1, -1, 1]', rule: /integer >= 1/, call: (p) => p.maxPool3d(fx(p).x5, { kernelSize: 2, dilation: [1, -1, 1] }) },
  { name: 'negative dilation on average pooling [2, 3, 8]', op: 'avgPool1d', option: 'dilation', value: '-2', rule: /integer >= 1/, call: (p) => p.avgPool1d(fx(p).x3, { kernelSize: 2, dilation: -2 }) },
  { name: 'negative pad on [1, 2, 4, 5, 6]', op: 'avgPool3d', option: 'padding', value: '[0, -1, 0]', rule: />= 0/, call: (p) => p.avgPool3d(fx(p).x5, { kernelSize: 2, padding: [0, -1, 0] }) },

  // pads below the effective kernel, output >= 1
  { name: 'top pad 2 not below the H effective kernel 2 on [1, 2, 4, 5, 6]', op: 'maxPool3d', option: 'padding', value: '[1, 2, 1]', rule: /the top pad 2 must be smaller than the effective kernel 2/, call: (p) => p.maxPool3d(fx(p).x5, { kernelSize: [3, 2, 3], padding: [1, 2, 1] }) },
  { name: 'back pad 3 not below the D effective kernel 3 on [1, 2, 4, 5, 6]', op: 'avgPool3d', option: 'padding', value: '[0, 0, 0, 3, 0, 0]', rule: /the back pad 3 must be smaller than the effective kernel 3/, call: (p) => p.avgPool3d(fx(p).x5, { kernelSize: 3, padding: [0, 0, 0, 3, 0, 0] }) },
  { name: 'end pad 3 not below the effective kernel 3 (k2 d2) on [2, 3, 8]', op: 'maxPool1d', option: 'padding', value: '[0, 3]', rule: /the end pad 3 must be smaller than the effective kernel 3/, call: (p) => p.maxPool1d(fx(p).x3, { kernelSize: 2, dilation: 2, padding: [0, 3] }) },
  { name: 'output 0 along L (k9 over 8) on [2, 3, 8]', op: 'maxPool1d', option: 'kernelSize', value: '9', rule: /output would be 0 for input 8; every output dimension must be >= 1/, call: (p) => p.maxPool1d(fx(p).x3, { kernelSize: 9 }) },
  { name: 'output 0 along D (k5 over 4) on [1, 2, 4, 5, 6]', op: 'avgPool3d', option: 'kernelSize', value: '[5, 2, 2]', rule: /output would be 0x2x3 for input 4x5x6/, call: (p) => p.avgPool3d(fx(p).x5, { kernelSize: [5, 2, 2] }) },
  { name: 'output 0 along W with dilation (k3 d3 → 7 over 6) on [1, 2, 4, 5, 6]', op: 'maxPool3d', option: 'kernelSize', value: '3', rule: /output would be 1x1x0 for input 4x5x6/, call: (p) => p.maxPool3d(fx(p).x5, { kernelSize: 3, dilation: [1, 2, 3] }) },

  // backward ops
  { name: 'backward inputShape of rank 4 for 3-D', op: 'maxPool3dBackward', option: 'inputShape', value: '[1, 2, 4, 5]', rule: /rank-5 shape \[N, C, D, H, W\]/, call: (p) => p.maxPool3dBackward(fx(p).y5, fx(p).i5, { kernelSize: 2, inputShape: [1, 2, 4, 5] }) },
  { name: 'backward inputShape of rank 5 for 1-D', op: 'avgPool1dBackward', option: 'inputShape', value: '[1, 2, 4, 5, 6]', rule: /rank-3 shape \[N, C, L\]/, call: (p) => p.avgPool1dBackward(fx(p).x3, { kernelSize: 2, inputShape: [1, 2, 4, 5, 6] }) },
  { name: 'backward without inputShape for 3-D', op: 'avgPool3dBackward', option: 'inputShape', value: 'undefined', rule: /required.*rank 5/, call: (p) => p.avgPool3dBackward(fx(p).y5, { kernelSize: 2 } as never) },
  { name: 'dy [1, 2, 2, 2, 2] for a 3-D output [1, 2, 2, 2, 3]', op: 'avgPool3dBackward', option: 'dy', value: '[1, 2, 2, 2, 2]', rule: /shape must be \[1, 2, 2, 2, 3\]/, call: (p) => p.avgPool3dBackward(fx(p).y5wrong, { kernelSize: 2, inputShape: [1, 2, 4, 5, 6] }) },
  { name: 'max dy [1, 2, 2, 2, 2] for a 3-D output [1, 2, 2, 2, 3]', op: 'maxPool3dBackward', option: 'dy', value: '[1, 2, 2, 2, 2]', rule: /shape must be \[1, 2, 2, 2, 3\]/, call: (p) => p.maxPool3dBackward(fx(p).y5wrong, fx(p).i5, { kernelSize: 2, inputShape: [1, 2, 4, 5, 6] }) },
  { name: 'indices [1, 2, 2, 2, 2] for a 3-D output [1, 2, 2, 2, 3]', op: 'maxPool3dBackward', option: 'indices', value: '[1, 2, 2, 2, 2]', rule: /shape must be \[1, 2, 2, 2, 3\]/, call: (p) => p.maxPool3dBackward(fx(p).y5, fx(p).i5wrong, { kernelSize: 2, inputShape: [1, 2, 4, 5, 6] }) },
  { name: 'float32 indices [1, 2, 2, 2, 3] for 3-D', op: 'maxPool3dBackward', option: 'indices', value: '"float32"', rule: /int32 tensor/, call: (p) => p.maxPool3dBackward(fx(p).y5, fx(p).y5, { kernelSize: 2, inputShape: [1, 2, 4, 5, 6] }) },
  { name: 'indices layout NCDHW with a dy in NDHWC [1, 2, 2, 2, 3]', op: 'maxPool3dBackward', option: 'indices', value: '"NCDHW"', rule: /layout must match dy's \(NDHWC\)/, call: (p) => p.maxPool3dBackward(fx(p).y5last, fx(p).i5, { kernelSize: 2, inputShape: [1, 2, 4, 5, 6] }) },
  { name: "backward 'fastest' for 1-D", op: 'maxPool1dBackward', option: 'backward', value: '"fastest"', rule: /'auto', 'scatter' or 'gather'/, call: (p) => p.maxPool1dBackward(fx(p).x3, fx(p).i5, { kernelSize: 1, inputShape: [2, 3, 8], backward: 'fastest' as never }) },

  // global ops of every rank
  { name: 'globalMaxPool on a rank-2 tensor [2, 3]', op: 'globalMaxPool', option: 'x.shape', value: '[2, 3]', rule: /rank-3 shape \[N, C, L\] or a rank-4 .* or a rank-5 shape \[N, C, D, H, W\]/, call: (p) => p.globalMaxPool(fx(p).x2) },
  { name: 'globalAvgPool on a rank-2 tensor [2, 3]', op: 'globalAvgPool', option: 'x.shape', value: '[2, 3]', rule: /rank-3 shape/, call: (p) => p.globalAvgPool(fx(p).x2, { keepDims: true }) },
  { name: 'globalAvgPoolBackward dy [1, 3] for inputShape [1, 2, 4, 5, 6]', op: 'globalAvgPoolBackward', option: 'dy', value: '[1, 3]', rule: /shape must be \[1, 2\] or \[1, 2, 1, 1, 1\]/, call: (p) => p.globalAvgPoolBackward(fx(p).g2wrong, { inputShape: [1, 2, 4, 5, 6] }) },
  { name: 'globalAvgPoolBackward dy of rank 4 [1, 2, 1, 1] for inputShape [1, 2, 4, 5, 6]', op: 'globalAvgPoolBackward', option: 'dy', value: '[1, 2, 1, 1]', rule: /shape must be \[1, 2\] or \[1, 2, 1, 1, 1\]/, call: (p) => p.globalAvgPoolBackward(fx(p).g4wrong, { inputShape: [1, 2, 4, 5, 6] }) },
  { name: 'globalMaxPoolBackward dy [1, 2, 2, 2, 3] (not 1s) for inputShape [1, 2, 4, 5, 6]', op: 'globalMaxPoolBackward', option: 'dy', value: '[1, 2, 2, 2, 3]', rule: /shape must be \[1, 2\] or \[1, 2, 1, 1, 1\]/, call: (p) => p.globalMaxPoolBackward(fx(p).y5, fx(p).gi2, { inputShape: [1, 2, 4, 5, 6] }) },
  { name: 'globalMaxPoolBackward indices [1, 2, 2, 2, 3] for inputShape [1, 2, 4, 5, 6]', op: 'globalMaxPoolBackward', option: 'indices', value: '[1, 2, 2, 2, 3]', rule: /shape must be \[1, 2\] or \[1, 2, 1, 1, 1\]/, call: (p) => p.globalMaxPoolBackward(fx(p).g2, fx(p).i5, { inputShape: [1, 2, 4, 5, 6] }) },
  { name: 'globalMaxPoolBackward inputShape of rank 2 [1, 2]', op: 'globalMaxPoolBackward', option: 'inputShape', value: '[1, 2]', rule: /rank-3 shape.*rank-5 shape/, call: (p) => p.globalMaxPoolBackward(fx(p).g2, fx(p).gi2, { inputShape: [1, 2] }) },
  { name: 'globalAvgPoolBackward inputShape of rank 6', op: 'globalAvgPoolBackward', option: 'inputShape', value: '[1, 2, 1, 4, 5, 6]', rule: /rank-5 shape/, call: (p) => p.globalAvgPoolBackward(fx(p).g5, { inputShape: [1, 2, 1, 4, 5, 6] }) },
];

describe.each(['cpu', 'webgpu'] as const)('invalid calls to the N-d ops throw a PoolingError before any work (%s)', (backend) => {
  const context = backend === 'cpu' ? cpu : gpu;

  for (const b of bad) {
    it(`${b.op}: ${b.name}`, async () => {
      const p = context();
      await expectRejected(b, p, queueCounters.get(p)!);
    });
  }

  it('leaves the context working: valid 1-D, 3-D and rank-5 global calls afterwards give the right answer', async () => {
    const p = context();
    const f = fx(p);
    const { output, indices } = await p.maxPool1d(p.tensor([1, 3, 2, 5, 4, 0], [1, 1, 6]), { kernelSize: 2, returnIndices: true });
    expect(Array.from(await output.read())).toEqual([3, 5, 4]);
    expect(Array.from(await indices!.read())).toEqual([1, 3, 4]);
    const y = await p.avgPool3d(p.tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 2, 2, 2], { layout: 'NDHWC' }), { kernelSize: 2 });
    expect(Array.from(await y.read())).toEqual([4.5]);
    const g = await p.globalMaxPool(f.x5last, { returnIndices: true, keepDims: true });
    expect(g.output.shape).toEqual([1, 2, 1, 1, 1]);
    expect(g.output.layout).toBe('NDHWC');
    const saved = p.tensor(Int32Array.from([7, 119]), [1, 2], { dtype: 'int32' });
    expect(saved.dtype).toBe('int32');
    expect(Array.from(await saved.read())).toEqual([7, 119]);
  });
});
