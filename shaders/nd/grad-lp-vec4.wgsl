// The LP gradient of grad-lp.wgsl over four channels at once, lane by lane (same rules: a window
// with y = 0 sends 0, one with a NaN or infinite y sends NaN, x = 0 gets 0 unless the sum is NaN).
// Provides: window_gradient4, gathered_dx4. Requires: grad-lp.wgsl; load_dy4, load_y4, load_x4.

fn window_gradient4(oi: u32) -> vec4f {
  let yo = load_y4(oi);
  let g = load_dy4(oi);
  var share: vec4f;
  if (P_KIND == 1) {
    share = g;
  } else if (P_KIND == 2) {
    share = g / yo;
  } else {
    share = g * pow(yo, vec4f(1.0 - params.normType));
  }
  let finite = (bitcast<vec4u>(yo) & vec4u(0x7fffffffu)) < vec4u(0x7f800000u);
  return select(select(vec4f(nan_value()), share, finite), vec4f(0.0), yo == vec4f(0.0));
}

fn lp_factor4(xi: vec4f) -> vec4f {
  if (P_KIND == 1) {
    return sign(xi);
  }
  if (P_KIND == 2) {
    return xi;
  }
  return select(sign(xi) * pow(abs(xi), vec4f(params.normType - 1.0)), vec4f(0.0), xi == vec4f(0.0));
}

fn gathered_dx4(i: u32, sum: vec4f) -> vec4f {
  let xi = load_x4(i);
  let v = select(sum * lp_factor4(xi), vec4f(0.0), (sum == vec4f(0.0)) | (xi == vec4f(0.0)));
  return select(v, sum, (bitcast<vec4u>(sum) & vec4u(0x7fffffffu)) > vec4u(0x7f800000u));
}
