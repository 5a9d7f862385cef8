// The max reduction of the N-d kernels (SEMANTICS.md, max pooling): taps arrive in scan order (first
// axis outermost). A tap replaces the running maximum when nothing was taken yet (so a window of
// -inf still points at its first real element; no finite sentinel), when it is greater (ties keep
// the first), or when it is NaN (the last NaN wins). With PAD_ZERO (the derivation's zero padding)
// a declared padded tap competes as 0 with index -1; otherwise padded taps are not visited.
// Provides: Acc, acc_init, acc_add, acc_pad, visits_padding, acc_value, acc_index.
// Requires: is_nan, negative_infinity (common.wgsl); WindowTaps (nd-window.wgsl).
override PAD_ZERO: bool = false;

struct Acc {
  value: f32,
  index: i32,
  found: bool,
}

fn acc_init() -> Acc {
  return Acc(negative_infinity(), -1, false);
}

fn acc_take(a: ptr<function, Acc>, v: f32, index: i32) {
  if (!(*a).found || v > (*a).value || is_nan(v)) {
    *a = Acc(v, index, true);
  }
}

fn acc_add(a: ptr<function, Acc>, v: f32, index: i32) {
  acc_take(a, v, index);
}

fn acc_pad(a: ptr<function, Acc>) {
  if (PAD_ZERO) {
    acc_take(a, 0.0, -1);
  }
}

// The mapping visits the declared padding only when padded taps take part.
fn visits_padding() -> bool {
  return PAD_ZERO;
}

fn acc_value(a: Acc, taps: WindowTaps) -> f32 {
  return a.value;
}

fn acc_index(a: Acc) -> i32 {
  return a.index;
}
