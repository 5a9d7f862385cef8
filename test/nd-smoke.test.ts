import { describe, expect, it } from 'vitest';
import { createPooling } from '../src/index.js';
import * as ref from '../src/reference/index.js';
import { resolveAvgWindow, resolveMaxWindow } from '../src/params.js';
import { useGpuPool } from './helpers/gpu.js';

const pool = useGpuPool();
describe('smoke', () => {
  it('3d max/avg fwd+bwd', async () => {
    const gpu = pool();
    for (const layout of ['NCDHW', 'NDHWC'] as const) {
      const shape = [2, 3, 5, 6, 7];
      const n = shape.reduce((a, b) => a * b, 1);
      const x = new Float32Array(n).map((_, i) => Math.sin(i * 1.7) * 10);
      const xt = gpu.tensor(x, shape, { layout });
      const o = { kernelSize: [2, 3, 2], stride: [1, 2, 2], padding: [1, 1, 0], ceilMode: true, returnIndices: true };
      const { output, indices } = await gpu.maxPool3d(xt, o);
      const g = resolveMaxWindow('t', 3, shape, { ...o });
      const want = ref.maxPoolNdForward(x, layout === 'NDHWC', g);
      expect(Array.from(await output.read())).toEqual(Array.from(want.output));
      expect(Array.from(await indices!.read())).toEqual(Array.from(want.indices));
      for (const backward of ['gather', 'scatter'] as const) {
        const dx = await gpu.maxPool3dBackward(output, indices!, { ...o, inputShape: shape, backward });
        const wdx = ref.maxPoolNdBackward(await output.read(), want.indices, layout === 'NDHWC', g);
        const got = await dx.read();
        got.forEach((v, i) => expect(Math.abs(v - wdx[i]!)).toBeLessThan(1e-4));
      }
      const ao = { kernelSize: 3, stride: 2, padding: 1, dilation: [1, 2, 1], countIncludePad: false };
      const y = await gpu.avgPool3d(xt, ao);
      const ag = resolveAvgWindow('t', 3, shape, { ...ao });
      const wy = ref.avgPoolNdForward(x, layout === 'NDHWC', ag);
      (await y.read()).forEach((v, i) => expect(Math.abs(v - wy[i]!)).toBeLessThan(1e-4));
      for (const backward of ['gather', 'scatter'] as const) {
        const dx = await gpu.avgPool3dBackward(y, { ...ao, inputShape: shape, backward });
        const wdx = ref.avgPoolNdBackward(await y.read(), layout === 'NDHWC', ag);
        (await dx.read()).forEach((v, i) => expect(Math.abs(v - wdx[i]!)).toBeLessThan(1e-4));
      }
      const cpu = await createPooling({ backend: 'cpu' });
      const cy = await cpu.avgPool3d(cpu.tensor(x, shape, { layout }), ao);
      (await cy.read()).forEach((v, i) => expect(Math.abs(v - wy[i]!)).toBeLessThan(1e-4));
      const gm = await gpu.globalMaxPool(xt, { returnIndices: true });
      expect(gm.output.shape).toEqual([2, 3]);
    }
  });
  it('1d', async () => {
    const gpu = pool();
    const shape = [2, 3, 40];
    const x = new Float32Array(240).map((_, i) => Math.cos(i * 0.37));
    for (const layout of ['NCL', 'NLC'] as const) {
      const o = { kernelSize: 3, stride: 2, padding: 'same-lower' as const, returnIndices: true };
      const r = await gpu.maxPool1d(gpu.tensor(x, shape, { layout }), o);
      const want = ref.maxPoolNdForward(x, layout === 'NLC', resolveMaxWindow('t', 1, shape, { ...o }));
      expect(Array.from(await r.output.read())).toEqual(Array.from(want.output));
      expect(Array.from(await r.indices!.read())).toEqual(Array.from(want.indices));
    }
  });
});
