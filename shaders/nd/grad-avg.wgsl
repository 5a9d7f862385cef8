// Backward of average pooling (gather and scatter): every real tap of output `oi`'s window receives
// dy / divisor, with the forward's divisor.
// Requires: window_divisor (reduce-avg.wgsl); window_taps (nd-window.wgsl); load_dy (a backward io file).

fn window_share(oi: u32, o: vec3i) -> f32 {
  let divisor = window_divisor(window_taps(o));
  return select(0.0, load_dy(oi) / divisor, divisor > 0.0);
}

fn window_gradient(oi: u32, o: vec3i, pos: i32) -> f32 {
  return window_share(oi, o);
}
