// Backward of average pooling (gather and scatter): every real tap of output `oi`'s window receives
// dy / divisor, with the forward's divisor.
// The share is worked out once per output (sent_by) and added to each element it reaches (sent_to),
// so the near gather (map-gather-near.wgsl) computes each reaching output's divisor once per cell.
// Provides: taps_share, window_share, Sent, sent_by, nothing_sent, sent_to, window_gradient, gathered_dx.
// Requires: window_divisor (reduce-avg.wgsl); window_taps (a window-*.wgsl file); load_dy (a backward io file).

// What output `oi`, whose window the caller already holds, sends to each real tap.
fn taps_share(oi: u32, taps: WindowTaps) -> f32 {
  let divisor = window_divisor(taps);
  return select(0.0, load_dy(oi) / divisor, divisor > 0.0);
}

fn window_share(oi: u32, o: NdCoord) -> f32 {
  return taps_share(oi, window_taps(o));
}

struct Sent {
  share: f32,
}

fn sent_by(oi: u32, o: NdCoord) -> Sent {
  return Sent(window_share(oi, o));
}

fn nothing_sent() -> Sent {
  return Sent(0.0);
}

fn sent_to(s: Sent, pos: i32) -> f32 {
  return s.share;
}

fn window_gradient(oi: u32, o: NdCoord, pos: i32) -> f32 {
  return window_share(oi, o);
}

// What dx element i gets from the sum of its windows' gradients: the sum itself (a reduction whose
// gradient has a per-element factor, as LP pooling's, applies it here once).
fn gathered_dx(i: u32, sum: f32) -> f32 {
  return sum;
}
