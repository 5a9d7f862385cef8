/**
 * A CPU context that runs each descriptor's f64 reference instead of its fast kernel (what the
 * family benchmark checks every op against, through the public API).
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/cpu-backend.js';
import { createPooling, Pooling } from '../src/index.js';
import * as reference from '../src/reference/index.js';
import { resolveAvgPool, resolveMaxPool } from '../src/params.js';

describe('CpuBackend("reference")', () => {
  it('gives the reference result of an op, through the public API', async () => {
    const ref = new Pooling(new CpuBackend('reference'));
    const fast = await createPooling({ backend: 'cpu' });
    const data = Float32Array.from({ length: 2 * 3 * 9 * 7 }, (_, i) => Math.sin(i * 1.7) * 10);
    const shape = [2, 3, 9, 7];
    const options = { kernelSize: 3, stride: 2, padding: 1 };
    const a = await ref.maxPool2d(ref.tensor(data, shape), { ...options, returnIndices: true });
    const b = await fast.maxPool2d(fast.tensor(data, shape), { ...options, returnIndices: true });
    const want = reference.maxPool2dForward(data, 'NCHW', resolveMaxPool('test', shape, options));
    expect(await a.output.read()).toEqual(want.output);
    expect(await a.indices!.read()).toEqual(want.indices);
    expect(await b.output.read()).toEqual(want.output);
    const avg = await ref.avgPool2d(ref.tensor(data, shape), options);
    expect(await avg.read()).toEqual(reference.avgPool2dForward(data, 'NCHW', resolveAvgPool('test', shape, options)));
    ref.destroy();
    fast.destroy();
  });
});
