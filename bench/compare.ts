/**
 * docs/semantics.md's accuracy rule applied to a benchmark result: max values and indices bit-exact,
 * averages and backward sums within atol = 1e-5·terms, rtol = 1e-5 (f32); float16 results against
 * the reference rounded to half once, sums within rtol = 1e-3, atol = 1e-3.
 */
import { windowedOp, type OpName, type Pass } from './cases.js';

export interface Comparison {
  /** Largest |got − want| of the values; Infinity when a NaN disagrees or the lengths differ. */
  maxAbsErr: number;
  ok: boolean;
  /** What disagreed, for the report. */
  detail?: string;
}

export type Rule = { kind: 'exact' } | { kind: 'tolerance'; terms: number; dtype?: 'float32' | 'float16' };

/** The rule for an op's result: which results must be bit-exact, and how many terms the others sum. */
export function ruleFor(op: OpName, pass: Pass, window: { kernel: number; stride: number } | undefined, planeSize: number, dtype: 'float32' | 'float16' = 'float32'): Rule {
  const rule = ruleF32(op, pass, window, planeSize);
  return rule.kind === 'tolerance' && dtype === 'float16' ? { ...rule, dtype } : rule;
}

/** The tolerances of a rule: f32's scale with the terms summed; f16's are docs/semantics.md's 1e-3 (or f32's, where larger). */
export function tolerances(rule: Rule & { kind: 'tolerance' }): { atol: number; rtol: number } {
  const f32 = 1e-5 * Math.max(rule.terms, 1);
  return rule.dtype === 'float16' ? { atol: Math.max(1e-3, f32), rtol: 1e-3 } : { atol: f32, rtol: 1e-5 };
}

function ruleF32(op: OpName, pass: Pass, window: { kernel: number; stride: number } | undefined, planeSize: number): Rule {
  const windowed = windowedOp(op);
  if (pass === 'forward') {
    if (op === 'globalMaxPool' || windowed?.reduction === 'max') return { kind: 'exact' };
    if (windowed) return { kind: 'tolerance', terms: window!.kernel ** windowed.rank };
    return { kind: 'tolerance', terms: planeSize };
  }
  // Backward: an input element receives from at most ceil(k/s)^rank windows; global ops from one output.
  if (windowed) {
    const reach = Math.ceil(window!.kernel / window!.stride);
    return { kind: 'tolerance', terms: reach ** windowed.rank };
  }
  return { kind: 'tolerance', terms: 1 };
}

export function compareValues(got: Float32Array, want: Float32Array, rule: Rule): Comparison {
  if (got.length !== want.length) return { maxAbsErr: Infinity, ok: false, detail: `length ${got.length}, want ${want.length}` };
  let maxAbsErr = 0;
  let bad = 0;
  const { atol, rtol } = rule.kind === 'tolerance' ? tolerances(rule) : { atol: 0, rtol: 0 };
  const gotBits = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const wantBits = new Uint32Array(want.buffer, want.byteOffset, want.length);
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(g) || Number.isNaN(w)) {
      if (Number.isNaN(g) !== Number.isNaN(w)) {
        maxAbsErr = Infinity;
        bad++;
      }
      continue;
    }
    const err = g === w ? 0 : Math.abs(g - w);
    if (err > maxAbsErr || Number.isNaN(err)) maxAbsErr = Number.isNaN(err) ? Infinity : err;
    if (rule.kind === 'exact') {
      if (gotBits[i] !== wantBits[i]) bad++;
    } else if (!(g === w || err <= atol + rtol * Math.abs(w))) {
      bad++;
    }
  }
  const what = rule.kind === 'exact' ? 'not bit-exact' : `outside atol ${atol.toExponential(0)} + rtol ${rtol.toExponential(0)}`;
  return bad === 0 ? { maxAbsErr, ok: true } : { maxAbsErr, ok: false, detail: `${bad} of ${got.length} values ${what}` };
}

/** Indices must agree exactly; they add nothing to max_abs_err (an index error has no magnitude). */
export function compareIndices(got: Int32Array, want: Int32Array): Comparison {
  if (got.length !== want.length) return { maxAbsErr: 0, ok: false, detail: `indices: length ${got.length}, want ${want.length}` };
  let bad = 0;
  for (let i = 0; i < got.length; i++) if (got[i] !== want[i]) bad++;
  return bad === 0 ? { maxAbsErr: 0, ok: true } : { maxAbsErr: 0, ok: false, detail: `${bad} of ${got.length} indices differ` };
}

export function combine(a: Comparison, b: Comparison): Comparison {
  const detail = [a.detail, b.detail].filter(Boolean).join('; ');
  return { maxAbsErr: Math.max(a.maxAbsErr, b.maxAbsErr), ok: a.ok && b.ok, ...(detail ? { detail } : {}) };
}
