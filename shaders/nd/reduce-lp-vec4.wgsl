// The LP reduction of the N-d kernels over four channels at once: the sums of reduce-lp.wgsl lane
// by lane (the window is the same for the four channels).
// Provides: Acc4, acc4_init, acc4_add, acc4_value.
// Requires: P_KIND, params.normType (reduce-lp.wgsl).

// NaN and infinity lane by lane, from the bits, as in reduce-lp.wgsl: the largest magnitude bit
// pattern per lane (above 0x7f800000 a NaN, equal an infinity).
struct Acc4 {
  sum: vec4f,
  mag: vec4u,
}

fn lp_term4(v: vec4f) -> vec4f {
  if (P_KIND == 1) {
    return abs(v);
  }
  if (P_KIND == 2) {
    return v * v;
  }
  let a = abs(v);
  return select(pow(a, vec4f(params.normType)), vec4f(0.0), a == vec4f(0.0));
}

fn acc4_init() -> Acc4 {
  return Acc4(vec4f(0.0), vec4u(0u));
}

fn acc4_add(a: ptr<function, Acc4>, v: vec4f, index: i32) {
  (*a).mag = max((*a).mag, bitcast<vec4u>(v) & vec4u(0x7fffffffu));
  (*a).sum += lp_term4(v);
}

fn acc4_root(s: vec4f) -> vec4f {
  if (P_KIND == 1) {
    return s;
  }
  if (P_KIND == 2) {
    return sqrt(s);
  }
  return select(pow(s, vec4f(1.0 / params.normType)), vec4f(0.0), s == vec4f(0.0));
}

fn acc4_value(a: Acc4, taps: WindowTaps) -> vec4f {
  // Bits in a `var`: a constant expression may not produce NaN or infinity in WGSL.
  var bits = select(vec4u(0x7f800000u), vec4u(0x7fc00000u), a.mag > vec4u(0x7f800000u));
  return select(acc4_root(a.sum), bitcast<vec4f>(bits), a.mag >= vec4u(0x7f800000u));
}
