// The average reduction of the N-d kernels over four channels at once: the sums of reduce-avg.wgsl
// lane by lane over one divisor (the window is the same for the four channels).
// Provides: Acc4, acc4_init, acc4_add, acc4_value.
// Requires: window_divisor (reduce-avg.wgsl).

struct Acc4 {
  sum: vec4f,
}

fn acc4_init() -> Acc4 {
  return Acc4(vec4f(0.0));
}

fn acc4_add(a: ptr<function, Acc4>, v: vec4f, index: i32) {
  (*a).sum += v;
}

fn acc4_value(a: Acc4, taps: WindowTaps) -> vec4f {
  let divisor = window_divisor(taps);
  // plus_zero4: a window of -0 taps sums to +0 in the reference (0 + (-0)); straight-line taps let
  // a compiler fold the first 0 + x to x (the full-window form, window-scan-vec4.wgsl).
  return select(vec4f(0.0), plus_zero4(a.sum) / divisor, divisor > 0.0);
}
