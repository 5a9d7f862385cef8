/**
 * Named edge cases of the forward ops, each run on WebGPU and on the CPU backend and compared with
 * the reference: NaN, infinities, ties, signed zeros, degenerate and whole-input windows, ceil mode.
 */
import { describe, it } from 'vitest';
import { createPooling, type Pooling } from '../src/index.js';
import { resolveAvgPool, resolveMaxPool } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import type { AvgPool2dOptions, Layout, MaxPool2dOptions } from '../src/types.js';
import { expectBitExact, expectClose } from './helpers/compare.js';
import { useGpuPool, withCleanErrorScope } from './helpers/gpu.js';
import { randomData, seededRandom } from './helpers/random.js';

const gpu = useGpuPool();
let cpu: Pooling | undefined;

async function cpuPool(): Promise<Pooling> {
  return (cpu ??= await createPooling({ backend: 'cpu' }));
}

interface Case {
  name: string;
  shape: [number, number, number, number];
  data: Float32Array;
  max?: MaxPool2dOptions;
  avg?: AvgPool2dOptions;
}

const rand = seededRandom(5);
const nan = NaN;
const inf = Infinity;

const cases: Case[] = [
  { name: 'NaN propagates, last NaN index wins', shape: [1, 1, 2, 4], data: new Float32Array([1, nan, 3, 4, nan, 2, 5, nan]), max: { kernelSize: 2 }, avg: { kernelSize: 2 } },
  { name: '+inf and -inf', shape: [1, 1, 2, 4], data: new Float32Array([-inf, -inf, inf, 1, -inf, -inf, 2, inf]), max: { kernelSize: 2 } },
  { name: 'all -inf window points at its first real element', shape: [1, 1, 3, 3], data: new Float32Array(9).fill(-inf), max: { kernelSize: 2, stride: 1, padding: 1 } },
  { name: 'ties keep the first position', shape: [1, 1, 4, 4], data: new Float32Array(16).fill(0.5), max: { kernelSize: 3, stride: 1, padding: 1 }, avg: { kernelSize: 3, stride: 1, padding: 1 } },
  { name: 'signed zeros: -0 seen first stays', shape: [1, 1, 1, 4], data: new Float32Array([-0, 0, 0, -0]), max: { kernelSize: [1, 2] } },
  { name: 'all-negative input with padding (no -1e5 sentinel, no zero from padding)', shape: [1, 2, 5, 5], data: Float32Array.from({ length: 50 }, (_, i) => -1e6 - i), max: { kernelSize: 3, stride: 2, padding: 1 }, avg: { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false } },
  { name: 'all-negative input with zero padding (the derivation)', shape: [1, 1, 4, 4], data: Float32Array.from({ length: 16 }, (_, i) => -1 - i), max: { kernelSize: 3, stride: 2, padding: 1, padValue: 0 } },
  { name: '1x1 window', shape: [2, 3, 5, 7], data: randomData(rand, 210), max: { kernelSize: 1 }, avg: { kernelSize: 1 } },
  { name: 'window equal to the input', shape: [2, 3, 6, 5], data: randomData(rand, 180), max: { kernelSize: [6, 5] }, avg: { kernelSize: [6, 5] } },
  { name: 'stride larger than the kernel', shape: [1, 2, 11, 13], data: randomData(rand, 286), max: { kernelSize: 2, stride: [4, 5] }, avg: { kernelSize: 2, stride: [4, 5] } },
  { name: 'ceil-mode last window (H=5, k2 s2 → 3)', shape: [1, 1, 5, 5], data: randomData(rand, 25), max: { kernelSize: 2, ceilMode: true }, avg: { kernelSize: 2, ceilMode: true } },
  { name: 'ceil-mode window dropped by PyTorch rule (W=5, k2 s2 p1)', shape: [1, 1, 5, 5], data: randomData(rand, 25), max: { kernelSize: 2, padding: 1, ceilMode: true }, avg: { kernelSize: 2, padding: 1, ceilMode: true } },
  { name: 'ceil-mode overhang excluded from the divisor', shape: [1, 1, 6, 6], data: randomData(rand, 36), avg: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true } },
  { name: 'asymmetric padding [t,l,b,r]', shape: [1, 2, 7, 6], data: randomData(rand, 84), max: { kernelSize: 3, stride: 2, padding: [0, 2, 1, 0] }, avg: { kernelSize: 3, stride: 2, padding: [0, 2, 1, 0] } },
  { name: "'same' padding, odd total", shape: [1, 2, 8, 9], data: randomData(rand, 144), max: { kernelSize: 4, stride: 3, padding: 'same' }, avg: { kernelSize: 4, stride: 3, padding: 'same', countIncludePad: false } },
  { name: 'dilation 2x3 with padding', shape: [1, 1, 12, 14], data: randomData(rand, 168), max: { kernelSize: 3, dilation: [2, 3], padding: [2, 3], stride: 2 } },
  { name: 'window with no real element (dilation, big padding)', shape: [1, 1, 2, 2], data: new Float32Array([1, 2, 3, 4]), max: { kernelSize: 3, dilation: 3, padding: 6, stride: 1 } },
  { name: 'huge window with zero padding costs only its real elements', shape: [1, 1, 3, 3], data: new Float32Array([-1, -2, -3, 0, -0, 5, -4, 2, -6]), max: { kernelSize: 2001, padding: 2000, stride: 1000, padValue: 0 } },
  { name: 'zero padding: a padded zero before a real zero wins the tie', shape: [1, 1, 3, 4], data: new Float32Array([-1, 0, -2, -3, -0, -4, 0, -5, -6, -7, -8, -9]), max: { kernelSize: [2, 3], stride: 1, padding: [1, 1, 0, 1], padValue: 0 } },
  { name: 'divisorOverride', shape: [1, 1, 4, 4], data: randomData(rand, 16), avg: { kernelSize: 3, padding: 1, stride: 1, divisorOverride: 5 } },
  { name: 'batch 1, channel 1', shape: [1, 1, 9, 9], data: randomData(rand, 81), max: { kernelSize: 3, stride: 2 }, avg: { kernelSize: 3, stride: 2 } },
];

describe.each(['webgpu', 'cpu'])('forward edge cases on %s', (backend) => {
  for (const c of cases) {
    for (const layout of ['NCHW', 'NHWC'] as Layout[]) {
      const data = layout === 'NCHW' ? c.data : toNhwc(c.data, c.shape);
      if (c.max) {
        it(`max ${c.name} ${c.shape.join('x')} ${layout}`, async () => {
          const opts = { ...c.max!, returnIndices: true };
          const want = ref.maxPool2dForward(data, layout, resolveMaxPool('maxPool2d', c.shape, opts));
          await run(backend, async (p) => {
            const { output, indices } = await p.maxPool2d(p.tensor(data, c.shape, { layout }), opts);
            expectBitExact(await output.read(), want.output, 'values');
            expectBitExact(await indices!.read(), want.indices, 'indices');
          });
        });
      }
      if (c.avg) {
        it(`avg ${c.name} ${c.shape.join('x')} ${layout}`, async () => {
          const want = ref.avgPool2dForward(data, layout, resolveAvgPool('avgPool2d', c.shape, c.avg!));
          await run(backend, async (p) => {
            const y = await p.avgPool2d(p.tensor(data, c.shape, { layout }), c.avg!);
            expectClose(await y.read(), want, 9, 'averages');
          });
        });
      }
    }
  }

  it('global max: NaN, ties and -inf over a two-pass plane 1x2x100x100', async () => {
    const shape: [number, number, number, number] = [1, 2, 100, 100];
    const data = new Float32Array(20000).fill(-inf);
    data[5000] = 3; // plane 0: a unique max in a middle chunk
    data[9999] = 3; // a later tie must lose
    data[10000 + 7000] = nan; // plane 1: NaNs in two chunks: the later one wins
    data[10000 + 123] = nan;
    await run(backend, async (p) => {
      const { output, indices } = await p.globalMaxPool(p.tensor(data, shape), { returnIndices: true });
      const want = ref.globalMaxPool(data, 'NCHW', { N: 1, C: 2, H: 100, W: 100 });
      expectBitExact(await output.read(), want.output, 'values');
      expectBitExact(await indices!.read(), want.indices, 'indices');
    });
  });
});

async function run(backend: string, body: (p: Pooling) => Promise<void>): Promise<void> {
  if (backend === 'cpu') return body(await cpuPool());
  const p = gpu();
  await withCleanErrorScope(p, () => body(p));
}

function toNhwc(data: Float32Array, [N, C, H, W]: readonly number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let n = 0; n < N!; n++) for (let c = 0; c < C!; c++) for (let h = 0; h < H!; h++) for (let w = 0; w < W!; w++) out[((n * H! + h) * W! + w) * C! + c] = data[((n * C! + c) * H! + h) * W! + w]!;
  return out;
}
