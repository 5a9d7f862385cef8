/**
 * A polluted Object.prototype must change nothing (issue: hostile inputs): options are read as own
 * properties only, and nothing handed to the GPU API inherits the pollution. Both backends.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PoolingError } from '../src/index.js';
import { useBothContexts } from './helpers/contexts.js';

const contexts = useBothContexts().each;
const polluted = ['stride', 'layout', 'kernelSize', 'padding', 'dilation', 'returnIndices', 'dtype', 'inputShape', 'keepDims', 'backward', 'ceilMode'];

function pollute(values: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(values)) Object.defineProperty(Object.prototype, k, { value: v, configurable: true, writable: true, enumerable: true });
}

afterEach(() => {
  for (const k of polluted) delete (Object.prototype as Record<string, unknown>)[k];
});

const data = Float32Array.from({ length: 64 }, (_, i) => (i * 37) % 64);

describe.each(contexts)('Object.prototype pollution on %s', (_name, get) => {
  it('stride, padding, layout, ceilMode and returnIndices inherited from Object.prototype are ignored', async () => {
    const p = get();
    const clean = await p.maxPool2d(p.tensor(data, [1, 1, 8, 8]), { kernelSize: 2 });
    const want = Array.from(await clean.output.read());
    pollute({ stride: 1, padding: 'same', layout: 'NHWC', ceilMode: true, returnIndices: true, dilation: 2, backward: 'scatter' });
    const x = p.tensor(data, [1, 1, 8, 8]);
    expect(x.layout).toBe('NCHW');
    const r = await p.maxPool2d(x, { kernelSize: 2 });
    expect(r.output.shape).toEqual([1, 1, 4, 4]);
    expect(r.indices).toBeUndefined();
    expect(Array.from(await r.output.read())).toEqual(want);
    const y = await p.avgPool3d(p.tensor(data, [1, 1, 4, 4, 4]), { kernelSize: 2 });
    expect(y.shape).toEqual([1, 1, 2, 2, 2]);
  });

  it('an inherited kernelSize does not make a call valid, and inputShape is not inherited', async () => {
    const p = get();
    pollute({ kernelSize: 2, inputShape: [1, 1, 8, 8] });
    const x = p.tensor(data, [1, 1, 8, 8]);
    await expect(p.maxPool2d(x, {} as never)).rejects.toThrow(PoolingError);
    await expect(p.maxPool2d(x, {} as never)).rejects.toThrow(/kernelSize = undefined: is required/);
    await expect(p.avgPool2dBackward(x, { kernelSize: 2 } as never)).rejects.toThrow(/inputShape = undefined: is required/);
  });
});
