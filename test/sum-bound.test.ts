/**
 * The accuracy bound of sums (docs/semantics.md, "Accuracy"): averages and backward sums accumulate
 * in f32, so for n summed terms the result is within (n − 1)·2^-24·Σ|x| / divisor (plus one rounding
 * of the result) of the exact mean, for every input whose partial sums stay finite. Adversarial data
 * (cancellation, mixed magnitudes, values near FLT_MAX) on both backends, forward and global.
 */
import { describe, expect, it } from 'vitest';
import { resolveAvgWindow } from '../src/params.js';
import * as ref from '../src/reference/index.js';
import { useBothContexts } from './helpers/contexts.js';
import { seededRandom } from './helpers/random.js';

const contexts = useBothContexts();
const U = 2 ** -24;

/** The documented bound for a mean of `terms` values whose magnitudes sum to `absSum`. */
function bound(terms: number, absSum: number, divisor: number, mean: number): number {
  return (Math.max(terms - 1, 0) * U * 1.0001 * absSum) / divisor + U * Math.abs(mean) + 2 ** -149;
}

const adversarial: [string, number[]][] = [
  ['cancellation [1e8, 1, -1e8, 0] (the issue)', [1e8, 1, -1e8, 0]],
  ['mixed magnitudes', [3e7, 1e-3, -2.9999e7, 7, 0.5, -1e-8, 1234.5, -0.25, 1e6]],
  ['near FLT_MAX, partial sums finite', [3e38, -3e38, 3e38, -3e38, 1, 2, 3, 4, 5]],
];

describe.each(contexts.each)('sums on %s stay within the documented f32 bound', (_name, get) => {
  for (const [name, values] of adversarial) {
    it(`avgPool1d over ${name}`, async () => {
      const p = get();
      const shape = [1, 1, values.length];
      const y = await (await p.avgPool1d(p.tensor(values, shape), { kernelSize: values.length })).read();
      const exact = values.reduce((a, b) => a + Math.fround(b), 0) / values.length;
      const absSum = values.reduce((a, b) => a + Math.abs(Math.fround(b)), 0);
      expect(Math.abs(y[0]! - exact)).toBeLessThanOrEqual(bound(values.length, absSum, values.length, exact));
      const g = await (await p.globalAvgPool(p.tensor(values, shape))).read();
      expect(Math.abs(g[0]! - exact)).toBeLessThanOrEqual(bound(values.length, absSum, values.length, exact));
    });
  }

  it('seeded windows of mixed magnitudes and signs (2-D, k5 s1 p2): every output within the bound', async () => {
    const p = get();
    const rand = seededRandom(61);
    const shape = [1, 3, 20, 20];
    const x = Float32Array.from({ length: 1200 }, () => (rand() - 0.5) * 10 ** Math.floor(rand() * 12 - 4));
    const opts = { kernelSize: 5, stride: 1, padding: 2, countIncludePad: false };
    const y = await (await p.avgPool2d(p.tensor(x, shape), opts)).read();
    const g = resolveAvgWindow('t', 2, shape, { ...opts });
    const want = ref.avgPoolNdForward(x, false, g);
    const abs = ref.avgPoolNdForward(x.map(Math.abs), false, g);
    for (let i = 0; i < y.length; i++) {
      // At most 25 real taps; abs[i] is Σ|x| over them divided by their count, the divisor.
      expect(Math.abs(y[i]! - want[i]!), `output ${i}`).toBeLessThanOrEqual(bound(25, abs[i]!, 1, want[i]!));
    }
  });
});
