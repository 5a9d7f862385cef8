// The max reduction of the N-d kernels (SEMANTICS.md, max pooling): taps arrive in scan order (first
// axis outermost). A tap replaces the running maximum when nothing was taken yet (so a window of
// -inf still points at its first real element; no finite sentinel), when it is greater (ties keep
// the first), or when it is NaN (the last NaN wins). With PAD_ZERO (the derivation's zero padding)
// a declared padded tap competes as 0 with index -1; otherwise padded taps are not visited.
// Values are compared as order keys and carried as bits (common.wgsl), never as floats, so
// subnormals survive any adapter.
// Provides: Acc, acc_init, acc_add, acc_pad, visits_padding, acc_value, acc_index.
// Requires: order_key, kept_key, takes_max, EMPTY_MAX_BITS, EMPTY_KEY (common.wgsl);
// WindowTaps (window-record.wgsl).
override PAD_ZERO: bool = false;

// The running maximum: bits, kept key (kept_key, common.wgsl) and index. Nothing taken yet:
// EMPTY_KEY, below every candidate, so the first one is always taken.
struct Acc {
  bits: u32,
  key: i32,
  index: i32,
}

fn acc_init() -> Acc {
  return Acc(EMPTY_MAX_BITS, EMPTY_KEY, -1);
}

fn acc_take(a: ptr<function, Acc>, bits: u32, index: i32) {
  let k = order_key(bits);
  if (takes_max(k, (*a).key)) {
    *a = Acc(bits, kept_key(k), index);
  }
}

fn acc_add(a: ptr<function, Acc>, v: f32, index: i32) {
  acc_take(a, bitcast<u32>(v), index);
}

// Idempotent, as the mappings rely on (a run of padded taps reaches it once): after one padded zero
// the kept key is at least 0, so a second zero, equal to it, is never taken.
fn acc_pad(a: ptr<function, Acc>) {
  if (PAD_ZERO) {
    acc_take(a, 0u, -1);
  }
}

// The mapping visits the declared padding only when padded taps take part.
fn visits_padding() -> bool {
  return PAD_ZERO;
}

fn acc_value(a: Acc, taps: WindowTaps) -> f32 {
  return bitcast<f32>(a.bits);
}

fn acc_index(a: Acc) -> i32 {
  return a.index;
}
