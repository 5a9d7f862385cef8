/**
 * The LP suites' tolerances (test/family-lp.test.ts has the why): float32 |got − want| <= atol +
 * rtol·|want| with atol = 1e-5·terms·scale and rtol 1e-5 for p = 1, 2 or 4e-5 for pow; float16
 * within one half-ulp of the result's binade plus that float32 tolerance.
 */
import { expect } from 'vitest';
import { halfToNumber, narrowToHalves } from '../../src/half.js';

const scaleOf = (want: Float32Array) => want.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 1);

function tolerance(terms: number, want: Float32Array, normType: number) {
  return { atol: 1e-5 * Math.max(terms, 1) * scaleOf(want), rtol: normType === 1 || normType === 2 ? 1e-5 : 4e-5 };
}

export function expectLpClose(got: Float32Array, want: Float32Array, terms: number, normType: number, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  const { atol, rtol } = tolerance(terms, want, normType);
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (!(g === w || Math.abs(g - w) <= atol + rtol * Math.abs(w))) expect.fail(`${what}: element ${i} is ${g}, want ${w} (atol ${atol}, rtol ${rtol})`);
  }
}

/** float16: within one half-ulp of the binade of the f64 value plus the f32 tolerance. */
export function expectHalvesClose(got: Float32Array, wantF64: Float32Array, terms: number, normType: number, what: string): void {
  expect(got.length, `${what}: length`).toBe(wantF64.length);
  const { atol, rtol } = tolerance(terms, wantF64, normType);
  const rounded = narrowToHalves(wantF64);
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = wantF64[i]!;
    const ulp = Math.max(2 ** -24, 2 ** (Math.floor(Math.log2(Math.max(Math.abs(w), 2 ** -14))) - 10));
    if (g === halfToNumber(rounded[i]!)) continue;
    if (!(Math.abs(g - w) <= ulp + atol + rtol * Math.abs(w))) expect.fail(`${what}: element ${i} is ${g}, want ${w} ≈ half ${halfToNumber(rounded[i]!)} (ulp ${ulp})`);
  }
}

