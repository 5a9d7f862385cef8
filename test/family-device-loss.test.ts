/**
 * The family's ops after a device loss with fallbackToCpu: results made on the GPU before the
 * loss (fractional pooling's uploaded window table, index conversions, unpooling from indices) are
 * recomputed on the CPU from their recipes and equal the GPU's, and later calls finish on the CPU.
 */
import { expect, it } from 'vitest';
import { createPooling, type Tensor } from '../src/index.js';
import { namedTestAdapter } from './helpers/gpu.js';
import { randomData, seededRandom } from './helpers/random.js';

it('adaptive, LP, fractional (with its window table), unpooling and tensor-format indices survive a device loss', async () => {
  const p = await createPooling({ fallbackToCpu: true, nodeAdapter: await namedTestAdapter() });
  expect(p.backend).toBe('webgpu');
  const shape = [2, 4, 9, 8];
  const x = p.tensor(randomData(seededRandom(3), 576), shape, { layout: 'NHWC' });
  const made: Tensor[] = [];
  const adaptive = await p.adaptiveAvgPool2d(x, { outputSize: [4, 3] });
  const lp = await p.lpPool2d(x, { normType: 2, kernelSize: 3, stride: 2 });
  const frac = await p.fractionalMaxPool2d(x, { kernelSize: 2, outputSize: [5, 5], seed: 11, returnIndices: true });
  const pooled = await p.maxPool2d(x, { kernelSize: 2, returnIndices: true, indexFormat: 'tensor' });
  const unpooled = await p.maxUnpool2d(pooled.output, pooled.indices!, { kernelSize: 2, outputSize: [9, 8], indexFormat: 'tensor' });
  made.push(adaptive, lp, frac.output, frac.indices!, pooled.output, pooled.indices!, unpooled);
  // What the GPU gave, read before the loss from twins of the same calls.
  const before = await Promise.all(
    [
      await p.adaptiveAvgPool2d(x, { outputSize: [4, 3] }),
      await p.lpPool2d(x, { normType: 2, kernelSize: 3, stride: 2 }),
      (await p.fractionalMaxPool2d(x, { kernelSize: 2, outputSize: [5, 5], seed: 11 })).output,
      await p.maxUnpool2d(pooled.output, pooled.indices!, { kernelSize: 2, outputSize: [9, 8], indexFormat: 'tensor' }),
    ].map((t) => t.readFloat32()),
  );
  (p.impl as unknown as { device: GPUDevice }).device.destroy();
  expect((await p.lost).reason).toBe('destroyed');
  const after = [await adaptive.readFloat32(), await lp.readFloat32(), await frac.output.readFloat32(), await unpooled.readFloat32()];
  expect(p.backend).toBe('cpu');
  expect(after[0]).toEqual(before[0]);
  after[1]!.forEach((v, i) => expect(v).toBeCloseTo(before[1]![i]!, 5));
  expect(after[2]).toEqual(before[2]);
  expect(after[3]).toEqual(before[3]);
  // Later calls run on the CPU, indices included.
  const again = await p.adaptiveAvgPool2dBackward(adaptive, { inputShape: shape });
  expect(again.shape).toEqual(shape);
  // Indices made on the GPU before the loss feed CPU kernels after it, range checks included.
  const fracDx = await p.fractionalMaxPool2dBackward(frac.output, frac.indices!, { inputShape: shape });
  const fracDxWant = new Float32Array(576);
  const fracIdx = await frac.indices!.read();
  const fracDy = await frac.output.readFloat32();
  // channels-last: (n, h, w, c) in memory; an index is a flat position in its (n, c) plane.
  for (let n = 0, j = 0; n < 2; n++) {
    for (let pos = 0; pos < 25; pos++) {
      for (let c = 0; c < 4; c++, j++) {
        const at = (n * 72 + (fracIdx[j] as number)) * 4 + c;
        fracDxWant[at] = fracDxWant[at]! + fracDy[j]!;
      }
    }
  }
  expect(await fracDx.readFloat32()).toEqual(fracDxWant);
  const unpooledAgain = await p.maxUnpool2d(pooled.output, pooled.indices!, { kernelSize: 2, outputSize: [9, 8], indexFormat: 'tensor' });
  expect(await unpooledAgain.readFloat32()).toEqual(before[3]);
  const bad = p.tensor(new Int32Array(200).fill(72), [2, 4, 5, 5], { dtype: 'int32', layout: 'NHWC' });
  await expect(p.fractionalMaxPool2dBackward(frac.output, bad, { inputShape: shape })).rejects.toThrow(/indices.*\[0, 72\)/);
  for (const t of [...made, again, fracDx, unpooledAgain, bad, x]) t.destroy();
  p.destroy();
});
