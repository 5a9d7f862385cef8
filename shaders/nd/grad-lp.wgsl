// Backward of LP pooling (gather and scatter): dx_i = S_i·f(x_i), S_i the sum over the windows o
// reaching i of dy_o·y_o^(1−p), f(x) = sign(x)·|x|^(p−1) (docs/lp-pooling.md). A window with
// y_o = 0 sends 0 (never 0^(1−p)); a window whose y_o is NaN or infinite sends NaN (its gradient is
// undefined); an element with x_i = 0 gets 0 (also for p < 1, where |x|^(p−1) is unbounded) unless
// S_i is NaN. NaN and infinity are tested from the bits (WGSL may assume neither occurs).
// P_KIND 1: dy·sign(x); 2: x·Σ dy/y; 0: any other p, read from params.normType.
// Provides: window_gradient, lp_factor, gathered_dx. Requires: load_dy, load_y, load_x (io-*-lp-*.wgsl).
override P_KIND: i32 = 0;

fn nan_value() -> f32 {
  var bits = 0x7fc00000u;
  return bitcast<f32>(bits);
}

fn is_finite_value(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7fffffffu) < 0x7f800000u;
}

// Branch-free (selects): software adapters run their lanes in lockstep, so a divergent branch
// costs both sides plus the masking. A division or pow by y = 0 or a special y is computed and
// then not selected.
fn window_gradient(oi: u32, o: NdCoord, pos: i32) -> f32 {
  let yo = load_y(oi);
  let g = load_dy(oi);
  var share: f32;
  if (P_KIND == 1) {
    share = g;
  } else if (P_KIND == 2) {
    share = g / yo;
  } else {
    share = g * pow(yo, 1.0 - params.normType);
  }
  return select(select(nan_value(), share, is_finite_value(yo)), 0.0, yo == 0.0);
}

// The per-element factor sign(x)·|x|^(p−1); 0 for x = 0.
fn lp_factor(xi: f32) -> f32 {
  if (P_KIND == 1) {
    return sign(xi);
  }
  if (P_KIND == 2) {
    return xi;
  }
  return select(sign(xi) * pow(abs(xi), params.normType - 1.0), 0.0, xi == 0.0);
}

// One window's share times an element's factor: NaN for a NaN share, else 0 where either is 0 (so
// an unbounded factor never makes 0·∞).
fn lp_contribution(share: f32, xi: f32) -> f32 {
  let v = select(share * lp_factor(xi), 0.0, share == 0.0 || xi == 0.0);
  return select(v, share, is_nan(share));
}

// What dx element i gets from the sum of its windows' shares: the sum times its factor, once.
fn gathered_dx(i: u32, sum: f32) -> f32 {
  return lp_contribution(sum, load_x(i));
}
