// The adaptive average backward's terms: output `oi`, whose window holds `taps` elements, sends
// dy / taps to each of them (the forward's divisor, reduce-avg.wgsl's real-tap count; 0 for no taps),
// computed once per output. Requires: load_dy (io-gather-adaptive-f32.wgsl).
const NEEDS_DIVISOR: bool = true;

struct AdaptiveOut {
  share: f32,
}

fn adaptive_output(oi: u32, taps: i32) -> AdaptiveOut {
  let divisor = f32(taps);
  return AdaptiveOut(select(0.0, load_dy(oi) / divisor, divisor > 0.0));
}

fn adaptive_term(o: AdaptiveOut, pos: i32) -> f32 {
  return o.share;
}
