// The LP reduction of the N-d kernels (SEMANTICS.md, LP pooling): y = (Σ |x|^p)^(1/p) over the real
// taps of the window; padding and a ceil-mode overhang add |0|^p = 0, so only real taps are visited.
// P_KIND selects the exact forms: 1 (Σ|x|), 2 (sqrt(Σx²)), 0 any other p, read from the uniform
// (params.normType), so a new p needs no new pipeline. Terms and the sum are f32: where |x|^p or the
// sum passes f32's largest value the result is +∞ (docs/lp-pooling.md).
// Provides: Acc, acc_init, acc_add, acc_pad, visits_padding, acc_value, lp_value, lp_term, lp_root.
// Requires: WindowTaps (window-record.wgsl), params.normType.
override P_KIND: i32 = 0;

// NaN and infinity are tracked from the bits (WGSL lets compilers assume neither occurs in float
// arithmetic, and pow of either is left open): any NaN tap gives NaN, else any infinite one +∞,
// as the f64 reference does. One unsigned max per tap does both: `mag` is the largest magnitude
// bit pattern seen, and every NaN pattern is above +∞'s (0x7f800000), every finite one below.
struct Acc {
  sum: f32,
  mag: u32,
}

// |v|^p; 0 for v = 0 (never pow(0, p), whose value the WGSL spec leaves open).
fn lp_term(v: f32) -> f32 {
  if (P_KIND == 1) {
    return abs(v);
  }
  if (P_KIND == 2) {
    return v * v;
  }
  let a = abs(v);
  return select(pow(a, params.normType), 0.0, a == 0.0);
}

// s^(1/p) of a sum s >= 0; 0 for s = 0.
fn lp_root(s: f32) -> f32 {
  if (P_KIND == 1) {
    return s;
  }
  if (P_KIND == 2) {
    return sqrt(s);
  }
  return select(pow(s, 1.0 / params.normType), 0.0, s == 0.0);
}

fn acc_init() -> Acc {
  return Acc(0.0, 0u);
}

fn acc_add(a: ptr<function, Acc>, v: f32, index: i32) {
  (*a).mag = max((*a).mag, bitcast<u32>(v) & 0x7fffffffu);
  (*a).sum += lp_term(v);
}

fn acc_pad(a: ptr<function, Acc>) {}

fn visits_padding() -> bool {
  return false;
}

// The window's value: NaN if a tap was NaN, else +∞ if one was infinite, else the root of the sum.
fn lp_value(a: Acc) -> f32 {
  // Bits in a `var`: a constant expression may not produce NaN or infinity in WGSL.
  var special = select(0x7f800000u, 0x7fc00000u, a.mag > 0x7f800000u);
  if (a.mag >= 0x7f800000u) {
    return bitcast<f32>(special);
  }
  return lp_root(a.sum);
}

fn acc_value(a: Acc, taps: WindowTaps) -> f32 {
  return lp_value(a);
}
