// The average reduction of the N-d kernels (SEMANTICS.md, average pooling): the sum of the real
// taps over a divisor: divisorOverride when given, else with COUNT_INCLUDE_PAD the taps inside the
// input or its declared padding (a ceil-mode overhang never counts), else the real taps; a divisor
// of 0 gives 0. Dilation is allowed (ONNX AveragePool-19): the counts are of taps, not of a box.
// Provides: Acc, acc_init, acc_add, acc_add_where, acc_pad, visits_padding, acc_value, window_divisor.
// Requires: WindowTaps, tap_count (window-record.wgsl); the uniform's divisorOverride.
override COUNT_INCLUDE_PAD: bool = true;

struct Acc {
  sum: f32,
}

fn acc_init() -> Acc {
  return Acc(0.0);
}

fn acc_add(a: ptr<function, Acc>, v: f32, index: i32) {
  (*a).sum += v;
}

// acc_add when `on`, without a branch (a shared-load mapping offers one load to several lanes):
// adding +0 changes no sum, which starts at +0 and so is never -0.
fn acc_add_where(a: ptr<function, Acc>, v: f32, index: i32, on: bool) {
  (*a).sum += select(0.0, v, on);
}

fn acc_pad(a: ptr<function, Acc>) {}

fn visits_padding() -> bool {
  return false;
}

fn window_divisor(taps: WindowTaps) -> f32 {
  if (params.divisorOverride > 0) {
    return f32(params.divisorOverride);
  }
  if (COUNT_INCLUDE_PAD) {
    return tap_count(taps.declared_lo, taps.declared_hi);
  }
  return tap_count(taps.real_lo, taps.real_hi);
}

fn acc_value(a: Acc, taps: WindowTaps) -> f32 {
  let divisor = window_divisor(taps);
  // plus_zero: a window of -0 taps sums to +0 in the reference (0 + (-0)); straight-line taps let a
  // compiler fold the first 0 + x to x (the full-row and full-window forms).
  return select(0.0, plus_zero(a.sum) / divisor, divisor > 0.0);
}
