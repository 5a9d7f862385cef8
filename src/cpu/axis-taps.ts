/**
 * Where the taps of every window fall along one axis, computed once per call (O(out·k)) so the
 * kernels' inner loops are plain integer ranges instead of the reference's per-tap classification.
 * Tap positions grow with the tap number, so the real taps of a window form one range [first, end)
 * and the taps before `declared` are exactly those inside input + declared padding (the rest is the
 * ceil-mode overhang, which never counts: docs/semantics.md, average pooling).
 */
export interface AxisTaps {
  /** Input coordinate of tap 0 of output o (negative inside the begin padding). */
  readonly start: Int32Array;
  /** First tap on a real element. */
  readonly first: Int32Array;
  /** One past the last tap on a real element; end <= first: the window has no real element here. */
  readonly end: Int32Array;
  /** Number of taps inside input + declared padding (real or pad, overhang excluded). */
  readonly declared: Int32Array;
}

export function axisTaps(outSize: number, size: number, k: number, stride: number, dilation: number, padBegin: number, padEnd: number): AxisTaps {
  const start = new Int32Array(outSize);
  const first = new Int32Array(outSize);
  const end = new Int32Array(outSize);
  const declared = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const s = o * stride - padBegin;
    let f = k;
    let e = 0;
    let d = 0;
    for (let t = 0; t < k; t++) {
      const pos = s + t * dilation;
      if (pos >= 0 && pos < size) {
        if (f === k) f = t;
        e = t + 1;
      }
      if (pos < size + padEnd) d = t + 1;
    }
    start[o] = s;
    first[o] = f;
    end[o] = Math.max(e, f);
    declared[o] = d;
  }
  return { start, first, end, declared };
}

/** Number of real taps of window o. */
export function realCount(a: AxisTaps, o: number): number {
  return a.end[o]! - a.first[o]!;
}

/**
 * For every input position i, the outputs [lo[i], hi[i]) whose window covers i with a real tap,
 * for windows without dilation (average pooling): the gather form of the backward pass.
 */
export function coveringOutputs(a: AxisTaps, size: number, k: number): { lo: Int32Array; hi: Int32Array } {
  const lo = new Int32Array(size);
  const hi = new Int32Array(size);
  const out = a.start.length;
  let first = 0;
  let last = 0;
  for (let i = 0; i < size; i++) {
    while (first < out && a.start[first]! + k <= i) first++;
    while (last < out && a.start[last]! <= i) last++;
    lo[i] = first;
    hi[i] = Math.max(first, last);
  }
  return { lo, hi };
}
