import { expect } from 'vitest';

/** Bit-exact comparison (max values, indices): NaN equals NaN, -0 differs from +0. */
export function expectBitExact(got: Float32Array | Int32Array, want: Float32Array | Int32Array, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const w = new Uint32Array(want.buffer, want.byteOffset, want.length);
  for (let i = 0; i < g.length; i++) {
    if (g[i] !== w[i]) {
      expect.fail(`${what}: element ${i} is ${got[i]} (0x${g[i]!.toString(16)}), want ${want[i]} (0x${w[i]!.toString(16)})`);
    }
  }
}

/** docs/semantics.md's f32 tolerance: |got - want| <= atol + rtol·|want|, atol = 1e-5·terms, rtol = 1e-5. */
export function expectClose(got: Float32Array, want: Float32Array, terms: number, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  const atol = 1e-5 * Math.max(terms, 1);
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w) ? !Number.isNaN(g) : !(Math.abs(g - w) <= atol + 1e-5 * Math.abs(w) || g === w)) {
      expect.fail(`${what}: element ${i} is ${g}, want ${w} (atol ${atol}, rtol 1e-5)`);
    }
  }
}
